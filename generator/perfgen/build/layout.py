"""Stage 4 of a build: LibreOffice lays each rendered document out, for its TOC's page numbers and its PDF.

Over the UNO bridge a document is laid out as soon as it is rendered, while
the others still render (``LayoutStage.add``); from the command line, where
each run of LibreOffice costs its start, they are laid out in one batch at the
end (``LayoutStage.finish``). Either way one layout says on which page each
heading fell; those numbers are written into the TOC, and when a PDF is wanted
LibreOffice makes it from that same layout with the numbers written in. Only a
document whose body would start on a left-hand page (a blank page goes in after
the TOC) or that LibreOffice lays out from the command line is laid out again
for its PDF.

Each document's ``Layout`` carries its own trouble: LibreOffice's failure costs
a township its page numbers and PDF, never its .docx (the TOC is left for Word
to fill in on opening).
"""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from perfgen.build.render import Document, Rendered, render_document
from perfgen.build.result import BuildResult, Listener, Options
from perfgen.errors import OfficeError, PerfgenError
from perfgen.office.pdf import check_pdf, heading_pages, printed_numbers

if TYPE_CHECKING:
    from perfgen.model import Township
    from perfgen.office.libreoffice import LibreOffice
    from perfgen.office.results import Converted, Located, Starts
    from perfgen.render.docx import DocxRenderer


@dataclass(frozen=True)
class Layout:
    """A township's document as it will be written, with its PDF when one is wanted; or why not."""

    docx: bytes
    pdf: bytes | None = None
    paginated: bool = False  # the TOC carries its page numbers
    trouble: str = ""  # why LibreOffice could not lay it out: TOC left for Word, no PDF
    error: str = ""  # perfgen failed while numbering it (not LibreOffice): the township fails
    starts: Starts | None = None  # where the PDF breaks the 绩效指标表s' rows, when LibreOffice said (else the PDF tells)


def as_rendered(document: Document, trouble: str = "") -> Layout:
    """The document as first rendered: its TOC left for Word to fill in on opening."""
    return Layout(document.docx, trouble=trouble)


def toc_numbers(pages: list[int]) -> list[int] | None:
    """The TOC's numbers for headings on these pages (0-based physical pages), where writing them in moves
    nothing; None where a blank page must go in first (the numbered document then needs a layout of its own)."""
    return None if _blank_page_wanted(pages) else printed_numbers(pages)


def _blank_page_wanted(pages: list[int]) -> bool:
    """Whether the body would start on a left-hand page: it must not."""
    return bool(pages) and pages[0] % 2 == 1


class LayoutStage:
    """Lays out the documents of a build as they are rendered, or in one batch at the end; tells the listener."""

    def __init__(self, office: LibreOffice | None, options: Options, listener: Listener, results: dict[Path, BuildResult]) -> None:
        self.office = office
        self.draft = options.draft  # no page numbers: only the PDF of the document as rendered
        self.pdf = options.pdf or options.preview  # a PDF is wanted (for itself or for the previews)
        self.lost = "、".join(name for name, wanted in (("PDF", options.pdf), ("预览", options.preview)) if wanted)
        self.listener = listener
        self.results = results  # by township folder: named to the listener
        self._laid: dict[Path, Layout] = {}  # laid out as they came, to be told at the end
        self._waiting: list[Rendered] = []  # for the batch at the end
        self._counts: dict[Path, int] = {}  # layouts made per township
        self._done = 0
        self._total = 0

    def add(self, rendered: Rendered) -> Layout | None:
        """Take a rendered township. Without LibreOffice its document is final: returned at once, to write."""
        if rendered.document is None:
            return None
        if self.office is None:
            return as_rendered(rendered.document)
        if self.office.one_at_a_time:
            [self._laid[rendered.folder]] = self._lay_out([rendered], tell=False)
        else:
            self._waiting.append(rendered)
        return None

    def finish(self) -> dict[Path, Layout]:
        """Every layout of the build, by township: those made ahead, told now, and the batch of those waiting.

        LibreOffice's trouble is told once per cause, naming the townships it cost their page numbers.
        """
        laid = self._laid
        documents = len(laid) + len(self._waiting)
        if self.office is None or not documents:
            return laid
        self.listener.notice(f"正在用 LibreOffice 排版，计算目录页码（{documents} 个文档）……")
        self._total = sum(self._counts.values()) + len(self._waiting)
        for folder, count in self._counts.items():
            for _ in range(count):
                self._tell(folder)
        waiting, self._waiting = self._waiting, []
        laid.update(zip((r.folder for r in waiting), self._lay_out(waiting, tell=True)))
        self._warn_once(laid)
        return laid

    def _tell(self, folder: Path) -> None:
        self._done += 1
        self.listener.laid_out(min(self._done, self._total), self._total, self.results[folder])

    def _warn_once(self, laid: dict[Path, Layout]) -> None:
        causes: dict[str, list[str]] = {}
        for folder, layout in laid.items():
            if layout.trouble:
                causes.setdefault(layout.trouble, []).append(folder.name)
        for cause, names in causes.items():
            self.listener.notice(
                f"警告：LibreOffice 排版失败：{cause}。{'、'.join(names)} 的 .docx 照常生成，"
                f"目录页码留待在 Word 中打开时更新" + (f"；没有生成 {self.lost}" if self.lost else "") + "。"
            )

    def _lay_out(self, rendered: list[Rendered], tell: bool) -> list[Layout]:
        """Lay out these townships' documents, counting each layout (and telling it, in the batch at the end)."""
        assert self.office is not None
        folders = [r.folder for r in rendered]

        def done(index: int) -> None:
            self._counts[folders[index]] = self._counts.get(folders[index], 0) + 1
            if tell:
                self._tell(folders[index])

        def more(count: int) -> None:
            if tell:
                self._total += count

        documents = [r.document for r in rendered if r.document is not None]
        return lay_out(self.office, documents, draft=self.draft, pdf=self.pdf, done=done, more=more)


def lay_out(
    office: LibreOffice,
    documents: list[Document],
    draft: bool,
    pdf: bool,
    done: Callable[[int], None] | None = None,
    more: Callable[[int], None] | None = None,
) -> list[Layout]:
    """Lay documents out: for their page numbers, with the PDF from the same layout when ``pdf``; or, for a
    ``draft``, only for the PDF of the document as rendered. ``done`` hears each document's index after each
    layout of it; ``more`` how many documents need a second layout (a PDF the first could not give)."""
    if not documents:
        return []
    from perfgen.office.results import Headings
    from perfgen.render.fixups import INDICATOR_HEADER

    tell = done or (lambda index: None)
    if draft:
        converted = _converted(office, [d.docx for d in documents], tell)
        return [_as_pdf(d, as_rendered(d), None, c) for d, c in zip(documents, converted)]
    # where LibreOffice breaks the indicator tables' rows, said as it makes a PDF: for _labelled
    rows = INDICATOR_HEADER if pdf else ""
    try:
        requests = [Headings(d.docx, d.titles, d.bookmarks) for d in documents]
        located = office.locate(requests, tell, toc_numbers if pdf else None, rows)
    except OfficeError as exc:
        return [as_rendered(d, str(exc)) for d in documents]
    layouts = [_guarded(d, functools.partial(_numbered, d, found)) for d, found in zip(documents, located)]
    if not pdf:
        return layouts
    relabelled = [False] * len(layouts)
    # the numbered documents whose PDF the one layout could not give are laid out again (a blank page went
    # in after the TOC), and so are those whose 一级 groups that layout split get their labels: twice at most
    for _ in range(3):
        for i, layout in enumerate(layouts):
            if layout.pdf is not None and not relabelled[i]:
                relabelled[i] = True
                layouts[i] = _guarded(documents[i], functools.partial(_labelled, layout))
        again = [i for i, layout in enumerate(layouts) if layout.pdf is None and not layout.trouble and not layout.error]
        if not again:
            break
        if more is not None:
            more(len(again))
        pdfs = _converted(office, [layouts[i].docx for i in again], functools.partial(_tell_of, tell, again), rows)
        for i, made in zip(again, pdfs):
            layouts[i] = _as_pdf(documents[i], layouts[i], printed_numbers(located[i].pages), made)
    return layouts


def _tell_of(tell: Callable[[int], None], indexes: list[int], k: int) -> None:
    """Tell the layout of the ``k``-th of ``indexes`` as that of its document."""
    tell(indexes[k])


def _labelled(layout: Layout) -> Layout:
    """The layout, or its document with the 一级 groups its PDF split labelled on each page (to lay out again)."""
    from perfgen.render.groups import relabel_split_groups

    assert layout.pdf is not None
    relabelled = relabel_split_groups(layout.docx, layout.pdf, layout.starts)
    return layout if relabelled is None else replace(layout, docx=relabelled, pdf=None, starts=None)


def laid_out_pdf(township: Township, renderer: DocxRenderer, office: LibreOffice) -> bytes:
    """The PDF of one township's document as ``perfgen build --pdf`` makes it, TOC numbered (perfgen serve's
    分页预览, on a LibreOffice kept for the session). OfficeError when LibreOffice cannot make it."""
    from perfgen.render.context import make_context

    [layout] = lay_out(office, [render_document(make_context(township), renderer)], draft=False, pdf=True)
    if layout.pdf is None:
        raise OfficeError(layout.trouble or layout.error or "LibreOffice 未能排版这份文档")
    return layout.pdf


def _converted(office: LibreOffice, documents: list[bytes], done: Callable[[int], None], rows: str = "") -> list[Converted]:
    from perfgen.office.results import Converted  # with LibreOffice only: a draft loads none of office/

    try:
        return office.convert(documents, done, rows)
    except OfficeError as exc:
        return [Converted(None, str(exc)) for _ in documents]


def _numbered(document: Document, located: Located) -> Layout:
    """The document with the pages on which its headings fell written into its TOC; the PDF made meanwhile.

    The body's page numbers start at 1 after the TOC, so the numbers written cannot move a heading.
    """
    from perfgen.office.results import Converted
    from perfgen.render.document import with_page_numbers

    if located.trouble:
        raise OfficeError(located.trouble)
    numbers = printed_numbers(located.pages)
    numbered = Layout(with_page_numbers(document.docx, numbers, blank_page=_blank_page_wanted(located.pages)), paginated=True)
    if located.pdf is None:
        return numbered
    return _as_pdf(document, numbered, numbers, Converted(located.pdf, starts=located.starts))


def _as_pdf(document: Document, layout: Layout, numbers: list[int] | None, converted: Converted) -> Layout:
    """``layout`` with its PDF, checked: readable, and (when numbered) its headings where the TOC says."""
    if layout.trouble or layout.error:
        return layout

    def checked() -> Layout:
        if converted.pdf is None:
            raise OfficeError(converted.trouble or "LibreOffice 未能把这份文档转换为 PDF")
        if numbers is not None and heading_pages(converted.pdf, document.titles) != numbers:
            raise OfficeError("目录页码核对未通过：填入页码后重新排版，标题所在页发生了变化")
        return replace(layout, pdf=check_pdf(converted.pdf), starts=converted.starts)

    return _guarded(document, checked)


def _guarded(document: Document, step: Callable[[], Layout]) -> Layout:
    """One step of a document's layout; LibreOffice's failure costs it its layout, perfgen's its township."""
    try:
        return step()
    except OfficeError as exc:
        return as_rendered(document, str(exc))
    except PerfgenError as exc:
        return Layout(document.docx, error=str(exc))
    except Exception:  # a bug must not stop the other townships
        return Layout(document.docx, error="内部错误，请把以下信息告诉维护人员：\n" + traceback.format_exc())
