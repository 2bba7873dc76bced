"""Worker processes: results in order, and no worker outlives a killed perfgen."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from perfgen.parallel import ordered_map

# two workers that print their process ids and wait; the parent is killed meanwhile
WAITING = """
import os, sys, time
from perfgen.parallel import ordered_map

def wait(item):
    os.write(1, f"{os.getpid()}\\n".encode())  # one write: the two workers' lines do not interleave
    time.sleep(60)

list(ordered_map(wait, range(2), 2))
"""


def _square(value: int) -> int:
    return value * value


def test_results_come_in_the_order_of_the_items() -> None:
    assert list(ordered_map(_square, range(50), 2)) == [n * n for n in range(50)]
    assert list(ordered_map(_square, range(5), 1)) == [0, 1, 4, 9, 16]


def _alive(pid: int) -> bool:
    """Whether the process runs (a zombie that nobody reaped yet does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the workers end with their parent on Linux only")
def test_the_workers_of_a_killed_perfgen_end_with_it() -> None:
    with subprocess.Popen([sys.executable, "-c", WAITING], stdout=subprocess.PIPE, text=True) as parent:
        assert parent.stdout is not None
        try:
            workers = [int(parent.stdout.readline()) for _ in range(2)]
            assert all(_alive(pid) for pid in workers)
        finally:
            os.kill(parent.pid, signal.SIGKILL)
            parent.wait()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [pid for pid in workers if _alive(pid)]
    for pid in left:  # not to leave them running should the test fail
        os.kill(pid, signal.SIGKILL)
    assert left == []
