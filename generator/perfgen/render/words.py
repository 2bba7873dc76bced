"""A cell's words kept whole where no spacing of the whole cell keeps them (render/cells.py's fitting_spacing).

Its lines are set one by one, as the suites' greedy breaking lays them (render/lines.py's ``wrap``):

* a line that would end inside a word, a number with its unit or a date's part has its own characters
  condensed, by at most ``WORD_SPACING_BOUND`` of an em, so that the word's end comes up onto it: that
  line is a run of its own, the lines before it break as they did;
* where no such condensing does, the paragraph's lines are narrowed by a right indent (left and right
  alike for a centred text, so that it stays centred), by the least that moves the word whole to the
  next line; the cell may take one line more (its row's height is foreseen the same way, render/heights.py).

The text stays exactly as written: no character is added (a copied value carries no line break or
invisible sign; our own import reads it back), its runs are only split. A line of a narrowed paragraph
that breaks otherwise in Word than foreseen is merely narrower, and a condensed run that straddles a
line only a little tighter: never a gap. Every break is required to fall the same ``SAFETY`` narrower
and wider.
"""

from __future__ import annotations

import copy
import functools
import math
import unicodedata
from typing import NamedTuple

from lxml import etree

from perfgen.render.cells import SAFETY, WORD_SPACING_BOUND
from perfgen.render.fixups import RPR_AFTER_SPACING, properties, set_child
from perfgen.render.lines import advances, breaks_allowed, breaks_badly, protected, width, wrap
from perfgen.render.measure import Styles, paragraph_style
from perfgen.render.ns import qn

NARROWINGS = 3  # times the lines are narrowed at most, each time for a word a narrower line splits
MORE_LINES = 1  # lines a cell may take more than it would
NARROWEST = 0.15  # ems a character takes at least: Times New Roman's space or full stop (0.25) condensed by the bound

_PPR_AFTER_IND = {
    qn(f"w:{name}")
    for name in (
        "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment",
        "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange",
    )
}


_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


class Mend(NamedTuple):
    """How a paragraph keeps its words whole: its lines narrowed, some of them condensed."""

    indent: int  # twips off each side that is narrowed (both sides when centred, else the right)
    runs: tuple[tuple[int, int, int], ...]  # (start, end, condensing in twentieths of a point): a line each
    lines: tuple[str, ...]  # as they will break


def _first_line(text: str, line: float, spacing: float) -> str | None:
    """The first line of ``text``, if it breaks the same a little narrower and wider."""
    # only the characters up to the first that does not fit decide it: a long text is not wrapped whole per line
    head = text[: int((line + 1) / NARROWEST) + 2]
    narrow, wide = wrap(head, line - SAFETY, spacing), wrap(head, line + SAFETY, spacing)
    if len(head) < len(text) and len(wide) == 1:
        return _first_line(text[: 2 * len(head)], line, spacing)  # characters narrower than foreseen
    return narrow[0] if narrow[0] == wide[0] else None


def _keeps_end(text: str, start: int, end: int, line: float, spacing: float, next_spacing: float) -> bool:
    """Whether the line ``text[start:end]``, its characters ``spacing`` apart, still ends at ``end`` when the
    characters after it are ``next_spacing`` apart (as ``wrap`` breaks: at the first character that does not
    fit, or back at the last place the rules allow a break), a little narrower and wider."""
    piece = text[start:]
    widths, allowed = advances(piece), breaks_allowed(piece)
    for limit in (line - SAFETY, line + SAFETY):
        used, over = 0.0, len(piece)
        for i, advance in enumerate(widths):
            if i and used + advance > limit + 1e-6:
                over = i
                break
            if i + 1 < len(piece) and piece[i].isascii() == piece[i + 1].isascii():
                used += spacing if start + i < end else next_spacing
            used += advance
        cut = next((i for i in range(over, 0, -1) if allowed[i]), over) if over < len(piece) else over
        if start + cut != end:
            return False
    return True


def _condensed(text: str, start: int, at: int, line: float, points: float, inside: tuple[bool, ...]) -> tuple[int, int] | None:
    """The line from ``start`` condensed so that it ends past ``at``, outside a word: (its end, twentieths of a
    point); None when that takes more than the bound."""
    end = at
    while end < len(text) and inside[end]:
        end += 1
    gaps = sum(1 for i in range(start, end - 1) if text[i].isascii() == text[i + 1].isascii())
    if not gaps:
        return None
    least = math.ceil(max(width(text[start:end]) - line + SAFETY, 0.0) / gaps * points * 20)
    for twentieths in range(max(least, 1), int(WORD_SPACING_BOUND * points * 20) + 1):
        first = _first_line(text[start:], line, -twentieths / 20 / points)
        stop = start + len(first) if first is not None else 0
        if stop > at and (stop == len(text) or not inside[stop]):
            return stop, twentieths
    return None


Laid = tuple[tuple[str, ...], tuple[tuple[int, int, int], ...]]


def _lay(text: str, line: float, points: float) -> Laid | float | None:
    """``text``'s lines on lines ``line`` ems wide, each condensed where that keeps a word whole, and the
    condensed runs; where no condensing keeps a word whole, the widest line that moves it whole to the next
    line (a float, in ems); None when lines of this width cannot break well."""
    inside = protected(text)
    lines: list[str] = []
    runs: list[tuple[int, int, int]] = []
    start, before, spacing = 0, 0, 0.0  # the line's start, the previous line's start and its spacing
    while start < len(text):
        if unicodedata.east_asian_width(text[start]) == "A":
            return None  # ≤ beginning a line is measured after its neighbour in the paragraph, not alone
        first = _first_line(text[start:], line, 0.0)
        if first is None:
            return None
        end = start + len(first)
        spacing_before, spacing = spacing, 0.0
        if end < len(text) and inside[end]:
            condensed = _condensed(text, start, end, line, points, inside)
            condensing = -condensed[1] / 20 / points if condensed is not None else 0.0
            # condensing this line must not move the end of the one before
            if condensed is not None and (not start or _keeps_end(text, before, start, line, spacing_before, condensing)):
                end, spacing = condensed[0], condensing
                runs.append((start, end, condensed[1]))
            else:
                word = end
                while inside[word]:
                    word -= 1
                # the widest line on which the word's first character no longer fits, even a little wider
                return width(text[start : word + 1]) - SAFETY if word > start else None
        lines.append(text[start:end])
        before, start = start, end
    if breaks_badly(text, lines):
        return None
    return tuple(lines), tuple(runs)


@functools.lru_cache(maxsize=1 << 12)
def mended(text: str, twips: int, half_points: int, centred: bool) -> Mend | None:
    """How ``text`` keeps its words whole in a cell whose lines are ``twips`` wide at ``half_points``
    (see the module's docstring); None when its lines break well already or nothing here mends them."""
    per_em = half_points * 10  # twips
    sides = 2 if centred else 1
    plain = wrap(text, twips / per_em)
    if not breaks_badly(text, plain):
        return None
    indent = 0
    for _ in range(NARROWINGS + 1):
        laid = _lay(text, (twips - sides * indent) / per_em, half_points / 2)
        if laid is None:
            return None
        if not isinstance(laid, float):
            lines, runs = laid
            return Mend(indent, runs, lines) if len(lines) <= len(plain) + MORE_LINES else None
        narrower = math.floor((twips - laid * per_em) / sides) + 1  # a twip narrower than that widest
        if narrower <= indent:
            return None
        indent = narrower
    return None


def centred(paragraph: etree._Element, styles: Styles) -> bool:
    """Whether the paragraph is centred, by its own alignment or its style's."""
    path = f"{qn('w:pPr')}/{qn('w:jc')}"
    own = paragraph.find(path)
    found = [own] if own is not None else [style.find(path) for style in styles.chain(paragraph_style(paragraph))]
    jc = next((element for element in found if element is not None), None)
    return jc is not None and jc.get(qn("w:val")) == "center"


def _split_runs(paragraph: etree._Element, at: set[int]) -> list[tuple[int, etree._Element]] | None:
    """The paragraph's runs, each with where its text begins, split so that one begins at each offset of
    ``at``; None (nothing changed) when a run holds anything but its properties and one text."""
    texts = []
    for run in paragraph.iter(qn("w:r")):
        content = [child for child in run if child.tag != qn("w:rPr")]
        if len(content) != 1 or content[0].tag != qn("w:t"):
            return None
        texts.append((run, content[0].text or ""))
    found: list[tuple[int, etree._Element]] = []
    offset = 0
    for run, text in texts:
        cuts = sorted(i - offset for i in at if offset < i < offset + len(text))
        for a, b in zip([0, *cuts], [*cuts, len(text)]):
            piece = run if a == 0 else copy.deepcopy(run)
            t = piece[-1]  # its one text, after its properties
            t.text = text[a:b]
            t.set(_XML_SPACE, "preserve")
            if a:
                found[-1][1].addnext(piece)
            found.append((offset + a, piece))
        offset += len(text)
    return found


def keep_words(paragraph: etree._Element, mend: Mend, centre: bool) -> bool:
    """Set ``paragraph`` as ``mend`` says: its condensed lines runs of their own, its lines narrowed (on both
    sides if ``centre``); whether it could (a run holding more than a text is left as it is)."""
    runs = _split_runs(paragraph, {i for start, end, _ in mend.runs for i in (start, end)})
    if runs is None:
        return False
    for start, end, twentieths in mend.runs:
        for offset, run in runs:
            if start <= offset < end:
                set_child(properties(run, "w:rPr"), "w:spacing", str(-twentieths), RPR_AFTER_SPACING)
    if mend.indent:
        props = properties(paragraph, "w:pPr")
        set_child(props, "w:ind", None, _PPR_AFTER_IND)
        ind = props.find(qn("w:ind"))
        assert ind is not None  # just set
        for side in ("left", "right") if centre else ("right",):
            ind.set(qn(f"w:{side}"), str(mend.indent))
    return True
