"""Convert documents to PDF with a private, headless LibreOffice.

A batch of documents goes through one ``soffice`` process (one start for the
whole batch, not one per document), with its own temporary profile so that a
user's running LibreOffice is never touched, and with perfgen's font aliases.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType

from perfgen.errors import PerfgenError
from perfgen.resources import font_config

INSTALL_HINT = (
    "请安装 LibreOffice：Debian/Ubuntu 运行 sudo apt-get install libreoffice-writer-nogui fonts-noto-cjk；"
    "Windows 从 libreoffice.org 下载安装，并把安装目录下的 program 文件夹加入 PATH"
)
WINDOWS_PATHS = (
    Path(os.environ.get("ProgramFiles", r"C:\Program Files")) / "LibreOffice" / "program" / "soffice.exe",
    Path(os.environ.get("ProgramFiles(x86)", r"C:\Program Files (x86)")) / "LibreOffice" / "program" / "soffice.exe",
)


class OfficeError(PerfgenError):
    """LibreOffice is missing or could not convert a document."""


def find_soffice() -> str | None:
    """The LibreOffice program: $PERFGEN_SOFFICE, soffice/libreoffice on PATH, or the Windows default."""
    configured = os.environ.get("PERFGEN_SOFFICE")
    if configured:
        return configured if Path(configured).is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((str(p) for p in WINDOWS_PATHS if p.is_file()), None)


class LibreOffice:
    """A headless LibreOffice with a temporary profile, used as a context manager."""

    def __init__(self, soffice: str, timeout_per_document: float = 60) -> None:
        self.soffice = soffice
        self.timeout_per_document = timeout_per_document
        self._work = Path(tempfile.mkdtemp(prefix="perfgen-office-"))

    def __enter__(self) -> LibreOffice:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        shutil.rmtree(self._work, ignore_errors=True)

    def _environment(self) -> dict[str, str]:
        env = dict(os.environ)
        config = font_config()
        if config.is_file() and os.name != "nt":
            env["FONTCONFIG_FILE"] = str(config)
        return env

    def convert(self, documents: list[bytes]) -> list[bytes | None]:
        """PDFs of the given .docx files, in order; None where one could not be converted."""
        if not documents:
            return []
        batch = Path(tempfile.mkdtemp(dir=self._work))
        sources = []
        for index, data in enumerate(documents):
            source = batch / f"{index:05d}.docx"
            source.write_bytes(data)
            sources.append(source)
        out = batch / "pdf"
        command = [
            self.soffice,
            f"-env:UserInstallation={(self._work / 'profile').as_uri()}",
            "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
            "--convert-to", "pdf:writer_pdf_Export",
            "--outdir", str(out),
            *map(str, sources),
        ]
        try:
            completed = subprocess.run(
                command,
                capture_output=True,
                text=True,
                env=self._environment(),
                timeout=60 + self.timeout_per_document * len(documents),
            )
        except subprocess.TimeoutExpired as exc:
            raise OfficeError("LibreOffice 转换超时：请关闭其他 LibreOffice 窗口后重试") from exc
        except OSError as exc:
            raise OfficeError(f"无法启动 LibreOffice（{self.soffice}）：{exc.strerror}。{INSTALL_HINT}") from exc
        pdfs = [(out / f"{source.stem}.pdf") for source in sources]
        if not any(pdf.is_file() for pdf in pdfs):
            detail = (completed.stderr or completed.stdout).strip()[-500:]
            raise OfficeError(f"LibreOffice 没有生成 PDF（退出码 {completed.returncode}）：{detail}")
        results = [pdf.read_bytes() if pdf.is_file() else None for pdf in pdfs]
        shutil.rmtree(batch, ignore_errors=True)
        return results
