"""``perfgen fmt --fix`` on files as clerks type and paste them: fix then fmt gives exactly the intended file.

Each folder of tests/fix_corpus holds 原文.yaml (typed with the Chinese input method on, pasted from
Word, saved by Notepad), 期望.yaml (the file the clerk meant, in canonical form) and 文件名 (where the
file stands in its township).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from perfgen.load.yamlfile import read_yaml
from perfgen.resources import schema_path
from perfgen.review.fmt import format_file

CORPUS = Path(__file__).parent.parent / "fix_corpus"
CASES = sorted(path.name for path in CORPUS.iterdir() if path.is_dir())


def township(tmp_path: Path, case: str) -> Path:
    """The case's typed file in a township whose $schema lines point where they should."""
    shutil.copytree(schema_path("project").parent, tmp_path / "schemas")
    folder = tmp_path / "某镇-2024"
    (folder / "项目").mkdir(parents=True)
    (folder / "文档.yaml").write_text("单位名称: 测试\n", encoding="utf-8")
    path = folder / (CORPUS / case / "文件名").read_text(encoding="utf-8").strip()
    shutil.copyfile(CORPUS / case / "原文.yaml", path)
    return path


def test_the_corpus_is_there() -> None:
    assert len(CASES) >= 5


@pytest.mark.parametrize("case", CASES)
def test_fix_then_fmt_gives_the_intended_file(tmp_path: Path, case: str) -> None:
    path = township(tmp_path, case)
    typed, problems = read_yaml(path, "a.yaml")
    assert problems, "the typed file must hold slips"
    result = format_file(path, check=False, fix=True)
    assert result.problems == [] and result.changed and result.fixes
    intended = (CORPUS / case / "期望.yaml").read_text(encoding="utf-8")
    assert path.read_text(encoding="utf-8") == intended
    # idempotent: nothing is left to fix or to format
    again = format_file(path, check=False, fix=True)
    assert (again.changed, again.problems, again.fixes) == (False, [], [])
    # and the intended file is itself in canonical form
    shutil.copyfile(CORPUS / case / "期望.yaml", path)
    assert format_file(path, check=True).changed is False
