"""The TOC, made after rendering from the document's own headings, as Word makes it.

The template holds only the TOC field (its instruction and a placeholder result),
where an editor sees it and no office suite rewrites it. Once the document is
rendered, each heading of the levels the field asks for (``\\o "1-2"``) gets a
bookmark, and the field's result becomes one entry per heading in the template's
styles ``toc 1``, ``toc 2`` …: a hyperlink to the bookmark, the title, a tab (the
style's dot leader) and a PAGEREF field whose result is the page number. The numbers
are written in later (``set_numbers``), once LibreOffice has laid the document out;
Word's "update field" rebuilds the same entries. A TOC of two pages (or four) gets a
blank page after it, so that the body's page 1 is a right-hand page.

An entry too long for its line breaks at balanced points (render/lines.py): no line
under four characters, never inside a word, its leader and page number ending the last
line.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass

from docx.document import Document
from lxml import etree

from perfgen.errors import TemplateError
from perfgen.render.lines import balanced
from perfgen.render.measure import Styles, line_ems, paragraph_style
from perfgen.render.ns import qn

BOOKMARK = "_Toc{:09d}"
NUMBER_EMS = 1.5  # a page number of up to three digits
LEADER_EMS = 2.0  # the least of a dot leader worth printing


@dataclass
class Field:
    """A complex field in the body: its begin, separate and end fldChar elements and its instruction."""

    begin: etree._Element
    separate: etree._Element | None
    end: etree._Element
    instruction: str


@dataclass
class Heading:
    paragraph: etree._Element
    level: int  # outline level, 0-based (Word's "1" is 0)
    title: str
    bookmark: str = ""


@dataclass
class _Open:
    """A field begun and not yet ended, while ``fields`` reads on."""

    begin: etree._Element
    separate: etree._Element | None = None
    instruction: str = ""


def fields(root: etree._Element) -> list[Field]:
    """The complex fields under ``root``, in the order they end (nested ones first)."""
    found: list[Field] = []
    stack: list[_Open] = []
    for element in root.iter(qn("w:fldChar"), qn("w:instrText")):
        if element.tag == qn("w:instrText"):
            if stack and stack[-1].separate is None:
                stack[-1].instruction += element.text or ""
            continue
        kind = element.get(qn("w:fldCharType"))
        if kind == "begin":
            stack.append(_Open(element))
        elif kind == "separate" and stack:
            stack[-1].separate = element
        elif kind == "end" and stack:
            top = stack.pop()
            found.append(Field(top.begin, top.separate, element, top.instruction.strip()))
    return found


def toc_field(document: Document) -> Field | None:
    """The document's TOC field, if it has one."""
    return next((f for f in fields(document.element.body) if f.instruction.split()[:1] == ["TOC"]), None)


def outline_levels(instruction: str) -> range:
    """The outline levels (0-based) a TOC instruction takes: ``\\o "1-2"`` -> 0, 1."""
    found = re.search(r'\\o\s+"?(\d)-(\d)"?', instruction)
    if not found:
        return range(0, 9)
    return range(int(found[1]) - 1, int(found[2]))


def _ancestor(element: etree._Element, tag: str) -> etree._Element:
    found: etree._Element | None = element
    while found is not None and found.tag != qn(tag):
        found = found.getparent()
    if found is None:
        raise TemplateError("模板中的目录域不在段落中，无法生成目录")
    return found


def _parent(element: etree._Element) -> etree._Element:
    """The parent of a paragraph of the body or of a run: they all have one."""
    parent = element.getparent()
    assert parent is not None
    return parent


_OWN_LEVEL = f"{qn('w:pPr')}/{qn('w:outlineLvl')}"  # made once: looked for in every paragraph


def _outline_level(paragraph: etree._Element, styles: Styles) -> int | None:
    own = paragraph.find(_OWN_LEVEL)
    level = int(own.get(qn("w:val"), "")) if own is not None else styles.outline_level(paragraph_style(paragraph))
    return level if level is not None and level < 9 else None


def _text(paragraph: etree._Element) -> str:
    return "".join(t.text or "" for t in paragraph.iter(qn("w:t")))


def _candidates(document: Document, styles: Styles) -> Iterator[etree._Element]:
    """The paragraphs that may have an outline level, in document order."""
    body = document.element.body
    if styles.outline_level(None) is not None or styles.outline_level("\0") is not None:
        # the default style, or the defaults an unknown style falls back on, give one: every paragraph may
        yield from body.iter(qn("w:p"))
        return
    # otherwise only a paragraph with its own level or a heading style: visit those marks, not every paragraph
    heading_styles = {style for style in styles.ids() if styles.outline_level(style) is not None}
    paragraph_tag, properties_tag, style_tag, value = qn("w:p"), qn("w:pPr"), qn("w:pStyle"), qn("w:val")
    seen: set[etree._Element] = set()
    for mark in body.iter(qn("w:outlineLvl"), style_tag):
        if mark.tag == style_tag and mark.get(value) not in heading_styles:
            continue
        properties = mark.getparent()
        paragraph = properties.getparent() if properties is not None else None
        if paragraph is None or properties.tag != properties_tag or paragraph.tag != paragraph_tag or paragraph in seen:
            continue
        seen.add(paragraph)
        yield paragraph


def headings(document: Document, levels: range, skip: set[etree._Element]) -> list[Heading]:
    """The paragraphs of the given outline levels that have text, in document order."""
    styles = Styles(document)
    found = []
    for paragraph in _candidates(document, styles):
        if paragraph in skip:
            continue
        level = _outline_level(paragraph, styles)
        if level is None or level not in levels:
            continue
        title = _text(paragraph).strip()  # only for headings: most paragraphs are table cells
        if title:
            found.append(Heading(paragraph, level, title))
    return found


def toc_style_ids(document: Document) -> dict[int, str]:
    """Outline level -> id of the style named "toc N" (Word's name; LibreOffice writes "TOC N")."""
    found = {}
    for style in document.styles.element.iter(qn("w:style")):
        name = style.find(qn("w:name"))
        matched = re.fullmatch(r"toc (\d)", (name.get(qn("w:val")) if name is not None else "").lower())
        if matched and style.get(qn("w:type")) == "paragraph":
            found[int(matched[1]) - 1] = style.get(qn("w:styleId"))
    return found


def _bookmark(paragraph: etree._Element, name: str, number: int) -> None:
    """Wrap the paragraph's content in a bookmark, replacing any the template gave it (loops repeat those)."""
    for old in paragraph.findall(f".//{qn('w:bookmarkStart')}") + paragraph.findall(f".//{qn('w:bookmarkEnd')}"):
        _parent(old).remove(old)
    start = etree.Element(qn("w:bookmarkStart"))
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end = etree.Element(qn("w:bookmarkEnd"))
    end.set(qn("w:id"), str(number))
    props = paragraph.find(qn("w:pPr"))
    if props is None:
        paragraph.insert(0, start)
    else:
        props.addnext(start)
    paragraph.append(end)


def _run(*children: etree._Element) -> etree._Element:
    run = etree.Element(qn("w:r"))
    for child in children:
        run.append(child)
    return run


def _t(text: str) -> etree._Element:
    t = etree.Element(qn("w:t"))
    t.text = text
    if text != text.strip():
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return t


def _fld(kind: str) -> etree._Element:
    element = etree.Element(qn("w:fldChar"))
    element.set(qn("w:fldCharType"), kind)
    return element


def _instr(text: str) -> etree._Element:
    element = etree.Element(qn("w:instrText"))
    element.text = text
    element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return element


def _entry(heading: Heading, style_id: str | None, fits: tuple[float, float]) -> etree._Element:
    """One TOC entry: a hyperlink to the heading's bookmark holding its title, a tab and a PAGEREF."""
    paragraph = etree.Element(qn("w:p"))
    if style_id:
        props = etree.SubElement(paragraph, qn("w:pPr"))
        etree.SubElement(props, qn("w:pStyle")).set(qn("w:val"), style_id)
    link = etree.SubElement(paragraph, qn("w:hyperlink"))
    link.set(qn("w:anchor"), heading.bookmark)
    link.set(qn("w:history"), "1")
    title = heading.title
    lines = balanced(title, *fits, last_reserve=LEADER_EMS + NUMBER_EMS)
    pieces: list[etree._Element] = []
    for line in lines:
        if pieces:
            pieces.append(etree.Element(qn("w:br")))
        pieces.append(_t(line))
    link.append(_run(*pieces))
    link.append(_run(etree.Element(qn("w:tab"))))
    link.append(_run(_fld("begin")))
    link.append(_run(_instr(f" PAGEREF {heading.bookmark} \\h ")))
    link.append(_run(_fld("separate")))
    link.append(_run(_t("")))
    link.append(_run(_fld("end")))
    return paragraph


def _widths(document: Document, styles: Styles, style_id: str | None) -> tuple[float, float]:
    """The ems on an entry's first line and on the next ones."""
    return line_ems(document, styles, style_id, first=True), line_ems(document, styles, style_id, first=False)


def bookmark_names(count: int) -> list[str]:
    """The bookmarks ``make_toc`` gives the first ``count`` headings, in order."""
    return [BOOKMARK.format(number) for number in range(1, count + 1)]


def make_toc(document: Document) -> list[str]:
    """Bookmark the headings and write the TOC's entries (without page numbers); the headings' titles.

    A template without a TOC field gets bookmarks and no TOC.
    """
    field = toc_field(document)
    levels = outline_levels(field.instruction) if field else range(0, 2)
    first = _ancestor(field.begin, "w:p") if field else None
    last = _ancestor(field.end, "w:p") if field else None
    skip: set[etree._Element] = set()
    if first is not None and last is not None:
        if first.getparent() is not last.getparent():
            raise TemplateError("模板中目录域的开始和结束不在同一层，无法生成目录：请在 Word 中重新插入目录")
        siblings = list(_parent(first))
        skip = set(siblings[siblings.index(first) : siblings.index(last) + 1])
    found = headings(document, levels, skip)
    for number, (heading, name) in enumerate(zip(found, bookmark_names(len(found))), 1):
        heading.bookmark = name
        _bookmark(heading.paragraph, name, 100000 + number)
    if field is None or first is None or last is None:
        return [h.title for h in found]

    styles = Styles(document)
    style_ids = toc_style_ids(document)
    missing = sorted({h.level for h in found if h.level not in style_ids})
    if missing:
        names = "、".join(f"“toc {level + 1}”" for level in missing)
        raise TemplateError(f"模板缺少目录样式 {names}：请在 Word 中为目录的各级设置样式（“目录 1”“目录 2”）")
    # the field's own runs (begin, instruction, separate) open the first entry; its end closes the last
    end_run = _parent(field.end)
    code_runs: list[etree._Element] = []
    for run in first.iter(qn("w:r")):
        if run is field.begin.getparent():
            code_runs.append(run)
        elif code_runs and run is not end_run:
            code_runs.append(run)
        if run is end_run or (field.separate is not None and field.separate.getparent() is run):
            break
    entries = [
        _entry(h, style_ids.get(h.level), _widths(document, styles, style_ids.get(h.level))) for h in found
    ]
    if not entries:  # no headings: an empty result keeps the field whole
        entries = [etree.Element(qn("w:p"))]
        props = first.find(qn("w:pPr"))
        if props is not None:
            entries[0].append(copy.deepcopy(props))
    opening = entries[0].find(qn("w:pPr"))
    at = 0 if opening is None else 1
    for offset, run in enumerate(code_runs):
        entries[0].insert(at + offset, copy.deepcopy(run))
    entries[-1].append(copy.deepcopy(end_run))

    parent = _parent(first)
    position = parent.index(first)
    for paragraph in skip:
        parent.remove(paragraph)
    for offset, entry in enumerate(entries):
        parent.insert(position + offset, entry)
    return [h.title for h in found]


def _number_runs(document: Document) -> list[etree._Element]:
    """The result text of every PAGEREF inside the TOC field, in order."""
    toc = toc_field(document)
    if toc is None:
        return []
    first, last = _ancestor(toc.begin, "w:p"), _ancestor(toc.end, "w:p")
    siblings = list(_parent(first))
    inside = siblings[siblings.index(first) : siblings.index(last) + 1]
    found = []
    for paragraph in inside:
        for field in fields(paragraph):
            if field.instruction.split()[:1] == ["PAGEREF"] and field.separate is not None:
                result = _parent(field.separate).getnext()
                texts = list(result.iter(qn("w:t"))) if result is not None else []
                if texts:
                    found.append(texts[0])
    return found


def start_body_on_odd_page(document: Document) -> bool:
    """Add a blank page after a TOC of an even number of pages, so that the body starts on a right-hand page.

    An empty paragraph on a page of its own goes before the end of the TOC's section; False where there is none.
    """
    toc = toc_field(document)
    if toc is None:
        return False
    paragraph: etree._Element | None = _ancestor(toc.end, "w:p")
    while paragraph is not None:
        props = paragraph.find(qn("w:pPr")) if paragraph.tag == qn("w:p") else None
        if props is not None and props.find(qn("w:sectPr")) is not None:
            # an empty paragraph on a page of its own before the section ends: the blank page
            # (not the section's last paragraph itself, which LibreOffice drops when it is empty)
            blank = etree.Element(qn("w:p"))
            etree.SubElement(etree.SubElement(blank, qn("w:pPr")), qn("w:pageBreakBefore"))
            paragraph.addprevious(blank)
            return True
        paragraph = paragraph.getnext()
    return False


def set_numbers(document: Document, numbers: list[int]) -> None:
    """Write the page numbers into the TOC's PAGEREF results, in the order of its entries."""
    results = _number_runs(document)
    if len(results) != len(numbers):
        raise TemplateError(f"目录有 {len(results)} 个页码位置，但有 {len(numbers)} 个标题")
    for text, number in zip(results, numbers):
        text.text = str(number)
