"""The TOC on small documents, in python-docx's style: XML in, the XML that matters out.

Each document is made here: a TOC field paragraph as a template holds it, headings by style or by their
own outline level, and the ``toc N`` styles. The assertions read the entries back as text, link, style
and field, and the page numbers where ``set_numbers`` writes them.
"""

from __future__ import annotations

import docx
import pytest
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from perfgen.errors import TemplateError
from perfgen.render.toc import make_toc, set_numbers, start_body_on_odd_page

W = nsdecls("w")
TOC_PARAGRAPH = (
    f"<w:p {W}>"
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-2" \\h \\z \\u </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    "<w:r><w:t>请在 Word 中更新目录</w:t></w:r>"
    '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    "</w:p>"
)


def document_with_toc(*headings: tuple[int, str], toc_styles: int = 2) -> Document:
    """A document: a title, the TOC field, a section break, then the headings (level 0 or 1) by outline level."""
    document = docx.Document()
    for level in range(1, toc_styles + 1):
        document.styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
    body = document.element.body
    document.add_paragraph("目录")
    body.insert(len(body) - 1, parse_xml(TOC_PARAGRAPH))
    # the TOC's own section ends here, as in the template (body numbering restarts after it)
    body.insert(len(body) - 1, parse_xml(f'<w:p {W}><w:pPr><w:sectPr><w:type w:val="nextPage"/></w:sectPr></w:pPr></w:p>'))
    for level, title in headings:
        paragraph = document.add_paragraph(title)
        props = paragraph._p.get_or_add_pPr()
        etree.SubElement(props, qn("w:outlineLvl")).set(qn("w:val"), str(level))
    return document


def entries(document: Document) -> list[tuple[str, str, str, str]]:
    """Each TOC entry as (style id, title text, hyperlink anchor, PAGEREF instruction)."""
    found = []
    for paragraph in document.element.body.iter(qn("w:p")):
        link = paragraph.find(qn("w:hyperlink"))
        if link is None:
            continue
        style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        title = "".join(t.text or "" for t in link.iter(qn("w:t")) if t.text and not t.text.isdigit())
        instructions = "".join(t.text or "" for t in link.iter(qn("w:instrText")))
        found.append((style.get(qn("w:val")) if style is not None else "", title, link.get(qn("w:anchor")), instructions.strip()))
    return found


def bookmarks(document: Document) -> dict[str, str]:
    """Bookmark name -> the text of the paragraph that holds it."""
    found = {}
    for start in document.element.body.iter(qn("w:bookmarkStart")):
        paragraph = start.getparent()
        found[start.get(qn("w:name"))] = "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
    return found


def numbers(document: Document) -> list[str]:
    """The text after each PAGEREF's separate mark, in order."""
    found = []
    for link in document.element.body.iter(qn("w:hyperlink")):
        runs = list(link.iter(qn("w:r")))
        for index, run in enumerate(runs):
            mark = run.find(qn("w:fldChar"))
            if mark is not None and mark.get(qn("w:fldCharType")) == "separate":
                found.append("".join(t.text or "" for t in runs[index + 1].iter(qn("w:t"))))
    return found


def test_each_heading_of_the_field_s_levels_gets_an_entry_linked_to_its_bookmark() -> None:
    document = document_with_toc((0, "第一部分 部门整体绩效目标"), (1, "一、总体绩效目标"), (2, "（一）不在目录中"))
    titles = make_toc(document)
    assert titles == ["第一部分 部门整体绩效目标", "一、总体绩效目标"]
    assert entries(document) == [
        ("toc1", "第一部分 部门整体绩效目标", "_Toc000000001", "PAGEREF _Toc000000001 \\h"),
        ("toc2", "一、总体绩效目标", "_Toc000000002", "PAGEREF _Toc000000002 \\h"),
    ]
    assert bookmarks(document) == {"_Toc000000001": "第一部分 部门整体绩效目标", "_Toc000000002": "一、总体绩效目标"}


def test_the_field_stays_whole_around_the_entries() -> None:
    document = document_with_toc((0, "甲"), (0, "乙"))
    make_toc(document)
    body = document.element.body
    kinds = [mark.get(qn("w:fldCharType")) for mark in body.iter(qn("w:fldChar"))]
    # TOC begin, separate; each entry's PAGEREF begin, separate, end; TOC end
    assert kinds == ["begin", "separate"] + ["begin", "separate", "end"] * 2 + ["end"]
    instruction = next(body.iter(qn("w:instrText"))).text
    assert instruction.split()[:1] == ["TOC"]
    assert "请在 Word 中更新目录" not in "".join(t.text or "" for t in body.iter(qn("w:t")))


def test_old_bookmarks_in_a_heading_are_replaced() -> None:
    document = document_with_toc((0, "甲"))
    heading = document.paragraphs[-1]._p
    heading.append(parse_xml(f'<w:bookmarkStart {W} w:id="7" w:name="_Toc_repeated"/>'))
    heading.append(parse_xml(f'<w:bookmarkEnd {W} w:id="7"/>'))
    make_toc(document)
    assert bookmarks(document) == {"_Toc000000001": "甲"}


def test_a_document_without_headings_keeps_an_empty_field() -> None:
    document = document_with_toc()
    assert make_toc(document) == []
    assert entries(document) == []
    kinds = [mark.get(qn("w:fldCharType")) for mark in document.element.body.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"]


def test_a_missing_toc_style_is_named() -> None:
    document = document_with_toc((0, "甲"), (1, "乙"), toc_styles=1)
    with pytest.raises(TemplateError, match="“toc 2”"):
        make_toc(document)


def test_without_a_field_the_headings_get_bookmarks_and_no_toc() -> None:
    document = docx.Document()
    heading = document.add_paragraph("甲")
    etree.SubElement(heading._p.get_or_add_pPr(), qn("w:outlineLvl")).set(qn("w:val"), "0")
    assert make_toc(document) == ["甲"]
    assert bookmarks(document) == {"_Toc000000001": "甲"}
    assert entries(document) == []


def test_set_numbers_writes_each_entry_s_page_in_order() -> None:
    document = document_with_toc((0, "甲"), (1, "乙"), (1, "丙"))
    make_toc(document)
    assert numbers(document) == ["", "", ""]
    set_numbers(document, [1, 2, 12])
    assert numbers(document) == ["1", "2", "12"]


def test_set_numbers_refuses_a_count_that_does_not_match() -> None:
    document = document_with_toc((0, "甲"), (1, "乙"))
    make_toc(document)
    with pytest.raises(TemplateError, match="2 个页码位置，但有 3 个标题"):
        set_numbers(document, [1, 2, 3])


def test_a_blank_page_goes_before_the_end_of_the_toc_s_section() -> None:
    document = document_with_toc((0, "甲"))
    make_toc(document)
    assert start_body_on_odd_page(document)
    section_end = next(p for p in document.element.body.iter(qn("w:p")) if p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None)
    blank = section_end.getprevious()
    assert blank.find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}") is not None
    assert not "".join(t.text or "" for t in blank.iter(qn("w:t")))
    # the entries come before the blank page
    assert blank.getprevious().find(qn("w:hyperlink")) is not None


def test_no_blank_page_without_a_toc() -> None:
    document = docx.Document()
    document.add_paragraph("甲")
    assert not start_body_on_odd_page(document)
