"""How paths are shown to a clerk."""

from __future__ import annotations

import os
import re
from pathlib import Path

# the hidden name of a folder or file perfgen is writing (perfgen.write.tree): ".<name>.<pid>-<random>[.old].tmp"
SCRATCH = re.compile(r"^\.(?P<name>.*)\.(?P<pid>\d+)-[0-9a-f]{8}(?P<old>\.old)?\.tmp$")


def display_path(path: Path) -> str:
    """The path as a clerk would type it: relative to the working folder when inside it, else as given.

    An absolute path outside the working folder stays absolute (/data/x.docx, not ../../../data/x.docx).
    """
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    if os.path.isabs(path) and (relative == os.pardir or relative.startswith(os.pardir + os.sep)):
        return str(path)
    return relative
