"""Read a PDF with ruled tables (as published on government websites) into paragraphs and tables.

pdfplumber finds the ruled tables and the characters with their positions; the
text is rebuilt here from the characters, which repairs what a plain text
extraction breaks:

* no space is invented between CJK text and digits (only a real space glyph, or
  a wide gap between two Latin letters or digits, is a space);
* lines are joined into paragraphs by their geometry (a first-line indent or a
  short last line ends a paragraph), also across a page end;
* page numbers ("— 3 —") are dropped, and a table row broken at a page end is
  glued back by the recogniser (its continuation has no 三级指标).

Cells merged across or down become grid ranges on one document-wide grid, so a
table continued on the next page lines up with its first part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from perfgen.errors import PerfgenError
from perfgen.importer.blocks import Block, Cell, Paragraph, Row, Table

PAGE_NUMBER = re.compile(r"^[—–\-－\s]*\d+[—–\-－\s]*$|^第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?$")
ALNUM = re.compile(r"[A-Za-z0-9]")
NUMBERED = re.compile(r"^(?:\d+[.．、]|[（(]\d+[）)])")
SENTENCE_END = ("。", "；", ";", "！", "？", "：", "”")


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int


def _join_chars(chars: list[dict[str, Any]]) -> str:
    out: list[str] = []
    previous = None
    for char in sorted(chars, key=lambda c: c["x0"]):
        text = char["text"]
        if previous is not None and text != " " and previous["text"] != " ":
            gap = char["x0"] - previous["x1"]
            if gap > 0.3 * char["size"] and ALNUM.match(text) and ALNUM.match(previous["text"]):
                out.append(" ")  # two Latin words whose space was not drawn as a glyph
        out.append(text)
        previous = char
    return re.sub(r" {2,}", " ", "".join(out)).strip()


def _lines(chars: list[dict[str, Any]], page: int) -> list[_Line]:
    rows: list[list[dict[str, Any]]] = []
    for char in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])):
        if not char["text"].strip() and char["text"] != " ":
            continue
        for row in rows:
            if abs(row[0]["top"] - char["top"]) < 0.5 * char["size"] and abs(row[0]["size"] - char["size"]) < 2:
                row.append(char)
                break
        else:
            rows.append([char])
    lines = []
    for row in rows:
        text = _join_chars(row)
        if not text:
            continue
        visible = [c for c in row if c["text"].strip()]
        lines.append(
            _Line(
                text,
                min(c["x0"] for c in visible),
                max(c["x1"] for c in visible),
                min(c["top"] for c in row),
                max(c["bottom"] for c in row),
                max(c["size"] for c in row),
                page,
            )
        )
    return sorted(lines, key=lambda line: line.top)


def _starts(previous: _Line | None, line: _Line, left: float, right: float, cell: bool) -> bool:
    """Whether ``line`` begins a paragraph.

    In running text a first-line indent (or a centred line) begins one, and so does a line after a
    clearly short one; a line pushed short by line-breaking rules (a character kept with its
    punctuation) is not clearly short. In a cell only a numbered line after a finished sentence
    begins one: narrow cells wrap early.
    """
    if previous is None or abs(previous.size - line.size) > 1:
        return True
    if cell:
        return bool(NUMBERED.match(line.text)) and previous.text.endswith(SENTENCE_END)
    size = line.size
    short = previous.x1 < right - 3 * size or (previous.x1 < right - 1.5 * size and previous.text.endswith(SENTENCE_END))
    return short or line.x0 > left + 0.8 * size


def _paragraphs(lines: list[_Line], left: float, right: float, *, cell: bool = False) -> list[tuple[str, int]]:
    """Lines joined into paragraphs, each with the page it begins on."""
    paragraphs: list[tuple[str, int]] = []
    previous: _Line | None = None
    for line in lines:
        if _starts(previous, line, left, right, cell):
            paragraphs.append((line.text, line.page))
        else:
            paragraphs[-1] = (paragraphs[-1][0] + line.text, paragraphs[-1][1])
        previous = line
    return paragraphs


class _Grid:
    """Column edges shared by every table of the document, so continued tables line up."""

    def __init__(self, xs: list[float]) -> None:
        self.edges: list[float] = []
        for x in sorted(xs):
            if not self.edges or x - self.edges[-1] > 2.0:
                self.edges.append(x)

    def index(self, x: float) -> int:
        return min(range(len(self.edges)), key=lambda i: abs(self.edges[i] - x))


def _inside(chars: list[dict[str, Any]], bbox: tuple[float, float, float, float]) -> list[dict[str, Any]]:
    x0, top, x1, bottom = bbox
    return [c for c in chars if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom]


def _cell_text(chars: list[dict[str, Any]], bbox: tuple[float, float, float, float]) -> str:
    x1 = bbox[2]
    inside = _inside(chars, bbox)
    lines = _lines(inside, 0)
    if not lines:
        return ""
    return "\n".join(text for text, _ in _paragraphs(lines, min(line.x0 for line in lines), x1 - 3, cell=True))


def read_pdf(path: Path) -> list[Block]:
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        document = pdfplumber.open(path)
    except (PDFSyntaxError, Exception) as exc:  # pdfminer raises several kinds for a file that is not a PDF
        raise PerfgenError("无法读取：它不是有效的 PDF 文件") from None
    with document:
        pages = []
        for number, page in enumerate(document.pages, 1):
            page = page.dedupe_chars()
            tables = page.find_tables()
            pages.append((number, page, tables))
        if not any(page.chars for _, page, _ in pages):
            raise PerfgenError("PDF 中没有文字（可能是扫描件）：请导入 Word 版，或先用 OCR 软件识别成文字")
        grid = _Grid([x for _, _, tables in pages for t in tables for c in t.cells for x in (c[0], c[2])])
        items: list[tuple[int, float, Any]] = []  # (page, top, line or table)
        table_count = 0
        for number, page, tables in pages:
            boxes = [t.bbox for t in tables]

            def outside(obj: dict[str, Any], boxes: list[Any] = boxes) -> bool:
                cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
                return not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)

            for line in _lines([c for c in page.chars if outside(c)], number):
                if not PAGE_NUMBER.match(line.text):
                    items.append((number, line.top, line))
            for found in tables:
                table_count += 1
                items.append((number, found.bbox[1], _table(page, found, grid, number, table_count)))
        items.sort(key=lambda item: (item[0], item[1]))
        return _blocks(items)


def _table(page: Any, found: Any, grid: _Grid, number: int, count: int) -> Table:
    table = Table(place=f"第{number}页第{count}个表格")
    chars = _inside(page.chars, found.bbox)  # once per table, not once per cell
    for r, row in enumerate(found.rows, 1):
        cells: list[Cell] = []
        covered: set[int] = set()
        for bbox in row.cells:
            if bbox is None:
                continue
            start, stop = grid.index(bbox[0]), grid.index(bbox[2])
            cells.append(Cell(_cell_text(chars, bbox).strip(), start, max(1, stop - start)))
            covered.update(range(start, stop))
        # grid columns no cell of this row starts in belong to a cell merged down from above
        first, last = grid.index(found.bbox[0]), grid.index(found.bbox[2])
        gaps = [i for i in range(first, last) if i not in covered]
        for i in gaps:
            if cells and any(c.merged_up and c.column + c.span == i for c in cells):
                next(c for c in cells if c.merged_up and c.column + c.span == i).span += 1
            else:
                cells.append(Cell("", i, 1, merged_up=True))
        cells.sort(key=lambda c: c.column)
        table.rows.append(Row(cells, f"第{number}页第{count}个表格第{r}行"))
    return table


def _blocks(items: list[tuple[int, float, Any]]) -> list[Block]:
    """Lines between tables joined into paragraphs, across page ends; tables in their place."""
    blocks: list[Block] = []
    run: list[_Line] = []

    def flush() -> None:
        if not run:
            return
        left = min(line.x0 for line in run)
        right = max(line.x1 for line in run)
        for text, page in _paragraphs(run, left, right):
            kind = "toc" if re.search(r"[.…·．]{3,}\s*\d+$", text) else ""
            blocks.append(Paragraph(text, f"第{page}页", kind))
        run.clear()

    for _, _, item in items:
        if isinstance(item, Table):
            flush()
            blocks.append(item)
        else:
            run.append(item)
    flush()
    return blocks
