"""A township's check results kept across runs, in the per-user cache (perfgen/cache.py).

Checking a township whose files have not changed gives the same problems
again: they are kept after a check and given back without loading, checking or
even importing the YAML and schema machinery. A build keeps the render context
beside them (plain values), so that ``build --force`` of an unchanged township
renders without loading and checking it again.

The entry of a township folder is found by the folder's path and the working
folder (messages name files relative to it), and trusted only when its state
equals the one recorded in it: a digest over

- every entry under the township folder, walked without following links: its
  relative path and kind, a regular file's bytes (or only its size when it is
  too large to be a source: the check then reads nothing of it), a link's
  target inside the township;
- the folder's path, its real path and the working folder;
- perfgen's version and code (perfgen/state.py: ``code_digest``), the schemas'
  bytes, and the Python and library versions the check runs on.

So an edit to any file, a new, removed or renamed file, a changed link or a new
perfgen makes it miss. A township holding what the check would treat specially
(a link out of the township or one that leads nowhere, a FIFO or device, a file
or folder that cannot be read) is never cached: it is simply checked each time.
The state is taken before the check, and the result kept only when no entry's
size, inode, modification or change time differs after it, so that a file
edited during the check cannot be kept under the wrong content; as git does for
its index, a township with an entry changed in the two seconds before is not
kept (a change within the same tick of the file system's clock would not show).
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from perfgen import cache
from perfgen.problems import Problem, Severity
from perfgen.state import code_digest

KIND = "checked"
FORMAT = 1  # of the entry's value; a change makes older entries miss
MAX_FILE_BYTES = 4 * 1024 * 1024  # as load.yamlfile: a larger file's content is never read by the check
# a file changed this shortly before its state was taken could change again within the same tick of the
# file system's clock, unseen by its times: such a township is checked, not kept, until it has settled
SETTLED_NS = 2_000_000_000


class _Unusual(Exception):
    """The township holds something the cache does not vouch for: check it every time."""


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


@dataclass(frozen=True)
class State:
    """What a check of a township would read: the digest of it, and the status of every entry it came from."""

    digest: str
    entries: tuple[tuple[Any, ...], ...]  # (path, mode, size, inode, modified, changed) of the folder and each entry
    settled: bool  # no entry was changed in the last seconds before: a later change cannot hide in the same tick


def township_state(folder: Path) -> State | None:
    """The state of ``folder`` for its check, or None when the folder is not cacheable."""
    try:
        return _walk(folder, read=True)
    except (_Unusual, OSError, RuntimeError, ValueError):
        return None


def _unchanged(folder: Path, state: State) -> bool:
    """Whether no entry of ``folder`` changed since ``state`` was taken (without reading the files again)."""
    try:
        return _walk(folder, read=False).entries == state.entries
    except (_Unusual, OSError, RuntimeError, ValueError):
        return False


def _walk(folder: Path, read: bool) -> State:
    started = time.time_ns()
    top = os.fspath(folder)
    root = os.path.realpath(top)
    digest = hashlib.sha256(f"{FORMAT}\0{code_digest()}\0{top}\0{root}\0{os.getcwd()}\0".encode())
    info = os.stat(top)
    entries = [("", info.st_mode, info.st_size, info.st_ino, info.st_mtime_ns, info.st_ctime_ns)]

    def refuse(error: OSError) -> None:
        raise _Unusual

    for base, folders, names in os.walk(top, onerror=refuse):
        folders.sort()
        for name in sorted(folders + names):
            path = os.path.join(base, name)
            relative = os.path.relpath(path, top)
            info = os.lstat(path)
            entries.append((relative, info.st_mode, info.st_size, info.st_ino, info.st_mtime_ns, info.st_ctime_ns))
            if not read:
                continue
            if stat.S_ISLNK(info.st_mode):
                target = os.path.realpath(path)
                if not _inside(target, root) or not os.path.exists(target):
                    raise _Unusual
                digest.update(f"L\0{relative}\0{os.path.relpath(target, root)}\0".encode())
            elif stat.S_ISDIR(info.st_mode):
                digest.update(f"D\0{relative}\0".encode())
            elif not stat.S_ISREG(info.st_mode):
                raise _Unusual
            elif info.st_size > MAX_FILE_BYTES:
                digest.update(f"B\0{relative}\0{info.st_size}\0".encode())
            else:
                with open(path, "rb") as stream:
                    data = stream.read(MAX_FILE_BYTES + 1)
                digest.update(f"F\0{relative}\0{len(data)}\0".encode())
                digest.update(data)
    recent = started - SETTLED_NS
    settled = all(entry[4] < recent and entry[5] < recent for entry in entries)
    return State(digest.hexdigest(), tuple(entries), settled)


def _name(folder: Path) -> str:
    """The entry of a township folder: one per folder and working folder, replaced when its files change."""
    try:
        where = os.getcwd()
    except OSError:
        where = ""
    return cache.key(KIND, os.fspath(folder), where)


def _problem_values(problems: list[Problem]) -> list[tuple[Any, ...]]:
    return [
        (p.file, p.line, p.column, p.severity.code, p.rule, p.message, p.blocking, p.township, p.project)
        for p in problems
    ]


def _problems(values: list[Any]) -> list[Problem]:
    by_code = {severity.code: severity for severity in Severity}
    return [
        Problem(file, line, column, by_code[severity], rule, message, blocking, township, project)
        for file, line, column, severity, rule, message, blocking, township, project in values
    ]


class Rendering(NamedTuple):
    """What a build needs of a checked township to render it without loading it again.

    Kept because it spares ``build --force`` of an unchanged township its loading and checking (most of
    the time of a small build, figure 1 of benchmarks/speed.py); the context is plain values (marshal).
    """

    context: dict[str, Any]  # the template's values (render/context.py)
    projects: int
    total: str  # the township's total budget, with its unit


@dataclass(frozen=True)
class Kept:
    """What an earlier check of a township found: files read, problems, (from a build) what rendering needs,
    and its project codes with their places (Checked.codes)."""

    files: int
    problems: list[Problem]
    rendering: Rendering | None
    codes: list[tuple[Any, ...]] | None = None


def recall(folder: Path, state: State | None) -> Kept | None:
    """The results kept for ``folder`` in ``state``, or None."""
    if state is None:
        return None
    entry = cache.load(KIND, _name(folder))
    try:
        if not isinstance(entry, dict) or entry.get("state") != state.digest:
            return None
        rendering = entry.get("rendering")
        kept = Rendering(dict(rendering[0]), int(rendering[1]), str(rendering[2])) if rendering is not None else None
        codes = entry.get("codes")
        return Kept(
            int(entry["files"]), _problems(entry["problems"]), kept,
            [tuple(code) for code in codes] if isinstance(codes, list) else None,
        )
    except (KeyError, IndexError, TypeError, ValueError):  # an entry of another shape: never trusted
        return None


def keep(
    folder: Path, state: State | None, files: int, problems: list[Problem], rendering: Rendering | None = None,
    codes: list[tuple[Any, ...]] | None = None,
) -> None:
    """Keep a check's results when the township is still in ``state`` (taken before the check)."""
    if state is None or not state.settled or not _unchanged(folder, state):
        return
    value = {
        "state": state.digest, "files": files, "problems": _problem_values(problems),
        "rendering": tuple(rendering) if rendering else None, "codes": codes,
    }
    try:
        cache.store(KIND, _name(folder), value)
    except ValueError:  # a value marshal cannot hold: nothing is kept
        pass
