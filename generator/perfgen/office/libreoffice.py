"""Convert documents to PDF with a private, headless LibreOffice.

One LibreOffice process serves a whole build: it is started once and driven
over UNO by ``uno_worker.py``, run with a Python that has LibreOffice's bridge
(Debian's python3 with python3-uno; the Python bundled with LibreOffice on
Windows). Where there is none, each call to ``convert`` runs one
``soffice --convert-to pdf`` for all its documents. Either way the profile is
a temporary one, so a user's running LibreOffice is never touched, and
perfgen's font aliases apply.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import uuid
from pathlib import Path
from types import TracebackType

from perfgen.errors import OfficeError
from perfgen.resources import font_config

INSTALL_HINT = (
    "请安装 LibreOffice：Debian/Ubuntu 运行 sudo apt-get install libreoffice-writer-nogui fonts-noto-cjk python3-uno；"
    "Windows 从 libreoffice.org 下载安装，并把安装目录下的 program 文件夹加入 PATH"
)
WINDOWS_PATHS = (
    Path(os.environ.get("ProgramFiles", r"C:\Program Files")) / "LibreOffice" / "program" / "soffice.exe",
    Path(os.environ.get("ProgramFiles(x86)", r"C:\Program Files (x86)")) / "LibreOffice" / "program" / "soffice.exe",
)


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


def find_uno_python(soffice: str) -> str | None:
    """A Python that can ``import uno``: $PERFGEN_UNO_PYTHON when set, else LibreOffice's own or the system's."""
    configured = os.environ.get("PERFGEN_UNO_PYTHON")
    program = Path(soffice).resolve().parent
    candidates = (
        [configured] if configured is not None else [str(program / ("python.exe" if os.name == "nt" else "python")), "/usr/bin/python3"]
    )
    for candidate in filter(None, candidates):
        if not Path(candidate).is_file():
            continue
        try:
            probe = subprocess.run(
                [candidate, "-c", "import uno"], capture_output=True, timeout=30, env=_bridge_environment()
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0:
            return candidate
    return None


def _bridge_environment() -> dict[str, str]:
    # the bridge's Python is another interpreter: it must not see perfgen's own packages
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}


class _Worker:
    """uno_worker.py with its LibreOffice, answering one conversion at a time."""

    def __init__(self, python: str, soffice: str, profile: str, env: dict[str, str], timeout: float) -> None:
        self.timeout = timeout
        self.process = subprocess.Popen(
            [python, str(Path(__file__).with_name("uno_worker.py")), soffice, profile, f"perfgen-{uuid.uuid4().hex}"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
            env=env,
        )
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        ready = self._answer(timeout=180)
        if not ready.get("ready"):
            self.close()
            raise OfficeError(f"无法启动 LibreOffice：{ready.get('error', '没有响应')}")

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def _answer(self, timeout: float) -> dict:
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            return {"ok": False, "error": "LibreOffice 没有在规定时间内完成"}
        return json.loads(line) if line else {"ok": False, "error": "LibreOffice 意外退出"}

    def convert(self, source: Path, target: Path) -> bool:
        assert self.process.stdin is not None
        if self.process.poll() is not None:
            return False
        self.process.stdin.write(json.dumps({"in": str(source), "out": str(target)}) + "\n")
        self.process.stdin.flush()
        return bool(self._answer(self.timeout).get("ok"))

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._reader.join(timeout=10)
        if self.process.stdout:
            self.process.stdout.close()


class LibreOffice:
    """A headless LibreOffice with a temporary profile; use it as a context manager.

    ``starts`` counts the LibreOffice processes started: one for a whole build when UNO is available.
    """

    def __init__(self, soffice: str, timeout_per_document: float = 60) -> None:
        self.soffice = soffice
        self.timeout_per_document = timeout_per_document
        self.starts = 0
        self._work = Path()
        self._uno_python: str | None = None
        self._worker: _Worker | None = None

    def __enter__(self) -> LibreOffice:
        # only a build that has documents to lay out gets here: no folder or probe before
        self._work = Path(tempfile.mkdtemp(prefix="perfgen-office-"))
        self._uno_python = find_uno_python(self.soffice)
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        if self._worker is not None:
            self._worker.close()
        shutil.rmtree(self._work, ignore_errors=True)

    @property
    def _profile(self) -> str:
        return (self._work / "profile").as_uri()

    def _environment(self) -> dict[str, str]:
        env = _bridge_environment()
        config = font_config()
        if config.is_file() and os.name != "nt":
            env["FONTCONFIG_FILE"] = str(config)
        return env

    def _running_worker(self) -> _Worker | None:
        if self._worker is None and self._uno_python is not None:
            try:
                self._worker = _Worker(
                    self._uno_python, self.soffice, self._profile, self._environment(), self.timeout_per_document
                )
                self.starts += 1
            except (OSError, OfficeError):
                self._uno_python = None  # no bridge after all: convert from the command line
        return self._worker

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
        out.mkdir()
        worker = self._running_worker()
        if worker is not None:
            results = []
            for source in sources:
                target = out / f"{source.stem}.pdf"
                results.append(target.read_bytes() if worker.convert(source, target) and target.is_file() else None)
            shutil.rmtree(batch, ignore_errors=True)
            return results
        return self._convert_from_command_line(batch, sources, out)

    def _convert_from_command_line(self, batch: Path, sources: list[Path], out: Path) -> list[bytes | None]:
        self.starts += 1
        command = [
            self.soffice,
            f"-env:UserInstallation={self._profile}",
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
                timeout=60 + self.timeout_per_document * len(sources),
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
