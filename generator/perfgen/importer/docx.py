"""Read a Word document (.docx, by perfgen or by hand in Word or WPS) into paragraphs and tables.

Word keeps a merged cell as one ``w:tc`` with ``w:gridSpan`` (across) or as a
``w:vMerge`` chain (down); both become grid positions here. Automatic numbering
and bullets are not text in the file: they are rendered from numbering.xml so
that "1、" typed by hand and "1、" from a Word list read the same.
"""

from __future__ import annotations

import io
from collections import defaultdict
from pathlib import Path

import docx
from docx.oxml.ns import qn
from lxml import etree

from perfgen.docxtext import paragraph_text
from perfgen.errors import PerfgenError
from perfgen.importer.blocks import Block, Cell, Paragraph, Row, Table
from perfgen.form import chinese_number

_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = (qn(t) for t in ("w:p", "w:tbl", "w:tr", "w:tc", "w:sdt", "w:sdtContent"))
_VAL = qn("w:val")
CHINESE_FORMATS = {"chineseCounting", "chineseCountingThousand", "ideographTraditional", "chineseLegalSimplified"}


LEVELS = 9  # Word's list levels, 0 to 8
MAX_COLUMNS = 63  # Word's widest table


def _int(value: str | None, default: int, low: int, high: int) -> int:
    """A number attribute as Word reads it, within [low, high]; ``default`` when it is missing or no number.

    A hand-made or damaged file may hold "1.5", "abc" or a level of 12; Word shows such a file all the same.
    """
    try:
        number = int(value) if value is not None else default
    except ValueError:
        try:
            number = int(float(value))  # type: ignore[arg-type]
        except (ValueError, OverflowError):
            number = default
    return min(max(number, low), high)


class _Numbering:
    """Renders the automatic number or bullet of a list paragraph, counting as Word does (per list and level)."""

    def __init__(self, document: docx.document.Document) -> None:
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, list[int]] = defaultdict(lambda: [0] * LEVELS)
        self.styles = _style_numbering(document)
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {}
        for node in root.findall(qn("w:abstractNum")):
            abstract[node.get(qn("w:abstractNumId"))] = node
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            node = abstract.get(ref.get(_VAL)) if ref is not None else None
            if node is None:
                continue
            for lvl in node.findall(qn("w:lvl")):
                fmt = lvl.find(qn("w:numFmt"))
                text = lvl.find(qn("w:lvlText"))
                start = lvl.find(qn("w:start"))
                self.levels[(num.get(qn("w:numId")), _int(lvl.get(qn("w:ilvl")), 0, 0, LEVELS - 1))] = (
                    fmt.get(_VAL) if fmt is not None else "decimal",
                    text.get(_VAL) if text is not None else "",
                    _int(start.get(_VAL) if start is not None else None, 1, 0, 10**6),
                )

    def prefix(self, p: etree._Element) -> str:
        props = p.find(qn("w:pPr"))
        num = props.find(qn("w:numPr")) if props is not None else None
        style = props.find(qn("w:pStyle")) if props is not None else None
        if num is not None:
            num_id = num.find(qn("w:numId"))
            ilvl = num.find(qn("w:ilvl"))
            key = (num_id.get(_VAL) if num_id is not None else "", _int(ilvl.get(_VAL) if ilvl is not None else None, 0, 0, LEVELS - 1))
        elif style is not None and style.get(_VAL, "") in self.styles:
            key = self.styles[style.get(_VAL, "")]  # a list style ("List Number", "List Bullet")
        else:
            return ""
        if key not in self.levels or key[0] == "0":
            return ""
        fmt, text, start = self.levels[key]
        if fmt == "bullet":
            return "• "
        counters = self.counters[key[0]]
        counters[key[1]] = (counters[key[1]] or start - 1) + 1
        for deeper in range(key[1] + 1, LEVELS):
            counters[deeper] = 0
        number = counters[key[1]]
        shown = chinese_number(number) if fmt in CHINESE_FORMATS and 0 < number < 100 else str(number)
        return text.replace(f"%{key[1] + 1}", shown) if text else shown


def _style_numbering(document: docx.document.Document) -> dict[str, tuple[str, int]]:
    """Paragraph styles that number their paragraphs: style id -> (numId, level), following basedOn."""
    own: dict[str, tuple[str, int]] = {}
    based: dict[str, str] = {}
    for style in document.styles.element.findall(qn("w:style")):
        style_id = style.get(qn("w:styleId"))
        parent = style.find(qn("w:basedOn"))
        if parent is not None:
            based[style_id] = parent.get(_VAL)
        num = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        if num is not None and num.find(qn("w:numId")) is not None:
            ilvl = num.find(qn("w:ilvl"))
            own[style_id] = (num.find(qn("w:numId")).get(_VAL), _int(ilvl.get(_VAL) if ilvl is not None else None, 0, 0, LEVELS - 1))
    found = {}
    for style_id in set(own) | set(based):
        current: str | None = style_id
        seen: set[str] = set()
        while current and current not in own and current not in seen:
            seen.add(current)
            current = based.get(current)
        if current in own:
            found[style_id] = own[current]
    return found


def _is_continuation(tc: etree._Element) -> bool:
    props = tc.find(qn("w:tcPr"))
    merge = props.find(qn("w:vMerge")) if props is not None else None
    return merge is not None and merge.get(_VAL, "continue") == "continue"


def _span(tc: etree._Element) -> int:
    props = tc.find(qn("w:tcPr"))
    span = props.find(qn("w:gridSpan")) if props is not None else None
    return _int(span.get(_VAL) if span is not None else None, 1, 1, MAX_COLUMNS)


def _cell_text(tc: etree._Element, numbering: _Numbering) -> str:
    # a nested table's text is kept, read as lines of the cell
    lines = []
    for p in tc.iter(_P):
        lines.append(numbering.prefix(p) + paragraph_text(p))
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def _table(tbl: etree._Element, number: int, numbering: _Numbering) -> Table:
    table = Table(place=f"第{number}个表格")
    for r, tr in enumerate(tbl.findall(_TR), 1):
        cells: list[Cell] = []
        column = 0
        before = tr.find(qn("w:trPr"))
        grid_before = before.find(qn("w:gridBefore")) if before is not None else None
        if grid_before is not None:
            column = _int(grid_before.get(_VAL), 0, 0, MAX_COLUMNS)
        for tc in tr.findall(_TC):
            span = _span(tc)
            if _is_continuation(tc):
                cells.append(Cell("", column, span, merged_up=True))
            else:
                cells.append(Cell(_cell_text(tc, numbering).strip(), column, span))
            column += span
        table.rows.append(Row(cells, f"第{number}个表格第{r}行"))
    return table


def _style_kind(p: etree._Element, toc_styles: set[str]) -> str:
    props = p.find(qn("w:pPr"))
    style = props.find(qn("w:pStyle")) if props is not None else None
    return "toc" if style is not None and style.get(_VAL) in toc_styles else ""


def read_docx(source: Path | bytes) -> list[Block]:
    try:
        document = docx.Document(io.BytesIO(source) if isinstance(source, bytes) else str(source))
    except Exception:  # python-docx raises several kinds for a file that is not a .docx
        raise PerfgenError("无法读取：它不是有效的 Word 文档") from None
    toc_styles = set()
    for style in document.styles.element.findall(qn("w:style")):  # the XML: python-docx refuses odd style types
        name = style.find(qn("w:name"))
        if name is not None and (name.get(_VAL) or "").lower().replace(" ", "").startswith("toc"):
            toc_styles.add(style.get(qn("w:styleId")))
    numbering = _Numbering(document)
    blocks: list[Block] = []
    counts = {"p": 0, "t": 0}

    def walk(parent: etree._Element) -> None:
        for child in parent:
            if child.tag == _P:
                counts["p"] += 1
                text = numbering.prefix(child) + paragraph_text(child)
                blocks.append(Paragraph(text, f"第{counts['p']}段", _style_kind(child, toc_styles)))
            elif child.tag == _TBL:
                counts["t"] += 1
                blocks.append(_table(child, counts["t"], numbering))
            elif child.tag == _SDT:  # a table of contents in a content control
                content = child.find(_SDT_CONTENT)
                if content is not None:
                    walk(content)

    walk(document.element.body)
    return blocks
