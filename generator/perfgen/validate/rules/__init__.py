"""Domain rules: what a county reviewer checks in a 绩效目标表, each with a stable id.

A rule reads the township's model (perfgen.model): one project, all projects
of a township, or the document, and yields Findings: a Place in a source file
and a Chinese message. ``check_rules`` turns them into Problems at that place's
line and column. Rules see only files that passed the schema.

The rules register themselves in RULES when their modules are imported below;
docs/clerk-guide.md has a table of them (a test keeps it in step).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from perfgen.model import Document, Place, Project, Township
from perfgen.problems import Problem, Severity


@dataclass(frozen=True)
class Finding:
    place: Place
    message: str


ProjectRule = Callable[[Project], Iterable[Finding]]
TownshipRule = Callable[[list[Project]], Iterable[Finding]]
DocumentRule = Callable[[Document], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    summary: str  # what it checks, for the clerk guide and --help
    project: ProjectRule | None = None
    township: TownshipRule | None = None
    document: DocumentRule | None = None


RULES: dict[str, Rule] = {}


def register(rule_: Rule) -> None:
    RULES[rule_.id] = rule_


_Check = TypeVar("_Check", bound=Callable[..., Iterable[Finding]])


def rule(id: str, severity: Severity, summary: str, scope: str = "project") -> Callable[[_Check], _Check]:
    """Register the decorated function as the one check of rule ``id``."""

    def decorate(check: _Check) -> _Check:
        register(Rule(id, severity, summary, **{scope: check}))
        return check

    return decorate


def _problem(rule_: Rule, finding: Finding) -> Problem:
    line, column = finding.place.position()
    return Problem(finding.place.file.display, line, column, rule_.severity, rule_.id, finding.message)


def check_rules(township: Township) -> Iterator[Problem]:
    """Every rule over a township's schema-valid files."""
    for rule_ in RULES.values():
        findings: list[Iterable[Finding]] = []
        if rule_.document and township.document is not None:
            findings.append(rule_.document(township.document))
        if rule_.project:
            findings += [rule_.project(project) for project in township.projects]
        if rule_.township:
            findings.append(rule_.township(township.projects))
        for found in findings:
            for finding in found:
                yield _problem(rule_, finding)


# importing the modules registers their rules, in the order the clerk guide lists them
from perfgen.validate.rules import budget, indicators, codes, values, content, text, numbering, review  # noqa: E402,F401
