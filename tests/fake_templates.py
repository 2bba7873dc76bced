"""Hostile and broken copies of the standard template, made on the fly by the tests that need them."""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

from conftest import ROOT

STANDARD = ROOT / "templates" / "standard.docx"


def edited_template(
    target: Path,
    document: Callable[[bytes], bytes] = lambda xml: xml,
    extra: dict[str, bytes] | None = None,
    drop: tuple[str, ...] = (),
) -> Path:
    """A copy of the standard template with word/document.xml edited, parts added or dropped."""
    with zipfile.ZipFile(STANDARD) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for name in source.namelist():
            if name in drop:
                continue
            data = source.read(name)
            copy.writestr(name, document(data) if name == "word/document.xml" else data)
        for name, data in (extra or {}).items():
            copy.writestr(name, data)
    return target


def with_paragraph(text: str) -> Callable[[bytes], bytes]:
    """An edit that puts a paragraph with ``text`` at the start of the body."""

    def edit(xml: bytes) -> bytes:
        paragraph = f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'.encode()
        start = xml.index(b"<w:body>") + len(b"<w:body>")
        return xml[:start] + paragraph + xml[start:]

    return edit


def billion_laughs(xml: bytes) -> bytes:
    """document.xml behind a DTD whose entity &lol9; expands to 10⁹ copies of "lol"."""
    entities = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    prolog = f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE w:document [{"".join(entities)}]>'.encode()
    body = xml[xml.index(b"?>") + 2 :]
    return prolog + with_paragraph("&lol9;")(body)


def zip_bomb(target: Path, megabytes: int) -> Path:
    """The standard template plus a part that unpacks to ``megabytes`` MB of zeros (a few hundred KB packed)."""
    edited_template(target)
    with zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("word/media/image1.png", "w", force_zip64=True) as part:
            zeros = bytes(1024 * 1024)
            for _ in range(megabytes):
                part.write(zeros)
    return target


def element_bomb(target: Path, paragraphs: int = 600_000) -> Path:
    """The standard template with ``paragraphs`` empty paragraphs: ~10 KB packed, that many XML elements."""

    def fill(xml: bytes) -> bytes:
        start = xml.index(b"<w:body>") + len(b"<w:body>")
        return xml[:start] + b"<w:p/>" * paragraphs + xml[start:]

    return edited_template(target, document=fill)


def declare_size(target: Path, part: str, size: int) -> Path:
    """Rewrite the unpacked size the zip's central directory declares for ``part`` (a lying zip)."""
    data = bytearray(target.read_bytes())
    name = part.encode()
    offset = data.find(b"PK\x01\x02")  # the first central directory record
    while offset != -1:
        name_length = struct.unpack_from("<H", data, offset + 28)[0]
        if data[offset + 46 : offset + 46 + name_length] == name:
            struct.pack_into("<I", data, offset + 24, size)
            target.write_bytes(bytes(data))
            return target
        offset = data.find(b"PK\x01\x02", offset + 46)
    raise AssertionError(f"{part} is not in {target}")
