"""Read a Word template as untrusted input: a county's file may be corrupt, or built to harm.

A .docx is a zip of XML parts. Before python-docx and docxtpl see it, the
zip's declared sizes are checked against caps (a zip bomb unpacks gigabytes
from kilobytes), every part is unpacked in chunks that stop past the caps
(whatever the zip declares), and every XML part is parsed once, as it is
unpacked, without entity expansion: refused if it declares a DTD (an entity
bomb expands a few lines into gigabytes; Word itself refuses a DTD in a
document) or if the package holds more elements than a document could (a few
hundred KB of empty paragraphs make a tree of gigabytes).

Every other .docx perfgen reads from a user (``import``, ``text``) goes through
the same checks, named as what it is (``what``) and raising that command's
error (``error``).
"""

from __future__ import annotations

import io
import lzma
import stat
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import cast

from lxml import etree

from perfgen.errors import PerfgenError, TemplateError, system_reason
from perfgen.paths import display_path

MAX_FILE_BYTES = 50 * 1024 * 1024  # the .docx on disk
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # all its parts together, unpacked
MAX_PARTS = 2000
# a township of 23 projects has 20,000 elements; import reads 500,000 in ~5 s and 150 MB
MAX_ELEMENTS = 500_000
CHUNK = 1024 * 1024
XML_SUFFIXES = (".xml", ".rels", ".vml")
DTD_MARKERS = ("<!DOCTYPE", "<!ENTITY")
ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be")  # those XML allows without a declaration
# what unpacking a damaged or unusual member raises (encrypted: RuntimeError; unknown method: NotImplementedError)
UNREADABLE = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, NotImplementedError, OSError, EOFError, RuntimeError)
RESAVE = "请在 Word 中重新“另存为”.docx 后再试"


def read_template(path: Path) -> bytes:
    """The bytes of a template that is a sound, reasonably sized .docx; TemplateError otherwise."""
    data = template_bytes(path)
    check_package(data, display_path(path))
    return data


def template_bytes(path: Path) -> bytes:
    """The bytes of a template that is a regular file of a reasonable size, unchecked; TemplateError otherwise."""
    return untrusted_bytes(path)


def untrusted_bytes(path: Path, what: str = "模板", error: type[PerfgenError] = TemplateError) -> bytes:
    """The bytes of a file from a user that is a regular file of a reasonable size, unchecked; ``error`` otherwise.

    Messages name the file as ``what`` and its path ("模板 a.docx"); a file ``import`` reads has no ``what``.
    """
    name = f"{what} {display_path(path)}" if what else display_path(path)
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):  # a FIFO or device would block or never end
            hint = "请指定一个 .docx 文件" if what == "模板" else "请指定一个文件，而不是文件夹、管道或设备"
            raise error(f"{name} 不是普通文件：{hint}")
        size = status.st_size
        if size > MAX_FILE_BYTES:
            raise error(
                f"{name} 有 {size // (1024 * 1024)} MB，超过上限 {MAX_FILE_BYTES // (1024 * 1024)} MB："
                "请确认选对了文件" + ("，或删去模板中的大图片" if what == "模板" else "")
            )
        data = path.read_bytes()
    except OSError as exc:
        raise error(f"无法读取{what} {display_path(path)}：{system_reason(exc)}") from exc
    return data


def check_package(data: bytes, name: str, what: str = "模板", error: type[PerfgenError] = TemplateError) -> None:
    """Refuse a .docx that is not a zip, unpacks past the caps, or has an XML part that is broken or has a DTD.

    The refusal is an ``error`` that names the file as ``what`` ``name`` ("模板 a.docx").
    """
    not_docx = f"{what} {name} 不是有效的 Word 文档（.docx）" if what else f"{name} 不是有效的 Word 文档（.docx）"
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise error(f"{not_docx}：文件已损坏或不是 .docx。{RESAVE}") from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_PARTS:
            raise error(f"{not_docx}：其中有 {len(members)} 个部件，超过上限 {MAX_PARTS}")
        declared = sum(member.file_size for member in members)
        if declared > MAX_UNPACKED_BYTES:
            raise error(_too_big(not_docx))
        if "word/document.xml" not in archive.namelist():
            raise error(f"{not_docx}：缺少正文部件 word/document.xml。{RESAVE}")
        unpacked = 0
        elements = [0]  # of the whole package, counted as its parts are parsed
        for member in members:
            if member.is_dir():
                continue
            part = _XmlPart(member.filename, not_docx, what, elements, error) if member.filename.lower().endswith(XML_SUFFIXES) else None
            try:
                with archive.open(member) as stream:
                    # the zip's own figures may lie: count what really comes out
                    while chunk := stream.read(CHUNK):
                        unpacked += len(chunk)
                        if unpacked > MAX_UNPACKED_BYTES:
                            raise error(_too_big(not_docx))
                        if part is not None:
                            part.feed(chunk)
            except UNREADABLE as exc:
                raise error(f"{not_docx}：部件 {member.filename} 已损坏。{RESAVE}") from exc
            if part is not None:
                part.close()


def _too_big(not_docx: str) -> str:
    megabytes = MAX_UNPACKED_BYTES // (1024 * 1024)
    return f"{not_docx}：解压后超过 {megabytes} MB（疑似“压缩炸弹”），已停止读取。请确认选对了文件"


class _XmlPart:
    """One XML part parsed as it is unpacked, keeping no tree: refused for a DTD, broken XML or too many elements."""

    def __init__(self, part: str, not_docx: str, what: str, elements: list[int], error: type[PerfgenError]) -> None:
        self.part, self.not_docx, self.what, self.elements, self.error = part, not_docx, what or "文件", elements, error
        self.tail = b""  # the end of the previous chunk: a marker may straddle two
        self.parser = etree.XMLPullParser(
            events=("end",), resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False
        )

    def _dtd(self) -> PerfgenError:
        return self.error(
            f"{self.not_docx}：部件 {self.part} 含有 DTD 或实体声明（<!DOCTYPE …>），Word 文档不允许这样写，"
            f"可能是恶意构造的文件。请改用从 Word 另存的{self.what}"
        )

    def _broken(self, exc: etree.XMLSyntaxError) -> PerfgenError:
        line = f"第 {exc.lineno} 行" if exc.lineno else ""
        return self.error(f"{self.not_docx}：部件 {self.part} {line}不是完好的 XML。{RESAVE}")

    def feed(self, chunk: bytes) -> None:
        # a DTD is refused before any parser sees it; the parser neither loads nor expands entities
        window = self.tail + chunk
        if any(marker.encode(encoding) in window for marker in DTD_MARKERS for encoding in ENCODINGS):
            raise self._dtd()
        self.tail = window[-32:]
        try:
            self.parser.feed(chunk)
        except etree.XMLSyntaxError as exc:
            raise self._broken(exc) from exc
        self._count()

    def _count(self) -> None:
        # the parser was asked for "end" events only: each comes with its element
        for _, element in cast("Iterator[tuple[str, etree._Element]]", self.parser.read_events()):
            self.elements[0] += 1
            # what is counted is dropped: the check keeps no tree
            element.clear()
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]
        if self.elements[0] > MAX_ELEMENTS:
            raise self.error(
                f"{self.not_docx}：其中的 XML 元素超过 {MAX_ELEMENTS // 10000} 万个（疑似“压缩炸弹”），"
                "已停止读取。请确认选对了文件"
            )

    def close(self) -> None:
        try:
            root = self.parser.close()
        except etree.XMLSyntaxError as exc:
            raise self._broken(exc) from exc
        self._count()
        if root.getroottree().docinfo.internalDTD is not None:  # written in an encoding the scan does not know
            raise self._dtd()
