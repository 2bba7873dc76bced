"""The mistakes clerks make, each answered at the line of the mistake, with the fix, in Chinese.

The messages themselves are pinned in tests/cases/invalid/<case>/expected.txt;
this table says what each must hold: one problem, on the line where the
mistake was typed (found in the case's own file, not copied from the output),
and the words that tell the clerk what to write.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CASES
from english import english_words
from perfgen.problems import Problem
from perfgen.validate.township import check_township

PROJECT = "项目/办公经费.yaml"

# case folder -> (file, what stands on the line of the mistake, words of the fix)
MISTAKES = {
    "全角冒号": (PROJECT, "项目名称：办公经费", ["全角冒号“：”", "英文冒号加一个空格", "项目名称: 办公经费"]),
    "全角空格缩进": (PROJECT, "\u30006月底: 50", ["全角空格", "英文空格"]),
    "不换行空格": (PROJECT, "资金用途:\u00a0保障日常办公。", ["不换行空格", "英文空格"]),
    "大于号开头未加引号": (PROJECT, "指标值: >90%", ["以“>”开头", "加英文单引号", "指标值: '>90%'"]),
    "感叹号开头未加引号": (PROJECT, "指标值: !90%", ["以“!”开头", "加英文单引号", "指标值: '!90%'"]),
    "键多缩进一格": (PROJECT, "           指标值: 20人", ["多缩进了 1 个空格", "删掉 1 个空格"]),
    "支出进度带百分号": (PROJECT, "3月底: 25%", ["去掉“%”", "3月底: 25"]),
    "金额有千位逗号": (PROJECT, "预算数: 1,000.00", ["去掉逗号", "预算数: 1000.00"]),
    "金额带单位": (PROJECT, "预算数: 67.54万元", ["金额只写数字", "金额单位", "预算数: 67.54"]),
    "键名拼错": (PROJECT, "项目名: 办公经费", ["“项目名”", "是不是“项目名称”？"]),
    "编码开头是零": ("文档.yaml", "单位编码: 016017", ["016017", "加英文单引号", "单位编码: '016017'"]),
    "全角引号": ("文档.yaml", "单位编码: ‘123001’", ["全角引号", "'123001'"]),
    "项目文件不存在": ("文档.yaml", "办公经费费.yaml", ["不存在", "是不是“项目/办公经费.yaml”？"]),
}


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    found = [number for number, line in enumerate(lines, 1) if text in line]
    assert len(found) == 1, f"{text!r} must stand on exactly one line of {path}"
    return found[0]


def problems_of(case: Path, monkeypatch: pytest.MonkeyPatch) -> list[Problem]:
    monkeypatch.chdir(case.parent)
    return check_township(Path(case.name)).problems


@pytest.mark.parametrize("name", MISTAKES)
def test_one_message_at_the_mistake_with_the_fix(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    file, typed, fix = MISTAKES[name]
    case = CASES / "invalid" / name
    problems = problems_of(case, monkeypatch)
    assert len(problems) == 1, [p.text() for p in problems]
    problem = problems[0]
    assert problem.file == f"{name}/{file}"
    assert problem.line == line_of(case / file, typed)
    assert problem.is_error
    for words in fix:
        assert words in problem.message
    assert english_words(problem.message) == []


def test_a_file_typed_with_the_input_method_on_has_every_full_width_colon_listed_in_one_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Issue 22: one run lists every "：" (the whole output is pinned in the case's expected.txt), nothing else."""
    case = CASES / "invalid" / "输入法打字"
    lines = (case / PROJECT).read_text(encoding="utf-8").split("\n")
    typed = [number for number, line in enumerate(lines, 1) if "：" in line]
    problems = problems_of(case, monkeypatch)
    assert len(typed) > 40
    assert [(p.line, p.rule) for p in problems] == [(number, "yaml-syntax") for number in typed]
    assert all("全角冒号“：”" in p.message for p in problems)
    # fmt --fix, then validate: no slip is left, only what the content itself holds (here: nothing)
    import shutil

    from perfgen.review.fmt import format_paths

    shutil.copytree(case, tmp_path / case.name)
    monkeypatch.chdir(tmp_path)
    fixed = format_paths([Path(case.name)], fix=True)
    assert sum(len(r.fixes) for r in fixed) == len(typed) and not [p for r in fixed for p in r.problems]
    assert check_township(Path(case.name)).problems == []
