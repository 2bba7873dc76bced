"""How tall the rows of a table will be laid out, foreseen from the measured widths of their texts.

A row is as tall as its tallest cell (the rows do not split: w:cantSplit): the lines its
paragraphs break into (render/lines.py's ``wrap``, at the character spacing fitted into
them) times their line height, with the paragraphs' spacing before and after, the cell's
top and bottom margins and the row's border. A cell merged over several rows is left out
of each of them; its rows together are at least as tall as it.

Single spacing is ``LINE`` ems: the ascent and descent of the CJK faces that fonts.conf puts
in for 宋体 and 黑体 (Noto Serif and Sans CJK, 1.437 and 1.448), as LibreOffice lays out
table text with them; Word's own faces are not taller.
"""

from __future__ import annotations

from lxml import etree

from perfgen.render.lines import wrapped
from perfgen.render.measure import Styles, paragraph_style
from perfgen.render.ns import qn

LINE = 1.448  # ems: single spacing of the CJK faces
BORDER = 0.5  # points: the row's border (the template's w:sz="4", eighths of a point)
WORD_DEFAULT_MARGIN = 108  # twips, left and right, when no style says otherwise (top and bottom: 0)

_TEXT, _BREAK, _TAB, _RUN, _VAL = qn("w:t"), (qn("w:br"), qn("w:cr")), qn("w:tab"), qn("w:r"), qn("w:val")
_SPACING = f"{qn('w:rPr')}/{qn('w:spacing')}"
_PPR, _IND, _LEFT, _RIGHT = qn("w:pPr"), qn("w:ind"), qn("w:left"), qn("w:right")


def cell_margin(table: etree._Element, styles: Styles, side: str) -> int:
    """The cell margin of ``table`` on ``side`` (top, left, bottom, right), in twips: the table's own, else its style's."""
    path = f"{qn('w:tblPr')}/{qn('w:tblCellMar')}"
    found = table.find(path)
    if found is None:
        style = table.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}")
        for element in styles.chain(style.get(qn("w:val")) if style is not None else None):
            found = element.find(path)
            if found is not None:
                break
    margin = None
    if found is not None:
        margin = found.find(qn(f"w:{side}"))
        alias = {"left": "start", "right": "end"}.get(side)
        margin = found.find(qn(f"w:{alias}")) if margin is None and alias else margin
    if margin is not None:
        return int(margin.get(qn("w:w")) or 0)
    return WORD_DEFAULT_MARGIN if side in ("left", "right") else 0


def line_height(styles: Styles, style_id: str | None) -> tuple[float, float]:
    """A line's height in a paragraph of ``style_id``, and the spacing before and after it together, in points."""
    spacing = styles.spacing(style_id)
    single = styles.size(style_id) / 2 * LINE
    line, rule = int(spacing.get("line", "240")), spacing.get("lineRule", "auto")
    if rule == "exact":
        height = line / 20
    elif rule == "atLeast":
        height = max(line / 20, single)
    else:
        height = single * line / 240
    return height, (int(spacing.get("before", "0")) + int(spacing.get("after", "0"))) / 20


def _pieces(paragraph: etree._Element) -> list[tuple[str, int]]:
    """The paragraph's text, line by line as its breaks divide it, with its character spacing (twentieths of a
    point): text spaced otherwise than the text before it begins a line (render/words.py splits runs so)."""
    pieces = [("", 0)]
    for run in paragraph.iter(_RUN):
        found = run.find(_SPACING)
        spacing = int(found.get(_VAL, "0")) if found is not None else 0
        for element in run.iter(_TEXT, *_BREAK, _TAB):
            if element.tag in _BREAK:
                pieces.append(("", spacing))
                continue
            text, before = pieces[-1]
            if text and before != spacing:
                pieces.append(("", spacing))
                text = ""
            pieces[-1] = (text + ((element.text or "") if element.tag == _TEXT else " "), spacing)
    return pieces


def _indents(paragraph: etree._Element) -> int:
    """The paragraph's own left and right indents together, in twips (render/words.py narrows lines so)."""
    props = paragraph.find(_PPR)
    ind = props.find(_IND) if props is not None else None
    if ind is None:
        return 0
    return int(ind.get(_LEFT) or 0) + int(ind.get(_RIGHT) or 0)


def paragraph_height(paragraph: etree._Element, twips: int, styles: Styles) -> float:
    """How tall ``paragraph`` is on lines ``twips`` wide, in points."""
    style = paragraph_style(paragraph)
    points = styles.size(style) / 2
    line = (twips - _indents(paragraph)) / (points * 20)
    lines = sum(len(wrapped(piece, line, spacing / 20 / points)) for piece, spacing in _pieces(paragraph))
    height, around = line_height(styles, style)
    return lines * height + around


def row_heights(table: etree._Element, styles: Styles) -> list[float]:
    """Each row's height, in points, as the suites will lay the table out (see the module's docstring)."""
    sides = cell_margin(table, styles, "left") + cell_margin(table, styles, "right")
    vertical = (cell_margin(table, styles, "top") + cell_margin(table, styles, "bottom")) / 20
    heights = []
    for row in table.findall(qn("w:tr")):
        tallest = 0.0
        for cell in row.findall(qn("w:tc")):
            props = cell.find(qn("w:tcPr"))
            width = props.find(qn("w:tcW")) if props is not None else None
            if props is None or props.find(qn("w:vMerge")) is not None or width is None:
                continue
            if width.get(qn("w:type"), "dxa") != "dxa":
                continue
            twips = int(width.get(qn("w:w")) or 0) - sides
            tallest = max(tallest, sum(paragraph_height(p, twips, styles) for p in cell.findall(qn("w:p"))) + vertical)
        fixed = row.find(f"{qn('w:trPr')}/{qn('w:trHeight')}")
        if fixed is not None and fixed.get(qn("w:val")):
            given, rule = int(fixed.get(qn("w:val")) or 0) / 20, fixed.get(qn("w:hRule"), "atLeast")
            tallest = given if rule == "exact" else tallest if rule == "auto" else max(tallest, given)
        heights.append(tallest + BORDER)
    return heights
