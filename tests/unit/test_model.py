"""The typed model of a township: built from source text, with places, amounts and numbering."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from perfgen.form import chinese_number, number_prefix
from perfgen.load.yamlfile import parse_yaml
from perfgen.model import Amount, Section, TitledItem, amount_text, percent_text, project_from
from perfgen.render.context import indicator_rows

PROJECT = """\
项目编码: 13073024P008877100041
项目名称: 办公经费
预算数: 12.50
财政资金: 12.5
资金用途: 办公
资金支出计划: {3月底: 25, 6月底: 50, 10月底: 75, 12月底: 100}
绩效目标: [保障运转]
绩效指标:
  产出指标:
    - 二级指标: 数量指标
      指标:
        - {三级指标: a, 绩效指标描述: '', 指标值: 1个, 指标值确定依据: ''}
        - {三级指标: b, 绩效指标描述: '', 指标值: 1个, 指标值确定依据: ''}
    - 二级指标: 质量指标
      指标:
        - {三级指标: c, 绩效指标描述: '', 指标值: 1个, 指标值确定依据: ''}
  满意度指标:
    - 二级指标: 服务对象满意度指标
      指标:
        - {三级指标: e, 绩效指标描述: '', 指标值: ≥95%, 指标值确定依据: ''}
"""


def project():
    file, problems = parse_yaml(PROJECT, Path("p.yaml"), "p.yaml")
    assert problems == [] and file is not None
    return project_from(file)


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "一"), (9, "九"), (10, "十"), (12, "十二"), (20, "二十"), (35, "三十五"), (99, "九十九"), (100, "一百"),
        (101, "一百零一"), (110, "一百一十"), (115, "一百一十五"), (1010, "一千零一十"), (10010, "一万零一十"),
    ],
)
def test_chinese_number(n: int, text: str) -> None:
    assert chinese_number(n) == text


def test_number_prefixes() -> None:
    assert [number_prefix(style, 11) for style in ("无", "1、", "1.", "（一）", "一、", "•")] == [
        "", "11、", "11.", "（十一）", "十一、", "• ",
    ]


def test_amounts_have_two_decimals_and_never_lose_digits() -> None:
    assert amount_text(Decimal("67.54")) == "67.54"
    assert amount_text(2) == "2.00"
    assert amount_text(Decimal("259371")) == "259371.00"
    assert amount_text(Decimal("25.9371")) == "25.9371"
    assert amount_text(Decimal("0"), blank_zero=True) == ""
    assert amount_text(Decimal("0")) == "0.00"
    assert str(Amount(Decimal("67.5"), "万元")) == "67.50 万元"
    assert Amount(Decimal(0), "元").text(blank_zero=True) == ""


def test_percentages() -> None:
    assert [percent_text(v) for v in (25, Decimal("12.50"), Decimal("100"))] == ["25%", "12.5%", "100%"]


def test_section_paragraphs_number_items_after_the_intro() -> None:
    section = Section("总体绩效目标", "一、总体绩效目标", "（一）", ("引言。",), ("甲。", TitledItem("乙", "目标。", "指标。")))
    paragraphs = section.paragraphs()
    assert [p.text for p in paragraphs] == ["引言。", "（一）甲。", "（二）乙", "绩效目标：目标。", "绩效指标：指标。"]
    assert [p.title for p in paragraphs] == [False, False, True, False, False]


def test_project_fields_and_places() -> None:
    built = project()
    assert (built.code, built.name, built.purpose, built.goals) == ("13073024P008877100041", "办公经费", "办公", ("保障运转",))
    assert (built.budget.value, built.fiscal.value, built.other.value) == (Decimal("12.50"), Decimal("12.5"), 0)
    assert built.plan == {"3月底": 25, "6月底": 50, "10月底": 75, "12月底": 100}
    assert built.place("budget").position() == (3, 6)
    assert built.place("plan", "6月底").position() == (6, 24)
    assert built.place("indicators", key=True).position() == (8, 1)
    assert built.rows[2].place("value").position() == (16, 38)


def test_indicator_rows_flatten_the_hierarchy_in_order() -> None:
    built = project()
    assert [(r.level1, r.level2, r.name) for r in built.rows] == [
        ("产出指标", "数量指标", "a"),
        ("产出指标", "数量指标", "b"),
        ("产出指标", "质量指标", "c"),
        ("满意度指标", "服务对象满意度指标", "e"),
    ]
    assert built.spans == [3, 1]
    assert [(r["一级"], r["三级"]) for r in indicator_rows(built)] == [("产出指标", "a"), ("", "b"), ("", "c"), ("满意度指标", "e")]
