"""Small PDFs written byte by byte for the tests of the PDF reader: ruled grids, bombs, broken files."""

from __future__ import annotations

import random
import re
import zlib


def unicode_cmap(blocks: set[int]) -> bytes:
    """A ToUnicode CMap mapping each two-byte code of the ``blocks`` (its high bytes) to the same UTF-16 code."""
    ranges = [b"<%02X00> <%02XFF> <%02X00>\n" % (h, h, h) for h in sorted(blocks)]
    return (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        + b"".join(b"%d beginbfrange\n" % len(ranges[n : n + 100]) + b"".join(ranges[n : n + 100]) + b"endbfrange\n"
                   for n in range(0, len(ranges), 100))
        + b"endcmap CMapName currentdict /CMap defineresource pop end end"
    )


class Stream(bytes):
    """A stream object, written as it is (a page's contents made by hand)."""


def stream(data: bytes, head: str = "", compress: bool = False) -> bytes:
    if compress:
        data = zlib.compress(data, 9)
        head += " /Filter /FlateDecode"
    return b"<<" + head.encode() + b" /Length %d>>\nstream\n" % len(data) + data + b"\nendstream"


def pdf(
    pages: list[bytes],
    *,
    forms: dict[str, bytes] | None = None,
    compress: bool = False,
    extra: list[bytes] | None = None,
    trailer: str = "",
) -> bytes:
    """A PDF of ``pages`` (content streams drawn with the font /F1, Helvetica, and the ``forms`` by name).

    ``extra`` objects follow the catalog, numbered from there on; ``trailer`` is added to the trailer.
    """
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    # /F2: any text of the Basic Multilingual Plane, each character its UTF-16 code (no glyphs: readers need none);
    # its CMap maps only the blocks the pages use (pdfminer reads a CMap's every code)
    used = {int(code[i : i + 2], 16) for content in [*pages, *(forms or {}).values()]
            for code in re.findall(rb"<([0-9a-f]+)> Tj", content) for i in range(0, len(code), 4)}
    descriptor = add(b"<< /Type /FontDescriptor /FontName /Song /Flags 4 /FontBBox [0 -200 1000 800] /ItalicAngle 0"
                     b" /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >>")
    cid_font = add(b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Song /DW 1000 /FontDescriptor %d 0 R"
                   b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>" % descriptor)
    to_unicode = add(stream(unicode_cmap(used or {0})))
    wide = add(b"<< /Type /Font /Subtype /Type0 /BaseFont /Song /Encoding /Identity-H"
               b" /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (cid_font, to_unicode))
    xobjects = {
        name: add(stream(body, "/Type /XObject /Subtype /Form /BBox [0 0 600 800]", compress))
        for name, body in (forms or {}).items()
    }
    names = " ".join(f"/{name} {number} 0 R" for name, number in xobjects.items())
    resources = f"<< /Font << /F1 {font} 0 R /F2 {wide} 0 R >> /XObject << {names} >> >>".encode()
    pages_id = len(objects) + 2 * len(pages) + 1
    kids = []
    for content in pages:
        contents = add(content if isinstance(content, Stream) else stream(content, compress=compress))
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 600 800] /Resources %s /Contents %d 0 R >>"
                        % (pages_id, resources, contents)))
    assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))) == pages_id
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    for body in extra or []:
        add(body)
    return document(objects, catalog, trailer)


def document(objects: list[bytes], root: int, trailer: str = "") -> bytes:
    """A PDF file of ``objects`` (numbered from 1) whose catalog is object ``root``."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, root, trailer.encode(), xref
    )
    return bytes(out)


def chinese(x: float, y: float, words: str, size: float = 10) -> bytes:
    """Any text (Chinese too) drawn at (x, y) from the bottom left, in the font /F2, one em per character."""
    return b"BT /F2 %.2f Tf %.2f %.2f Td <%s> Tj ET\n" % (size, x, y, words.encode("utf-16-be").hex().encode())


def text(x: float, y: float, words: str | bytes, size: float = 10) -> bytes:
    """Text drawn at (x, y) from the bottom left, in Helvetica: Latin letters and digits only."""
    raw = words.encode("latin-1") if isinstance(words, str) else words
    return b"BT /F1 %.2f Tf %.2f %.2f Td (%s) Tj ET\n" % (size, x, y, raw)


def grid(n: int, left: float = 20, top: float = 780, cell: float = 5.6) -> bytes:
    """An n×n table ruled with full-length lines, a digit in each cell."""
    ops = [b"0.2 w\n"]
    for i in range(n + 1):
        y, x = top - i * cell, left + i * cell
        ops.append(b"%.2f %.2f m %.2f %.2f l S\n" % (left, y, left + n * cell, y))
        ops.append(b"%.2f %.2f m %.2f %.2f l S\n" % (x, top, x, top - n * cell))
    for r in range(n):
        for c in range(n):
            ops.append(text(left + c * cell + 1, top - (r + 1) * cell + 1.5, str((r * n + c) % 10), 3))
    return b"".join(ops)


def inflating_stream(megabytes: int) -> Stream:
    """A page content stream that is ``megabytes`` MB of spaces once inflated, about 1 KB per MB packed."""
    packer = zlib.compressobj(9)
    spaces = b" " * (1024 * 1024)
    packed = b"".join(packer.compress(spaces) for _ in range(megabytes)) + packer.flush()
    return Stream(b"<< /Filter /FlateDecode /Length %d>>\nstream\n" % len(packed) + packed + b"\nendstream")


# -- the PDFs of the attack campaign (tests/e2e/test_import_limits.py, test_import_corpus.py, benchmarks/campaign.py)


def stream_bomb(megabytes: int = 300) -> bytes:
    """A page whose one content stream inflates to ``megabytes`` MB (300 KB packed)."""
    return pdf([inflating_stream(megabytes)])


def form_bomb() -> bytes:
    """A page drawing one form, 2,000 tiny characters, a thousand times (under 8 KB)."""
    return pdf([b"/Fm0 Do\n" * 1000], forms={"Fm0": text(10, 10, "x" * 2000, 1)}, compress=True)


def operator_bomb(operators: int = 150_000) -> bytes:
    """A page of ``operators`` drawing operators that draw nothing (a few KB packed)."""
    return pdf([text(10, 10, "a") + b"q Q\n" * (operators // 2)], compress=True)


def page_bomb(pages: int) -> bytes:
    return pdf([b""] * pages, compress=True)


def small_township_pdf() -> bytes:
    """Two pages in the shape of a township's text: a unit line, a money unit, a ruled table, Chinese text."""
    page = chinese(50, 760, "816001某镇人民政府") + chinese(50, 740, "单位：万元") + grid(4, top=700, cell=40)
    return pdf([page, chinese(50, 700, "第二页，政策、法规。")], compress=False)


def mutations(data: bytes, count: int, seed: int) -> list[bytes]:
    """``count`` damaged copies of ``data``: bytes changed, runs cut out or repeated, the file cut short."""
    draw = random.Random(seed)
    found = []
    for _ in range(count):
        copy = bytearray(data)
        for _ in range(draw.randint(1, 8)):
            kind = draw.random()
            at = draw.randrange(len(copy))
            if kind < 0.5:
                copy[at] = draw.randrange(256)
            elif kind < 0.7:
                del copy[at : at + draw.randint(1, 64)]
            elif kind < 0.85:
                copy[at:at] = copy[at : at + draw.randint(1, 64)]
            else:
                copy[at:at] = draw.choice([b" R ", b"<<", b">>", b"[", b"999999999 0 R", b"stream\n", b"-1", b"/Kids"])
        if draw.random() < 0.1:
            del copy[draw.randrange(len(copy)) :]
        found.append(bytes(copy))
    return found
