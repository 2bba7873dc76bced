"""Problems found in the sources, as values, and their reports (text and JSON).

Checking collects problems; reporting turns them into text for a clerk or
JSON for machines. Neither raises for bad input.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass

ERROR = "错误"
WARNING = "警告"


@dataclass(frozen=True)
class Problem:
    """One problem at a place in a source file (line and column start at 1)."""

    file: str
    line: int
    column: int
    severity: str
    rule: str
    message: str
    township: str = ""
    project: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def text(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.severity} [{self.rule}] {self.message}"


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.is_error for p in problems)


def sort_key(problem: Problem) -> tuple[str, int, int, str]:
    return (problem.file, problem.line, problem.column, problem.rule)


def format_text(problems: Iterable[Problem]) -> str:
    return "\n".join(p.text() for p in sorted(problems, key=sort_key))


def format_json(problems: Iterable[Problem]) -> str:
    return json.dumps([asdict(p) for p in sorted(problems, key=sort_key)], ensure_ascii=False, indent=2)


def summary(problems: Iterable[Problem], files: int) -> str:
    problems = list(problems)
    errors = sum(p.is_error for p in problems)
    return f"共检查 {files} 个文件：{errors} 个错误，{len(problems) - errors} 个警告。"
