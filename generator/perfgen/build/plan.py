"""Stage 1 of a build: which townships to build, and which to skip because nothing they are made of changed.

A township is skipped when its digest (its files, the template, the font
aliases, the options that change documents, and perfgen's code) is the one its
last good build recorded, and its outputs are still the ones that build wrote.
A skipped township shows what its last build found: its problems, projects,
total and whether its TOC was numbered.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from perfgen.build.result import Options
from perfgen.build.write import Outputs
from perfgen.paths import display_path
from perfgen.problems import Problem, problem_from_json
from perfgen.resources import font_config
from perfgen.write.manifest import Manifest, fingerprint, township_hash


@dataclass(frozen=True)
class Record:
    """What the last good build of a township wrote, and what it found."""

    digest: str
    projects: int
    total: str
    paginated: bool
    problems: list[Problem]


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
    """The output folder's record of what was built from what (write/manifest.py)."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.manifest = Manifest.load(out_dir)

    def fresh(self, planned: Planned) -> Record | None:
        """The record of ``planned`` when it was built from exactly this and its outputs are the ones built."""
        entry = self.manifest.fresh(planned.name, planned.digest)
        if entry is None or "problems" not in entry:  # recorded by an older perfgen: its problems unknown
            return None
        problems = _restored(entry["problems"], planned.folder)
        return Record(planned.digest, entry["projects"], entry["total"], entry["paginated"], problems)

    def forget(self, townships: list[Planned]) -> None:
        """Forget (durably) what is about to be replaced, so that an interrupted build can never leave a
        document that the record vouches for but its sources no longer make."""
        stale = [planned.name for planned in townships if planned.name in self.manifest.townships]
        if stale:
            for name in stale:
                self.manifest.record(name, None)
            self.manifest.save()

    def record(self, planned: Planned, record: Record) -> None:
        """Record a township once all its outputs are in place."""
        names = [path.relative_to(self.out_dir).as_posix() for path in planned.outputs.paths()]
        entry = {"hash": record.digest, "outputs": self.manifest.outputs(names),
                 "projects": record.projects, "total": record.total, "paginated": record.paginated,
                 # a skipped township shows its problems again: they do not go away unfixed
                 "problems": _kept(record.problems, planned.folder)}
        self.manifest.record(planned.name, entry)
        self.manifest.save()


def plan(folders: list[Path], records: Records, template: Path, options: Options, paginate: bool) -> list[Planned]:
    """Each township with its digest and outputs; skipped (with its record) when unchanged, unless ``--force``.

    ``paginate``: the TOC gets its page numbers (LibreOffice is there and this is no draft).
    """
    shared = fingerprint(template, [font_config()], {**options.fingerprinted(), "paginate": paginate})
    planned = []
    for folder in folders:
        outputs = Outputs.of(records.out_dir, folder.name, options.pdf, options.preview)
        township = Planned(folder, township_hash(folder, shared), outputs)
        kept = None if options.force else records.fresh(township)
        planned.append(Planned(township.folder, township.digest, township.outputs, kept) if kept else township)
    return planned


def _kept(problems: list[Problem], folder: Path) -> list[dict[str, object]]:
    """A township's problems for its record, their files relative to the township folder."""
    kept = []
    relative: dict[str, str] = {}  # a township has many problems in few files: each resolved once ("": not inside)
    try:
        root: Path | None = folder.resolve()
    except (OSError, RuntimeError):
        root = None
    for problem in problems:
        data = problem.as_json()
        if root is not None and problem.file not in relative:
            try:
                relative[problem.file] = Path(problem.file).resolve().relative_to(root).as_posix()
            except (ValueError, OSError, RuntimeError):
                relative[problem.file] = ""
        if relative.get(problem.file):
            data["file"] = relative[problem.file]
        kept.append(data)
    return kept


def _restored(kept: list[dict[str, object]], folder: Path) -> list[Problem]:
    """The problems of a skipped township, as the last build found them, named as this build names files."""
    return [problem_from_json({**data, "file": display_path(folder / str(data["file"]))}) for data in kept]
