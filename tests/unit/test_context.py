"""The values the template prints: numbering, amounts, percentages, flattened indicator rows."""

from __future__ import annotations

from decimal import Decimal

import pytest

from perfgen.render.context import amount, chinese_number, indicator_rows, number_prefix, percent, section_paragraphs


@pytest.mark.parametrize(("n", "text"), [(1, "一"), (9, "九"), (10, "十"), (12, "十二"), (20, "二十"), (35, "三十五")])
def test_chinese_number(n: int, text: str) -> None:
    assert chinese_number(n) == text


def test_number_prefixes() -> None:
    assert [number_prefix(style, 11) for style in ("无", "1、", "1.", "（一）", "一、", "•")] == [
        "", "11、", "11.", "（十一）", "十一、", "• ",
    ]


def test_amounts_have_two_decimals_and_never_lose_digits() -> None:
    assert amount(Decimal("67.54")) == "67.54"
    assert amount(2) == "2.00"
    assert amount(Decimal("259371")) == "259371.00"
    assert amount(Decimal("25.9371")) == "25.9371"
    assert amount(Decimal("0"), blank_zero=True) == ""
    assert amount(Decimal("0")) == "0.00"


def test_percentages() -> None:
    assert [percent(v) for v in (25, Decimal("12.50"), Decimal("100"))] == ["25%", "12.5%", "100%"]


def test_section_paragraphs_number_items_after_the_intro() -> None:
    section = {
        "编号": "（一）",
        "引言": ["引言。"],
        "条目": ["甲。", {"标题": "乙", "绩效目标": "目标。", "绩效指标": "指标。"}],
    }
    paragraphs = section_paragraphs(section)
    assert [p["文字"] for p in paragraphs] == ["引言。", "（一）甲。", "（二）乙", "绩效目标：目标。", "绩效指标：指标。"]
    assert [p["标题"] for p in paragraphs] == [False, False, True, False, False]


def test_indicator_rows_flatten_the_hierarchy_in_order() -> None:
    def row(name: str) -> dict[str, str]:
        return {"三级指标": name, "绩效指标描述": "", "指标值": "1个", "指标值确定依据": ""}

    rows, spans = indicator_rows(
        {
            "产出指标": [
                {"二级指标": "数量指标", "指标": [row("a"), row("b")]},
                {"二级指标": "质量指标", "指标": [row("c")]},
                {"二级指标": "数量指标", "指标": [row("d")]},
            ],
            "满意度指标": [{"二级指标": "服务对象满意度指标", "指标": [row("e")]}],
        }
    )
    assert [(r["一级"], r["二级"], r["三级"]) for r in rows] == [
        ("产出指标", "数量指标", "a"),
        ("", "数量指标", "b"),
        ("", "质量指标", "c"),
        ("", "数量指标", "d"),
        ("满意度指标", "服务对象满意度指标", "e"),
    ]
    assert spans == [4, 1]
