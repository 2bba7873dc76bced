"""Problems found in the sources, as values, and their reports (text and JSON).

Checking collects problems; reporting turns them into text for a clerk or
JSON for machines. Neither raises for bad input.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum


class Severity(Enum):
    """How serious a problem is: a stable code for machines and a label for people."""

    ERROR = ("error", "错误")
    WARNING = ("warning", "警告")

    def __init__(self, code: str, label: str) -> None:
        self.code = code
        self.label = label


ERROR = Severity.ERROR
WARNING = Severity.WARNING


@dataclass(frozen=True)
class Problem:
    """One problem at a place in a source file (line and column start at 1).

    ``blocking`` problems (of form: syntax, schema, files) stop a township's
    build; the domain rules' findings do not, unless the build is --strict.
    """

    file: str
    line: int
    column: int
    severity: Severity
    rule: str
    message: str
    blocking: bool = False
    township: str = ""
    project: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def text(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.severity.label} [{self.rule}] {self.message}"

    def as_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity.code,
            "severity_label": self.severity.label,
            "blocking": self.blocking,
            "rule": self.rule,
            "message": self.message,
            "township": self.township,
            "project": self.project,
        }


def problem_from_json(data: dict[str, object]) -> Problem:
    """The Problem that ``Problem.as_json`` wrote."""
    severity = Severity.ERROR if data["severity"] == Severity.ERROR.code else Severity.WARNING
    return Problem(
        str(data["file"]), int(data["line"]), int(data["column"]), severity, str(data["rule"]),  # type: ignore[call-overload]
        str(data["message"]), bool(data["blocking"]), str(data["township"]), str(data["project"]),
    )


def form_problem(file: str, line: int, column: int, rule: str, message: str) -> Problem:
    """An error of form: the file cannot be used as it is, so its township is not built."""
    return Problem(file, line, column, Severity.ERROR, rule, message, blocking=True)


def stamped(problems: Iterable[Problem], township: str, projects: dict[str, str]) -> list[Problem]:
    """The problems with their township, and the project of their file where it is known."""
    # built directly: dataclasses.replace costs several times as much, for every problem of every file
    return [
        Problem(p.file, p.line, p.column, p.severity, p.rule, p.message, p.blocking, township, projects.get(p.file, ""))
        for p in problems
    ]


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.is_error for p in problems)


def sort_key(problem: Problem) -> tuple[str, int, int, str]:
    return (problem.file, problem.line, problem.column, problem.rule)


def format_text(problems: Iterable[Problem]) -> str:
    return "\n".join(p.text() for p in sorted(problems, key=sort_key))


def format_json(problems: Iterable[Problem]) -> str:
    import json  # only the JSON report needs it: not loaded for --help or a text report

    return json.dumps([p.as_json() for p in sorted(problems, key=sort_key)], ensure_ascii=False, indent=2)


def _escape(text: str, is_property: bool = False) -> str:
    """Escape a value of a workflow command (GitHub Actions, Gitea Actions)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if is_property else text


def format_github(problems: Iterable[Problem]) -> str:
    """One ``::error``/``::warning`` workflow command per problem: CI shows each on its line of the pull request."""
    lines = []
    for p in sorted(problems, key=sort_key):
        command = "error" if p.is_error else "warning"
        place = f"file={_escape(p.file, True)},line={p.line},col={p.column},title={_escape(f'perfgen [{p.rule}]', True)}"
        lines.append(f"::{command} {place}::{_escape(p.message)}")
    return "\n".join(lines)


def counts(problems: Iterable[Problem]) -> tuple[int, int]:
    """Errors and warnings."""
    problems = list(problems)
    errors = sum(p.is_error for p in problems)
    return errors, len(problems) - errors


def summary(problems: Iterable[Problem], files: int) -> str:
    errors, warnings = counts(problems)
    return f"共检查 {files} 个文件：{errors} 个错误，{warnings} 个警告。"
