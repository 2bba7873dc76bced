"""A 一级 group stays on one page where it fits on a page, and keeps its label where it does not.

Keep-together is marked in the document for every suite to honour (Word, WPS, LibreOffice):
each paragraph of a group's rows but its last row keeps with the next (w:keepNext) and no
row splits (w:cantSplit), so that a group that does not fit where it begins moves to the
next page whole. The header row keeps with the first group. A group taller than a page
(foreseen from its rows' heights, render/heights.py) is not marked: it would only leave the
page before it nearly empty and split all the same.

A group split across pages keeps its label: the merge restarts on each continuation page.
Where a group breaks is read from LibreOffice's layout (its PDF): on every page after a
绩效指标表's first, the first data row that continues a group gets the group's label and
starts a merge of its own. Neither the rows' heights nor the page breaks change (the label
is as wide as it was), and the row before the break is no longer stretched to the page's
foot by a merge running on. A document laid out by Word alone keeps its merges whole.
"""

from __future__ import annotations

import copy
import io

from docx.document import Document
from lxml import etree

from perfgen.render.fixups import INDICATOR_HEADER, indicator_tables, set_child, set_vmerge
from perfgen.render.heights import row_heights
from perfgen.render.measure import Styles
from perfgen.render.ns import qn

INFO_HEADER = "项目编码"  # the first cell of a project's first table: a new project begins

# children of w:pPr that the schema places after w:keepNext
_PPR_AFTER_KEEP_NEXT = {
    qn(f"w:{name}")
    for name in (
        "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr", "suppressLineNumbers", "pBdr", "shd",
        "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE",
        "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing",
        "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap",
        "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange",
    )
}
# children of w:tr that come before w:trPr
_BEFORE_TRPR = {qn("w:tblPrEx")}


def groups(rows: list[etree._Element]) -> list[list[int]]:
    """The 一级 groups of these data rows, as lists of row indexes: a group begins where the first cell
    starts a merge or has none."""
    found: list[list[int]] = []
    for i, row in enumerate(rows):
        cell = row.find(qn("w:tc"))
        if found and cell is not None and _vmerge(cell) == "continue":
            found[-1].append(i)
        else:
            found.append([i])
    return found


def _keep_with_next(row: etree._Element) -> None:
    for paragraph in row.iter(qn("w:p")):
        props = paragraph.find(qn("w:pPr"))
        if props is None:
            props = etree.Element(qn("w:pPr"))
            paragraph.insert(0, props)
        set_child(props, "w:keepNext", None, _PPR_AFTER_KEEP_NEXT)


def _cant_split(row: etree._Element) -> None:
    props = row.find(qn("w:trPr"))
    if props is None:
        props = etree.Element(qn("w:trPr"))
        before = [child for child in row if child.tag in _BEFORE_TRPR]
        if before:
            before[-1].addnext(props)
        else:
            row.insert(0, props)
    if props.find(qn("w:cantSplit")) is None:
        props.append(etree.Element(qn("w:cantSplit")))  # trPr's children come in any order


def keep_table_groups(table: etree._Element, styles: Styles, page: float) -> None:
    """Mark each 一级 group of this 绩效指标表 that fits on a page ``page`` points tall (0: unknown) to stay on
    one page (see the module's docstring)."""
    rows = table.findall(qn("w:tr"))
    if len(rows) < 2:
        return
    heights = row_heights(table, styles)
    _keep_with_next(rows[0])
    for group in groups(rows[1:]):
        if page and heights[0] + sum(heights[1 + i] for i in group) > page:
            continue  # taller than a page: split where the page ends, its label repeated
        for i in group:
            _cant_split(rows[1 + i])
            if i != group[-1]:
                _keep_with_next(rows[1 + i])


def page_starts(pdf: bytes) -> list[list[int]]:
    """For each 绩效指标表 of the PDF, in order, the data rows (0-based) that begin a page after its first."""
    import pdfplumber  # only builds that make a PDF need it

    tables: list[list[int]] = []
    rows_so_far = 0
    new_project = False
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            for table in page.find_tables():
                rows = table.extract()
                first = "".join((rows[0][0] or "").split()) if rows and rows[0] else ""
                if first == INFO_HEADER:
                    new_project = True
                elif first == INDICATOR_HEADER:
                    if new_project or not tables:
                        tables.append([])
                        rows_so_far = 0
                        new_project = False
                    elif rows_so_far:
                        tables[-1].append(rows_so_far)
                    rows_so_far += len(rows) - 1
    return tables


def _vmerge(cell: etree._Element) -> str | None:
    """'restart', 'continue' or None (no merge)."""
    element = cell.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
    if element is None:
        return None
    return "restart" if element.get(qn("w:val")) == "restart" else "continue"


def restart_groups(document: Document, starts: list[list[int]]) -> bool:
    """Restart the 一级 merge, label copied, at each of these rows that continues a group; whether any did."""
    tables = indicator_tables(document)
    if len(tables) != len(starts):  # the PDF is not of this document: change nothing
        return False
    changed = False
    for table, rows_at in zip(tables, starts):
        rows = table.findall(qn("w:tr"))[1:]
        cells = [cell for row in rows if (cell := row.find(qn("w:tc"))) is not None]
        if len(cells) != len(rows):
            continue
        for at in rows_at:
            if at >= len(cells) or _vmerge(cells[at]) != "continue":
                continue
            label = next(cells[i] for i in range(at, -1, -1) if _vmerge(cells[i]) == "restart")
            for paragraph in cells[at].findall(qn("w:p")):
                cells[at].remove(paragraph)
            for paragraph in label.findall(qn("w:p")):
                cells[at].append(copy.deepcopy(paragraph))
            runs_on = at + 1 < len(cells) and _vmerge(cells[at + 1]) == "continue"
            set_vmerge(cells[at], "restart" if runs_on else None)
            changed = True
    return changed


def relabel_split_groups(docx: bytes, pdf: bytes, starts: list[list[int]] | None = None) -> bytes | None:
    """The document with its split groups labelled on every page, as laid out in ``pdf``; None if none is split.

    ``starts``: where ``pdf`` breaks the tables' rows, as LibreOffice said when it made it (``page_starts``
    reads the same from the PDF, at ~35 ms a page); read from the PDF where it names other tables.
    """
    import docx as python_docx

    from perfgen.write.package import docx_bytes

    if starts is None:
        starts = page_starts(pdf)
    if not any(starts):
        return None
    document = python_docx.Document(io.BytesIO(docx))
    if len(starts) != len(indicator_tables(document)):  # LibreOffice counted other tables than these: the PDF tells
        starts = page_starts(pdf)
    return docx_bytes(document) if restart_groups(document, starts) else None
