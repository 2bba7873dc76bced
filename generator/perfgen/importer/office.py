"""Read .doc and .wps files through LibreOffice's conversion to .docx."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from perfgen.errors import OfficeError, PerfgenError
from perfgen.office.libreoffice import INSTALL_HINT, LibreOffice, find_soffice
from perfgen.paths import display_path


def convert_to_docx(source: Path, timeout: float | None = None) -> bytes:
    """The .docx that LibreOffice makes of ``source`` (.doc or .wps), with a private profile.

    LibreOffice runs as for a build (office/libreoffice.py): killed whole on a timeout, and neither it
    nor its temporary folder outlives perfgen.
    """
    soffice = find_soffice()
    if soffice is None:
        raise PerfgenError(f"导入 {source.suffix} 文件需要 LibreOffice 把它转换成 .docx，但没有找到 LibreOffice。{INSTALL_HINT}；"
                           "或者在 Word、WPS 中把它另存为 .docx 后再导入")
    with LibreOffice(soffice, timeout, bridge=False, prefix="perfgen-import-") as office:
        scratch = Path(tempfile.mkdtemp(dir=office.folder))
        # a copy with a plain name: LibreOffice names its output after the input
        copy = scratch / f"source{source.suffix.lower()}"
        shutil.copyfile(source, copy)
        try:
            return office.convert_file(copy, "docx:MS Word 2007 XML", "docx")
        except OfficeError as exc:
            raise PerfgenError(
                f"无法用 LibreOffice 把 {display_path(source)} 转换成 .docx：{exc}。"
                "文件可能已损坏或加了密码；也可以在 Word、WPS 中另存为 .docx 后再导入"
            ) from None
