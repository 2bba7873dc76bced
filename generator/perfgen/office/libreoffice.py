"""Lay documents out with a private, headless LibreOffice: the pages their headings fall on, and PDFs.

The session API of the office package. ``LibreOffice.locate`` and
``LibreOffice.convert`` take a batch of documents and give each its own
result (``Located``, ``Converted``: results.py), with its own trouble. Behind
them, one LibreOffice process serves a whole build over the UNO bridge
(bridge.py), started at once and laying each document out as it comes; where
no Python has the bridge, each call is one ``soffice --convert-to pdf`` run for
all its documents (command_line.py; ``locate`` then reads the PDFs' outlines).
Either way the processes, profile, watchdog and timeouts are the supervisor's
(supervisor.py). After a timeout or a crash LibreOffice is not used again in
the same build (an OfficeError names the cause), so a build waits for it once.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

from perfgen.errors import OfficeError, OfficeStartFailed
from perfgen.office.bridge import Worker
from perfgen.office.command_line import convert_batch
from perfgen.office.results import Converted, Headings, Located, Numbering, answered_pages, outline_pages
from perfgen.office.supervisor import INSTALL_HINT, NO_OFFICE_TOC, Supervisor, find_soffice, layout_timeout, likely_uno_python

__all__ = ["INSTALL_HINT", "NO_OFFICE_TOC", "Converted", "Headings", "LibreOffice", "Located", "Numbering", "find_soffice"]


class LibreOffice:
    """A session with a headless LibreOffice and a temporary profile; use it as a context manager.

    ``starts`` counts the LibreOffice processes started: one for a whole build when UNO is available.
    Each document's result carries its own trouble. Once LibreOffice timed out or crashed, ``convert``
    and ``locate`` raise the same OfficeError at once: a build waits for it only once.
    """

    def __init__(self, soffice: str, timeout: float | None = None, bridge: bool = True, prefix: str = "perfgen-office-") -> None:
        self.office = Supervisor(soffice, timeout, prefix)
        self.bridge = bridge  # False: the command line only (no UNO worker)
        self._broken: OfficeError | None = None
        self._uno_python: str | None = None
        self._worker: Worker | None = None

    def __enter__(self) -> LibreOffice:
        self.office.__enter__()
        self._uno_python = likely_uno_python(self.office.soffice) if self.bridge else None
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        try:
            if self._worker is not None:
                # no polite goodbye (LibreOffice takes ~0.2 s to quit): its profile and files are thrown away
                self._worker.close(force=True)
                self._worker = None
        finally:
            self.office.__exit__(kind, value, tb)

    @property
    def starts(self) -> int:
        return self.office.starts

    @property
    def folder(self) -> Path:
        """The temporary work folder (profile, documents): removed with LibreOffice, whatever happens."""
        return self.office.folder

    @property
    def one_at_a_time(self) -> bool:
        """Whether documents are best laid out as they come: over the UNO bridge, as long as it works.

        From the command line each call is one run of LibreOffice, best made once for a whole batch.
        """
        return self._broken is None and self._uno_python is not None

    def start(self) -> None:
        """Have LibreOffice start now, without waiting for it: it comes up while perfgen renders.

        Only with the UNO bridge (from the command line, LibreOffice starts with each batch).
        """
        if self._broken is None:
            self._spawn_worker()

    def convert(self, documents: list[bytes], done: Callable[[int], None] | None = None, rows: str = "") -> list[Converted]:
        """PDFs of the given .docx files, in order, each with the reason where there is none.

        ``done`` hears the index of each document once LibreOffice is through with it (a progress display).
        ``rows``: the first cell of the tables whose rows' page breaks each PDF's ``starts`` should tell (over
        the UNO bridge; from the command line they are left for the PDF to tell).
        OfficeError when LibreOffice cannot be started, times out, crashes or is killed.
        """
        return self._batch(documents, lambda todo, tell: self._convert(todo, tell, rows), done)

    def locate(
        self,
        requests: list[Headings],
        done: Callable[[int], None] | None = None,
        numbering: Numbering | None = None,
        rows: str = "",
    ) -> list[Located]:
        """Lay each document out and say on which physical page (0-based) each of its headings falls.

        A document LibreOffice could not lay out, or whose headings it lost, gets the reason instead.
        ``done`` and OfficeError as for ``convert``. With the UNO bridge no PDF is made: LibreOffice
        is asked for the pages of the headings' bookmarks; from the command line, the PDF's outline tells.

        With ``numbering`` (a PDF is wanted), the numbers it gives for a document's pages are written
        into the TOC of the document as laid out, and the PDF made from it when they moved nothing:
        one layout instead of two. Where it gives None, or without the bridge, there is no PDF. ``rows`` as
        for ``convert``.
        """
        return self._batch(requests, lambda todo, tell: self._locate(todo, tell, numbering, rows), done)

    # -- the UNO worker, started once and used while it works

    def _spawn_worker(self) -> None:
        if self._worker is None and self._uno_python is not None:
            office = self.office
            try:
                self._worker = Worker(
                    self._uno_python, office.soffice, office.profile, office.environment(), office.processes,
                    2 * office.timeout,  # a cold start with a new profile takes longer than a layout
                )
            except OSError:
                self._uno_python = None  # no bridge after all: convert from the command line

    def _running_worker(self) -> Worker | None:
        self._spawn_worker()
        if self._worker is not None and not self._worker.ready:
            try:
                self._worker.wait_ready()
                self.office.starts += 1
            except OfficeStartFailed:
                self._worker = None
                self._uno_python = None  # no bridge after all: convert from the command line
        return self._worker

    # -- a batch: over the bridge one document at a time, else one command-line run for all

    def _batch(
        self,
        items: list[Any],
        work: Callable[[list[Any], Callable[[int], None]], list[Any]],
        done: Callable[[int], None] | None,
    ) -> list[Any]:
        """``work`` on the items; a LibreOffice lost on the way is not used again."""
        if self._broken is not None:
            raise self._broken
        if not items:
            return []
        try:
            return work(items, done or (lambda index: None))
        except OfficeError as exc:
            self._broken = exc
            raise

    @contextlib.contextmanager
    def _batch_folder(self, documents: list[bytes]) -> Iterator[tuple[Path, list[Path], list[float]]]:
        """A folder with the documents written into it, removed after, and each document's timeout.

        A LibreOffice lost on the way (OfficeError) is not used again: it was killed.
        """
        batch = Path(tempfile.mkdtemp(dir=self.office.folder))
        try:
            sources = []
            for index, data in enumerate(documents):
                source = batch / f"{index:05d}.docx"
                source.write_bytes(data)
                sources.append(source)
            (batch / "pdf").mkdir()
            yield batch, sources, [layout_timeout(data, self.office.timeout) for data in documents]
        except OfficeError:
            self._worker = None
            raise
        finally:
            shutil.rmtree(batch, ignore_errors=True)

    def _convert(self, documents: list[bytes], done: Callable[[int], None], rows: str) -> list[Converted]:
        with self._batch_folder(documents) as (batch, sources, timeouts):
            out = batch / "pdf"
            worker = self._running_worker()
            if worker is None:
                pdfs = convert_batch(self.office, sources, out, timeouts)
                for index in range(len(pdfs)):  # one run for all: they are through together
                    done(index)
                return pdfs
            results: list[Converted] = []
            for index, (source, timeout) in enumerate(zip(sources, timeouts)):
                target = out / f"{source.stem}.pdf"
                error, starts = worker.convert(source, target, timeout, rows)
                if error or not target.is_file():
                    results.append(Converted(None, f"LibreOffice 无法转换文档：{error or '没有生成 PDF'}"))
                else:
                    results.append(Converted(target.read_bytes(), starts=starts))
                done(index)
            return results

    def _locate(
        self, requests: list[Headings], done: Callable[[int], None], numbering: Numbering | None, rows: str
    ) -> list[Located]:
        with self._batch_folder([request.document for request in requests]) as (batch, sources, timeouts):
            worker = self._running_worker()
            if worker is None:
                pdfs = convert_batch(self.office, sources, batch / "pdf", timeouts)
                results = [outline_pages(pdf.pdf, request.titles) for pdf, request in zip(pdfs, requests)]
                for index in range(len(results)):
                    done(index)
                return results
            located: list[Located] = []
            for index, (source, timeout, request) in enumerate(zip(sources, timeouts, requests)):
                answer = worker.locate(source, request.bookmarks, timeout, keep=numbering is not None)
                layout = answered_pages(answer, request)
                if numbering is not None and answer.get("ok"):  # the worker kept the document open
                    numbers = None if layout.trouble else numbering(layout.pages)
                    target = batch / "pdf" / f"{source.stem}.pdf"
                    made, starts = worker.number(numbers, request.bookmarks, target, timeout, rows)
                    if made and target.is_file():
                        layout.pdf, layout.starts = target.read_bytes(), starts
                located.append(layout)
                done(index)
            return located
