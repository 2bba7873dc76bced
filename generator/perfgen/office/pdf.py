"""Read what a rendered PDF says: the page of each heading; PNG previews of its pages."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from perfgen.errors import OfficeError, PerfgenError

PREVIEW_HINT = "请安装 poppler：Debian/Ubuntu 运行 sudo apt-get install poppler-utils；Windows 可安装 poppler 并把其 bin 文件夹加入 PATH"


def _reader(pdf: bytes) -> Any:
    from pypdf import PdfReader  # only builds that lay out documents need it

    if not pdf.startswith(b"%PDF-"):
        raise OfficeError(f"LibreOffice 生成的 PDF 无法读取（文件开头为 {pdf[:16]!r}）")
    try:
        reader = PdfReader(io.BytesIO(pdf))
        if len(reader.pages) == 0:
            raise OfficeError("LibreOffice 生成的 PDF 没有页面")
    except OfficeError:
        raise
    except Exception as exc:  # pypdf has many ways to say a file is damaged
        raise OfficeError(f"LibreOffice 生成的 PDF 无法读取（{type(exc).__name__}）") from exc
    return reader


def check_pdf(pdf: bytes) -> bytes:
    """The PDF, once it is known to be readable and to have pages; OfficeError otherwise."""
    _reader(pdf)
    return pdf


def page_count(pdf: bytes) -> int:
    """How many pages a PDF has; OfficeError when it cannot be read."""
    return len(_reader(pdf).pages)


def outline(pdf: bytes) -> list[tuple[str, int]]:
    """The PDF's outline (bookmarks), flattened in order: (title, 0-based physical page)."""
    reader = _reader(pdf)

    def walk(items: list[Any]) -> Iterator[tuple[str, int]]:
        for item in items:
            if isinstance(item, list):
                yield from walk(item)
            else:
                yield item.title, reader.get_destination_page_number(item)

    try:
        return list(walk(reader.outline))
    except Exception as exc:  # a damaged outline
        raise OfficeError(f"LibreOffice 生成的 PDF 无法读取（书签：{type(exc).__name__}）") from exc


def _same(a: str, b: str) -> bool:
    return re.sub(r"\s", "", a) == re.sub(r"\s", "", b)


def heading_positions(pdf: bytes, titles: list[str]) -> list[int]:
    """The physical page (0-based) of each heading, in order.

    The outline lists every heading; those of levels the TOC leaves out are skipped.
    """
    entries = iter(outline(pdf))
    pages = []
    for title in titles:
        page = next((page for found, page in entries if _same(found, title)), None)
        if page is None:
            found = "、".join(found for found, _ in outline(pdf)[:5])
            raise OfficeError(
                f"LibreOffice 生成的 PDF 的书签与文档标题对不上（缺少“{title}”；PDF 中为：{found}…），无法填写目录页码"
            )
        pages.append(page)
    return pages


def heading_pages(pdf: bytes, titles: list[str]) -> list[int]:
    """The printed page number of each heading, in order.

    The body is a section whose numbering starts at 1 with the first heading,
    so a heading's number is its physical page less that of the first.
    """
    return printed_numbers(heading_positions(pdf, titles))


def printed_numbers(positions: list[int]) -> list[int]:
    """The printed page numbers of headings on the given physical pages: the first heading's page is 1."""
    return [page - positions[0] + 1 for page in positions] if positions else []


PREVIEW_DPI = 110  # a 五号 table value is readable, a face can be judged


def write_previews(pdf: Path, folder: Path, resolution: int = PREVIEW_DPI) -> list[Path]:
    """PNG pages of ``pdf`` as folder/page-01.png …; the folder is replaced."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise PerfgenError(f"生成预览需要 pdftoppm。{PREVIEW_HINT}")
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    subprocess.run([pdftoppm, "-png", "-r", str(resolution), str(pdf), str(folder / "page")], check=True, timeout=600)
    return sorted(folder.glob("page-*.png"))
