"""What LibreOffice is asked to lay out, and what each document gets back, with its own trouble."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from perfgen.errors import OfficeError
from perfgen.office.pdf import heading_positions


Starts = list[list[int]]  # per table of a kind, in order: its rows (0-based, header aside) that begin a page after its first


class Headings(NamedTuple):
    """A document to lay out, and its headings (in order) by their titles and by their bookmarks."""

    document: bytes
    titles: list[str]
    bookmarks: list[str]


@dataclass
class Located:
    """Where LibreOffice put a document's headings, or why it could not say; and the PDF, when one came of it.

    ``pages``: the physical page (0-based) of each heading. ``pdf``: the document with its TOC numbered,
    made from this same layout (see ``LibreOffice.locate``); None when the numbering needs another.
    ``starts``: where the rows of the tables asked for break in that PDF, when LibreOffice said.
    """

    pages: list[int] = field(default_factory=list)
    trouble: str = ""
    pdf: bytes | None = None
    starts: Starts | None = None


@dataclass(frozen=True)
class Converted:
    """A document's PDF, or why LibreOffice gave none; and where the rows of the tables asked for break in it,
    when LibreOffice said (over the UNO bridge)."""

    pdf: bytes | None
    trouble: str = ""
    starts: Starts | None = None


Numbering = Callable[[list[int]], "list[int] | None"]  # a document's TOC numbers from its headings' pages


def outline_pages(pdf: bytes | None, titles: list[str]) -> Located:
    """The headings' pages from the PDF's outline; the reason where there is none."""
    if pdf is None:
        return Located(trouble="LibreOffice 无法转换文档：没有生成 PDF")
    try:
        return Located(heading_positions(pdf, titles))
    except OfficeError as exc:
        return Located(trouble=str(exc))


def answered_starts(answer: dict[str, Any]) -> Starts | None:
    """Where the UNO worker says the rows break (see uno_worker.py); None when it did not say it well."""
    starts = answer.get("starts")
    if isinstance(starts, list) and all(
        isinstance(rows, list) and all(isinstance(row, int) and row > 0 for row in rows) for rows in starts
    ):
        return starts
    return None


def answered_pages(answer: dict[str, Any], request: Headings) -> Located:
    """The headings' pages from the UNO worker's answer; the reason where there are none."""
    pages = answer.get("pages")
    if answer.get("ok"):
        if (
            isinstance(pages, list)
            and len(pages) == len(request.bookmarks)
            and all(isinstance(page, int) and page >= 1 for page in pages)
        ):
            return Located([page - 1 for page in pages])
        return Located(trouble=f"LibreOffice 的转换程序答非所问：页码为 {str(pages)[:100]}")
    if "missing" in answer:
        lost = dict(zip(request.bookmarks, request.titles)).get(str(answer["missing"]), str(answer["missing"]))
        return Located(trouble=f"LibreOffice 排版后找不到标题“{lost}”，无法填写目录页码")
    return Located(trouble=f"LibreOffice 无法排版文档：{answer.get('error', '没有说明原因')}")
