"""Every message of every case folder is Chinese: no English word outside paths, rule ids and the user's own text."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CASES, PROJECTS
from english import english_words
from perfgen.validate.township import check_township

FOLDERS = sorted(p for kind in ("valid", "invalid") for p in (CASES / kind).iterdir() if p.is_dir())
FOLDERS += sorted(p for p in PROJECTS.iterdir() if p.is_dir())  # and the samples' warnings


@pytest.mark.parametrize("case", FOLDERS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_english_in_the_messages(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(case.parent)
    problems = check_township(Path(case.name)).problems
    # the rule id stands in brackets beside the message, not in it; the file and line before it
    assert {p.message: english_words(p.message) for p in problems if english_words(p.message)} == {}


def test_the_check_finds_english() -> None:
    assert english_words("YAML 格式错误（mapping values are not allowed here）") == ["mapping", "values", "are", "not", "allowed", "here"]
    assert english_words("文件“a/b.yaml”第 3 行：请加英文单引号，写成 指标值: '>90%'") == []
