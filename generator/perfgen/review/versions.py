"""The sources as they are at a git revision, or in a folder, read for comparison."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from perfgen.errors import PerfgenError
from perfgen.load.township import find_townships
from perfgen.model import Document, Project
from perfgen.paths import display_path
from perfgen.problems import Problem
from perfgen.validate.township import check_township


@dataclass
class Version:
    """One version of one township: its document, its valid projects in document order, and what could not be read."""

    folder: str
    document: Document | None = None
    projects: list[Project] = field(default_factory=list)
    unreadable: list[Problem] = field(default_factory=list)  # problems of form of the files left out, named as the user knows them
    broken: set[str] = field(default_factory=set)  # those files, by their path in the township folder
    root: Path | None = None  # the township folder read

    @property
    def title(self) -> str:
        return self.document.title if self.document else self.folder

    @property
    def unit(self) -> str:
        return self.document.unit if self.document else ""

    @property
    def year(self) -> int | None:
        return self.document.year if self.document else None

    @property
    def total(self) -> Decimal:
        return sum((p.budget.value for p in self.projects), Decimal(0))

    def relative(self, path: Path) -> str:
        """A file of this township by its path in the township folder: how two versions name the same file."""
        if self.root is not None:
            with contextlib.suppress(ValueError, OSError):
                return path.resolve().relative_to(self.root.resolve()).as_posix()
        return path.as_posix()


Relabel = Callable[[list[Problem]], list[Problem]]


def read_versions(projects: Path, relabel: Relabel | None = None) -> list[Version]:
    """Every township under ``projects``; ``relabel`` names the files of problems as the user knows them."""
    versions: list[Version] = []
    if not projects.is_dir():
        return versions
    folders, _ = find_townships([projects])
    for folder in folders:
        checked = check_township(folder)
        township = checked.township
        version = Version(folder.name, township.document, list(township.projects), root=folder)
        version.broken = {version.relative(Path.cwd() / file) for file in checked.broken}
        version.unreadable = relabel(checked.blocking) if relabel else checked.blocking
        versions.append(version)
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
    except PerfgenError:
        raise PerfgenError(
            f"git 中没有版本“{revision}”：请检查拼写（例如 main、HEAD~1、origin/main），远程分支请先 git fetch。"
        ) from None


def _files_at(commit: str, prefix: str | list[str], top: Path) -> dict[str, bytes]:
    """Every file under ``prefix`` (one path or several) at ``commit``: path -> content, read in one
    ``git cat-file --batch``."""
    listed = _git(["ls-tree", "-r", "-z", "--full-tree", commit, "--", *([prefix] if isinstance(prefix, str) else prefix)], top)
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
    for path, _ in blobs:
        header_end = out.index(b"\n", position)
        size = int(out[position:header_end].split()[2])
        files[path] = out[header_end + 1 : header_end + 1 + size]
        position = header_end + 1 + size + 1  # the content is followed by a newline
    return files


@dataclass
class Snapshot:
    """Paths as they were at a git revision, copied into a temporary folder, and how to name them to the user."""

    revision: str
    top: Path  # the repository's working tree
    work: Path  # the temporary folder: work/<path in the repository>
    paths: tuple[Path, ...] = ()  # the paths copied
    found: bool = False  # whether any file was there at the revision
    empty: bool = False  # HEAD of a repository without commits
    commit: str = ""  # the revision's commit ("" when empty)
    renamed: dict[Path, Path] = field(default_factory=dict)  # a township folder now -> its folder at the revision

    def path(self, path: Path) -> Path:
        """Where ``path`` of the working tree is in the copy."""
        return self.work / os.path.relpath(path.resolve(), self.top.resolve())

    def _in_repository(self, path: Path) -> str:
        return Path(os.path.relpath(path.resolve(), self.top.resolve())).as_posix()

    def copy(self, files: dict[str, bytes], prefix: str = "", to: Path | None = None) -> None:
        """Write ``files`` (paths in the repository) into the copy; with ``to``, those under ``prefix`` go there instead."""
        work = self.work.resolve()
        for name, content in files.items():
            target = self.work.joinpath(*name.split("/")) if to is None else to.joinpath(*name[len(prefix) + 1 :].split("/"))
            if work not in target.resolve().parents:  # a hostile tree name never escapes the folder
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            self.found = True

    def follow_renames(self, missing: list[Path]) -> dict[Path, Path]:
        """Of township folders that are not at the revision, those that were there under another name beside
        them, paired as ``perfgen diff`` pairs townships (review/diff.py: unit code and year, then unit code,
        then the folder's name without its year); each is copied to where it is now, so that it reads as
        the same township. Returns (and keeps in ``renamed``) each folder now -> its folder at the revision.

        Only the 文档.yaml of the townships that were beside them and are gone now is read to pair them.
        """
        if self.empty or not missing:
            return {}
        from perfgen.load.township import DOCUMENT_FILE, is_township
        from perfgen.review.diff import match_townships
        from perfgen.validate.township import check_document

        parents = sorted({self._in_repository(folder.parent) for folder in missing})
        listed = _git(["ls-tree", "-r", "-z", "--name-only", "--full-tree", self.commit, "--", *parents], self.top)
        gone: list[str] = []  # township folders at the revision, beside a missing one, not there now
        for name in sorted(set(filter(None, listed.decode("utf-8", "surrogateescape").split("\0")))):
            folder, _, file = name.rpartition("/")
            parent = folder.rpartition("/")[0] if "/" in folder else "."
            if file == DOCUMENT_FILE and parent in parents and not is_township(self.top / folder):
                gone.append(folder)
        if not gone:
            return {}
        documents = tempfile.mkdtemp(prefix=".documents-", dir=self.work)
        for name, content in _files_at(self.commit, [f"{folder}/{DOCUMENT_FILE}" for folder in gone], self.top).items():
            target = Path(documents).joinpath(*name.split("/"))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        before = [Version(Path(f).name, check_document(Path(documents).joinpath(*f.split("/"))), root=self.top / f) for f in gone]
        after = [Version(folder.name, check_document(folder), root=folder) for folder in missing]
        shutil.rmtree(documents, ignore_errors=True)
        pairs, _, _ = match_townships(before, after)
        for old, new in pairs:
            assert old.root is not None and new.root is not None
            prefix = self._in_repository(old.root)
            self.copy(_files_at(self.commit, prefix, self.top), prefix, self.path(new.root))
            self.renamed[new.root] = old.root
        return {new: old for new, old in self.renamed.items() if new in missing}

    def relabel(self, problems: list[Problem]) -> list[Problem]:
        """The problems with the copy's paths (files and messages) named as the user names them, marked with the revision."""
        pairs = sorted(((display_path(self.path(p)), display_path(p)) for p in self.paths), key=lambda pair: -len(pair[0]))

        def named(text: str, mark: str = "") -> str:
            for copy, real in pairs:
                if copy in text:
                    return text.replace(copy, real) + mark
            return text

        return [replace(p, file=named(p.file, f"（{self.revision}）"), message=named(p.message)) for p in problems]


def _unborn(top: Path) -> bool:
    """Whether the repository has no commit yet (a first commit's pre-commit hook)."""
    try:
        _git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], top)
    except PerfgenError:
        return not _git(["for-each-ref", "--count=1"], top).strip()
    return False


@contextlib.contextmanager
def at_revision(revision: str, *paths: Path) -> Iterator[Snapshot]:
    """``paths`` (folders of the working tree) as they are at ``revision``, in a temporary folder.

    The files are read with ``git ls-tree`` and ``git cat-file``, which every supported
    Python and git can do (no archive extraction, whose safe mode needs Python 3.12).
    HEAD of a repository without commits is empty.
    """
    start = next((p for p in paths if p.is_dir()), Path.cwd())
    try:
        top = Path(_git(["rev-parse", "--show-toplevel"], start).decode().strip())
    except PerfgenError:
        raise PerfgenError(
            "这里不在 git 仓库中：与 git 版本比较（perfgen diff 版本、perfgen validate --since 版本）请在源文件仓库中运行；"
            "也可以直接比较两个文件夹（perfgen diff 旧文件夹 新文件夹）"
        ) from None
    empty = revision == "HEAD" and _unborn(top)
    commit = "" if empty else _commit(revision, top)
    work = Path(tempfile.mkdtemp(prefix="perfgen-diff-"))
    snapshot = Snapshot(revision, top, work, paths, empty=empty, commit=commit)
    try:
        for path in paths:
            if not empty:
                snapshot.copy(_files_at(commit, snapshot._in_repository(path), top))
        yield snapshot
    finally:
        shutil.rmtree(work, ignore_errors=True)


def read_side(spec: str | None, projects: Path) -> list[Version] | None:
    """The townships of one side of ``perfgen diff``: the working tree (None), a folder, or ``projects`` at a git revision.

    None when the revision has no ``projects`` folder (the caller decides whether the other side has one);
    a ``projects`` folder missing from the working tree raises PerfgenError.
    """
    if spec is None:
        if not projects.is_dir():
            raise PerfgenError(f"文件夹 {display_path(projects)} 不存在：请检查 --projects（源文件所在的文件夹，默认 projects）")
        return read_versions(projects)
    if Path(spec).is_dir():
        return read_versions(Path(spec))
    with at_revision(spec, projects) as snapshot:
        if not snapshot.found and not snapshot.empty:
            return None
        return read_versions(snapshot.path(projects), snapshot.relabel)


def read_sides(old: str | None, new: str | None, projects: Path) -> tuple[list[Version], list[Version]]:
    """Both sides of ``perfgen diff``; a ``projects`` folder that neither has raises PerfgenError."""
    after = read_side(new, projects)
    before = read_side(old, projects)
    if before is None and after is None:
        named = " 和 ".join(spec for spec in (old, new) if spec)
        raise PerfgenError(f"版本 {named} 中都没有文件夹 {display_path(projects)}：请检查 --projects（源文件所在的文件夹，默认 projects）")
    return before or [], after or []
