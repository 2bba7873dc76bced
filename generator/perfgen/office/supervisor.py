"""LibreOffice's processes, supervised: a private profile, a watchdog, and timeouts.

LibreOffice is an outside program that may fail, hang or be killed, and it
must never outlive perfgen nor leave its profile behind. Each process perfgen
starts for it leads a process group of its own, killed whole on a timeout or
an error; on Linux it also gets SIGKILL when perfgen dies (PR_SET_PDEATHSIG);
and a watchdog (reaper.py) kills whatever is left and removes the temporary
folder once perfgen is gone, even by SIGKILL. Timeouts grow with the size of
the document. The profile is a temporary one, so a user's running LibreOffice
is never touched, and perfgen's font aliases apply.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from perfgen.resources import font_config

INSTALL_HINT = (
    "请安装 LibreOffice：Debian/Ubuntu 在 perfgen 的文件夹中运行 bash install.sh，"
    "或 sudo apt-get install libreoffice-writer-nogui python3-uno fonts-noto-cjk fonts-lxgw-wenkai fonts-liberation2 poppler-utils；"
    "Windows 从 libreoffice.org 下载安装（装在别处时，把环境变量 PERFGEN_SOFFICE 设为 soffice.exe 的完整路径）"
)
# How a TOC without page numbers gets them. Word honours w:updateFields (it asks once on opening); WPS is
# reported not to (it opens the document as it is), so its clerks are told where its command is.
NO_OFFICE_TOC = (
    "Word 打开文档时会询问是否更新域，选“是”即可填好；WPS 打开时不会自动更新，"
    "请在目录上右击，选“更新目录”→“只更新页码”。要让 perfgen 直接填好页码，"
)
WINDOWS_PATHS = (
    Path(os.environ.get("ProgramFiles", r"C:\Program Files")) / "LibreOffice" / "program" / "soffice.exe",
    Path(os.environ.get("ProgramFiles(x86)", r"C:\Program Files (x86)")) / "LibreOffice" / "program" / "soffice.exe",
)


TIMEOUT_VARIABLE = "PERFGEN_OFFICE_TIMEOUT"  # seconds: the base of every timeout below
BASE_SECONDS = 60.0  # a small document, with room for a slow and busy machine (it takes ~1 s)
SIZE_UNIT = 600 * 1024  # each 600 KB of document.xml (some 30 projects) allows the base once more


def base_timeout() -> float:
    """The base of the timeouts: $PERFGEN_OFFICE_TIMEOUT seconds when set to a positive number."""
    try:
        configured = float(os.environ.get(TIMEOUT_VARIABLE, ""))
    except ValueError:
        return BASE_SECONDS
    return configured if configured > 0 else BASE_SECONDS


def layout_timeout(document: bytes, base: float) -> float:
    """Seconds LibreOffice may take to lay out one .docx: the base, and the base again per SIZE_UNIT of body."""
    try:
        with zipfile.ZipFile(io.BytesIO(document)) as archive:
            size = archive.getinfo("word/document.xml").file_size
    except (KeyError, zipfile.BadZipFile):
        size = len(document)
    return base * (1 + size / SIZE_UNIT)


def seconds_text(timeout: float) -> str:
    return f"{timeout:.0f} 秒" if timeout >= 10 else f"{timeout:.1f} 秒"


def ended(returncode: int | None) -> str:
    """How a LibreOffice process ended, in words."""
    if returncode is not None and returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = str(-returncode)
        return f"LibreOffice 被终止（信号 {name}）"
    return f"LibreOffice 意外退出（退出码 {returncode}）"


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


def _uno_candidates(soffice: str) -> list[str]:
    """Pythons that may have LibreOffice's bridge: $PERFGEN_UNO_PYTHON when set (empty: none), else LibreOffice's own or the system's."""
    configured = os.environ.get("PERFGEN_UNO_PYTHON")
    program = Path(soffice).resolve().parent
    candidates = (
        [configured] if configured is not None else [str(program / ("python.exe" if os.name == "nt" else "python")), "/usr/bin/python3"]
    )
    return [candidate for candidate in candidates if candidate and Path(candidate).is_file()]


def likely_uno_python(soffice: str) -> str | None:
    """The Python most likely to have LibreOffice's bridge, untried.

    A build starts its UNO worker with it at once, without first trying ``import uno`` with it (~50 ms
    before LibreOffice could start): a worker that cannot import it fails to start, and the build then
    converts from the command line.
    """
    return next(iter(_uno_candidates(soffice)), None)


def bridge_environment() -> dict[str, str]:
    # the bridge's Python is another interpreter: it must not see perfgen's own packages
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}


def _parent_death_signal() -> Callable[[], None] | None:
    """On Linux, a preexec_fn that has the child killed when perfgen dies; None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    pr_set_pdeathsig = 1

    def die_with_parent() -> None:
        # runs in the child between fork and exec: prctl was looked up before the fork.
        # The signal comes when the thread that started the child ends: start LibreOffice
        # from a thread that lives as long as it is needed (the build's main thread).
        prctl(pr_set_pdeathsig, signal.SIGKILL)

    return die_with_parent


class Reaper:
    """The watchdog process (reaper.py) that cleans up after perfgen, however perfgen ends. POSIX only."""

    def __init__(self, folder: Path) -> None:
        self.process: subprocess.Popen[str] | None = None
        if os.name == "nt":
            return
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-S", str(Path(__file__).with_name("reaper.py")), str(folder)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,  # out of reach of a signal sent to perfgen's group or terminal
        )

    def tell(self, line: str) -> None:
        if self.process is not None and self.process.stdin is not None:
            try:
                self.process.stdin.write(line + "\n")
                self.process.stdin.flush()
            except OSError:  # the watchdog is gone: the process groups are still killed on the way
                pass

    def close(self, clean: bool) -> None:
        """Let the watchdog end: at once when perfgen has cleaned up (``clean``), else after its sweep.

        Not clean: an interruption may have come while a process was starting, before perfgen knew it.
        """
        if self.process is None:
            return
        if clean:
            self.tell("done")
        if self.process.stdin is not None:
            try:
                self.process.stdin.close()
            except OSError:
                pass
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Processes:
    """Starts LibreOffice's processes, each leading its own process group, and kills them whole."""

    def __init__(self, reaper: Reaper) -> None:
        self.reaper = reaper
        self.preexec = _parent_death_signal()
        self.live: dict[int, subprocess.Popen[Any]] = {}  # started and not yet killed

    def start(self, command: list[str], env: dict[str, str], **streams: Any) -> subprocess.Popen[Any]:
        if sys.platform == "win32":  # as os.name == "nt", in the form mypy reads
            process = subprocess.Popen(command, env=env, creationflags=subprocess.CREATE_NEW_PROCESS_GROUP, **streams)
        else:
            process = subprocess.Popen(command, env=env, start_new_session=True, preexec_fn=self.preexec, **streams)
        self.live[process.pid] = process
        self.reaper.tell(f"+{process.pid}")
        return process

    def kill_all(self) -> None:
        """Kill what is still running: a Ctrl-C may come between a start and the code that would end it."""
        for process in list(self.live.values()):
            self.kill(process)

    def kill(self, process: subprocess.Popen[Any]) -> None:
        """Kill a process with everything it started (LibreOffice runs as oosplash and soffice.bin)."""
        if os.name == "nt":
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)], capture_output=True, check=False)
        else:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except OSError:  # already gone
                pass
        process.kill()
        process.wait()
        self.live.pop(process.pid, None)
        self.reaper.tell(f"-{process.pid}")

    def end(self, process: subprocess.Popen[Any]) -> None:
        """After a process ended by itself: kill what it may have left in its group."""
        self.kill(process)


class Supervisor:
    """A private work folder (profile, documents, LibreOffice's own temporary files), the watchdog, and every
    process started in it, all gone on leaving; use it as a context manager.

    ``starts`` counts the LibreOffice processes started.
    """

    def __init__(self, soffice: str, timeout: float | None = None, prefix: str = "perfgen-office-") -> None:
        self.soffice = soffice
        self.timeout = timeout or base_timeout()
        self.prefix = prefix
        self.starts = 0
        self._work = Path()
        self._reaper: Reaper | None = None
        self._processes: Processes | None = None

    def __enter__(self) -> Supervisor:
        # only a build that has townships to lay out gets here: no folder or watchdog before
        self._work = Path(tempfile.mkdtemp(prefix=self.prefix))
        self._reaper = Reaper(self._work)
        self._processes = Processes(self._reaper)
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        try:
            if self._processes is not None:
                self._processes.kill_all()
        finally:
            shutil.rmtree(self._work, ignore_errors=True)
            if self._reaper is not None:
                self._reaper.close(clean=kind is None)

    @property
    def folder(self) -> Path:
        """The temporary work folder (profile, documents): removed with LibreOffice, whatever happens."""
        return self._work

    @property
    def profile(self) -> str:
        return (self._work / "profile").as_uri()

    @property
    def processes(self) -> Processes:
        assert self._processes is not None, "use the supervisor as a context manager"
        return self._processes

    def environment(self) -> dict[str, str]:
        env = bridge_environment()
        # LibreOffice's own temporary files go into the work folder, to go with it even if LibreOffice is killed
        scratch = self._work / "tmp"
        scratch.mkdir(exist_ok=True)
        for name in ("TMPDIR", "TMP", "TEMP"):
            env[name] = str(scratch)
        config = font_config()
        if config.is_file() and os.name != "nt":
            env["FONTCONFIG_FILE"] = str(config)
        return env
