"""Where lines break: measured widths, words whole, no lone character, balanced titles."""

from __future__ import annotations

import pytest

from perfgen.render.cells import SPACING_BOUND, fitting_spacing
from perfgen.render.lines import MIN_LINE, _piece_widths, balanced, breaks_badly, protected, width, wrap

VALUE = 1186 / 210  # the 指标值 column of the standard template, in ems at 五号
LEVEL3 = 1306 / 210  # the 三级指标 column


def test_latin_is_measured_with_times_metrics() -> None:
    assert width("2024") == 2.0
    assert width("，≤") == 2.0 and width("≤1") == pytest.approx(1.049)  # ≤ takes the face of its neighbour
    assert width("7号") == pytest.approx(1.7)  # LibreOffice's space between Latin and CJK
    assert width("M") == pytest.approx(0.889)
    assert width("资金") == 2.0


@pytest.mark.parametrize(
    ("text", "lines"),
    [("工作正常运转", ["工作正常运", "转"]), ("≤67.54万/元", ["≤67.54万/元"]), ("≤1.2万元/公里", ["≤1.2万元/公", "里"]), ("2024年12月31日前", ["2024年12月", "31日前"])],
)
def test_wrap_foresees_the_suites_breaks(text: str, lines: list[str]) -> None:
    assert wrap(text, VALUE) == lines


def test_a_lone_last_character_or_a_split_word_breaks_badly() -> None:
    assert breaks_badly("工作正常运转", ["工作正常运", "转"])
    assert breaks_badly("服务对象满意度", ["服务对象满", "意度"])  # 满意度 split
    assert breaks_badly("2024年12月31日", ["2024年1", "2月31日"])  # inside 12月
    assert not breaks_badly("服务对象满意度", ["服务对象", "满意度"])


@pytest.mark.parametrize("text", ["工作正常运转", "控制在预算成本内", "2024年12月31日前"])
def test_a_value_is_fitted_within_the_bound(text: str) -> None:
    spacing = fitting_spacing(text, VALUE, 10.5)
    assert spacing is not None and abs(spacing) <= SPACING_BOUND * 10.5 * 20
    assert not breaks_badly(text, wrap(text, VALUE, spacing / 20 / 10.5))


def test_libreoffice_breaks_after_a_hyphen_inside_a_number_and_that_splits_it() -> None:
    # 文安's 5-4M现浇盖板涵 broke as 5-/4M in LibreOffice's PDF
    assert wrap("采用5-4M", 3.2) == ["采用5-", "4M"]
    assert breaks_badly("采用5-4M", ["采用5-", "4M"])


def test_a_split_word_is_mended_within_the_bound_without_taking_a_line_more() -> None:
    # 牌照预算资/金使用率: 资金 is mended by condensing 0.85 pt (more than the 1/16 em once allowed for words)
    spacing = fitting_spacing("牌照预算资金使用率", VALUE, 10.5)
    assert spacing == -17 and wrap("牌照预算资金使用率", VALUE, spacing / 210) == ["牌照预算资金", "使用率"]
    # 受益群众满/意度调查: pushing 满 down needs 0.16 em between characters, beyond the bound: left to the columns
    assert fitting_spacing("受益群众满意度调查", VALUE, 10.5) is None


def test_no_fitting_within_the_bound_is_none() -> None:
    # 服务对象/满意度 would need 0.17 em more between characters: left to the columns' widths
    assert fitting_spacing("服务对象满意度", VALUE, 10.5) is None


@pytest.mark.parametrize(
    "title",
    [
        "怀来县官厅镇2024年度村级组织运转经费及村干部报酬建设经费（第7批追加）项目绩效目标表",
        "官厅镇怀财字【2024】7号和平村道路硬化及修建排水沟绩效目标表",
        "一二三四五六七八九十" * 6 + "绩效目标表",
    ],
)
def test_titles_break_evenly_without_stubs_or_split_words(title: str) -> None:
    lines = balanced(title, 27.6, 27.6)
    assert "".join(lines) == title and len(lines) > 1
    assert min(len(line) for line in lines) >= MIN_LINE
    inside = protected(title)
    assert not any(inside[len("".join(lines[:i]))] for i in range(1, len(lines)))
    assert max(map(width, lines)) - min(map(width, lines)) <= 8  # even, not one long and one stub


def test_brackets_stay_with_their_content_and_the_last_line_leaves_room() -> None:
    lines = balanced("怀来县官厅镇村级组织运转经费（第7批追加）绩效目标表", 20.0, 18.0, last_reserve=3.5)
    assert any("（第7批追加）" in line for line in lines)
    assert width(lines[-1]) + 3.5 <= 18.0


def test_a_title_that_fits_is_one_line() -> None:
    assert balanced("防汛经费绩效目标表", 27.6, 27.6) == ["防汛经费绩效目标表"]


@pytest.mark.parametrize(
    "text",
    [
        "怀来县压力镇2024年度村级组织运转及村干部报酬和农村人居环境整治道路硬化排水沟修建专项经费（第7批追加）",
        "≤16.94万元，≥95%，2024年12月31日前完成 Latin words ±5",
        "≥ a sign first, then 中文",
    ],
)
def test_a_titles_pieces_are_measured_as_width_measures_them(text: str) -> None:
    piece = _piece_widths(text)
    for start in range(len(text)):
        for end in range(start + 1, len(text) + 1):
            assert piece(start, end) == pytest.approx(width(text[start:end]), abs=1e-9), text[start:end]
