"""Data-driven cases: each folder under cases/valid|invalid is a township with expected.txt.

expected.txt holds the problems, one per line, as ``perfgen validate`` prints
them (paths relative to the case's parent folder); ``pytest --update-expected``
writes them anew for review with git diff. Valid cases have no errors
(a warning may be expected); invalid cases have at least one problem.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CASES, Expected
from perfgen.problems import format_text, has_errors
from perfgen.validate.township import check_township



def cases(kind: str) -> list[Path]:
    return sorted(p for p in (CASES / kind).iterdir() if p.is_dir())


def problems_of(case: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(case.parent)
    return check_township(Path(case.name)).problems


@pytest.mark.parametrize("case", cases("valid"), ids=lambda p: p.name)
def test_valid_case(case: Path, monkeypatch: pytest.MonkeyPatch, expected: Expected) -> None:
    problems = problems_of(case, monkeypatch)
    assert not has_errors(problems)
    expected(case / "expected.txt", format_text(problems), strip=True)


@pytest.mark.parametrize("case", cases("invalid"), ids=lambda p: p.name)
def test_invalid_case(case: Path, monkeypatch: pytest.MonkeyPatch, expected: Expected) -> None:
    problems = problems_of(case, monkeypatch)
    assert problems
    expected(case / "expected.txt", format_text(problems), strip=True)
