"""What every reader hands to the recogniser: a document as paragraphs and tables, in order.

A reader (Word, PDF) knows its format; the recogniser (``structure``) knows the
部门预算绩效文本 and sees only these values, so every format is read the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Paragraph:
    text: str
    place: str  # where a clerk finds it in the original, e.g. "第3页" or "第12段"
    kind: str = ""  # a hint from the format: "toc" for a table-of-contents entry, "" otherwise


@dataclass
class Cell:
    text: str  # the cell's paragraphs joined by "\n"
    column: int  # first grid column it covers
    span: int = 1  # grid columns it covers
    merged_up: bool = False  # the lower part of a cell merged down: its text is the cell's above

    def covers(self, start: int, span: int) -> bool:
        return self.column < start + span and start < self.column + self.span


@dataclass
class Row:
    cells: list[Cell]
    place: str  # e.g. "第2个表格第5行" or "第4页表格第5行"

    def texts(self) -> list[str]:
        return [cell.text for cell in self.cells]


@dataclass
class Table:
    rows: list[Row] = field(default_factory=list)
    place: str = ""


Block = Paragraph | Table
