"""``perfgen import``: read a published 部门预算绩效文本 (.docx, .doc, .wps, .pdf) into a township folder.

One reader per format (``docx``, ``pdf``, ``office`` for LibreOffice's conversion)
turns the file into paragraphs and tables (``blocks``); ``structure`` recognises
the document in them, the same way for every format; ``write`` writes the
sources in canonical ``perfgen fmt`` form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from perfgen.errors import PerfgenError
from perfgen.importer.blocks import Block
from perfgen.importer.structure import Note, recognise
from perfgen.importer.write import check_target, write_township
from perfgen.paths import display_path
from perfgen.render.template_file import check_package, untrusted_bytes
from perfgen.write.tree import safe_name

FORMATS = (".docx", ".doc", ".wps", ".pdf")


@dataclass
class ImportResult:
    folder: Path
    files: list[Path] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    projects: int = 0
    kept: list[Path] = field(default_factory=list)  # files of the old folder --force left in place
    remarks: list[str] = field(default_factory=list)  # what writing left alone (editor settings), in Chinese


def read_blocks(path: Path) -> tuple[list[Block], bool]:
    """The document's paragraphs and tables, and whether table rows may be broken at page ends.

    The file is untrusted: it is read within the limits a template is read within (render/template_file.py)
    and, for a PDF, those of importer/pdf_limits.py, so a bomb is refused with the limit it passed.
    """
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise PerfgenError(f"{display_path(path)}：不认识的文件类型“{path.suffix}”，可以导入 .docx、.doc、.wps 和 .pdf")
    data = untrusted_bytes(path, what="", error=PerfgenError)
    if suffix == ".docx":
        from perfgen.importer.docx import read_docx

        check_package(data, display_path(path), what="", error=PerfgenError)
        return read_docx(data), False
    if suffix in (".doc", ".wps"):
        from perfgen.importer.docx import read_docx
        from perfgen.importer.office import convert_to_docx

        converted = convert_to_docx(path)
        check_package(converted, f"{display_path(path)} 经 LibreOffice 转换后", what="", error=PerfgenError)
        return read_docx(converted), False
    from perfgen.importer.pdf import read_pdf

    return read_pdf(data), True


def default_folder(document: dict[str, object], source: Path) -> Path:
    name, year = document.get("单位名称"), document.get("年度")
    if isinstance(name, str) and isinstance(year, int) and not name.startswith("××"):
        return Path(safe_name(f"{name}-{year}") or source.stem)
    return Path(safe_name(source.stem) or "导入的单位")


def import_file(
    source: Path,
    folder: Path | None = None,
    *,
    force: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
) -> ImportResult:
    """Read ``source`` and write a township folder (``folder``, or <单位名称>-<年度> in the working folder)."""
    if not source.is_file():
        raise PerfgenError(f"{display_path(source)}：文件不存在")
    if folder is not None:
        check_target(folder, force)  # before the slow part
    try:
        blocks, broken_rows = read_blocks(source)
    except PerfgenError as exc:
        message = str(exc)
        raise PerfgenError(message if message.startswith(display_path(source)) else f"{display_path(source)}：{message}") from None
    found = recognise(blocks, broken_rows=broken_rows, progress=progress)
    if len(found.projects) < found.titles:  # every title seen is a project, read or of placeholders
        raise PerfgenError(
            f"{display_path(source)}：读到 {found.titles} 个项目标题，却只认出 {len(found.projects)} 个项目。"
            "为了不丢内容，没有写入任何文件：请在 Word 中另存为 .docx 后再导入，或联系维护 perfgen 的人员"
        )
    folder = folder or default_folder(found.document, source)
    written = write_township(folder, found.document, found.projects, force)
    return ImportResult(folder, written.files, found.notes, len(found.projects), written.kept, written.notes)
