"""The line scan before parsing (load/syntax.slips): every slip found, nothing a clerk meant taken for one."""

from __future__ import annotations

import pytest

from perfgen.load.syntax import mend, slips

# text -> the lines (from 1) with a slip, and the text once mended
FOUND = {
    "key ending in a full-width space": ("预算数\u3000: 72\n", [1], "预算数: 72\n"),
    "full-width space after a dash": ("绩效目标:\n  -\u3000保障\n", [2], "绩效目标:\n  - 保障\n"),
    "two slips on one line": ("年度：２０２４\n", [1, 1], "年度: 2024\n"),
    "code in full-width quotes and digits": ("单位编码: ‘８１６００１’\n", [1], "单位编码: '816001'\n"),
    "full-width digits in a code": ("项目编码: １３０００\n", [1], "项目编码: '13000'\n"),
    "month key under its block, typed with the IME": ("资金支出计划:\n  3月底：25\n  6月底：50\n", [2, 3], "资金支出计划:\n  3月底: 25\n  6月底: 50\n"),
    "unknown key beside a known one": ("项目名称: x\n项目名：y\n", [2], "项目名称: x\n项目名: y\n"),
    "a value starting with * in a list": ("绩效目标:\n  - *重点保障\n", [2], "绩效目标:\n  - '*重点保障'\n"),
    "a value starting with > and a comment": ("指标值: >95%  # 待定\n", [1], "指标值: '>95%'  # 待定\n"),
    "Windows line ends": ("指标值: >95%\r\n项目名称：x\r\n预算数: １０\r\n", [1, 2, 3], "指标值: '>95%'\r\n项目名称: x\r\n预算数: 10\r\n"),
    "tabs only": ("甲:\n\t乙: 1\n\t丙:\n\t\t- x\n", [2, 3, 4], "甲:\n  乙: 1\n  丙:\n    - x\n"),
}
# what a clerk meant: texts with full-width colons and spaces, block texts, quoted texts running over lines
KEPT = {
    "colon inside a value": "资金用途: 用于：办公\n",
    "colon in a list item of text": "绩效目标:\n  - 政府运行：保障\n",
    "colon in a continued text": "资金用途:\n  用于：保障\n",
    "colon in a continued line of a list item": "绩效目标:\n  - 保障\n    运转：正常\n",
    "block text": "资金用途: |\n  第一：办公\n  \u3000\u3000第二段\n  >95%\n",
    "block text in a list item": "绩效目标:\n  - |-\n    3月底：25\n",
    "quoted text over lines": "资金用途: '第一：\n  第二：x'\n",
    "full-width space inside a text": "资金用途: 用于\u3000办公\n",
    "block header with a comment": "资金用途: |-  # 说明\n  x\n",
    "alias-like ASCII": "指标值: *x\n",
    "comma in a code": "项目名称: 72，30\n",
    "indented paragraph in a continued text": "资金用途:\n  \u3000\u3000第一段\n",
}


@pytest.mark.parametrize(("text", "lines", "mended"), FOUND.values(), ids=FOUND.keys())
def test_every_slip_is_found_and_mended(text: str, lines: list[int], mended: str) -> None:
    found = slips(text)
    assert [slip.line for slip in found] == lines
    assert all(slip.message and slip.fix and slip.label for slip in found)
    assert mend(text, found) == mended
    assert slips(mended) == []  # idempotent


@pytest.mark.parametrize("text", KEPT.values(), ids=KEPT.keys())
def test_what_a_clerk_meant_is_no_slip(text: str) -> None:
    assert slips(text) == []


def test_the_ambiguous_comma_is_only_a_question() -> None:
    (found,) = slips("预算数: 72，30\n")
    assert found.asks and found.fix is None
    assert "如果逗号分隔的是千位，请写成 7230；如果逗号是小数点，请写成 72.30" in found.message
    assert slips("预算数: 1,000.00\n") == []  # thousands as an accountant writes them: the schema check says what to do


def test_a_tab_among_spaces_is_left_to_the_clerk() -> None:
    (found,) = slips("甲:\n  乙: 1\n\t丙: 2\n")
    assert (found.rule, found.fix) == ("yaml-tab", None)
