"""The 分页预览: the real pages of a township, made by one LibreOffice kept warm for the whole session.

After each change of a township its document is rendered and laid out again in the background, as
``perfgen build --pdf`` would (TOC numbered), and its pages turned into PNG images kept in memory. The
HTML preview never waits for this; the 分页预览 page shows the last pages made and says when newer ones
are on their way. A township whose sources have errors of form keeps its last pages.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from typing import TYPE_CHECKING

from perfgen.errors import PerfgenError
from perfgen.html.render import environment
from perfgen.office.libreoffice import LibreOffice, find_soffice
from perfgen.serve.township import LiveTownship

if TYPE_CHECKING:
    from perfgen.model import Township
    from perfgen.render.docx import DocxRenderer

RESOLUTION = 80  # dots per inch of the page images: an A4 page 660 pixels wide


@dataclass
class Pages:
    """The pages last made for a township (a PDF, its page images made when first asked for) and what is
    happening now."""

    version: int = -1  # the township's version they show
    pdf: Path | None = None  # in LibreOffice's work folder
    count: int = 0
    state: str = "waiting"  # waiting, working, ready, blocked, failed
    message: str = "正在排版……"
    images: dict[int, bytes] = field(default_factory=dict)  # page number -> PNG


def _render(name: str, **values: object) -> str:
    return environment().get_template(name).render(**values)


def _title(township: LiveTownship) -> str:
    document = township.current.township.document
    return document.title if document else township.name


def unavailable_page(township: LiveTownship, css: str) -> str:
    """The 分页预览 page without LibreOffice: what to install."""
    message = "分页预览需要 LibreOffice 和 pdftoppm（poppler-utils）：请让 IT 人员安装后重新运行 perfgen serve。"
    return _render("pages.html", title=_title(township), number=township.number, css_href=css,
                   script_href=None, pages=Pages(state="failed", message=message), back=f"/t/{township.number}/")


class PageMaker:
    """Lays out the townships that changed, one at a time, newest state first; runs on its own thread.

    Turning all pages into images takes longer than the layout (pdftoppm: ~0.3 s a page on a busy
    machine), so a page's image is made when the browser first asks for it (the page list loads them
    lazily, as they scroll into view) and kept until the next layout.
    """

    def __init__(self, soffice: str, stopping: threading.Event) -> None:
        self.soffice = soffice
        self.stopping = stopping
        self._wanted: dict[int, LiveTownship] = {}
        self._pages: dict[int, Pages] = {}
        self._signal = threading.Condition()
        self._office: LibreOffice | None = None
        self._renderer: DocxRenderer | None = None
        self._layouts = 0

    @classmethod
    def if_available(cls, stopping: threading.Event) -> PageMaker | None:
        soffice = find_soffice()
        if soffice is None or shutil.which("pdftoppm") is None:
            return None
        return cls(soffice, stopping)

    def wanted(self, township: LiveTownship) -> None:
        """Lay this township out again (once: several changes meanwhile make one layout, of the newest state)."""
        with self._signal:
            self._wanted[township.number] = township
            self._pages.setdefault(township.number, Pages())
            self._signal.notify_all()

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                with self._signal:
                    self._signal.wait_for(lambda: self._wanted or self.stopping.is_set(), timeout=1)
                    if not self._wanted or self.stopping.is_set():
                        continue
                    number = min(self._wanted)
                    township = self._wanted.pop(number)
                try:
                    self._lay_out(township)
                except Exception:
                    if self.stopping.is_set():  # LibreOffice was ended under the layout: the preview is stopping
                        return
                    print(f"perfgen serve：{township.name} 的分页预览出错（请把下面的信息报告给维护人员）：", file=sys.stderr)
                    traceback.print_exc()
                    self._restart()
                    self._pages[township.number].state = "failed"
                    self._pages[township.number].message = "排版时出现内部错误，保存文件后会重试"
        finally:
            self.close()

    def _lay_out(self, township: LiveTownship) -> None:
        snapshot = township.current
        pages = self._pages[township.number]
        if snapshot.stale or any(p.blocking for p in snapshot.problems) or snapshot.township.document is None:
            pages.state, pages.message = "blocked", "源文件有格式错误，无法排版：下面是上一次的分页预览。请先按网页预览中的提示修改。"
            return
        pages.state, pages.message = "working", "正在排版……"
        try:
            pdf = self._pdf(snapshot.township)
            assert self._office is not None
            self._layouts += 1
            path = self._office.folder / f"pages-{township.number}-{self._layouts}.pdf"
            path.write_bytes(pdf)
            count = _page_count(pdf)
        except (PerfgenError, OSError) as exc:
            self._restart()
            pages.state, pages.message = "failed", f"排版失败：{exc}"
            return
        self._pages[township.number] = Pages(snapshot.version, path, count, "ready", "")
        if pages.pdf is not None:
            pages.pdf.unlink(missing_ok=True)

    def _pdf(self, township: Township) -> bytes:
        from perfgen.build import laid_out_pdf
        from perfgen.render.docx import DocxRenderer
        from perfgen.resources import standard_template

        if self._renderer is None:
            self._renderer = DocxRenderer(standard_template())
        if self._office is None:
            self._office = LibreOffice(self.soffice, prefix="perfgen-serve-")
            self._office.__enter__()
            self._office.start()
        return laid_out_pdf(township, self._renderer, self._office)

    def _restart(self) -> None:
        """After a failure, a new LibreOffice for the next layout (a broken one refuses every job)."""
        self.close()
        for pages in self._pages.values():
            pages.pdf = None  # it went with LibreOffice's work folder
            pages.count = len(pages.images)

    def close(self) -> None:
        office, self._office = self._office, None
        if office is not None:
            office.__exit__(None, None, None)

    def state(self, township: LiveTownship) -> str:
        pages = self._pages.get(township.number, Pages())
        return json.dumps(
            {"version": pages.version, "current": township.current.version, "state": pages.state,
             "message": pages.message, "count": pages.count},
            ensure_ascii=False,
        )

    def image(self, township: LiveTownship, number: int) -> bytes | None:
        """The PNG of one page of the last layout, made now if it was not asked for before."""
        pages = self._pages.get(township.number, Pages())
        if not 1 <= number <= pages.count:
            return None
        if number not in pages.images and pages.pdf is not None:
            image = _page_image(pages.pdf, number)
            if image is not None:
                pages.images[number] = image
        return pages.images.get(number)

    def page(self, township: LiveTownship, static: str) -> str:
        pages = self._pages.get(township.number, Pages())
        return _render("pages.html", title=_title(township), number=township.number,
                       css_href=static + "perfgen.css", script_href=static + "perfgen.js", pages=pages,
                       back=f"/t/{township.number}/")


def _page_count(pdf: bytes) -> int:
    from perfgen.office.pdf import page_count

    return page_count(pdf)


def _page_image(pdf: Path, number: int) -> bytes | None:
    """One page of ``pdf`` as a PNG (pdftoppm), or None if it cannot be made (the PDF went meanwhile)."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        return None
    command = [pdftoppm, "-png", "-r", str(RESOLUTION), "-f", str(number), "-l", str(number), "-singlefile", str(pdf)]
    try:
        made = subprocess.run(command, capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return made.stdout if made.returncode == 0 and made.stdout.startswith(b"\x89PNG") else None
