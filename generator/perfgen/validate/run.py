"""``perfgen validate`` as a library function: every problem of every township named."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from perfgen.errors import PerfgenError
from perfgen.load.township import find_townships, load_township
from perfgen.problems import Problem
from perfgen.validate.township import validate_township


@dataclass
class Report:
    townships: int = 0
    files: int = 0
    problems: list[Problem] = field(default_factory=list)


def validate(paths: list[Path]) -> Report:
    """Check the townships named by ``paths``; a path that names none raises PerfgenError."""
    folders, missing = find_townships(paths)
    if missing:
        raise PerfgenError("\n".join(missing))
    report = Report(townships=len(folders))
    for folder in folders:
        township, problems = load_township(folder)
        report.problems += problems + validate_township(township)
        report.files += township.files_read
    return report
