"""The sources as they are at a git revision, or in a folder, read for comparison."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from decimal import Decimal

from perfgen.errors import PerfgenError
from perfgen.load.township import find_townships
from perfgen.model import Document, Project
from perfgen.validate.township import check_township


@dataclass
class Version:
    """One version of one township: its document and its projects by 项目编码."""

    folder: str
    document: Document | None = None
    projects: dict[str, Project] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)  # files with problems of form, not compared

    @property
    def key(self) -> tuple[str, ...]:
        """Townships match across versions by unit code and year, whatever their folder is called."""
        if self.document:
            return (self.document.unit_code, str(self.document.year))
        return (self.folder,)

    @property
    def title(self) -> str:
        return self.document.title if self.document else self.folder

    @property
    def unit(self) -> str:
        return self.document.unit if self.document else ""

    @property
    def total(self) -> Decimal:
        return sum((p.budget.value for p in self.projects.values()), Decimal(0))


def read_versions(projects: Path) -> dict[tuple[str, ...], Version]:
    """Every township under ``projects``, keyed by Version.key."""
    versions: dict[tuple[str, ...], Version] = {}
    if not projects.is_dir():
        return versions
    folders, _ = find_townships([projects])
    for folder in folders:
        checked = check_township(folder)
        township = checked.township
        version = Version(folder.name, township.document, {p.code: p for p in township.projects}, sorted(checked.broken))
        versions[version.key] = version
    return versions


def _git(args: list[str], cwd: Path, stdin: bytes | None = None) -> bytes:
    try:
        completed = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, timeout=120)
    except FileNotFoundError as exc:
        raise PerfgenError("比较 git 版本需要 git：请安装 git，或直接比较两个文件夹") from exc
    if completed.returncode != 0:
        # git's own message is English: the clerk gets the command and its exit code
        raise PerfgenError(f"git {' '.join(args[:2])} 失败（退出码 {completed.returncode}）")
    return completed.stdout


def _commit(revision: str, top: Path) -> str:
    """The commit ``revision`` names; an error carrying git's own message when it names none."""
    try:
        if revision.startswith("-"):  # an option to git, not a revision
            raise PerfgenError(f"“{revision}”不是版本名")
        return _git(["rev-parse", "--verify", f"{revision}^{{commit}}"], top).decode().strip()
    except PerfgenError as exc:
        raise PerfgenError(
            f"git 中没有版本“{revision}”：请检查拼写（例如 main、HEAD~1、origin/main），远程分支请先 git fetch。"
        ) from None


def _files_at(commit: str, prefix: str, top: Path) -> dict[str, bytes]:
    """Every file under ``prefix`` at ``commit``: path -> content, read in one ``git cat-file --batch``."""
    listed = _git(["ls-tree", "-r", "-z", "--full-tree", commit, "--", prefix], top)
    blobs: list[tuple[str, str]] = []
    for entry in filter(None, listed.split(b"\0")):
        info, _, name = entry.partition(b"\t")
        mode, kind, oid = info.decode().split()
        if kind == "blob" and mode != "120000":  # files only: no symbolic links, no submodules
            blobs.append((name.decode("utf-8", "surrogateescape"), oid))
    if not blobs:
        return {}
    out = _git(["cat-file", "--batch"], top, "".join(f"{oid}\n" for _, oid in blobs).encode())
    files: dict[str, bytes] = {}
    position = 0
    for name, _ in blobs:
        header_end = out.index(b"\n", position)
        size = int(out[position:header_end].split()[2])
        files[name] = out[header_end + 1 : header_end + 1 + size]
        position = header_end + 1 + size + 1  # the content is followed by a newline
    return files


@contextlib.contextmanager
def at_revision(revision: str, projects: Path) -> Iterator[Path]:
    """A temporary folder holding ``projects`` as it is at ``revision``.

    The files are read with ``git ls-tree`` and ``git cat-file``, which every supported
    Python and git can do (no archive extraction, whose safe mode needs Python 3.12).
    """
    try:
        top = Path(_git(["rev-parse", "--show-toplevel"], projects if projects.is_dir() else Path.cwd()).decode().strip())
    except PerfgenError:
        raise PerfgenError(
            "这里不在 git 仓库中：比较版本请在源文件仓库中运行，或直接比较两个文件夹（perfgen diff 旧文件夹 新文件夹）"
        ) from None
    commit = _commit(revision, top)
    prefix = Path(os.path.relpath(projects.resolve(), top.resolve())).as_posix()
    work = Path(tempfile.mkdtemp(prefix="perfgen-diff-"))
    try:
        for name, content in _files_at(commit, prefix, top).items():
            target = work.joinpath(*name.split("/"))
            if work.resolve() not in target.resolve().parents:  # a hostile tree name never escapes the folder
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        yield work / prefix
    finally:
        shutil.rmtree(work, ignore_errors=True)
