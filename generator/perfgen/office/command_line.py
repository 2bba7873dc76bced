"""LibreOffice from its command line: one ``soffice --convert-to`` run for a batch of documents.

What a session falls back to where no Python has the UNO bridge (one run per
batch, each a cold start), and how import converts a .doc or .wps to .docx.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from perfgen.errors import OfficeError, OfficeTimedOut
from perfgen.office.results import Converted
from perfgen.office.supervisor import INSTALL_HINT, Supervisor, ended, seconds_text


def convert_batch(office: Supervisor, sources: list[Path], out: Path, timeouts: list[float]) -> list[Converted]:
    """PDFs of the documents, each with the reason where there is none; OfficeError when LibreOffice made none."""
    returncode, output = run(office, sources, "pdf:writer_pdf_Export", out, 2 * office.timeout + sum(timeouts), "排版")
    pdfs = [(out / f"{source.stem}.pdf") for source in sources]
    if not any(pdf.is_file() for pdf in pdfs):
        detail = output.strip()[-300:]
        raise OfficeError(f"{ended(returncode)}，没有生成 PDF" + (f"：{detail}" if detail else ""))
    return [Converted(pdf.read_bytes()) if pdf.is_file() else Converted(None, "LibreOffice 没有为这份文档生成 PDF") for pdf in pdfs]


def convert_file(office: Supervisor, source: Path, target: str, suffix: str) -> bytes:
    """One file converted by ``soffice --convert-to target`` (e.g. "docx:MS Word 2007 XML"), as bytes.

    OfficeError when LibreOffice fails, times out (the base timeout, twice) or writes nothing.
    """
    out = Path(tempfile.mkdtemp(dir=office.folder))
    try:
        returncode, output = run(office, [source], target, out, 2 * office.timeout, "转换")
        result = out / f"{source.stem}.{suffix}"
        if not result.is_file():
            detail = output.strip()[-300:]
            raise OfficeError(f"{ended(returncode)}，没有转换出文件" + (f"：{detail}" if detail else ""))
        return result.read_bytes()
    finally:
        shutil.rmtree(out, ignore_errors=True)


def run(office: Supervisor, sources: list[Path], target: str, out: Path, timeout: float, doing: str) -> tuple[int, str]:
    """Run ``soffice --convert-to`` on sources, in its own process group, within timeout: (exit code, output)."""
    office.starts += 1
    command = [
        office.soffice,
        f"-env:UserInstallation={office.profile}",
        "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
        "--convert-to", target,
        "--outdir", str(out),
        *map(str, sources),
    ]
    processes = office.processes
    try:
        process = processes.start(
            command, office.environment(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, errors="replace",
        )
    except OSError as exc:
        raise OfficeError(f"无法启动 LibreOffice（{office.soffice}）：{exc.strerror}。{INSTALL_HINT}") from exc
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        processes.kill(process)
        process.communicate()
        raise OfficeTimedOut(f"LibreOffice {doing}超过 {seconds_text(timeout)}仍未完成，已终止") from None
    except BaseException:  # Ctrl-C: no LibreOffice left behind
        processes.kill(process)
        raise
    processes.end(process)
    return process.returncode, output
