"""YAML syntax errors explained: in Chinese, at the line of the mistake, with what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from english import english_words
from perfgen.load.yamlfile import parse_yaml

# text -> (line, column, words the message must hold)
CASES = {
    "full-width colon": ("项目编码: '1'\n项目名称：办公经费\n预算数: 10\n", 2, 5, "全角冒号“：”，请改为英文冒号加一个空格：项目名称: 办公经费"),
    "full-width colon, last line": ("项目编码: '1'\n项目名称：办公经费\n", 2, 5, "项目名称: 办公经费"),
    "full-width colon, nested": ("甲:\n  乙: 1\n  丙：2\n  丁: 3\n", 3, 4, "丙: 2"),
    "full-width colon, list item key": ("a:\n  - 二级指标：数量指标\n    指标:\n      - x\n", 2, 9, "二级指标: 数量指标"),
    "full-width colon before a block": ("项目名称: x\n资金支出计划：\n  3月底: 25\n", 2, 7, "资金支出计划:"),
    "full-width space in indentation": ("a:\n  b: 1\n\u3000 c: 2\n  d: 3\n", 3, 1, "缩进里有全角空格"),
    "full-width space that parses": ("a: 1\n\u3000\u3000b: 2\n", 2, 1, "缩进里有全角空格"),
    "full-width space after colon": ("a:\n  b: 1\n  c:\u30002\n", 3, 5, "冒号后面是全角空格"),
    "no-break space in indentation": ("a:\n  b: 1\n\u00a0 c: 2\n", 3, 1, "不换行空格"),
    "no-break space after colon": ("a:\u00a0b\nc: 1\n", 1, 3, "不换行空格"),
    "value starting with >": ("a:\n  指标值: >90%\n  依据: x\n", 2, 8, "写成 指标值: '>90%'"),
    "value starting with |": ("a:\n  指标值: |90%\n", 2, 8, "写成 指标值: '|90%'"),
    "value starting with !": ("a:\n  指标值: !90%\n  依据: x\n", 2, 8, "写成 指标值: '!90%'"),
    "value starting with %": ("a:\n  指标值: %90\n", 2, 8, "写成 指标值: '%90'"),
    "value starting with @": ("a:\n  指标值: @90\n", 2, 8, "写成 指标值: '@90'"),
    "value starting with `": ("a:\n  指标值: `90\n", 2, 8, "写成 指标值: '`90'"),
    "value starting with *": ("a:\n  指标值: *90\n", 2, 8, "写成 指标值: '*90'"),
    "list item starting with >": ("a:\n  - >90%\n", 2, 5, "写成 - '>90%'"),
    "key indented one space too far": ("a:\n  b: 1\n   c: 2\n  d: 3\n", 3, 4, "多缩进了 1 个空格：“c”和上一行的“b”是同一层"),
    "key indented one space too far at the top": ("a: 1\n b: 2\nc: 3\n", 2, 2, "多缩进了 1 个空格"),
    "first key indented": ("# 注释\n 项目编码: x\n项目名称: y\n", 2, 2, "最外层的键不能缩进，请删掉行首的 1 个空格"),
    "key indented one space too little": ("a:\n  b: 1\n c: 2\n", 3, 2, "缩进了 1 个空格，和上面的键对不齐"),
    "quote closed lines later": ("a: 'x\nb: 1\nc: 'y'\n", 1, 4, "引号“'”没有配对"),
    "first key of a block one space short": ("甲:\n 乙: 1\n  丙: 2\n", 2, 2, "少缩进了 1 个空格：请在“乙”前面补上 1 个空格"),
    "quote that does not close": ("a: 'x\nb: 1\n", 1, 4, "引号“'”没有配对"),
    "full-width closing quote": ("a: '>90%’\nb: 1\n", 1, 9, "结尾用了全角引号“’”"),
    "colon without a space": ("预算数:10\n财政资金: 2\n", 1, 4, "写成 预算数: 10"),
    "unclosed bracket": ("a: [1, 2\nb: 1\n", 1, 4, "没有配对的“]”"),
    "list item among keys": ("a: 1\n- b\n", 2, 1, "列表项“- ”放错了位置"),
    "text after a quote": ("a: 'x' y\n", 1, 8, "引号后面还有文字"),
    "second document": ("a: 1\n---\nb: 2\n", 2, 1, "“---”"),
    "two colons": ("a: b: c\n", 1, 5, "有两个“: ”"),
    "key among list items": ("a:\n  - x\n  y: 1\n", 3, 3, "却不是列表项"),
    "list after a colon": ("a: - b\n", 1, 4, "列表要另起一行"),
    "line without a colon": ("a: 1\nfoo\nb: 2\n", 2, 1, "“foo”不是“键: 值”的写法"),
    "bad escape": ('a: "x\\q"\n', 1, 6, "不是有效的转义"),
}


@pytest.mark.parametrize("name", CASES)
def test_syntax_error_at_the_mistake(name: str) -> None:
    text, line, column, words = CASES[name]
    source, problems = parse_yaml(text, Path("a.yaml"), "a.yaml")
    # a slip found before parsing may leave its mended data for the checks of content; it stops a build
    assert source is None or all(p.blocking for p in problems)
    assert [(p.line, p.column) for p in problems] == [(line, column)]
    assert words in problems[0].message
    assert problems[0].message.startswith(f"第 {line} 行")
    assert english_words(problems[0].message) == []


def test_a_character_libyaml_refuses_is_named() -> None:
    _, problems = parse_yaml("a: \x81\n", Path("a.yaml"), "a.yaml")
    assert [(p.rule, p.line, p.column) for p in problems] == [("text-control-char", 1, 4)]
    assert "U+0081" in problems[0].message


def test_full_width_colon_inside_a_text_is_text() -> None:
    source, problems = parse_yaml("条目:\n  - 政府运行：通过突出政务\n绩效目标: 目标：提高\n", Path("a.yaml"), "a.yaml")
    assert problems == [] and source is not None
    assert source.data == {"条目": ["政府运行：通过突出政务"], "绩效目标": "目标：提高"}


def test_a_tab_a_full_width_colon_and_an_unquoted_indicator_are_all_named_in_one_run() -> None:
    """Issue 22: such a file used to report only the tab; every slip is named, and nothing else is guessed on their lines."""
    text = "项目编码: '1'\n项目名：办公经费\n资金支出计划:\n  3月底: 25\n\t6月底: 50\n指标值: >95%\n"
    source, problems = parse_yaml(text, Path("a.yaml"), "a.yaml")
    assert source is None
    assert [(p.line, p.rule) for p in problems] == [(2, "yaml-syntax"), (5, "yaml-tab"), (6, "yaml-syntax")]
    assert "全角冒号" in problems[0].message and "项目名: 办公经费" in problems[0].message
    assert "写成 指标值: '>95%'" in problems[2].message
