"""The text tests behind the new content rules: what counts as only the name, a choice, an edge space."""

from __future__ import annotations

import pytest

from perfgen.validate.rules.content import only_the_name, purpose_core
from perfgen.validate.rules.text import CHOICE, PLACEHOLDER, edges


@pytest.mark.parametrize(
    ("purpose", "name"),
    [
        ("2022年村级办公费", "2022年村级办公费"),  # the same
        ("防火经费", "官厅镇怀财字【2024】7号防火经费"),  # less the budget document number
        ("用于综合执法工作", "综合执法工作经费"),  # 用于 + the name less 经费
        ("用于支付村干部工资", "官厅镇村干部工资"),
        ("村干部养老保险经费", "怀财字【2024】7号村干部养老保险"),  # two characters added
        ("预算数70万元。其中财政资金70万元。主要用于石门镇日常工作经费", "石门镇日常工作经费"),
        (" 防汛 ", "防汛经费"),
    ],
)
def test_purposes_that_only_repeat_the_name(purpose: str, name: str) -> None:
    assert only_the_name(purpose, name)


@pytest.mark.parametrize(
    ("purpose", "name"),
    [
        ("用于四术并发症人员补贴发放", "四术并发症费用"),  # says who gets the money
        ("用于维持财政所正常办公", "财政所经费"),
        ("用于保障乡镇工作正常运行。", "官厅镇怀财字【2024】7号乡镇转移支付"),
        ("社区党组织服务群众专项经费", "官厅镇怀财字【2024】7号扶持基层组织活动场所建设经费"),  # wrong, but not the name
        ("预算数2万元。其中：财政资金2万元。", "武装工作经费"),  # says nothing, but not the name either
        ("用于2022年村级办公费和网络费支出", "2022年村级办公费"),  # more than a few characters added
    ],
)
def test_purposes_that_say_more(purpose: str, name: str) -> None:
    assert not only_the_name(purpose, name)


def test_purpose_core_drops_the_amounts_and_used_for() -> None:
    assert purpose_core("预算数130万元。财政资金130万元。主要用于镇区、园区环境整治。") == "镇区园区环境整治"


@pytest.mark.parametrize("text", ["卢龙县财政（厅/局）", "（镇/乡）人民政府", "各(县/区)财政局", "（乡／镇）", "（社区/村）"])
def test_choices_left_by_the_template(text: str) -> None:
    assert CHOICE.search(text)


@pytest.mark.parametrize("text", ["≥2（次/年）", "≤500（元/人）", "（万元/村）", "和/或", "（一）", "卢龙县财政局"])
def test_units_with_a_slash_are_not_choices(text: str) -> None:
    assert not CHOICE.search(text)


@pytest.mark.parametrize("text", ["***", "＊＊＊", "XX镇", "××", "目标内容1"])
def test_placeholders(text: str) -> None:
    assert PLACEHOLDER.search(text)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("社会效益指标 ", "末尾"),
        ("　用于", "开头"),  # a full-width space
        ("\u00a0a\t", "开头和末尾"),
        ("第一行\n第二行\n", ""),  # a literal block's closing line break is not a space
        ("a", ""),
    ],
)
def test_edge_spaces(text: str, where: str) -> None:
    assert edges(text) == where
