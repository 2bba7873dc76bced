"""Stage 1 of a build: which townships to build, and which to skip because nothing they are made of changed.

A township is skipped when its digest (its files, the template, the font
aliases, the options that change documents, and perfgen's code: any edit to
any of its files) is the one its last good build recorded, and its outputs are
still the ones that build wrote.
A skipped township shows what its last build wrote (projects, total, whether
its TOC was numbered) and the problems a check of its sources finds: these are
not part of the record (perfgen/state.py) but come from the check cache, or a
check again (render.py: ``recheck``).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from perfgen.build.result import Options
from perfgen.build.write import Outputs
from perfgen.resources import font_config
from perfgen.state import Built, Store, code_digest


@dataclass(frozen=True)
class Record:
    """What the last good build of a township wrote."""

    digest: str
    projects: int
    total: str
    paginated: bool


@dataclass(frozen=True)
class Planned:
    """A township of the build: where its outputs go, and its last build's record when it is skipped."""

    folder: Path
    digest: str
    outputs: Outputs
    skipped: Record | None = None

    @property
    def name(self) -> str:
        return self.folder.name


class Records:
    """The output folder's record of what was built from what (perfgen/state.py), as the build reads and writes it."""

    def __init__(self, store: Store, out_dir: Path) -> None:
        self.store = store
        self.out_dir = out_dir

    def fresh(self, planned: Planned) -> Record | None:
        """The record of ``planned`` when it was built from exactly this and its outputs are the ones built."""
        built = self.store.built(planned.name)
        if built is None or built.digest != planned.digest or not built.outputs:
            return None
        if any(output_digest(self.out_dir / output) != recorded for output, recorded in built.outputs.items()):
            return None
        return Record(built.digest, built.projects, built.total, built.paginated)

    def forget(self, townships: list[Planned]) -> None:
        """Forget (durably) what is about to be replaced, so that an interrupted build can never leave a
        document that the record vouches for but its sources no longer make."""
        self.store.forget([planned.name for planned in townships])

    def record(self, planned: Planned, record: Record) -> None:
        """Record a township once all its outputs are in place."""
        outputs = {
            name: output_digest(self.out_dir / name)
            for name in (path.relative_to(self.out_dir).as_posix() for path in planned.outputs.paths())
        }
        self.store.record(planned.name, Built(record.digest, outputs, record.projects, record.total, record.paginated))


def plan(folders: list[Path], records: Records, template: Path, options: Options, paginate: bool) -> list[Planned]:
    """Each township with its digest and outputs; skipped (with its record) when unchanged, unless ``--force``.

    ``paginate``: the TOC gets its page numbers (LibreOffice is there and this is no draft).
    """
    shared = fingerprint(template, [font_config()], {**options.fingerprinted(), "paginate": paginate})
    planned = []
    for folder in folders:
        outputs = Outputs.of(records.out_dir, folder.name, options.pdf, options.preview, options.dpi)
        township = Planned(folder, township_hash(folder, shared), outputs)
        kept = None if options.force else records.fresh(township)
        planned.append(Planned(township.folder, township.digest, township.outputs, kept) if kept else township)
    return planned


def _digest(parts: list[bytes]) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(len(part).to_bytes(8, "big"))
        hasher.update(part)
    return hasher.hexdigest()


def fingerprint(template: Path, extra: list[Path], options: dict[str, Any]) -> str:
    """What every township of a build shares: perfgen's code, the template, fonts, options."""
    parts = [code_digest().encode(), template.read_bytes(), json.dumps(options, sort_keys=True).encode()]
    parts += [path.read_bytes() for path in extra if path.is_file()]
    return _digest(parts)


def _content(path: Path, root: Path) -> bytes:
    """What a township's file contributes to its hash; what cannot be read differs from any content."""
    try:
        info = os.lstat(path)
        # only a link can lead out of the township: the walk enters no linked folder (resolving every path
        # was a quarter of the time a skipped township costs)
        if stat.S_ISLNK(info.st_mode):
            if not path.resolve().is_relative_to(root):  # never read: the build refuses it
                return b"\0outside"
            info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device is never opened
            return b"\0special"
        return path.read_bytes()
    except (OSError, RuntimeError) as exc:
        return b"\0unreadable " + str(exc.errno if isinstance(exc, OSError) else exc).encode()


def township_hash(folder: Path, shared: str) -> str:
    """The hash of everything in a township folder (symlinked folders are not entered)."""
    root = folder.resolve()
    files: list[Path] = []
    failed: list[str] = []
    for base, _, names in os.walk(folder, onerror=lambda exc: failed.append(str(exc.filename))):
        files += [Path(base) / name for name in names]
    parts = [shared.encode(), "\n".join(sorted(failed)).encode()]
    for path in sorted(files):
        parts += [path.relative_to(folder).as_posix().encode(), _content(path, root)]
    return _digest(parts)


def output_digest(path: Path) -> str | None:
    """The hash of an output file, or of a folder's files (previews); None when it is missing."""
    try:
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file())
            return _digest([part for p in files for part in (p.relative_to(path).as_posix().encode(), p.read_bytes())])
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
