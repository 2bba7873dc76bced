"""A cell's words kept whole where no spacing of the whole cell keeps them (render/words.py)."""

from __future__ import annotations

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt

from perfgen.render.cells import WORD_SPACING_BOUND, fit_table, fitting_spacing
from perfgen.render.heights import row_heights
from perfgen.render.lines import breaks_badly, wrap
from perfgen.render.measure import Styles
from perfgen.render.words import _first_line, mended

FIVE = 21  # half-points: 五号, the tables' text
EM = FIVE * 10  # twips
SATISFACTION = "社会公众对综治工作、维护社会稳定工作满意度。"  # 石门镇's 描述: 稳定工作满意/度。
DOCUMENT_NO = "怀财字【2024】7号村干部养老保险"  # 官厅镇's 项目名称: 7号村/干部
LOCAL = 1631  # twips: the 描述 column's lines in 石门镇's 绩效指标表
NAME = 2166  # twips: the 项目名称 cell's lines


def test_the_line_that_splits_a_word_is_condensed_alone() -> None:
    assert fitting_spacing(SATISFACTION, LOCAL / EM, FIVE / 2) is None  # no spacing of the whole cell does
    assert wrap(SATISFACTION, LOCAL / EM)[2:] == ["稳定工作满意", "度。"]
    mend = mended(SATISFACTION, LOCAL, FIVE, False)
    assert mend is not None and mend.indent == 0
    assert mend.lines == ("社会公众对综治", "工作、维护社会", "稳定工作满意度。")
    [(start, end, twentieths)] = mend.runs
    assert SATISFACTION[start:end] == "稳定工作满意度。" and 0 < twentieths <= WORD_SPACING_BOUND * FIVE * 10
    assert wrap(SATISFACTION[start:], LOCAL / EM, -twentieths / 20 / (FIVE / 2))[0] == "稳定工作满意度。"


def test_where_no_condensing_does_the_lines_are_narrowed_by_the_least_that_moves_the_word() -> None:
    mend = mended(DOCUMENT_NO, NAME, FIVE, True)
    assert mend is not None and mend.runs == ()
    assert mend.lines == ("怀财字【2024】7号", "村干部养老保险")
    # the lines no narrower than they must be: a twip wider on each side, and 村 fits a little wider (SAFETY)
    assert wrap(DOCUMENT_NO, (NAME - 2 * (mend.indent - 1)) / EM + 0.03)[0].endswith("村")
    assert not wrap(DOCUMENT_NO, (NAME - 2 * mend.indent) / EM + 0.03)[0].endswith("村")


def test_a_cell_may_take_one_line_more_and_a_value_no_line_width_mends_is_left_alone() -> None:
    mend = mended("及时发放村级支出，改善村干部生活水平，", LOCAL, FIVE, False)
    assert mend is not None and len(mend.lines) == len(wrap("及时发放村级支出，改善村干部生活水平，", LOCAL / EM)) + 1
    assert not breaks_badly("及时发放村级支出，改善村干部生活水平，", mend.lines)
    # 10000立方米、 wants a line of its own, the next line must end before 30公里: two widths
    assert mended("清理垃圾10000立方米、清理河道30公里、卫片整治13处", 1366, FIVE, True) is None
    assert mended("工作正常运转", 1000, FIVE, True) is None  # breaks well already


def _cell(text: str, twips: int, centred: bool) -> docx.document.Document:
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(10.5)
    format = document.styles["Normal"].paragraph_format
    format.space_after, format.line_spacing = 0, 1.0
    table = document.add_table(rows=1, cols=2)
    for cell, width, value in zip(table.rows[0].cells, (twips + 2 * 108, 1500), (text, "短")):
        cell.width = width * 635  # twips to EMU
        cell.text = value
        cell.paragraphs[0].alignment = 1 if centred else None
    return document


@pytest.mark.parametrize(("text", "twips", "centred"), [(SATISFACTION, LOCAL, False), (DOCUMENT_NO, NAME, True)])
def test_the_document_keeps_the_text_as_written_and_its_rows_height_foresees_the_lines(
    text: str, twips: int, centred: bool
) -> None:
    document = _cell(text, twips, centred)
    fit_table(document.tables[0]._tbl, Styles(document))
    paragraph = document.tables[0].rows[0].cells[0].paragraphs[0]._p
    assert "".join(t.text for t in paragraph.iter(qn("w:t"))) == text  # no break, no invisible sign added
    assert paragraph.find(f".//{qn('w:br')}") is None
    mend = mended(text, twips, FIVE, centred)
    assert mend is not None
    spacings = [(run.find(f"{qn('w:rPr')}/{qn('w:spacing')}"), "".join(t.text for t in run.iter(qn("w:t"))))
                for run in paragraph.iter(qn("w:r"))]
    assert [(int(s.get(qn("w:val"))), t) for s, t in spacings if s is not None] == [(-c, text[a:b]) for a, b, c in mend.runs]
    ind = paragraph.find(f"{qn('w:pPr')}/{qn('w:ind')}")
    sides = {} if ind is None else {k.split("}")[1]: int(v) for k, v in ind.attrib.items()}
    assert sides == ({} if not mend.indent else {"left": mend.indent, "right": mend.indent} if centred else {"right": mend.indent})
    [height] = row_heights(document.tables[0]._tbl, Styles(document))
    assert height == pytest.approx(len(mend.lines) * 10.5 * 1.448 + 0.5)


@pytest.mark.parametrize("line", [2.0, 6.2, 7.767, 34.886])
@pytest.mark.parametrize("spacing", [0.0, -0.09])
def test_a_line_is_foreseen_from_the_characters_up_to_the_first_that_does_not_fit(line: float, spacing: float) -> None:
    text = ("用于全镇二十个行政村的村级组织日常办公、2024年12月31日前完成, i.e. all ...... " * 12)
    for start in range(0, len(text), 37):
        whole = wrap(text[start:], line - 0.03, spacing)[0], wrap(text[start:], line + 0.03, spacing)[0]
        assert _first_line(text[start:], line, spacing) == (whole[0] if whole[0] == whole[1] else None)
