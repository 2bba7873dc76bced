"""Table cells set for reading, from the measured widths of their texts and columns.

* the columns of a table whose rows are all alike (the 绩效指标表) are balanced: a column
  whose cells no spacing mends takes up to ``MOVE_LIMIT`` from a column that can spare it
  without any row growing (a cell may take another line where its row is taller anyway);
  the table keeps its width;
* a cell whose last line would hold one character, or whose line would break inside
  a word, a number with its unit or a date's day or month, has its characters condensed
  or spaced out, by at most ``SPACING_BOUND`` of an em (a split word: ``WORD_SPACING_BOUND``,
  and only where the cell takes no more lines for it), the least that mends it; the text stays
  as written: a copied value carries no line break;
* a cell that no such spacing keeps from splitting a word has its lines set one by one (render/words.py);
* a 三级指标 cell of more than one line is left-aligned, so that its lines read as the
  描述 beside it; short values stay centred, as published.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

from lxml import etree

from perfgen.render.fixups import RPR_AFTER_SPACING, properties, set_child
from perfgen.render.heights import cell_margin
from perfgen.render.lines import breaks_badly, text_width, wrap, wrap_span, wrapped
from perfgen.render.measure import Styles, paragraph_style
from perfgen.render.ns import qn

MOVE_LIMIT = 420  # twips a column gives or takes at most: 2 ems at 五号
STEP = 15  # twips: the columns' widths move by this much
SPACING_BOUND = 0.125  # ems: 1.3 pt at 五号; beyond it a cell looks crowded or letter-spaced
# ems: 1 pt at 五号, for a split word (满意/度): the long texts where words split look crowded condensed by 1/8 em
WORD_SPACING_BOUND = 0.09375
SAFETY = 0.03  # ems: a line breaks the same this much narrower or wider (faces and suites round a little apart)
LEFT_WHEN_WRAPPED = {"三级指标"}

_PPR_AFTER_JC = {
    qn(f"w:{name}")
    for name in ("textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")
}


def _text(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def _margins(table: etree._Element, styles: Styles) -> int:
    """The left and right cell margins of ``table`` together, in twips."""
    return cell_margin(table, styles, "left") + cell_margin(table, styles, "right")


# a text is fitted many times with the same width (each move of balance_columns; every refresh of perfgen
# serve's 分页预览, in which most cells are unchanged): what a pure function found is kept
CACHE_SIZE = 1 << 14


@functools.lru_cache(maxsize=CACHE_SIZE)
def fitting_spacing(text: str, line: float, points: float) -> int | None:
    """The character spacing, in twentieths of a point (0: none needed), that lets ``text`` break well on
    lines ``line`` ems wide at ``points`` pt, the smallest within the bound; None when none does."""
    if text_width(text) <= line - SAFETY:
        return 0  # one line, a little narrower or wider: most values, at most of the widths balancing tries
    plain = wrap(text, line)
    lone = len(plain[-1].strip()) == 1
    refused: list[tuple[float, float]] = []  # spacings between which every try breaks as one refused
    for step in range(int((SPACING_BOUND if lone else WORD_SPACING_BOUND) * points * 20) + 1):
        for twentieths in (-step, step) if step else (0,):
            spacing = twentieths / 20 / points
            if any(low + 1e-9 < spacing < high - 1e-9 for low, high in refused):
                continue
            # a split word is mended only where the cell takes no more lines: no row grows for it
            refusal = _refusal(text, line, spacing, None if lone else len(plain))
            if refusal is None:
                return twentieths
            refused.append(refusal)
    return None


def _line_count(text: str, line: float, spacing: float) -> tuple[int, bool]:
    """How many lines ``text`` takes (see ``wrap``), and whether they break badly (a lone character, a split word)."""
    if not spacing and text_width(text) <= line:
        return 1, False
    lines = wrapped(text, line, spacing)  # kept: the rows' heights ask for the same lines (render/heights.py)
    return len(lines), breaks_badly(text, lines)


def _refusal(text: str, line: float, spacing: float, most: int | None) -> tuple[float, float] | None:
    """None when ``text`` breaks well at ``spacing`` on lines ``line`` ems wide, the same way a little
    narrower and a little wider (faces and suites round apart), in at most ``most`` lines; else the
    spacings around it that break the same and are refused alike."""
    narrow, low, high = wrap_span(text, line - SAFETY, spacing)
    if breaks_badly(text, narrow):  # most tries fail here
        return low, high
    wide, wide_low, wide_high = wrap_span(text, line + SAFETY, spacing)
    low, high = max(low, wide_low), min(high, wide_high)
    if narrow != wide:
        return low, high
    # wider lines never take more of them: within ``most`` a little narrower is within it at ``line`` too
    if most is not None and len(narrow) > most:
        lines, at_low, at_high = wrap_span(text, line, spacing)
        if len(lines) > most:
            return max(low, at_low), min(high, at_high)
    return None


class _Paragraph(NamedTuple):
    """A cell's paragraph as fitting sees it, read from the XML once per table."""

    text: str
    half_points: int
    fittable: bool  # long enough, and no line break or tab of its own

    @classmethod
    def of(cls, paragraph: etree._Element, styles: Styles) -> _Paragraph:
        text = _text(paragraph)
        fittable = len(text) >= 2 and paragraph.find(f".//{qn('w:br')}") is None and paragraph.find(f".//{qn('w:tab')}") is None
        return cls(text, styles.size(paragraph_style(paragraph)), fittable)

    def spacing(self, twips: int) -> tuple[float, int | None]:
        """The paragraph's line in ems on lines ``twips`` wide, and its fitting spacing there (see fitting_spacing)."""
        line = twips / (self.half_points * 10)
        return line, fitting_spacing(self.text, line, self.half_points / 2) if self.fittable else 0

    def lines(self, line: float, spacing: int | None) -> tuple[int, bool]:
        return _line_count(self.text, line, (spacing or 0) / 20 / (self.half_points / 2))


_Column = tuple[tuple[_Paragraph, ...], ...]  # a column's cells below the header, each its paragraphs


# a column is tried at the same width again after each move of its table's columns
@functools.lru_cache(maxsize=CACHE_SIZE)
def _fits(column: _Column, twips: int) -> tuple[int, tuple[int, ...]]:
    """How many paragraphs of these cells no spacing mends on lines ``twips`` wide, and how many lines each cell takes."""
    bad, lines = 0, []
    for cell in column:
        count = 0
        for paragraph in cell:
            line, spacing = paragraph.spacing(twips)
            broken, badly = paragraph.lines(line, spacing)
            bad += spacing is None and badly
            count += broken
        lines.append(count)
    return bad, tuple(lines)


_Read = list[list[list[tuple[etree._Element, _Paragraph]]]]  # a table's rows, their cells, each cell's paragraphs


def _read(rows: list[list[etree._Element]], styles: Styles) -> _Read:
    return [[[(p, _Paragraph.of(p, styles)) for p in cell.findall(qn("w:p"))] for cell in row] for row in rows]


def balance_columns(table: etree._Element, styles: Styles, read: _Read | None = None) -> None:
    """Move width between the columns of a table whose rows are all alike (see the module's docstring);
    ``read``: its paragraphs as fitting sees them, when the caller has read them already."""
    grid = table.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")
    rows = [row.findall(qn("w:tc")) for row in table.findall(qn("w:tr"))]
    if not grid or any(len(row) != len(grid) for row in rows):
        return
    if any(cell.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}") is not None for row in rows for cell in row):
        return
    margins = _margins(table, styles)
    read = _read(rows, styles) if read is None else read
    columns = [tuple(tuple(fitted for _, fitted in row[c]) for row in read[1:]) for c in range(len(grid))]
    first = [int(col.get(qn("w:w")) or 0) for col in grid]
    widths = list(first)
    state = [_fits(column, w - margins) for column, w in zip(columns, widths)]
    for _ in range(4 * len(grid)):
        move = _one_move(columns, widths, first, state, margins)
        if move is None:
            break
        taker, giver, gain = move
        widths[taker] += gain
        widths[giver] -= gain
        for c in (taker, giver):
            state[c] = _fits(columns[c], widths[c] - margins)
    if widths == first:
        return
    for col, w in zip(grid, widths):
        col.set(qn("w:w"), str(w))
    for row in rows:
        for cell, w in zip(row, widths):
            width = cell.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
            if width is not None:
                width.set(qn("w:w"), str(w))
                width.set(qn("w:type"), "dxa")


def _one_move(
    columns: list[_Column],
    widths: list[int],
    first: list[int],
    state: list[tuple[int, tuple[int, ...]]],
    margins: int,
) -> tuple[int, int, int] | None:
    """The smallest move of width that mends a cell: (taking column, giving column, twips); None if none.
    The giving column's cells may take more lines only in rows that another cell keeps as tall."""
    tallest = [max(lines) for lines in zip(*(lines for _, lines in state))]
    for taker in (c for c in range(len(widths)) if state[c][0]):
        for gain in range(STEP, MOVE_LIMIT + 1, STEP):
            if widths[taker] + gain - first[taker] > MOVE_LIMIT:
                break
            if _fits(columns[taker], widths[taker] + gain - margins)[0] >= state[taker][0]:
                continue
            for giver in sorted(range(len(widths)), key=lambda c: widths[c] - first[c], reverse=True):
                if giver == taker or state[giver][0] or first[giver] - (widths[giver] - gain) > MOVE_LIMIT:
                    continue  # a column with a cell still to mend gives nothing
                bad, lines = _fits(columns[giver], widths[giver] - gain - margins)
                if bad <= state[giver][0] and all(a <= b for a, b in zip(lines, tallest)):
                    return taker, giver, gain
            break  # no column spares the least width that mends: a wider move would not be spared either
    return None


def fit_table(table: etree._Element, styles: Styles) -> None:
    """Balance this table's columns and fit its cells' texts (a table inside it is fitted on its own)."""
    rows = [row.findall(qn("w:tc")) for row in table.findall(qn("w:tr"))]
    read = _read(rows, styles)  # once: balancing and fitting read the same paragraphs
    balance_columns(table, styles, read)
    margins = _margins(table, styles)
    headers = [_text(cell).strip() for cell in rows[0]] if rows else []
    for cells, paragraphs in zip(rows, read):
        for column, (cell, fitted) in enumerate(zip(cells, paragraphs)):
            width = cell.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
            if width is None or width.get(qn("w:type"), "dxa") != "dxa":
                continue
            header = headers[column] if len(cells) == len(headers) else ""
            for paragraph, text in fitted:
                _fit(paragraph, text, int(width.get(qn("w:w")) or 0) - margins, styles, header in LEFT_WHEN_WRAPPED)


def _fit(paragraph: etree._Element, fitted: _Paragraph, twips: int, styles: Styles, left_when_wrapped: bool) -> None:
    if not fitted.fittable:
        return
    line, spacing = fitted.spacing(twips)
    if spacing is None and _keep_words(paragraph, fitted.text, twips, fitted.half_points, styles, left_when_wrapped):
        return
    if spacing:
        for run in paragraph.iter(qn("w:r")):
            set_child(properties(run, "w:rPr"), "w:spacing", str(spacing), RPR_AFTER_SPACING)
    if left_when_wrapped and fitted.lines(line, spacing)[0] > 1:
        set_child(properties(paragraph, "w:pPr"), "w:jc", "left", _PPR_AFTER_JC)


def _keep_words(paragraph: etree._Element, text: str, twips: int, half_points: int, styles: Styles, left_when_wrapped: bool) -> bool:
    """Where no spacing of the whole paragraph keeps its words whole: its lines set one by one (render/words.py)."""
    from perfgen.render.words import centred, keep_words, mended

    centre = centred(paragraph, styles) and not left_when_wrapped  # a 三级指标 that wraps is set left
    mend = mended(text, twips, half_points, centre)
    if mend is None or not keep_words(paragraph, mend, centre):
        return False
    if left_when_wrapped and len(mend.lines) > 1:
        set_child(properties(paragraph, "w:pPr"), "w:jc", "left", _PPR_AFTER_JC)
    return True
