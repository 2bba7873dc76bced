"""``perfgen validate`` as a library function: every problem of every township named.

``validate`` checks townships as they are; ``validate_since`` keeps only the problems a change
brought: those present now and absent at a git revision.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from perfgen.errors import PerfgenError
from perfgen.load.township import find_townships, is_township
from perfgen.parallel import ordered_map
from perfgen.problems import Problem
from perfgen.state import code_digest
from perfgen.validate import memo
from perfgen.validate.across import SHARED, codes_across

# the checks of form that stop a township (load/, validate/schema.py): selectable by --rule like the domain rules
FORM_RULES = (
    "file-read", "file-size", "path-outside", "project-list", "schema", "text-control-char", "yaml-alias",
    "yaml-depth", "yaml-duplicate-key", "yaml-empty", "yaml-encoding", "yaml-syntax", "yaml-tab", "yaml-tag",
    "yaml-top-level",
)

Codes = list[tuple[Any, ...]]


@dataclass
class Report:
    townships: int = 0
    files: int = 0
    problems: list[Problem] = field(default_factory=list)
    known: int = 0  # validate_since: problems already there at the revision, not in ``problems``
    renamed: list[tuple[Path, Path]] = field(default_factory=list)  # validate_since: (folder then, folder now)


def validate_folder(folder: Path) -> tuple[int, list[Problem], Codes]:
    """Files read, problems and project codes of one township; an unchanged township's are kept from its last check."""
    state = memo.township_state(folder)
    kept = memo.recall(folder, state)
    if kept is not None and kept.codes is not None:
        return kept.files, kept.problems, kept.codes
    checked = _check(folder)
    memo.keep(folder, state, checked.files_read, checked.problems, codes=checked.codes)
    return checked.files_read, checked.problems, checked.codes


def check_folder(folder: Path) -> tuple[int, list[Problem], Codes]:
    """As validate_folder, without the per-user cache: for the passing copies of a git revision."""
    checked = _check(folder)
    return checked.files_read, checked.problems, checked.codes


def _check(folder: Path) -> Any:
    # only on a miss: the YAML, schema and rules machinery is most of validate's start-up
    from perfgen.validate.township import check_township

    return check_township(folder)


def known_rules() -> set[str]:
    from perfgen.validate.rules import RULES

    return set(RULES) | set(FORM_RULES) | {SHARED}


def _selected(rules: Iterable[str] | None) -> set[str] | None:
    if not rules:
        return None
    chosen = set(rules)
    unknown = sorted(chosen - known_rules())
    if unknown:
        raise PerfgenError(
            f"没有规则 {'、'.join(unknown)}：规则编号见经办人指南（docs/clerk-guide.md）的规则表，"
            f"如{'、'.join(f'“{rule}”' for rule in sorted(known_rules())[:4])}；可以写多个 --rule"
        )
    return chosen


def validate(paths: list[Path], jobs: int | None = None, rules: Iterable[str] | None = None, remember: bool = True) -> Report:
    """Check the townships named by ``paths`` on ``jobs`` processes (default: all cores).

    ``rules`` keeps only the problems of those rule ids; ``remember`` uses the per-user cache of check
    results. A path that names no township raises PerfgenError. The report does not depend on ``jobs``.
    """
    chosen = _selected(rules)
    folders, missing = find_townships(paths)
    if missing:
        raise PerfgenError("\n".join(missing))
    report = Report(townships=len(folders))
    code_digest()  # once, before any worker process starts (they inherit it)
    codes = []
    for folder, (files, problems, found) in zip(folders, ordered_map(validate_folder if remember else check_folder, folders, jobs)):
        report.files += files
        report.problems += problems
        codes.append((folder.name, found))
    report.problems += codes_across(codes)
    if chosen is not None:
        report.problems = [p for p in report.problems if p.rule in chosen]
    return report


_LINE = re.compile(r"第 ?\d+ ?行")


def identity(problem: Problem) -> tuple[str, str, str, str]:
    """What makes a problem the same one at another revision: township, project, rule and message, not its line."""
    return (problem.township, problem.project, problem.rule, _LINE.sub("第…行", problem.message))


def brought(now: list[Problem], before: list[Problem]) -> list[Problem]:
    """The problems of ``now`` that ``before`` did not have (each one of ``before`` matches one of ``now``)."""
    left = Counter(identity(p) for p in before)
    new = []
    for problem in now:
        key = identity(problem)
        if left[key]:
            left[key] -= 1
        else:
            new.append(problem)
    return new


def validate_since(paths: list[Path], revision: str, jobs: int | None = None, rules: Iterable[str] | None = None) -> Report:
    """The problems present now and absent at ``revision``; Report.known counts those already there."""
    from perfgen.review.versions import at_revision

    report = validate(paths, jobs, rules)
    folders, _ = find_townships(paths)
    with at_revision(revision, *folders) as snapshot:
        # a folder renamed since (paired as perfgen diff pairs townships) is compared with its old self
        renamed = snapshot.follow_renames([folder for folder in folders if not is_township(snapshot.path(folder))])
        then = [snapshot.path(folder) for folder in folders]
        present = [folder for folder in then if is_township(folder)]
        before = validate(present, jobs, rules, remember=False).problems if present else []
    new = brought(report.problems, snapshot.relabel(before))
    report.known = len(report.problems) - len(new)
    report.problems = new
    report.renamed = [(old, now) for now, old in renamed.items()]
    return report
