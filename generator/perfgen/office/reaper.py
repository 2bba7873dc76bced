"""Kill perfgen's LibreOffice and remove its temporary folder once perfgen is gone, however it went.

perfgen starts this watchdog in a session of its own, so that a kill of
perfgen's process group or terminal does not reach it:

    python -I -S reaper.py FOLDER

On stdin perfgen writes one line per LibreOffice process group it starts
("+PGID") or has ended itself ("-PGID"). When stdin ends (perfgen closed it,
or died, even by SIGKILL: the kernel closes its end of the pipe), the watchdog
kills the groups still listed and every process whose command line names
FOLDER (LibreOffice's profile is in it), with its whole group when it leads
one (perfgen starts each in a session of its own): this also covers a group
perfgen was interrupted or killed before it could announce. Then it removes
FOLDER and exits. A last line "done" says perfgen has ended normally and
cleaned up itself: with no group listed and FOLDER gone, the watchdog exits
at once, without a sweep.

POSIX only; it imports nothing from perfgen, to start in a few milliseconds.
"""

import os
import shutil
import signal
import sys
import time
from pathlib import Path


def named_processes(folder: str) -> list[int]:
    """The processes (Linux: from /proc) whose command line mentions folder."""
    mine = os.getpid()
    found: list[int] = []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return found
    needles = (os.fsencode(folder), Path(folder).as_uri().encode())  # a path, or the profile's URL
    for entry in entries:
        if not entry.isdigit() or int(entry) == mine:
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                arguments = cmdline.read()
            if any(needle in arguments for needle in needles):
                found.append(int(entry))
        except OSError:  # gone meanwhile, or not ours to read
            continue
    return found


def kill(groups: set[int], folder: str) -> None:
    for group in groups:
        try:
            os.killpg(group, signal.SIGKILL)
        except OSError:
            pass
    for pid in named_processes(folder):
        try:
            if os.getpgid(pid) == pid:  # a group perfgen started: its children may not name the folder
                os.killpg(pid, signal.SIGKILL)
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def main() -> None:
    folder = sys.argv[1]
    # a Ctrl-C or hang-up meant for perfgen must not stop the clean-up
    for name in ("SIGINT", "SIGHUP", "SIGTERM", "SIGPIPE"):
        signal.signal(getattr(signal, name), signal.SIG_IGN)
    groups: set[int] = set()
    done = False
    for line in sys.stdin:
        line = line.strip()
        if line[:1] in ("+", "-") and line[1:].isdigit():
            (groups.add if line[0] == "+" else groups.discard)(int(line[1:]))
        done = line == "done"
    if done and not groups and not os.path.exists(folder):
        return
    kill(groups, folder)
    # a process killed while it was creating files may leave one more behind: try a few times
    for _ in range(20):
        shutil.rmtree(folder, ignore_errors=True)
        if not os.path.exists(folder):
            break
        time.sleep(0.1)
        kill(groups, folder)


if __name__ == "__main__":
    main()
