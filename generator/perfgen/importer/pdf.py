"""Read a PDF with ruled tables (as published on government websites) into paragraphs and tables.

pdfplumber finds the ruled tables and the characters with their positions; the
text is rebuilt here from the characters, which repairs what a plain text
extraction breaks:

* no space is invented between CJK text and digits (only a real space glyph, or
  a wide gap between two Latin letters or digits, is a space);
* lines are joined into paragraphs by their geometry (a first-line indent or a
  short last line ends a paragraph), also across a page end;
* page numbers ("— 3 —") are dropped, and a table row broken at a page end is
  glued back by the recogniser (its continuation has no 三级指标);
* a punctuation mark drawn in another size or height (a fallback font's "、")
  stays in the line it sits in, never a paragraph of its own.

The file is untrusted: it is read within the limits of ``pdf_limits``, and the
work on tables and lines grows with the characters and cells of a page, not
with their product (a 100×100 ruled grid reads in a second or two).

Cells merged across or down become grid ranges on one document-wide grid, so a
table continued on the next page lines up with its first part.
"""

from __future__ import annotations

import bisect
import io
import itertools
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from pdfplumber.page import Page
from pdfplumber.table import Table as PlumberTable
from pdfplumber.table import TableFinder, TableSettings, cells_to_tables, edges_to_intersections
from pdfplumber.utils.geometry import obj_to_bbox
from pdfplumber.utils.exceptions import PdfminerException

from perfgen.errors import PerfgenError
from perfgen.importer.blocks import Block, Cell, Paragraph, Row, Table
from perfgen.importer.pdf_limits import Budget

Box = tuple[float, float, float, float]

PAGE_NUMBER = re.compile(r"^[—–\-－\s]*\d+[—–\-－\s]*$|^第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?$")
ALNUM = re.compile(r"[A-Za-z0-9]")
NUMBERED = re.compile(r"^(?:\d+[.．、]|[（(]\d+[）)])")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # drawn as nothing; a NUL would end up in a file name
NEARBY_ROWS = 256
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


def _row_of(rows: list[list[dict[str, Any]]], char: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The first row ``char`` is on (near its top, of its size).

    Rows begin in the order of their first character's rounded top, so the search goes back from the last
    row only as far as a row could still hold ``char``, and never past NEARBY_ROWS (a page has far fewer lines
    at one height): a page costs its characters times a few rows, not times all of them.
    """
    found = None
    for row in reversed(rows[-NEARBY_ROWS:]):
        first = row[0]
        if first["top"] + 1 < char["top"] - 0.5 * char["size"]:
            break
        if abs(first["top"] - char["top"]) < 0.5 * char["size"] and abs(first["size"] - char["size"]) < 2:
            found = row
    return found


def _is_punctuation(char: dict[str, Any]) -> bool:
    return all(unicodedata.category(c).startswith("P") for c in char["text"])


def _punctuation_in_place(rows: list[list[dict[str, Any]]]) -> list[list[dict[str, Any]]]:
    """Rows of punctuation alone put back into the line they sit in.

    A mark drawn in another size or raised (a fallback font's "、") is a row of its own by the rule of
    ``_row_of``, and would become a paragraph of its own: "政策、法规" read as "政策法规" and "、".
    Each such mark joins the row whose height it overlaps and whose width holds it.
    """
    marks = [row for row in rows if all(_is_punctuation(c) for c in row)]
    if not marks or len(marks) == len(rows):
        return rows
    words = [row for row in rows if not all(_is_punctuation(c) for c in row)]
    spans = sorted(
        (min(c["top"] for c in row), max(c["bottom"] for c in row), min(c["x0"] for c in row), max(c["x1"] for c in row), n)
        for n, row in enumerate(words)
    )
    tops = [span[0] for span in spans]
    tallest = max(span[1] - span[0] for span in spans)
    for row in marks:
        for char in row:
            cx = (char["x0"] + char["x1"]) / 2
            start = bisect.bisect_left(tops, char["top"] - tallest)
            stop = min(bisect.bisect_left(tops, char["bottom"]), start + NEARBY_ROWS)
            host = next(
                (n for top, bottom, x0, x1, n in spans[start:stop]
                 if top < char["bottom"] and char["top"] < bottom and x0 - char["size"] <= cx <= x1 + char["size"]),
                None,
            )
            if host is None:
                words.append([char])
                spans.append((char["top"], char["bottom"], char["x0"], char["x1"], len(words) - 1))  # not searched again
            else:
                words[host].append(char)
    return words


def _lines(chars: list[dict[str, Any]], page: int) -> list[_Line]:
    rows: list[list[dict[str, Any]]] = []
    for char in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])):
        if not char["text"].strip() and char["text"] != " ":
            continue
        row = _row_of(rows, char)
        if row is None:
            rows.append([char])
        else:
            row.append(char)
    rows = _punctuation_in_place(rows)
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
        """The nearest edge to ``x`` (the first of two as near)."""
        i = bisect.bisect_left(self.edges, x)
        if i == len(self.edges) or (i > 0 and x - self.edges[i - 1] <= self.edges[i] - x):
            return i - 1
        return i


class _Boxes:
    """The boxes (cells, tables) that hold a point, found through buckets of the page.

    A character is tested against the few boxes near it, not against all of them: a 100×100 grid
    costs its characters, not its characters times its cells.
    """

    SIDE = 64  # buckets across and down

    def __init__(self, boxes: list[Box]) -> None:
        self.boxes = boxes
        self.x0 = min((b[0] for b in boxes), default=0.0)
        self.top = min((b[1] for b in boxes), default=0.0)
        self.width = max(max((b[2] for b in boxes), default=0.0) - self.x0, 1e-6) / self.SIDE
        self.height = max(max((b[3] for b in boxes), default=0.0) - self.top, 1e-6) / self.SIDE
        self.buckets: dict[tuple[int, int], list[int]] = defaultdict(list)
        for n, (x0, top, x1, bottom) in enumerate(boxes):
            for i in range(self._column(x0), self._column(x1) + 1):
                for j in range(self._row(top), self._row(bottom) + 1):
                    self.buckets[(i, j)].append(n)

    def _column(self, x: float) -> int:
        return min(max(int((x - self.x0) / self.width), 0), self.SIDE)

    def _row(self, y: float) -> int:
        return min(max(int((y - self.top) / self.height), 0), self.SIDE)

    def holding(self, obj: dict[str, Any]) -> list[int]:
        """The boxes that hold the centre of ``obj``, in their order."""
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        candidates = self.buckets.get((self._column(cx), self._row(cy)), [])
        return [n for n in candidates if _holds(self.boxes[n], cx, cy)]

    def split(self, chars: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
        """The characters each box holds (a character on a shared border goes to both)."""
        held: list[list[dict[str, Any]]] = [[] for _ in self.boxes]
        for char in chars:
            for n in self.holding(char):
                held[n].append(char)
        return held


def _holds(box: Box, cx: float, cy: float) -> bool:
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def _cell_text(inside: list[dict[str, Any]], bbox: Box) -> str:
    lines = _lines(inside, 0)
    if not lines:
        return ""
    return "\n".join(text for text, _ in _paragraphs(lines, min(line.x0 for line in lines), bbox[2] - 3, cell=True))


def _dedupe(chars: list[dict[str, Any]], tolerance: float = 1) -> list[dict[str, Any]]:
    """pdfplumber's ``dedupe_chars`` (a glyph drawn twice for bold is one character), without its quadratic sort.

    Characters of one text, font and size within ``tolerance`` of each other down and across are one:
    the first by position is kept, in the original order.
    """
    from pdfplumber.utils.clustering import cluster_objects

    key = itemgetter("upright", "text", "fontname", "size")
    kept: list[int] = []
    numbered = sorted(((key(c), i, c) for i, c in enumerate(chars)), key=itemgetter(0))
    for _, group in itertools.groupby(numbered, key=itemgetter(0)):
        members = [{"doctop": c["doctop"], "x0": c["x0"], "i": i} for _, i, c in group]
        for down in cluster_objects(members, itemgetter("doctop"), tolerance):
            for across in cluster_objects(down, itemgetter("x0"), tolerance):
                kept.append(min(across, key=itemgetter("doctop", "x0"))["i"])
    return [chars[i] for i in sorted(kept)]


def _text_chars(page: Any) -> list[dict[str, Any]]:
    """The page's characters, each once, as the little the reader needs; control characters are not text."""
    slim = []
    for char in _dedupe(page.chars):
        text = CONTROL.sub("", char["text"])
        if text:
            slim.append({k: char[k] for k in ("x0", "x1", "top", "bottom", "size")} | {"text": text})
    return slim


class _TableFinder(TableFinder):
    """pdfplumber's ruled-table finder, with two limits on its work.

    Its check of every vertical line against every horizontal one is refused past MAX_LINE_PAIRS, and its
    search for cells, which scans every crossing for every crossing, is replaced by ``_cells``.
    """

    def __init__(self, page: Any, budget: Budget) -> None:
        self.page = page
        self.settings = TableSettings.resolve(None)
        self.edges = self.get_edges()
        budget.line_pairs(sum(e["orientation"] == "v" for e in self.edges), sum(e["orientation"] == "h" for e in self.edges))
        tolerance = (self.settings.intersection_x_tolerance, self.settings.intersection_y_tolerance)
        self.intersections = edges_to_intersections(self.edges, *tolerance)
        self.cells = _cells(self.intersections, budget)
        self.tables = [PlumberTable(self.page, group) for group in cells_to_tables(self.cells)]


def _cells(intersections: dict[tuple[float, float], dict[str, list[Any]]], budget: Budget) -> list[Box]:
    """The smallest cell each crossing is the top left corner of, as pdfplumber's ``intersections_to_cells``.

    pdfplumber looks for the crossings below and to the right of each crossing among all that follow it;
    here they are the rest of its column and of its row, found by position.
    """
    points = sorted(intersections)
    columns: dict[float, list[tuple[float, float]]] = defaultdict(list)
    rows: dict[float, list[tuple[float, float]]] = defaultdict(list)
    for point in points:  # in (x, y) order: a column goes down, a row goes right
        columns[point[0]].append(point)
        rows[point[1]].append(point)
    down = {p: n for column in columns.values() for n, p in enumerate(column)}
    across = {p: n for row in rows.values() for n, p in enumerate(row)}
    vertical = {p: {obj_to_bbox(e) for e in found["v"]} for p, found in intersections.items()}
    horizontal = {p: {obj_to_bbox(e) for e in found["h"]} for p, found in intersections.items()}

    def connected(a: tuple[float, float], b: tuple[float, float]) -> bool:
        return (a[0] == b[0] and not vertical[a].isdisjoint(vertical[b])) or (
            a[1] == b[1] and not horizontal[a].isdisjoint(horizontal[b])
        )

    cells: list[Box] = []
    for point in points:
        budget.tick()
        below = columns[point[0]][down[point] + 1 :]
        right = rows[point[1]][across[point] + 1 :]
        cell = None
        for below_point in below:
            if not connected(point, below_point):
                continue
            for right_point in right:
                if not connected(point, right_point):
                    continue
                corner = (right_point[0], below_point[1])
                if corner in intersections and connected(corner, right_point) and connected(corner, below_point):
                    cell = (point[0], point[1], corner[0], corner[1])
                    break
            if cell:
                break
        if cell:
            cells.append(cell)
    return cells


@dataclass
class _Found:
    """A ruled table as the reader keeps it once its page is closed."""

    bbox: Box
    rows: list[list[Box | None]]
    texts: dict[Box, str]


def _page(page: Any, number: int, budget: Budget) -> tuple[list[_Line], list[_Found]]:
    """A page's lines outside tables, and its tables with the text of each cell."""
    chars = _text_chars(page)
    finder = _TableFinder(page, budget)
    tables = finder.tables
    boxes = _Boxes([t.bbox for t in tables])
    inside = boxes.split(chars)
    outside = [c for c in chars if not boxes.holding(c)]
    found = []
    for table, held in zip(tables, inside):
        cells = [bbox for row in table.rows for bbox in row.cells if bbox is not None]
        texts = {bbox: _cell_text(part, bbox).strip() for bbox, part in zip(cells, _Boxes(cells).split(held))}
        found.append(_Found(table.bbox, [list(row.cells) for row in table.rows], texts))
    lines = [line for line in _lines(outside, number) if not PAGE_NUMBER.match(line.text)]
    return lines, found


def read_pdf(data: bytes) -> list[Block]:
    """The paragraphs and tables of a PDF, read within the limits of ``pdf_limits``; PerfgenError otherwise."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfpage import PDFPage

    from perfgen.importer.pdf_limits import MAX_FILE_BYTES, LimitReached, bounded

    if len(data) > MAX_FILE_BYTES:
        raise PerfgenError(f"PDF 文件超过 {MAX_FILE_BYTES // (1024 * 1024)} MB（上限）：请确认选对了文件")
    pages: list[tuple[int, list[_Line], list[_Found]]] = []
    try:
        with bounded() as budget:
            try:
                document = pdfplumber.open(io.BytesIO(data))
            except PdfminerException as exc:
                if exc.args and isinstance(exc.args[0], Exception):
                    raise exc.args[0] from exc  # pdfplumber wraps pdfminer's own error: the handlers below know it
                raise
            with document:
                page_objects: list[PDFPage] = []
                for page_object in PDFPage.create_pages(document.doc):  # counted before any is read
                    budget.count_page(len(page_objects) + 1)
                    page_objects.append(page_object)
                for number, page_object in enumerate(page_objects, 1):
                    budget.next_page(number)
                    page = Page(document, page_object, page_number=number, initial_doctop=0)
                    lines, tables = _page(page, number, budget)
                    pages.append((number, lines, tables))
                    page.close()  # its characters and drawings are not needed again
    except LimitReached as exc:
        raise PerfgenError(f"无法读取：{exc}") from None
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise PerfgenError("无法读取：PDF 文件已加密。请先在 PDF 软件中去掉密码，或导入 Word 版") from None
    except PerfgenError:
        raise
    except (Exception, RecursionError):  # pdfminer raises many kinds for a damaged file, even while paging
        raise PerfgenError("无法读取：它不是有效的 PDF 文件，或已损坏") from None
    if not any(lines or tables for _, lines, tables in pages):
        raise PerfgenError("PDF 中没有文字（可能是扫描件）：请导入 Word 版，或先用 OCR 软件识别成文字")
    grid = _Grid([x for _, _, tables in pages for t in tables for c in t.texts for x in (c[0], c[2])])
    items: list[tuple[int, float, Any]] = []  # (page, top, line or table)
    table_count = 0
    for number, lines, tables in pages:
        items.extend((number, line.top, line) for line in lines)
        for found in tables:
            table_count += 1
            items.append((number, found.bbox[1], _table(found, grid, number, table_count)))
    items.sort(key=lambda item: (item[0], item[1]))
    return _blocks(items)


def _table(found: _Found, grid: _Grid, number: int, count: int) -> Table:
    table = Table(place=f"第{number}页第{count}个表格")
    for r, row in enumerate(found.rows, 1):
        cells: list[Cell] = []
        covered: set[int] = set()
        for bbox in row:
            if bbox is None:
                continue
            start, stop = grid.index(bbox[0]), grid.index(bbox[2])
            cells.append(Cell(found.texts[bbox], start, max(1, stop - start)))
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
