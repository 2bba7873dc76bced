"""The sources as they are at a git revision, or in a folder, read for comparison."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from perfgen.errors import PerfgenError
from perfgen.load.township import is_township, load_township
from perfgen.validate.schema import check


@dataclass
class Version:
    """One version of one township: its 文档.yaml data and its projects by 项目编码."""

    folder: str
    document: dict[str, Any] = field(default_factory=dict)
    projects: dict[str, dict[str, Any]] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)  # files with problems of form, not compared

    @property
    def key(self) -> tuple[str, ...]:
        """Townships match across versions by unit code and year, whatever their folder is called."""
        if self.document:
            return (str(self.document["单位编码"]), str(self.document["年度"]))
        return (self.folder,)

    @property
    def title(self) -> str:
        if self.document:
            return f"{self.document['单位名称']} {self.document['年度']}年"
        return self.folder


def read_versions(projects: Path) -> dict[tuple[str, ...], Version]:
    """Every township under ``projects``, keyed by Version.key."""
    versions: dict[tuple[str, ...], Version] = {}
    if not projects.is_dir():
        return versions
    for folder in sorted(p for p in projects.iterdir() if is_township(p)):
        township, problems = load_township(folder)
        version = Version(folder.name)
        broken = {p.file for p in problems if p.is_error}
        document = township.document
        if document is not None and document.display not in broken and not list(check(document, "document")):
            version.document = document.data
        elif document is not None:
            version.unreadable.append(document.display)
        for project in township.projects:
            if project.display in broken or list(check(project, "project")):
                version.unreadable.append(project.display)
            else:
                version.projects[project.data["项目编码"]] = project.data
        versions[version.key] = version
    return versions


def _git(args: list[str], cwd: Path) -> bytes:
    try:
        completed = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=120)
    except FileNotFoundError as exc:
        raise PerfgenError("比较 git 版本需要 git：请安装 git，或直接比较两个文件夹") from exc
    if completed.returncode != 0:
        message = completed.stderr.decode("utf-8", "replace").strip()
        raise PerfgenError(f"git {' '.join(args[:2])} 失败：{message}")
    return completed.stdout


@contextlib.contextmanager
def at_revision(revision: str, projects: Path) -> Iterator[Path]:
    """A temporary folder holding ``projects`` as it is at ``revision``."""
    top = Path(_git(["rev-parse", "--show-toplevel"], projects if projects.is_dir() else Path.cwd()).decode().strip())
    _git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], top)
    prefix = Path(os.path.relpath(projects.resolve(), top.resolve())).as_posix()
    work = Path(tempfile.mkdtemp(prefix="perfgen-diff-"))
    try:
        listed = _git(["ls-tree", "--name-only", revision, "--", prefix], top)
        if listed.strip():
            archive = _git(["archive", "--format=tar", revision, "--", prefix], top)
            with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
                tar.extractall(work, filter="data")
        yield work / prefix
    finally:
        shutil.rmtree(work, ignore_errors=True)
