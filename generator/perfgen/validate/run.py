"""``perfgen validate`` as a library function: every problem of every township named."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from perfgen.errors import PerfgenError
from perfgen.load.township import find_townships
from perfgen.parallel import ordered_map
from perfgen.problems import Problem
from perfgen.validate.township import check_township


@dataclass
class Report:
    townships: int = 0
    files: int = 0
    problems: list[Problem] = field(default_factory=list)


def validate_folder(folder: Path) -> tuple[int, list[Problem]]:
    """Files read and problems of one township."""
    checked = check_township(folder)
    return checked.files_read, checked.problems


def validate(paths: list[Path], jobs: int | None = None) -> Report:
    """Check the townships named by ``paths`` on ``jobs`` processes (default: all cores).

    A path that names no township raises PerfgenError. The report does not depend on ``jobs``.
    """
    folders, missing = find_townships(paths)
    if missing:
        raise PerfgenError("\n".join(missing))
    report = Report(townships=len(folders))
    for files, problems in ordered_map(validate_folder, folders, jobs):
        report.files += files
        report.problems += problems
    return report
