"""Domain rules: what a county reviewer checks in a 绩效目标表, each with a stable id.

A rule looks at one project (or, for township rules, at all projects of a
township) that passed the schema, and yields findings: the path of the
offending value and a Chinese message. ``check_township`` turns findings
into Problems placed at that value's line and column.

The rules register themselves in RULES when their modules are imported below;
README.md has a table of them (a test keeps it in step).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from perfgen.load.yamlfile import Path_, YamlFile
from perfgen.problems import Problem
from perfgen.validate.rules.table import Row, rows


@dataclass
class ProjectCheck:
    """A schema-valid project file with what rules need from its township."""

    file: YamlFile
    year: int | None  # 年度 of 文档.yaml, when that file is valid
    unit: str | None  # 金额单位 of 文档.yaml

    @property
    def data(self) -> dict[str, Any]:
        return self.file.data

    @cached_property
    def rows(self) -> list[Row]:
        """The indicator table as rows, computed once for all rules."""
        return list(rows(self.data))


Finding = tuple[Path_, str]
ProjectRule = Callable[[ProjectCheck], Iterable[Finding]]
TownshipRule = Callable[[list[ProjectCheck]], Iterable[tuple[ProjectCheck, Path_, str]]]
DocumentRule = Callable[[YamlFile], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    summary: str  # what it checks, for README and --help
    project: ProjectRule | None = None
    township: TownshipRule | None = None
    document: DocumentRule | None = None


RULES: dict[str, Rule] = {}


def register(rule_: Rule) -> None:
    RULES[rule_.id] = rule_


def rule(id: str, severity: str, summary: str, scope: str = "project") -> Callable[[Callable], Callable]:
    """Register the decorated function as the one check of rule ``id``."""

    def decorate(check: Callable) -> Callable:
        register(Rule(id, severity, summary, **{scope: check}))
        return check

    return decorate


def is_rule(problem: Problem) -> bool:
    """Whether a problem comes from a domain rule (the others are about form and stop a build)."""
    return problem.rule in RULES


def _problem(file: YamlFile, path: Path_, rule_: Rule, message: str, *, key: bool = False) -> Problem:
    line, column = file.position(path, key=key)
    return Problem(file.display, line, column, rule_.severity, rule_.id, message)


# a finding whose path ends with this marker is placed at the key, not the value
KEY = "<key>"


def _place(file: YamlFile, path: Path_, rule_: Rule, message: str) -> Problem:
    if path and path[-1] == KEY:
        return _problem(file, path[:-1], rule_, message, key=True)
    return _problem(file, path, rule_, message)


def check_rules(document: YamlFile | None, projects: list[ProjectCheck]) -> Iterator[Problem]:
    """Every rule over a township's schema-valid files."""
    for rule_ in RULES.values():
        if rule_.document and document is not None:
            for path, message in rule_.document(document):
                yield _place(document, path, rule_, message)
        if rule_.project:
            for project in projects:
                for path, message in rule_.project(project):
                    yield _place(project.file, path, rule_, message)
        if rule_.township:
            for project, path, message in rule_.township(projects):
                yield _place(project.file, path, rule_, message)


# importing the modules registers their rules, in the order README lists them
from perfgen.validate.rules import budget, indicators, codes, values, text  # noqa: E402,F401
