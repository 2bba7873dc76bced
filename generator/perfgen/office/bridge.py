"""LibreOffice over its UNO bridge: ``uno_worker.py``, run with a Python that has the bridge, drives one
LibreOffice for a whole build and answers one request at a time, as a line of JSON."""

from __future__ import annotations

import json
import queue
import subprocess
import threading
import uuid
from pathlib import Path
from typing import IO, Any

from perfgen.errors import OfficeError, OfficeStartFailed, OfficeTimedOut
from perfgen.office.results import Starts, answered_starts
from perfgen.office.supervisor import Processes, ended, seconds_text


class Worker:
    """uno_worker.py with its LibreOffice, answering one conversion at a time."""

    def __init__(
        self, python: str, soffice: str, profile: str, env: dict[str, str], processes: Processes, timeout: float
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
            raise OfficeTimedOut(f"LibreOffice {doing}超过 {seconds_text(timeout)}仍未完成，已终止") from None
        if not line:
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
            how = ended(self.process.returncode)
            self.close(force=True)
            raise OfficeError(how)
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
            raise OfficeError(ended(answer["ended"]))
        return answer

    def convert(self, source: Path, target: Path, timeout: float, rows: str = "") -> tuple[str, Starts | None]:
        """Convert one document; '' when done, else LibreOffice's reason; and, with ``rows``, where the rows of
        the tables headed so break in the PDF (see uno_worker.py). OfficeError when LibreOffice is lost."""
        answer = self._ask({"in": str(source), "out": str(target), "rows": rows}, timeout)
        if not answer.get("ok"):
            return str(answer.get("error", "没有说明原因")), None
        return "", answered_starts(answer)

    def locate(self, source: Path, bookmarks: list[str], timeout: float, keep: bool = False) -> dict[str, Any]:
        """Lay one document out: {"pages": [physical page of each bookmark, 1-based]}, or {"missing": name}, or {"error": …}.

        ``keep``: the worker keeps the document open, when laid out, for ``number``.
        """
        return self._ask({"in": str(source), "bookmarks": bookmarks, "keep": keep}, timeout)

    def number(
        self, numbers: list[int] | None, bookmarks: list[str], target: Path, timeout: float, rows: str = ""
    ) -> tuple[bool, Starts | None]:
        """The kept document's TOC numbered and converted to ``target``, if that moved no heading (None: just
        close it); with ``rows``, where the rows of the tables headed so break in the PDF, as for ``convert``."""
        if numbers is None:
            return bool(self._ask({"drop": True}, timeout).get("ok")), None
        job = {"numbers": [str(number) for number in numbers], "bookmarks": bookmarks, "out": str(target), "rows": rows}
        answer = self._ask(job, timeout)
        return bool(answer.get("ok")), answered_starts(answer) if answer.get("ok") else None

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
