"""Tables typeset per document: labels restarted on continuation pages, columns balanced, cells fitted."""

from __future__ import annotations

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree

from perfgen.render.cells import balance_columns, fit_table, fitting_spacing
from perfgen.render.fixups import merge_level1
from perfgen.render.groups import keep_table_groups, restart_groups
from perfgen.render.heights import row_heights
from perfgen.render.lines import breaks_badly, wrap
from perfgen.render.measure import Styles, text_height


def _document(widths: list[int], rows: list[list[str]]) -> docx.document.Document:
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(10.5)  # 五号, as the template's table text
    table = document.add_table(rows=len(rows), cols=len(widths))
    for col, width in zip(table.columns, widths):
        col.width = width * 635  # twips to EMU
    for row, texts in zip(table.rows, rows):
        for cell, text, width in zip(row.cells, texts, widths):
            cell.text = text
            cell.width = width * 635
    return document


def _vmerges(document: docx.document.Document) -> list[str | None]:
    found = []
    for row in document.tables[0]._tbl.findall(qn("w:tr"))[1:]:
        merge = row.find(qn("w:tc")).find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
        found.append(None if merge is None else merge.get(qn("w:val"), "continue"))
    return found


def _first_texts(document: docx.document.Document) -> list[str]:
    return ["".join(t.text or "" for t in row.find(qn("w:tc")).iter(qn("w:t")))
            for row in document.tables[0]._tbl.findall(qn("w:tr"))[1:]]


def _indicators() -> docx.document.Document:
    rows = [["一级指标", "二级"], *[["产出指标", f"行{i}"] for i in range(4)], ["效益指标", "行4"]]
    document = _document([1200, 3000], rows)
    for row in document.tables[0]._tbl.findall(qn("w:tr"))[2:5]:  # the continuation cells hold nothing
        for t in row.find(qn("w:tc")).iter(qn("w:t")):
            t.text = ""
    merge_level1(document, [[4, 1]])
    return document


def test_a_group_split_by_a_page_restarts_with_its_label() -> None:
    document = _indicators()
    assert restart_groups(document, [[2]])
    assert _vmerges(document) == ["restart", "continue", "restart", "continue", None]
    assert _first_texts(document)[2] == "产出指标"


def test_the_labels_follow_the_breaks_libreoffice_said_or_else_the_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """Over the UNO bridge LibreOffice says where the rows break; the PDF is read only where it did not say
    (the command line) or counted other tables than the document's."""
    import io

    from perfgen.render import groups
    from perfgen.write.package import docx_bytes

    source = docx_bytes(_indicators())
    read: list[bytes] = []
    monkeypatch.setattr(groups, "page_starts", lambda pdf: read.append(pdf) or [[2]])
    said = groups.relabel_split_groups(source, b"%PDF-said", [[2]])
    assert said is not None and read == []
    assert _vmerges(docx.Document(io.BytesIO(said))) == ["restart", "continue", "restart", "continue", None]
    assert groups.relabel_split_groups(source, b"%PDF-none", []) is None and read == []  # no page begins in a table
    assert groups.relabel_split_groups(source, b"%PDF-other", [[2], [1]]) == said and read == [b"%PDF-other"]
    assert groups.relabel_split_groups(source, b"%PDF-cli") == said and read == [b"%PDF-other", b"%PDF-cli"]


def test_a_group_whose_last_row_begins_a_page_gets_a_label_without_a_merge() -> None:
    document = _indicators()
    assert restart_groups(document, [[3]])
    assert _vmerges(document) == ["restart", "continue", "continue", None, None]
    assert _first_texts(document)[3] == "产出指标"


def test_a_page_that_begins_with_a_group_changes_nothing() -> None:
    document = _indicators()
    before = etree.tostring(document.tables[0]._tbl)
    assert not restart_groups(document, [[4]])
    assert not restart_groups(document, [[1], [2]])  # not this document's tables: left alone
    assert etree.tostring(document.tables[0]._tbl) == before


def _kept(document: docx.document.Document) -> list[tuple[bool, bool]]:
    """Per row: whether every paragraph keeps with the next, whether the row may not split."""
    return [
        (all(p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None for p in row.iter(qn("w:p"))),
         row.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None)
        for row in document.tables[0]._tbl.findall(qn("w:tr"))
    ]


def test_a_group_that_fits_on_a_page_keeps_with_its_next_row_but_for_its_last() -> None:
    document = _indicators()
    paragraph = document.tables[0].rows[1].cells[1].paragraphs[0]
    paragraph.alignment = 1  # a w:jc, which the schema places after w:keepNext
    paragraph.style = document.styles["Body Text"]
    keep_table_groups(document.tables[0]._tbl, Styles(document), text_height(document) / 20)
    # the header keeps with the first group; 产出指标's rows but its last keep with the next; no row splits
    assert _kept(document) == [(True, False), (True, True), (True, True), (True, True), (False, True), (False, True)]
    tags = [etree.QName(child).localname for child in paragraph._p.pPr]
    assert tags == ["pStyle", "keepNext", "jc"]


def test_a_group_taller_than_a_page_is_left_to_split() -> None:
    long = "资金支出严格按照预算执行，专款专用，不挤占挪用。" * 30
    rows = [["一级指标", "说明"], ["产出指标", long], ["", long], ["", "短"], ["效益指标", "短"], ["", "短"]]
    document = _document([1200, 3000], rows)
    merge_level1(document, [[3, 2]])
    page = (15840 - 2 * 1440) / 20  # python-docx's default page: Letter, margins of an inch
    assert sum(row_heights(document.tables[0]._tbl, Styles(document))[1:4]) > page
    keep_table_groups(document.tables[0]._tbl, Styles(document), text_height(document) / 20)
    assert _kept(document) == [(True, False), (False, False), (False, False), (False, False), (True, True), (False, True)]


def test_a_row_is_as_tall_as_its_lines() -> None:
    document = _document([1200, 3000], [["产出指标", "短"], ["效益指标", "一二三四五六七八九十" * 3]])
    one, three = row_heights(document.tables[0]._tbl, Styles(document))
    # (3000 - 2 * 108) twips hold 13 characters at 五号: 30 characters take three lines; python-docx's
    # template sets lines 1.15 apart and 10 pt after each paragraph; the row's border is half a point
    line = 10.5 * 1.448 * 276 / 240
    assert one == pytest.approx(line + 10 + 0.5) and three == pytest.approx(3 * line + 10 + 0.5)
    format = document.styles["Normal"].paragraph_format
    format.space_after, format.line_spacing = 0, 1.0
    assert row_heights(document.tables[0]._tbl, Styles(document))[0] == pytest.approx(10.5 * 1.448 + 0.5)


def test_a_lone_last_character_is_mended_by_spacing() -> None:
    document = _document([1300, 3000], [["工作正常运转", "说明"]])
    fit_table(document.tables[0]._tbl, Styles(document))
    run = document.tables[0]._tbl.find(f".//{qn('w:r')}")
    spacing = int(run.find(f"{qn('w:rPr')}/{qn('w:spacing')}").get(qn("w:val")))
    line = (1300 - 2 * 108) / 210  # Word's default cell margins, 五号 by default
    assert abs(spacing) <= 26 and not breaks_badly("工作正常运转", wrap("工作正常运转", line, spacing / 210))


def test_a_column_that_no_spacing_mends_takes_width_from_one_that_spares_it() -> None:
    # 服务对象满意/度 or 服务对象满/意度 at any spacing within the bound: only a wider column mends it
    document = _document([1500, 3000], [["三级", "说明"], ["服务对象满意度", "好"], ["可持续影响指标", "好"]])
    table = document.tables[0]._tbl
    balance_columns(table, Styles(document))
    widths = [int(col.get(qn("w:w"))) for col in table.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")]
    assert sum(widths) == 4500 and widths[0] > 1500
    assert fitting_spacing("服务对象满意度", (widths[0] - 2 * 108) / 210, 10.5) is not None
