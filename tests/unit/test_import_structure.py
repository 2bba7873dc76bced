"""The recogniser's small pieces: goals, part-1 numbering, amounts, TOC entries."""

from __future__ import annotations

from decimal import Decimal

import pytest

from perfgen.importer.blocks import Paragraph
from perfgen.importer.structure import _is_toc, amount, percent, section, split_goals


def test_goals_one_per_paragraph_or_numbered_in_one() -> None:
    assert split_goals(["1.甲。", "2.乙。"]) == ["甲。", "乙。"]
    assert split_goals(["1.甲；2.乙；3.丙。"]) == ["甲；", "乙；", "丙。"]
    assert split_goals(["1、完成1.5万亩"]) == ["完成1.5万亩"]  # a decimal is no second goal
    assert split_goals(["（1）甲（2）乙"]) == ["甲", "乙"]
    assert split_goals(["没有编号的目标"]) == ["没有编号的目标"]


@pytest.mark.parametrize(
    ("paragraphs", "style"),
    [
        (["1、甲", "2、乙"], "1、"),
        (["1.甲", "2．乙"], "1."),
        (["（一）甲", "(二)乙"], "（一）"),
        (["一、甲", "二、乙"], "一、"),
        (["• 甲", "●乙"], "•"),
    ],
)
def test_part_one_numbering_styles(paragraphs: list[str], style: str) -> None:
    assert section(paragraphs) == {"编号": style, "条目": ["甲", "乙"]}


def test_part_one_intro_titled_items_and_no_numbering() -> None:
    assert section(["我镇按照全年目标。", "1、基层党建", "绩效目标：加强。", "绩效指标：≥95%。", "2、其他"]) == {
        "编号": "1、",
        "引言": ["我镇按照全年目标。"],
        "条目": [{"标题": "基层党建", "绩效目标": "加强。", "绩效指标": "≥95%。"}, "其他"],
    }
    # the goal and the indicator typed in one paragraph
    assert section(["（一）应急", "绩效目标：处置。 绩效指标：≥95%。"])["条目"] == [
        {"标题": "应急", "绩效目标": "处置。", "绩效指标": "≥95%。"}
    ]
    # numbering that breaks off: every paragraph is an item as it stands
    assert section(["1、甲", "说明", "2、乙"]) == {"编号": "无", "条目": ["1、甲", "说明", "2、乙"]}


def test_amounts_and_percents() -> None:
    assert amount("1,234,567.89") == Decimal("1234567.89")
    assert amount("1，234.00 ") == Decimal("1234.00")
    assert amount("67.54万元") == Decimal("67.54")
    assert amount("") is None
    with pytest.raises(ValueError):
        amount("见附件")
    assert percent("25%") == Decimal(25) and percent("12.5％") == Decimal("12.5") and percent(" ") is None
    with pytest.raises(ValueError):
        percent("全年")


def test_toc_entries_are_not_content() -> None:
    assert _is_toc(Paragraph("一、总体绩效目标\t3", ""))
    assert _is_toc(Paragraph("一、总体绩效目标……………………3", ""))
    assert _is_toc(Paragraph("一、总体绩效目标", "", kind="toc"))
    assert not _is_toc(Paragraph("一、总体绩效目标", ""))
    assert not _is_toc(Paragraph("完成2025年目标3", ""))


def _chars(*placed: tuple[str, float]) -> list[dict[str, object]]:
    return [{"text": text, "x0": x, "x1": x + 10, "size": 10} for text, x in placed]


def test_pdf_text_gets_no_space_between_cjk_and_digits() -> None:
    from perfgen.importer.pdf import _join_chars

    # a wide gap (CJK/Latin autospacing) is no space; a drawn space glyph is kept
    assert _join_chars(_chars(("2", 0), ("0", 10), ("2", 20), ("5", 30), ("年", 45))) == "2025年"
    assert _join_chars(_chars(("完", 0), ("成", 10), ("9", 25), ("5", 35), ("%", 45))) == "完成95%"
    assert _join_chars(_chars(("6", 0), (" ", 10), ("月", 15))) == "6 月"
    # two Latin words whose space was not drawn
    assert _join_chars(_chars(("Q", 0), ("H", 10), ("Y", 25))) == "QH Y"
