"""``perfgen validate`` as a library function: every problem of every township named."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from perfgen.errors import PerfgenError
from perfgen.load.township import find_townships
from perfgen.parallel import ordered_map
from perfgen.problems import Problem
from perfgen.validate import memo


@dataclass
class Report:
    townships: int = 0
    files: int = 0
    problems: list[Problem] = field(default_factory=list)


def validate_folder(folder: Path) -> tuple[int, list[Problem]]:
    """Files read and problems of one township; those of an unchanged township are kept from its last check."""
    state = memo.township_state(folder)
    kept = memo.recall(folder, state)
    if kept is not None:
        return kept.files, kept.problems
    # only on a miss: the YAML, schema and rules machinery is most of validate's start-up
    from perfgen.validate.township import check_township

    checked = check_township(folder)
    memo.keep(folder, state, checked.files_read, checked.problems)
    return checked.files_read, checked.problems


def validate(paths: list[Path], jobs: int | None = None) -> Report:
    """Check the townships named by ``paths`` on ``jobs`` processes (default: all cores).

    A path that names no township raises PerfgenError. The report does not depend on ``jobs``.
    """
    folders, missing = find_townships(paths)
    if missing:
        raise PerfgenError("\n".join(missing))
    report = Report(townships=len(folders))
    memo.code_digest()  # once, before any worker process starts (they inherit it)
    for files, problems in ordered_map(validate_folder, folders, jobs):
        report.files += files
        report.problems += problems
    return report
