"""Read .doc and .wps files through LibreOffice's conversion to .docx."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from perfgen.errors import PerfgenError
from perfgen.office.libreoffice import INSTALL_HINT, find_soffice


def convert_to_docx(source: Path, timeout: float = 120) -> bytes:
    """The .docx that LibreOffice makes of ``source`` (.doc or .wps), with a private profile."""
    soffice = find_soffice()
    if soffice is None:
        raise PerfgenError(f"导入 {source.suffix} 文件需要 LibreOffice 把它转换成 .docx，但没有找到 LibreOffice。{INSTALL_HINT}；"
                           "或者在 Word、WPS 中把它另存为 .docx 后再导入")
    work = Path(tempfile.mkdtemp(prefix="perfgen-import-"))
    try:
        # a copy with a plain name: LibreOffice names its output after the input
        copy = work / f"source{source.suffix.lower()}"
        shutil.copyfile(source, copy)
        command = [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
            "--convert-to", "docx:MS Word 2007 XML",
            "--outdir", str(work / "out"),
            str(copy),
        ]
        try:
            completed = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise PerfgenError("LibreOffice 转换超时：请关闭其他 LibreOffice 窗口后重试，或在 Word、WPS 中另存为 .docx") from None
        except OSError as exc:
            raise PerfgenError(f"无法启动 LibreOffice（{soffice}）：{exc.strerror}。{INSTALL_HINT}") from None
        result = work / "out" / "source.docx"
        if not result.is_file():
            detail = (completed.stderr or completed.stdout).strip()[-300:]
            raise PerfgenError(f"LibreOffice 无法转换这个文件（可能已损坏或加了密码）：{detail}")
        return result.read_bytes()
    finally:
        shutil.rmtree(work, ignore_errors=True)
