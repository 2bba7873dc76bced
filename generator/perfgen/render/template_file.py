"""Read a Word template as untrusted input: a county's file may be corrupt, or built to harm.

A .docx is a zip of XML parts. Before python-docx and docxtpl see it, the
zip's declared sizes are checked against caps (a zip bomb unpacks gigabytes
from kilobytes), every part is unpacked in chunks that stop past the caps
(whatever the zip declares), and every XML part is parsed once without
entity expansion and refused if it declares a DTD (an entity bomb expands a
few lines into gigabytes; Word itself refuses a DTD in a document).
"""

from __future__ import annotations

import io
import lzma
import stat
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from perfgen.errors import TemplateError, system_reason
from perfgen.paths import display_path

MAX_FILE_BYTES = 50 * 1024 * 1024  # the .docx on disk
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # all its parts together, unpacked
MAX_PARTS = 2000
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
    name = display_path(path)
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):  # a FIFO or device would block or never end
            raise TemplateError(f"模板 {name} 不是普通文件：请指定一个 .docx 文件")
        size = status.st_size
        if size > MAX_FILE_BYTES:
            raise TemplateError(
                f"模板 {name} 有 {size // (1024 * 1024)} MB，超过上限 {MAX_FILE_BYTES // (1024 * 1024)} MB："
                "请确认选对了文件，或删去模板中的大图片"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise TemplateError(f"无法读取模板 {name}：{system_reason(exc)}") from exc
    return data


def check_package(data: bytes, name: str) -> None:
    """Refuse a .docx that is not a zip, unpacks past the caps, or has an XML part that is broken or has a DTD."""
    not_docx = f"模板 {name} 不是有效的 Word 文档（.docx）"
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise TemplateError(f"{not_docx}：文件已损坏或不是 .docx。{RESAVE}") from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_PARTS:
            raise TemplateError(f"{not_docx}：其中有 {len(members)} 个部件，超过上限 {MAX_PARTS}")
        declared = sum(member.file_size for member in members)
        if declared > MAX_UNPACKED_BYTES:
            raise TemplateError(_too_big(not_docx, declared))
        if "word/document.xml" not in archive.namelist():
            raise TemplateError(f"{not_docx}：缺少正文部件 word/document.xml。{RESAVE}")
        unpacked = 0
        for member in members:
            if member.is_dir():
                continue
            content = bytearray()
            try:
                with archive.open(member) as stream:
                    # the zip's own figures may lie: count what really comes out
                    while chunk := stream.read(CHUNK):
                        content += chunk
                        unpacked += len(chunk)
                        if unpacked > MAX_UNPACKED_BYTES:
                            raise TemplateError(_too_big(not_docx, unpacked))
            except UNREADABLE as exc:
                raise TemplateError(f"{not_docx}：部件 {member.filename} 已损坏。{RESAVE}") from exc
            if member.filename.lower().endswith(XML_SUFFIXES):
                _check_xml(bytes(content), member.filename, not_docx)


def _too_big(not_docx: str, size: int) -> str:
    megabytes = MAX_UNPACKED_BYTES // (1024 * 1024)
    return f"{not_docx}：解压后超过 {megabytes} MB（疑似“压缩炸弹”），已停止读取。请确认选对了文件"


def _declares_dtd(content: bytes) -> bool:
    return any(marker.encode(encoding) in content for marker in DTD_MARKERS for encoding in ENCODINGS)


def _check_xml(content: bytes, part: str, not_docx: str) -> None:
    # a DTD is refused before any parser sees it; the parser below neither loads nor expands entities
    if _declares_dtd(content):
        raise TemplateError(
            f"{not_docx}：部件 {part} 含有 DTD 或实体声明（<!DOCTYPE …>），Word 文档不允许这样写，"
            "可能是恶意构造的文件。请改用从 Word 另存的模板"
        )
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        line = f"第 {exc.lineno} 行" if exc.lineno else ""
        raise TemplateError(f"{not_docx}：部件 {part} {line}不是完好的 XML。{RESAVE}") from exc
    if root.getroottree().docinfo.internalDTD is not None:  # written in an encoding the scan does not know
        raise TemplateError(f"{not_docx}：部件 {part} 含有 DTD 或实体声明（<!DOCTYPE …>），Word 文档不允许这样写")
