"""One township as the preview keeps it: checked again on each change, with the work of unchanged files kept.

A check reads every source file of the township; a file whose size, time and inode have not changed
since the last check is not parsed again (``KeptReads``). The model of every file is kept from its last
good state: a file that cannot be read now (the editor is still saving it, or a typing mistake) is shown
as it was, greyed, with its problems on top, instead of disappearing from the page.

Each state is a ``Snapshot`` that is never changed once made: the HTTP threads read the current one while
the next is being made.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from perfgen.html import render_township_body, render_township_html
from perfgen.load.township import DOCUMENT_FILE, is_township
from perfgen.load.yamlfile import YamlFile, read_yaml
from perfgen.model import Document, Project, Township
from perfgen.paths import display_path
from perfgen.problems import Problem, form_problem
from perfgen.validate.township import check_township


def _signature(path: Path) -> tuple[int, int, int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)


class KeptReads:
    """``read_yaml`` that keeps each file's result until the file changes; only the files of the last check are kept."""

    def __init__(self) -> None:
        self._kept: dict[Path, tuple[tuple[int, int, int, int], YamlFile | None, list[Problem]]] = {}
        self._used: set[Path] = set()
        self.parsed = 0  # files parsed, for the tests and the benchmark

    def __call__(self, path: Path, display: str) -> tuple[YamlFile | None, list[Problem]]:
        self._used.add(path)
        signature = _signature(path)
        kept = self._kept.get(path)
        if signature is not None and kept is not None and kept[0] == signature:
            return kept[1], list(kept[2])  # a copy: loading adds to the list it gets
        file, problems = read_yaml(path, display)
        self.parsed += 1
        if signature is not None and signature == _signature(path):  # not changed while it was read
            self._kept[path] = (signature, file, list(problems))
        return file, problems

    def forget_unused(self) -> None:
        """Drop the files the last check did not read (deleted, renamed, taken off the list)."""
        for path in set(self._kept) - self._used:
            del self._kept[path]
        self._used = set()


@dataclass(frozen=True)
class Snapshot:
    """A township's page at one version: what was shown and the model and problems it was made from."""

    version: int
    township: Township
    problems: tuple[Problem, ...]
    stale: frozenset[str]  # files shown from their last good model
    body: str  # the inside of the page's #pg-root, rendered once per version

    @property
    def errors(self) -> int:
        return sum(p.is_error for p in self.problems)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors


@dataclass
class LastGood:
    """The last model of each file that could be read."""

    document: Document | None = None
    projects: dict[str, Project] = field(default_factory=dict)  # file as problems name it -> model


class LiveTownship:
    """A township under preview: ``refresh`` after its files change; ``current`` is the latest snapshot."""

    def __init__(self, folder: Path, number: int) -> None:
        self.folder = folder
        self.number = number  # its address: /t/<number>/, so that no request names a path
        self.reads = KeptReads()
        self.last_good = LastGood()
        self.changed = threading.Condition()
        self._lock = threading.Lock()  # one check at a time; readers never wait for it
        self.current: Snapshot = self._check(0)

    @property
    def name(self) -> str:
        return self.folder.name

    def refresh(self) -> Snapshot:
        """Check and render the township again; wake whoever waits for a new version."""
        with self._lock:
            snapshot = self._check(self.current.version + 1)
            self.current = snapshot
        with self.changed:
            self.changed.notify_all()
        return snapshot

    def _check(self, version: int) -> Snapshot:
        if not is_township(self.folder):
            shown = display_path(self.folder / DOCUMENT_FILE)
            problem = form_problem(shown, 1, 1, "file-read", f"单位文件夹中没有 {DOCUMENT_FILE}：它被删除或改名了？请恢复它")
            township, problems, stale = Township(self.folder, self.last_good.document), [problem], frozenset[str]()
        else:
            checked = check_township(self.folder, self.reads)
            self.reads.forget_unused()
            township, stale = self._with_last_good(checked.township, checked.broken)
            problems = checked.problems
        body = render_township_body(township, problems, stale=stale, editor_links=True)
        return Snapshot(version, township, tuple(problems), stale, body)

    def _with_last_good(self, township: Township, broken: set[str]) -> tuple[Township, frozenset[str]]:
        """The model with each broken file's last good model in its place; the last good models updated."""
        good = self.last_good
        stale: set[str] = set()
        document = township.document
        if document is not None:
            good.document = document
        elif good.document is not None and good.document.file.display in broken:
            document = good.document
            stale.add(document.file.display)
        projects = list(township.projects)
        present = {project.file.display for project in projects}
        for project in projects:
            good.projects[project.file.display] = project
        for display in sorted(broken - present):
            if display in good.projects:
                projects.append(good.projects[display])
                stale.add(display)
        # a file that is gone is not kept: the page then shows it as missing
        for display in [d for d, p in good.projects.items() if d not in present and not p.file.path.exists()]:
            del good.projects[display]
        return Township(township.folder, document, projects), frozenset(stale)

    def page(self, **options: object) -> str:
        """The whole page of the current snapshot."""
        snapshot = self.current
        return render_township_html(
            snapshot.township, snapshot.problems, stale=snapshot.stale, editor_links=True, **options  # type: ignore[arg-type]
        )

    def wait(self, version: int, timeout: float) -> int:
        """The current version, once it differs from ``version`` or after ``timeout`` seconds."""
        with self.changed:
            self.changed.wait_for(lambda: self.current.version != version, timeout)
        return self.current.version
