"""Document fix-ups on small pieces of XML, in python-docx's style: XML in, the XML that matters out."""

from __future__ import annotations

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from perfgen.errors import TemplateError
from perfgen.render.fixups import _AFTER_VMERGE, set_child, merge_level1, renumber_bookmarks, set_update_fields

W = nsdecls("w")


def xml(element: etree._Element) -> str:
    """The element's children as tag[=val] names, in order."""
    names = []
    for child in element:
        name = etree.QName(child).localname
        value = child.get(qn("w:val"))
        names.append(name if value is None else f"{name}={value}")
    return " ".join(names)


def test_set_child_puts_the_element_before_the_first_that_follows_it_in_the_schema() -> None:
    props = parse_xml(f'<w:tcPr {W}><w:tcW w:w="10" w:type="dxa"/><w:gridSpan w:val="2"/><w:vAlign w:val="center"/></w:tcPr>')
    set_child(props, "w:vMerge", "restart", _AFTER_VMERGE)
    assert xml(props) == "tcW gridSpan=2 vMerge=restart vAlign=center"


def test_set_child_replaces_an_old_one_and_can_remove_it() -> None:
    props = parse_xml(f'<w:tcPr {W}><w:vMerge w:val="restart"/><w:shd w:val="clear"/></w:tcPr>')
    set_child(props, "w:vMerge", None, _AFTER_VMERGE)
    assert xml(props) == "vMerge shd=clear"
    set_child(props, "w:vMerge", None, _AFTER_VMERGE, present=False)
    assert xml(props) == "shd=clear"


def indicator_document(rows: int) -> docx.document.Document:
    document = docx.Document()
    table = document.add_table(rows=rows + 1, cols=3)
    table.cell(0, 0).text = "一级指标"
    return document


def first_cells(document: docx.document.Document) -> list[str]:
    """The vMerge of each data row's first cell: restart, continue (no w:val) or - (not merged)."""
    found = []
    for row in document.tables[0]._tbl.findall(qn("w:tr"))[1:]:
        merge = row.find(qn("w:tc")).find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
        found.append("-" if merge is None else merge.get(qn("w:val"), "continue"))
    return found


def test_merge_level1_merges_each_group_of_more_than_one_row() -> None:
    document = indicator_document(6)
    merge_level1(document, [[3, 1, 2]])
    assert first_cells(document) == ["restart", "continue", "continue", "-", "restart", "continue"]


def test_merge_level1_refuses_a_table_that_does_not_match_the_data() -> None:
    document = indicator_document(4)
    with pytest.raises(TemplateError, match="绩效指标表有 4 行数据，应为 5 行"):
        merge_level1(document, [[3, 2]])
    with pytest.raises(TemplateError, match="模板生成了 1 张绩效指标表"):
        merge_level1(document, [[2, 2], [1]])


def test_renumber_bookmarks_gives_copies_of_a_loop_their_own_ids() -> None:
    document = docx.Document()
    body = document.element.body
    for name in ("_Toc1", "_Toc2", "_Toc3"):  # a template loop repeats id 7 for every copy
        body.append(parse_xml(f'<w:p {W}><w:bookmarkStart w:id="7" w:name="{name}"/><w:r><w:t>x</w:t></w:r><w:bookmarkEnd w:id="7"/></w:p>'))
    renumber_bookmarks(document)
    ids = [(e.tag.rsplit("}", 1)[1], e.get(qn("w:id"))) for e in body.iter(qn("w:bookmarkStart"), qn("w:bookmarkEnd"))]
    assert ids == [("bookmarkStart", "0"), ("bookmarkEnd", "0"), ("bookmarkStart", "1"), ("bookmarkEnd", "1"),
                   ("bookmarkStart", "2"), ("bookmarkEnd", "2")]


def test_update_fields_is_set_in_schema_order_and_removed() -> None:
    document = docx.Document()
    settings = document.settings.element
    set_update_fields(document, True)
    names = [etree.QName(child).localname for child in settings]
    assert "updateFields" in names
    # w:updateFields stands before w:compat and the other elements the schema places after it
    assert names.index("updateFields") < names.index("compat")
    set_update_fields(document, False)
    assert settings.find(qn("w:updateFields")) is None
