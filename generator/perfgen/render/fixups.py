"""Changes to the rendered document that a template cannot express.

* the 一级指标 cells are merged vertically, one group per 一级 of the data;
* bookmark ids, repeated by the template's loops, are made unique;
* a project title too long for one line breaks at balanced points, never inside a word (render/lines.py);
* document properties are set from the data (plain values, not template text).
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterator

from docx.document import Document
from lxml import etree

from perfgen.errors import TemplateError
from perfgen.render.lines import balanced
from perfgen.render.measure import Styles, line_ems, paragraph_style
from perfgen.render.ns import qn

INDICATOR_HEADER = "一级指标"
TITLE_END = "绩效目标表"
# ems kept free on a title's line: the faces' digits and signs are not all exactly half an em
TITLE_SLACK = 1.0
CORE_PROPERTY_LIMIT = 255

# children of w:tcPr that the schema places after w:vMerge
_AFTER_VMERGE = {
    qn(f"w:{name}")
    for name in (
        "tcBorders", "shd", "noWrap", "tcMar", "textDirection", "tcFitText",
        "vAlign", "hideMark", "headers", "cellIns", "cellDel", "cellMerge", "tcPrChange",
    )
}


def _text(element: etree._Element) -> str:
    # not itertext(): python-docx's element classes make it repeat text
    return "".join(t.text or "" for t in element.iter(qn("w:t"))).strip()


def indicator_tables(document: Document) -> list[etree._Element]:
    """Tables whose first cell reads 一级指标, in document order."""
    return [table for table in document.element.body.iter(qn("w:tbl")) if is_indicator_table(table)]


def is_indicator_table(table: etree._Element) -> bool:
    row = table.find(qn("w:tr"))
    first = row.find(qn("w:tc")) if row is not None else None
    return first is not None and _text(first) == INDICATOR_HEADER


# children of w:rPr that the schema places after w:spacing
RPR_AFTER_SPACING = {
    qn(f"w:{name}")
    for name in (
        "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign",
        "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath",
    )
}


def properties(element: etree._Element, tag: str) -> etree._Element:
    """``element``'s properties child ``tag`` (w:pPr, w:rPr …), made first where it has none."""
    props = element.find(qn(tag))
    if props is None:
        props = etree.Element(qn(tag))
        element.insert(0, props)
    return props


def set_child(parent: etree._Element, tag: str, value: str | None, followers: set[str], present: bool = True) -> None:
    """Put one ``tag`` child (with w:val ``value``) in ``parent`` at its place in the schema's order.

    ``followers`` are the tags the schema places after it; ``present=False`` removes it.
    """
    for old in parent.findall(qn(tag)):
        parent.remove(old)
    if not present:
        return
    element = etree.Element(qn(tag))
    if value is not None:
        element.set(qn("w:val"), value)
    following = next((child for child in parent if child.tag in followers), None)
    if following is None:
        parent.append(element)
    else:
        following.addprevious(element)


def set_vmerge(cell: etree._Element, value: str | None) -> None:
    """Make ``cell`` start ("restart") or continue ("continue") a vertical merge, or none (None)."""
    props = cell.find(qn("w:tcPr"))
    if props is None:
        props = etree.Element(qn("w:tcPr"))
        cell.insert(0, props)
    # a continuation is written without w:val, as Word writes it
    set_child(props, "w:vMerge", "restart" if value == "restart" else None, _AFTER_VMERGE, present=value is not None)


def merge_level1(document: Document, spans: list[list[int]]) -> None:
    """Merge each project's 一级 cells over the rows of its group.

    ``spans[i]`` lists the row counts of the 一级 groups of the i-th project.
    """
    tables = indicator_tables(document)
    if len(tables) != len(spans):
        raise TemplateError(
            f"模板生成了 {len(tables)} 张绩效指标表（首格为“{INDICATOR_HEADER}”的表格），但有 {len(spans)} 个项目"
        )
    for table, groups in zip(tables, spans):
        rows = table.findall(qn("w:tr"))[1:]
        if len(rows) != sum(groups):
            raise TemplateError(f"绩效指标表有 {len(rows)} 行数据，应为 {sum(groups)} 行：模板的行循环有误")
        start = 0
        for size in groups:
            for offset in range(size) if size > 1 else ():  # a group of one row has nothing to merge
                cell = rows[start + offset].find(qn("w:tc"))
                if cell is None:  # e.g. its cells inside a content control
                    raise TemplateError("绩效指标表有一行不是普通的单元格：请在 Word 中去掉这一行单元格外的内容控件")
                set_vmerge(cell, "restart" if offset == 0 else "continue")
            start += size


def renumber_bookmarks(document: Document) -> None:
    """Give every bookmark a unique id; loops copy the template's ids."""
    open_ids: dict[str, deque[str]] = defaultdict(deque)
    next_id = 0
    for element in document.element.body.iter(qn("w:bookmarkStart"), qn("w:bookmarkEnd")):
        old = element.get(qn("w:id"))
        if element.tag == qn("w:bookmarkStart"):
            new = str(next_id)
            next_id += 1
            open_ids[old].append(new)
            element.set(qn("w:id"), new)
        elif open_ids[old]:
            element.set(qn("w:id"), open_ids[old].popleft())


def _headings(document: Document, styles: Styles) -> Iterator[tuple[etree._Element, str | None]]:
    """The paragraphs whose style has an outline level, with their style, in document order."""
    body = document.element.body
    if styles.outline_level(None) is not None or styles.outline_level("\0") is not None:
        # the default style, or the defaults an unknown style falls back on, make headings: look at every paragraph
        for paragraph in body.iter(qn("w:p")):
            style = paragraph_style(paragraph)
            if styles.outline_level(style) is not None:
                yield paragraph, style
        return
    # otherwise only paragraphs that name a heading style are headings: visit the style marks, not every paragraph
    headings = {style for style in styles.ids() if styles.outline_level(style) is not None}
    seen: set[etree._Element] = set()
    value, paragraph_tag = qn("w:val"), qn("w:p")  # made once: every paragraph has a style mark
    for mark in body.iter(qn("w:pStyle")):
        style = mark.get(value)
        if style not in headings:
            continue
        properties = mark.getparent()
        paragraph = properties.getparent() if properties is not None else None
        if paragraph is None or paragraph.tag != paragraph_tag or paragraph in seen:
            continue
        if paragraph_style(paragraph) == style:  # the paragraph's own (first) style mark
            seen.add(paragraph)
            yield paragraph, style


def break_long_titles(document: Document) -> None:
    """Break each heading that ends in 绩效目标表 and does not fit its line, at balanced points."""
    styles = Styles(document)
    widths: dict[str | None, tuple[float, float]] = {}
    text_tag = qn("w:t")
    for paragraph, style in list(_headings(document, styles)):
        texts = list(paragraph.iter(text_tag))
        title = "".join(t.text or "" for t in texts)
        if not title.endswith(TITLE_END) or title == TITLE_END:
            continue
        if style not in widths:  # the lines' widths: the page's margins are looked up once per style
            widths[style] = (
                line_ems(document, styles, style) - TITLE_SLACK,
                line_ems(document, styles, style, first=False) - TITLE_SLACK,
            )
        lines = balanced(title, *widths[style])
        if len(lines) > 1:
            break_text(texts, [len("".join(lines[: i + 1])) for i in range(len(lines) - 1)])


def break_text(texts: list[etree._Element], offsets: list[int]) -> None:
    """Put a line break at each character offset of the text held by these w:t elements, in order."""
    start = 0
    for t in texts:
        text = t.text or ""
        end = start + len(text)
        cuts = [o - start for o in offsets if start < o < end or (o == end and t is not texts[-1] and o > start)]
        if cuts:
            pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)])]
            t.text = pieces[0]
            at = t
            for piece in pieces[1:]:
                brk = etree.Element(qn("w:br"))
                at.addnext(brk)
                at = etree.Element(qn("w:t"))
                at.text = piece
                brk.addnext(at)
        start = end


def set_properties(document: Document, title: str, author: str) -> None:
    """Core properties from the data; no dates, so that a rebuild is byte-identical."""
    props = document.core_properties
    # Word allows 255 characters in a property (python-docx refuses more): a long name is cut, not fatal
    props.title = title[:CORE_PROPERTY_LIMIT]
    props.author = author[:CORE_PROPERTY_LIMIT]
    props.last_modified_by = "perfgen"
    props.revision = 1
    element = props._element
    for name in ("dcterms:created", "dcterms:modified", "cp:lastPrinted"):
        for old in element.findall(qn(name)):
            element.remove(old)


def set_update_fields(document: Document, on: bool) -> None:
    """Ask Word to update the fields (the TOC's page numbers) on opening, or not.

    WPS ignores the setting; it matters only while the numbers are missing.
    """
    set_child(document.settings.element, "w:updateFields", "true", _AFTER_UPDATE_FIELDS, present=on)


_AFTER_UPDATE_FIELDS = {
    qn(f"w:{name}")
    for name in (
        "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "attachedSchema",
        "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures",
        "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults",
        "doNotEmbedSmartTags", "decimalSymbol", "listSeparator",
    )
} | {"{http://schemas.openxmlformats.org/officeDocument/2006/math}mathPr"}
