"""Limits on the work a PDF from a user can make ``perfgen import`` do.

A PDF is a program for a page-drawing machine, and pdfminer runs it: a 1 MB file
can hold a stream that inflates to gigabytes, a form drawn a thousand times, or
hundreds of thousands of drawing operators. Within ``bounded()`` every stream is
measured (inflated without keeping the output) before pdfminer decodes it, and
operators, characters, pages and seconds are counted as pdfminer meets them; past a
limit reading stops with a Chinese message that names the limit.

pdfminer has no hooks for this, so ``bounded()`` wraps three of its methods for
its duration (one reader at a time: import reads one file).
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from io import BytesIO
from typing import Any

from pdfminer.converter import PDFLayoutAnalyzer
from pdfminer.lzw import LZWDecoder
from pdfminer.pdfinterp import PDFContentParser
from pdfminer.pdftypes import (
    LITERALS_ASCII85_DECODE,
    LITERALS_ASCIIHEX_DECODE,
    LITERALS_FLATE_DECODE,
    LITERALS_LZW_DECODE,
    LITERALS_RUNLENGTH_DECODE,
    PDFStream,
)
from pdfminer.ascii85 import ascii85decode, asciihexdecode
from pdfminer.psparser import PSKeyword

MAX_FILE_BYTES = 50 * 1024 * 1024  # the same cap as a .docx (render/template_file.py)
MAX_DECODED_BYTES = 200 * 1024 * 1024  # all streams of the file together, decoded
MAX_PAGES = 1000
MAX_OPERATORS_PER_PAGE = 100_000  # a page of a published text has a few thousand
MAX_CHARACTERS_PER_PAGE = 30_000  # a dense page has 3,000
MAX_CHARACTERS = 1_000_000  # a 300-page text has 500,000
MAX_LINE_PAIRS = 250_000  # vertical × horizontal ruling lines of one page, each pair checked for a crossing
MAX_SECONDS = 120.0  # of processor time: the work, not how busy the machine is
CHUNK = 1024 * 1024
ADVICE = "文件可能是恶意构造的，或过于复杂。请导入 Word 版，或用其他软件把它重新另存为 PDF 后再试"


class LimitReached(BaseException):
    """A limit was passed. A BaseException: pdfminer and pdfplumber catch every Exception on their way."""


def _megabytes(size: int) -> str:
    return f"{size // (1024 * 1024)} MB"


class Budget:
    """What one PDF has used so far of each limit."""

    def __init__(self) -> None:
        self.started = time.process_time()
        self.decoded = 0
        self.page = 0
        self.operators = 0
        self.characters = 0
        self.page_characters = 0
        self.ticks = 0

    def refuse(self, message: str) -> LimitReached:
        where = f"第 {self.page} 页" if self.page else "文件"
        return LimitReached(f"{where}{message}，已停止读取。{ADVICE}")

    def count_page(self, number: int) -> None:
        if number > MAX_PAGES:
            raise self.refuse(f"超过 {MAX_PAGES} 页（页数上限）")
        self.tick()

    def next_page(self, number: int) -> None:
        self.page = number
        self.operators = 0
        self.page_characters = 0
        self.check_time()

    def check_time(self) -> None:
        if time.process_time() - self.started > MAX_SECONDS:
            raise self.refuse(f"读取超过 {MAX_SECONDS:.0f} 秒（时间上限）")

    def tick(self) -> None:
        self.ticks += 1
        if self.ticks % 4096 == 0:
            self.check_time()

    def operator(self) -> None:
        self.operators += 1
        self.tick()
        if self.operators > MAX_OPERATORS_PER_PAGE:
            raise self.refuse(f"的绘制指令超过 {MAX_OPERATORS_PER_PAGE // 10000} 万条（每页上限）")

    def character(self) -> None:
        self.page_characters += 1
        self.characters += 1
        self.tick()
        if self.page_characters > MAX_CHARACTERS_PER_PAGE:
            raise self.refuse(f"的字符超过 {MAX_CHARACTERS_PER_PAGE // 10000} 万个（每页上限）")
        if self.characters > MAX_CHARACTERS:
            raise self.refuse(f"：全文字符超过 {MAX_CHARACTERS // 10000} 万个（全文上限）")

    def decode(self, stream: PDFStream) -> None:
        """Count what ``stream`` decodes to, refusing it (undecoded) when the file's decoded streams pass the cap."""
        left = MAX_DECODED_BYTES - self.decoded
        size = _decoded_size(stream, left)
        if size is None or size > left:
            raise self.refuse(
                f"中的数据流解压后超过 {_megabytes(MAX_DECODED_BYTES)}（解压上限，疑似“压缩炸弹”）"
            )
        self.decoded += size
        self.check_time()

    def line_pairs(self, vertical: int, horizontal: int) -> None:
        if vertical * horizontal > MAX_LINE_PAIRS:
            raise self.refuse(
                f"的表格线太多（竖线 {vertical} 条、横线 {horizontal} 条；"
                f"两者之积的上限为 {MAX_LINE_PAIRS // 10000} 万）"
            )


def _inflate(data: bytes, limit: int, keep: bool) -> tuple[int, bytes]:
    """The size of ``data`` inflated, and the output when ``keep``, stopping past ``limit``.

    A stream broken part way yields what came before the break, as pdfminer's own fallback does.
    """
    inflater = zlib.decompressobj()
    size, kept = 0, bytearray()
    pending = data
    try:
        while size <= limit and not inflater.eof:
            out = inflater.decompress(pending, CHUNK)
            pending = inflater.unconsumed_tail
            size += len(out)
            if keep:
                kept += out
            if not out and not pending:
                break
    except zlib.error:
        pass
    return size, bytes(kept)


def _unlzw(data: bytes, limit: int, keep: bool) -> tuple[int, bytes]:
    size, kept = 0, bytearray()
    for piece in LZWDecoder(BytesIO(data)).run():
        size += len(piece)
        if size > limit:
            break
        if keep:
            kept += piece
    return size, bytes(kept)


def _unrun(data: bytes, limit: int, keep: bool) -> tuple[int, bytes]:
    """RunLength decoding (PDF 32000 7.4.5), stopping past ``limit``: each run is at most 128 bytes."""
    size, kept, i = 0, bytearray(), 0
    while i < len(data) and size <= limit:
        length = data[i]
        if length == 128:
            break
        if length < 128:
            piece = data[i + 1 : i + 2 + length]
            i += 2 + length
        else:
            piece = data[i + 1 : i + 2] * (257 - length)
            i += 2
        size += len(piece)
        if keep:
            kept += piece
    return size, bytes(kept)


_EXPANDING: dict[Any, Callable[[bytes, int, bool], tuple[int, bytes]]] = {
    **{f: _inflate for f in LITERALS_FLATE_DECODE},
    **{f: _unlzw for f in LITERALS_LZW_DECODE},
    **{f: _unrun for f in LITERALS_RUNLENGTH_DECODE},
}
_SHRINKING: dict[Any, Callable[[bytes], bytes]] = {
    **{f: ascii85decode for f in LITERALS_ASCII85_DECODE},
    **{f: asciihexdecode for f in LITERALS_ASCIIHEX_DECODE},
}


def _decoded_size(stream: PDFStream, limit: int) -> int | None:
    """An upper bound of the size ``stream`` decodes to, past ``limit`` when it would be; None past it early.

    Filters that only shrink their input are applied; those that do not decode (images) or that pdfminer
    refuses end the measure with the size so far.
    """
    data = stream.rawdata or b""
    if stream.decipher and stream.objid is not None and stream.genno is not None:
        data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
    filters = stream.get_filters()
    for n, (name, _) in enumerate(filters):
        if name in _SHRINKING:
            data = _SHRINKING[name](data)
        elif name in _EXPANDING:
            size, data = _EXPANDING[name](data, limit, n + 1 < len(filters))
            if size > limit:
                return None
            if n + 1 == len(filters):
                return size
        else:
            break
    return len(data)


@contextmanager
def bounded() -> Iterator[Budget]:
    """pdfminer's work counted against the limits while inside; LimitReached when one is passed."""
    budget = Budget()
    decode, nextobject, render_char = PDFStream.decode, PDFContentParser.nextobject, PDFLayoutAnalyzer.render_char

    def bounded_decode(self: PDFStream) -> None:
        budget.decode(self)
        decode(self)

    def counted_nextobject(self: PDFContentParser) -> Any:
        found = nextobject(self)
        if isinstance(found[1], PSKeyword):
            budget.operator()
        return found

    def counted_render_char(self: PDFLayoutAnalyzer, *args: Any, **kwargs: Any) -> Any:
        budget.character()
        return render_char(self, *args, **kwargs)

    patches = [
        (PDFStream, "decode", bounded_decode),
        (PDFContentParser, "nextobject", counted_nextobject),
        (PDFLayoutAnalyzer, "render_char", counted_render_char),
    ]
    saved = [(cls, name, vars(cls).get(name)) for cls, name, _ in patches]
    for cls, name, wrapper in patches:
        setattr(cls, name, wrapper)
    try:
        yield budget
    finally:
        for cls, name, own in saved:
            if own is None:
                delattr(cls, name)  # the method was inherited
            else:
                setattr(cls, name, own)
