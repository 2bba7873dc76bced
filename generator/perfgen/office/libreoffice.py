"""Lay documents out with a private, headless LibreOffice: the pages their headings fall on, and PDFs.

One LibreOffice process serves a whole build: it is started once and driven
over UNO by ``uno_worker.py``, run with a Python that has LibreOffice's bridge
(Debian's python3 with python3-uno; the Python bundled with LibreOffice on
Windows). Where there is none, each call to ``convert`` or ``locate`` runs one
``soffice --convert-to pdf`` for all its documents (``locate`` then reads the
PDFs' outlines). Either way the profile is
a temporary one, so a user's running LibreOffice is never touched, and
perfgen's font aliases apply.

LibreOffice is an outside program that may fail, hang or be killed, and it
must never outlive perfgen nor leave its profile behind. Each process perfgen
starts for it leads a process group of its own, killed whole on a timeout or
an error; on Linux it also gets SIGKILL when perfgen dies (PR_SET_PDEATHSIG);
and a watchdog (reaper.py) kills whatever is left and removes the temporary
folder once perfgen is gone, even by SIGKILL. Timeouts grow with the size of
the document; after a timeout or a crash LibreOffice is not used again in the
same build (an OfficeError names the cause), so a build waits for it once.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any, NamedTuple

from perfgen.errors import OfficeError, OfficeStartFailed, OfficeTimedOut
from perfgen.office.pdf import heading_positions
from perfgen.resources import font_config

INSTALL_HINT = (
    "请安装 LibreOffice：Debian/Ubuntu 在 perfgen 的文件夹中运行 bash install.sh，"
    "或 sudo apt-get install libreoffice-writer-nogui python3-uno fonts-noto-cjk fonts-arphic-gkai00mp poppler-utils；"
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


def _seconds(timeout: float) -> str:
    return f"{timeout:.0f} 秒" if timeout >= 10 else f"{timeout:.1f} 秒"


def _ended(returncode: int | None) -> str:
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


def _bridge_environment() -> dict[str, str]:
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


class _Reaper:
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


class _Processes:
    """Starts LibreOffice's processes, each leading its own process group, and kills them whole."""

    def __init__(self, reaper: _Reaper) -> None:
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


class _Worker:
    """uno_worker.py with its LibreOffice, answering one conversion at a time."""

    def __init__(
        self, python: str, soffice: str, profile: str, env: dict[str, str], processes: _Processes, timeout: float
    ) -> None:
        self.processes = processes
        self.process = processes.start(
            [python, str(Path(__file__).with_name("uno_worker.py")), soffice, profile, f"perfgen-{uuid.uuid4().hex}"],
            env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
        )
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True)
        self._reader.start()
        self._start_timeout = timeout
        self.ready = False  # LibreOffice comes up on its own: wait_ready before the first conversion

    def wait_ready(self) -> None:
        """Wait until LibreOffice has started; OfficeStartFailed when it cannot (the command line may still work)."""
        if self.ready:
            return
        try:
            ready = self._answer(self._start_timeout, "启动")
        except OfficeTimedOut:
            raise  # LibreOffice hangs: the command line would hang as well
        except OfficeError as exc:
            raise OfficeStartFailed(str(exc)) from exc
        if not ready.get("ready"):
            self.close()
            raise OfficeStartFailed(f"无法启动 LibreOffice：{ready.get('error', '没有响应')}")
        self.ready = True

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self._lines.put(line)
        self._lines.put(None)

    def _answer(self, timeout: float, doing: str) -> dict[str, Any]:
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            self.close(force=True)
            raise OfficeTimedOut(f"LibreOffice {doing}超过 {_seconds(timeout)}仍未完成，已终止") from None
        if not line:
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
            ended = _ended(self.process.returncode)
            self.close(force=True)
            raise OfficeError(ended)
        try:
            answer: dict[str, Any] = json.loads(line)
        except json.JSONDecodeError:
            self.close(force=True)
            raise OfficeError(f"LibreOffice 的转换程序答非所问：{line.strip()[:200]}") from None
        return answer

    def _ask(self, job: dict[str, Any], timeout: float) -> dict[str, Any]:
        """One job done; OfficeError when LibreOffice is lost on the way."""
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(json.dumps(job) + "\n")
            self.process.stdin.flush()
        except OSError:
            pass  # it died: the answer says how
        answer = self._answer(timeout, "排版")
        if "ended" in answer:  # LibreOffice died under the worker
            self.close(force=True)
            raise OfficeError(_ended(answer["ended"]))
        return answer

    def convert(self, source: Path, target: Path, timeout: float) -> str:
        """Convert one document; '' when done, else LibreOffice's reason. OfficeError when LibreOffice is lost."""
        answer = self._ask({"in": str(source), "out": str(target)}, timeout)
        return "" if answer.get("ok") else str(answer.get("error", "没有说明原因"))

    def locate(self, source: Path, bookmarks: list[str], timeout: float, keep: bool = False) -> dict[str, Any]:
        """Lay one document out: {"pages": [physical page of each bookmark, 1-based]}, or {"missing": name}, or {"error": …}.

        ``keep``: the worker keeps the document open, when laid out, for ``number``.
        """
        return self._ask({"in": str(source), "bookmarks": bookmarks, "keep": keep}, timeout)

    def number(self, numbers: list[int] | None, bookmarks: list[str], target: Path, timeout: float) -> bool:
        """The kept document's TOC numbered and converted to ``target``, if that moved no heading (None: just close it)."""
        if numbers is None:
            return bool(self._ask({"drop": True}, timeout).get("ok"))
        job = {"numbers": [str(number) for number in numbers], "bookmarks": bookmarks, "out": str(target)}
        return bool(self._ask(job, timeout).get("ok"))

    def close(self, force: bool = False) -> None:
        """Let LibreOffice quit (force: kill it now) and wait for the worker."""
        if self.process.stdin:
            try:
                self.process.stdin.close()
            except OSError:
                pass
        if not force:
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                pass
        self.processes.kill(self.process)
        self._reader.join(timeout=10)
        if self.process.stdout:
            self.process.stdout.close()


class Headings(NamedTuple):
    """A document to lay out, and its headings (in order) by their titles and by their bookmarks."""

    document: bytes
    titles: list[str]
    bookmarks: list[str]


@dataclass
class Located:
    """Where LibreOffice put a document's headings, or why it could not say; and the PDF, when one came of it.

    ``pages``: the physical page (0-based) of each heading. ``pdf``: the document with its TOC numbered,
    made from this same layout (see ``LibreOffice.locate``); None when the numbering needs another.
    """

    pages: list[int] = field(default_factory=list)
    trouble: str = ""
    pdf: bytes | None = None


@dataclass(frozen=True)
class Converted:
    """A document's PDF, or why LibreOffice gave none."""

    pdf: bytes | None
    trouble: str = ""


Numbering = Callable[[list[int]], "list[int] | None"]  # a document's TOC numbers from its headings' pages


def _outline_pages(pdf: bytes | None, titles: list[str]) -> Located:
    """The headings' pages from the PDF's outline; the reason where there is none."""
    if pdf is None:
        return Located(trouble="LibreOffice 无法转换文档：没有生成 PDF")
    try:
        return Located(heading_positions(pdf, titles))
    except OfficeError as exc:
        return Located(trouble=str(exc))


def _answered_pages(answer: dict[str, Any], request: Headings) -> Located:
    """The headings' pages from the UNO worker's answer; the reason where there are none."""
    pages = answer.get("pages")
    if answer.get("ok"):
        if (
            isinstance(pages, list)
            and len(pages) == len(request.bookmarks)
            and all(isinstance(page, int) and page >= 1 for page in pages)
        ):
            return Located([page - 1 for page in pages])
        return Located(trouble=f"LibreOffice 的转换程序答非所问：页码为 {str(pages)[:100]}")
    if "missing" in answer:
        lost = dict(zip(request.bookmarks, request.titles)).get(str(answer["missing"]), str(answer["missing"]))
        return Located(trouble=f"LibreOffice 排版后找不到标题“{lost}”，无法填写目录页码")
    return Located(trouble=f"LibreOffice 无法排版文档：{answer.get('error', '没有说明原因')}")


class LibreOffice:
    """A headless LibreOffice with a temporary profile; use it as a context manager.

    ``starts`` counts the LibreOffice processes started: one for a whole build when UNO is available.
    Each document's result carries its own trouble. Once LibreOffice timed out or crashed, ``convert``
    and ``locate`` raise the same OfficeError at once: a build waits for it only once.
    """

    def __init__(
        self, soffice: str, timeout: float | None = None, bridge: bool = True, prefix: str = "perfgen-office-"
    ) -> None:
        self.soffice = soffice
        self.timeout = timeout or base_timeout()
        self.bridge = bridge  # False: the command line only, for a single conversion (no probe for UNO)
        self.prefix = prefix
        self.starts = 0
        self._broken: OfficeError | None = None
        self._work = Path()
        self._uno_python: str | None = None
        self._worker: _Worker | None = None
        self._reaper: _Reaper | None = None
        self._processes: _Processes | None = None

    def __enter__(self) -> LibreOffice:
        # only a build that has townships to lay out gets here: no folder, watchdog or probe before
        self._work = Path(tempfile.mkdtemp(prefix=self.prefix))
        self._reaper = _Reaper(self._work)
        self._processes = _Processes(self._reaper)
        self._uno_python = likely_uno_python(self.soffice) if self.bridge else None
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        try:
            if self._worker is not None:
                # no polite goodbye (LibreOffice takes ~0.2 s to quit): its profile and files are thrown away
                self._worker.close(force=True)
                self._worker = None
        finally:
            if self._processes is not None:
                self._processes.kill_all()
            shutil.rmtree(self._work, ignore_errors=True)
            if self._reaper is not None:
                self._reaper.close(clean=kind is None)

    @property
    def folder(self) -> Path:
        """The temporary work folder (profile, documents): removed with LibreOffice, whatever happens."""
        return self._work

    @property
    def _profile(self) -> str:
        return (self._work / "profile").as_uri()

    def _environment(self) -> dict[str, str]:
        env = _bridge_environment()
        # LibreOffice's own temporary files go into the work folder, to go with it even if LibreOffice is killed
        scratch = self._work / "tmp"
        scratch.mkdir(exist_ok=True)
        for name in ("TMPDIR", "TMP", "TEMP"):
            env[name] = str(scratch)
        config = font_config()
        if config.is_file() and os.name != "nt":
            env["FONTCONFIG_FILE"] = str(config)
        return env

    def start(self) -> None:
        """Have LibreOffice start now, without waiting for it: it comes up while perfgen renders.

        Only with the UNO bridge (from the command line, LibreOffice starts with each batch).
        """
        if self._broken is None:
            self._spawn_worker()

    def _spawn_worker(self) -> None:
        if self._worker is None and self._uno_python is not None:
            assert self._processes is not None
            try:
                self._worker = _Worker(
                    self._uno_python, self.soffice, self._profile, self._environment(), self._processes,
                    2 * self.timeout,  # a cold start with a new profile takes longer than a layout
                )
            except OSError:
                self._uno_python = None  # no bridge after all: convert from the command line

    def _running_worker(self) -> _Worker | None:
        self._spawn_worker()
        if self._worker is not None and not self._worker.ready:
            try:
                self._worker.wait_ready()
                self.starts += 1
            except OfficeStartFailed:
                self._worker = None
                self._uno_python = None  # no bridge after all: convert from the command line
        return self._worker

    @property
    def one_at_a_time(self) -> bool:
        """Whether documents are best laid out as they come: over the UNO bridge, as long as it works.

        From the command line each call is one run of LibreOffice, best made once for a whole batch.
        """
        return self._broken is None and self._uno_python is not None

    def convert(self, documents: list[bytes], done: Callable[[int], None] | None = None) -> list[Converted]:
        """PDFs of the given .docx files, in order, each with the reason where there is none.

        ``done`` hears the index of each document once LibreOffice is through with it (a progress display).
        OfficeError when LibreOffice cannot be started, times out, crashes or is killed.
        """
        return self._batch(documents, self._convert, done)

    def locate(
        self, requests: list[Headings], done: Callable[[int], None] | None = None, numbering: Numbering | None = None
    ) -> list[Located]:
        """Lay each document out and say on which physical page (0-based) each of its headings falls.

        A document LibreOffice could not lay out, or whose headings it lost, gets the reason instead.
        ``done`` and OfficeError as for ``convert``. With the UNO bridge no PDF is made: LibreOffice
        is asked for the pages of the headings' bookmarks; from the command line, the PDF's outline tells.

        With ``numbering`` (a PDF is wanted), the numbers it gives for a document's pages are written
        into the TOC of the document as laid out, and the PDF made from it when they moved nothing:
        one layout instead of two. Where it gives None, or without the bridge, there is no PDF.
        """
        return self._batch(requests, lambda todo, tell: self._locate(todo, tell, numbering), done)

    def _batch(
        self,
        items: list[Any],
        work: Callable[[list[Any], Callable[[int], None]], list[Any]],
        done: Callable[[int], None] | None,
    ) -> list[Any]:
        """``work`` on the items; a LibreOffice lost on the way is not used again."""
        if self._broken is not None:
            raise self._broken
        if not items:
            return []
        try:
            return work(items, done or (lambda index: None))
        except OfficeError as exc:
            self._broken = exc
            raise

    @contextlib.contextmanager
    def _batch_folder(self, documents: list[bytes]) -> Iterator[tuple[Path, list[Path], list[float]]]:
        """A folder with the documents written into it, removed after, and each document's timeout.

        A LibreOffice lost on the way (OfficeError) is not used again: it was killed.
        """
        batch = Path(tempfile.mkdtemp(dir=self._work))
        try:
            sources = []
            for index, data in enumerate(documents):
                source = batch / f"{index:05d}.docx"
                source.write_bytes(data)
                sources.append(source)
            (batch / "pdf").mkdir()
            yield batch, sources, [layout_timeout(data, self.timeout) for data in documents]
        except OfficeError:
            self._worker = None
            raise
        finally:
            shutil.rmtree(batch, ignore_errors=True)

    def _convert(self, documents: list[bytes], done: Callable[[int], None]) -> list[Converted]:
        with self._batch_folder(documents) as (batch, sources, timeouts):
            out = batch / "pdf"
            worker = self._running_worker()
            if worker is None:
                pdfs = self._convert_from_command_line(sources, out, timeouts)
                for index in range(len(pdfs)):  # one run for all: they are through together
                    done(index)
                return pdfs
            results: list[Converted] = []
            for index, (source, timeout) in enumerate(zip(sources, timeouts)):
                target = out / f"{source.stem}.pdf"
                error = worker.convert(source, target, timeout)
                if error or not target.is_file():
                    results.append(Converted(None, f"LibreOffice 无法转换文档：{error or '没有生成 PDF'}"))
                else:
                    results.append(Converted(target.read_bytes()))
                done(index)
            return results

    def _locate(
        self, requests: list[Headings], done: Callable[[int], None], numbering: Numbering | None = None
    ) -> list[Located]:
        with self._batch_folder([request.document for request in requests]) as (batch, sources, timeouts):
            worker = self._running_worker()
            if worker is None:
                pdfs = self._convert_from_command_line(sources, batch / "pdf", timeouts)
                results = [_outline_pages(pdf.pdf, request.titles) for pdf, request in zip(pdfs, requests)]
                for index in range(len(results)):
                    done(index)
                return results
            located: list[Located] = []
            for index, (source, timeout, request) in enumerate(zip(sources, timeouts, requests)):
                answer = worker.locate(source, request.bookmarks, timeout, keep=numbering is not None)
                layout = _answered_pages(answer, request)
                if numbering is not None and answer.get("ok"):  # the worker kept the document open
                    numbers = None if layout.trouble else numbering(layout.pages)
                    target = batch / "pdf" / f"{source.stem}.pdf"
                    if worker.number(numbers, request.bookmarks, target, timeout) and target.is_file():
                        layout.pdf = target.read_bytes()
                located.append(layout)
                done(index)
            return located

    def _convert_from_command_line(self, sources: list[Path], out: Path, timeouts: list[float]) -> list[Converted]:
        returncode, output = self._run(sources, "pdf:writer_pdf_Export", out, 2 * self.timeout + sum(timeouts), "排版")
        pdfs = [(out / f"{source.stem}.pdf") for source in sources]
        if not any(pdf.is_file() for pdf in pdfs):
            detail = output.strip()[-300:]
            raise OfficeError(f"{_ended(returncode)}，没有生成 PDF" + (f"：{detail}" if detail else ""))
        return [Converted(pdf.read_bytes()) if pdf.is_file() else Converted(None, "LibreOffice 没有为这份文档生成 PDF") for pdf in pdfs]

    def convert_file(self, source: Path, target: str, suffix: str) -> bytes:
        """One file converted by ``soffice --convert-to target`` (e.g. "docx:MS Word 2007 XML"), as bytes.

        OfficeError when LibreOffice fails, times out (the base timeout, twice) or writes nothing.
        """
        out = Path(tempfile.mkdtemp(dir=self._work))
        try:
            returncode, output = self._run([source], target, out, 2 * self.timeout, "转换")
            result = out / f"{source.stem}.{suffix}"
            if not result.is_file():
                detail = output.strip()[-300:]
                raise OfficeError(f"{_ended(returncode)}，没有转换出文件" + (f"：{detail}" if detail else ""))
            return result.read_bytes()
        finally:
            shutil.rmtree(out, ignore_errors=True)

    def _run(self, sources: list[Path], target: str, out: Path, timeout: float, doing: str) -> tuple[int, str]:
        """Run ``soffice --convert-to`` on sources, in its own process group, within timeout: (exit code, output)."""
        assert self._processes is not None
        self.starts += 1
        command = [
            self.soffice,
            f"-env:UserInstallation={self._profile}",
            "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
            "--convert-to", target,
            "--outdir", str(out),
            *map(str, sources),
        ]
        try:
            process = self._processes.start(
                command, self._environment(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT, text=True, errors="replace",
            )
        except OSError as exc:
            raise OfficeError(f"无法启动 LibreOffice（{self.soffice}）：{exc.strerror}。{INSTALL_HINT}") from exc
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self._processes.kill(process)
            process.communicate()
            raise OfficeTimedOut(f"LibreOffice {doing}超过 {_seconds(timeout)}仍未完成，已终止") from None
        except BaseException:  # Ctrl-C: no LibreOffice left behind
            self._processes.kill(process)
            raise
        self._processes.end(process)
        return process.returncode, output
