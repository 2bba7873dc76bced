"""How paths are shown to a clerk."""

from __future__ import annotations

import os
from pathlib import Path


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
