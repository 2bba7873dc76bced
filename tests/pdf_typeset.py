"""What a typesetter looks at on the PDF's pages, read from the text's positions (pdfplumber).

Used by tests/e2e/test_typesetting.py and runnable by hand: python tests/pdf_typeset.py a.pdf
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

LINE_TOLERANCE = 2.0  # points: characters of one line sit within this of each other's top
CENTRE_TOLERANCE = 2.5  # points: a centred text's space above and below may differ by this
EM_ASCENT = 0.88
TITLE_SIZE = 15.0  # points: project titles are 三号 (16 pt), table text 五号
INDICATOR_HEADER, INFO_HEADER = "一级指标", "项目编码"  # the first cells of a project's tables


@dataclass
class Cell:
    page: int  # 1-based physical page
    box: tuple[float, float, float, float]  # x0, top, x1, bottom
    lines: list[str]
    top: float  # of the first line's characters
    bottom: float  # of the last line's

    @property
    def text(self) -> str:
        return "".join(self.lines)


def _lines(chars: list[dict]) -> list[list[dict]]:
    rows: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])):
        if rows and abs(rows[-1][0]["top"] - char["top"]) <= LINE_TOLERANCE:
            rows[-1].append(char)
        else:
            rows.append([char])
    return [sorted(row, key=lambda c: c["x0"]) for row in rows]


def _em_top(char: dict, height: float) -> float:
    """The top of the character's em box, from its baseline: the same for every face (CJK's em box
    stands 0.88 em above the baseline), where the glyphs' own boxes differ from face to face."""
    return height - char["matrix"][5] - EM_ASCENT * char["size"]


def cells(pdf: Path) -> list[Cell]:
    """Every table cell holding text, page by page."""
    found = []
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, 1):
            chars = [c for c in page.chars if c["text"].strip()]
            for table in page.find_tables():
                for box in table.cells:
                    x0, top, x1, bottom = box
                    inside = [c for c in chars if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom]
                    if not inside:
                        continue
                    lines = _lines(inside)
                    found.append(Cell(number, box, ["".join(c["text"] for c in row) for row in lines],
                                      min(_em_top(c, page.height) for c in lines[0]),
                                      max(_em_top(c, page.height) + c["size"] for c in lines[-1])))
    return found


@dataclass
class Piece:
    """The rows of a 一级 group on one page."""

    page: int  # 1-based physical page
    label: str  # the text of the 一级 column beside them ("" where it is empty)
    rows: int
    height: float  # points: its rows' together


@dataclass
class Group:
    """A 一级 group of a 绩效指标表, as the pages divide it."""

    pieces: list[Piece]
    header: float  # points: the height of the table's header row
    after: int  # the page of what comes before it: the previous group's last row, or the project's 项目编码 table

    @property
    def height(self) -> float:
        return sum(piece.height for piece in self.pieces)


def _squeezed(text: str | None) -> str:
    return "".join((text or "").split())


def indicator_groups(pdf: Path) -> list[Group]:
    """Every 一级 group of the PDF's 绩效指标表s, in order; a group continues on the next page where the
    table does (no 项目编码 table in between) and its first rows there are unlabelled or bear its label."""
    found: list[Group] = []
    info_page, new_project = 0, True
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, 1):
            for table in page.find_tables():
                texts = table.extract()
                first = _squeezed(texts[0][0]) if texts and texts[0] else ""
                if first == INFO_HEADER:
                    info_page, new_project = number, True
                if first != INDICATOR_HEADER:
                    continue
                heights = [min(c[3] - c[1] for c in row.cells if c) for row in table.rows]
                for index, (row, text) in enumerate(zip(table.rows[1:], texts[1:]), 1):
                    label = _squeezed(text[0])
                    last = found[-1].pieces[-1] if found and not new_project else None
                    if row.cells[0] is None and last is not None:  # a merged 一级 cell runs on
                        last.rows += 1
                        last.height += heights[index]
                    elif last is not None and index == 1 and last.page < number and label in ("", last.label):
                        found[-1].pieces.append(Piece(number, label, 1, heights[index]))  # continued on this page
                    else:
                        after = found[-1].pieces[-1].page if last is not None else info_page
                        found.append(Group([Piece(number, label, 1, heights[index])], heights[0], after))
                    new_project = False
    return found


def lone_characters(found: list[Cell]) -> list[Cell]:
    """Cells of more than one line whose last line holds one character."""
    return [cell for cell in found if len(cell.lines) > 1 and len(cell.lines[-1]) == 1]


def split_words(found: list[Cell]) -> list[Cell]:
    """Cells a line of which breaks inside a word of the field's word list, a number with its unit or a date's part."""
    from perfgen.render.lines import protected

    split = []
    for cell in found:
        inside, at = protected(cell.text), 0
        for line in cell.lines[:-1]:
            at += len(line)
            if inside[at]:
                split.append(cell)
                break
    return split


def off_centre(found: list[Cell]) -> list[Cell]:
    """Cells whose text is not vertically centred."""
    return [cell for cell in found if abs((cell.top - cell.box[1]) - (cell.box[3] - cell.bottom)) > CENTRE_TOLERANCE]


def title_lines(pdf: Path) -> list[tuple[int, str]]:
    """The lines of the titles (the cover's and the projects', set bold at 三号 or larger), with their pages."""
    found = []
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, 1):
            chars = [c for c in page.chars if c["text"].strip() and c["size"] >= TITLE_SIZE and "Bold" in c["fontname"]]
            found += [(number, "".join(c["text"] for c in row)) for row in _lines(chars)]
    return found


if __name__ == "__main__":
    for name in sys.argv[1:]:
        every = cells(Path(name))
        lone = lone_characters(every)
        split = split_words(every)
        print(f"{name}: {len(every)} cells, {len(lone)} with a lone character, {len(split)} with a split word, "
              f"{len(off_centre(every))} off centre")
        for cell in lone + split:
            print(f"  p{cell.page}: {' / '.join(cell.lines)}")
