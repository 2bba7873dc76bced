"""Stand-ins for LibreOffice that fail in the ways a real one can: exit 1, get killed, hang, write garbage.

``fake_soffice`` is a shell script used as $PERFGEN_SOFFICE; ``fake_uno_python`` stands for the Python
with the UNO bridge ($PERFGEN_UNO_PYTHON) and answers uno_worker.py's protocol itself, to fail in the
middle of a conversion. Each writes the ids of the processes it starts to a log, for the tests to check
that none survives.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SOFFICE = r"""#!/bin/sh
# a fake soffice: $FAKE_MODE is fail, killed, hang or garbage
echo "$$" >> "$FAKE_LOG"
case "$FAKE_MODE" in
  fail) echo "soffice: cannot open display" >&2; exit 1 ;;
  killed) kill -9 $$ ;;
  hang) sleep 1000 & echo "$!" >> "$FAKE_LOG"; wait ;;
  garbage)
    out=""; previous=""
    for argument in "$@"; do
      [ "$previous" = "--outdir" ] && out="$argument"
      case "$argument" in *.docx) echo "not a pdf" > "$out/$(basename "$argument" .docx).pdf" ;; esac
      previous="$argument"
    done ;;
esac
"""

UNO_PYTHON = r"""#!{python}
# a fake Python with the UNO bridge that plays uno_worker.py: $FAKE_MODE is hang, garbage, crash or fail
import json, os, subprocess, sys
if sys.argv[1:2] == ["-c"]:  # the probe: "import uno" works here
    sys.exit(0)
log = open(os.environ["FAKE_LOG"], "a")
log.write(f"{{os.getpid()}}\n"); log.flush()
print(json.dumps({{"ready": True}}), flush=True)
mode = os.environ["FAKE_MODE"]
for line in sys.stdin:
    job = json.loads(line)
    if mode == "hang":
        child = subprocess.Popen(["sleep", "1000"])
        log.write(f"{{child.pid}}\n"); log.flush()
        child.wait()
    elif mode == "garbage" and "bookmarks" in job:  # the pages of the headings, asked without a PDF
        print(json.dumps({{"ok": True, "pages": ["garbage"]}}), flush=True)
    elif mode == "garbage":
        with open(job["out"], "wb") as pdf:
            pdf.write(b"%PDF-1.7\n garbage, no pages, no trailer")
        print(json.dumps({{"ok": True}}), flush=True)
    elif mode == "crash":
        print(json.dumps({{"ok": False, "error": "DisposedException: bridge closed", "ended": -9}}), flush=True)
        sys.exit(0)
    else:
        print(json.dumps({{"ok": False, "error": "IOException: cannot load"}}), flush=True)
"""


def fake_soffice(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "soffice"
    script.write_text(SOFFICE)
    script.chmod(0o755)
    return script


def fake_uno_python(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "python-uno"
    script.write_text(UNO_PYTHON.format(python=sys.executable))
    script.chmod(0o755)
    return script


def logged_pids(log: Path) -> list[int]:
    return [int(line) for line in log.read_text().split()] if log.exists() else []


def running(pid: int) -> bool:
    """Whether a process exists and is not a zombie (killed but not yet reaped by init)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def processes_naming(text: str) -> list[int]:
    """Running processes whose command line mentions text (e.g. a temporary folder)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
            except OSError:
                continue
            if text.encode() in cmdline and running(int(entry)):
                found.append(int(entry))
    return found
