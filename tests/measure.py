"""A perfgen command run in a process of its own, measured by the kernel: processor time and peak memory."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Measured:
    returncode: int
    stderr: str
    seconds: float  # of processor time, user and system: the work, whatever else the machine does
    clock: float
    megabytes: int  # peak resident memory

    def figures(self) -> str:
        return f"{self.seconds:.1f} s of processor ({self.clock:.1f} s on the clock), peak {self.megabytes} MB"


def measured(*args: str, cwd: Path) -> Measured:
    """``perfgen args`` run in ``cwd`` (Linux, macOS: wait4 gives the child's own figures)."""
    err = cwd / ".stderr.txt"
    with open(err, "wb") as stderr:
        start = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-m", "perfgen", *args], cwd=cwd, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=stderr,
        )
        _, status, usage = os.wait4(process.pid, 0)
        clock = time.monotonic() - start
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait for it again
    message = err.read_text(encoding="utf-8")
    err.unlink()
    megabytes = usage.ru_maxrss // 1024 if sys.platform != "darwin" else usage.ru_maxrss // (1024 * 1024)
    return Measured(process.returncode, message, usage.ru_utime + usage.ru_stime, clock, megabytes)
