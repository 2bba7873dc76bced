"""Write a file so that readers see the old one or the whole new one, never a part.

Through the one door (``perfgen.write.tree``): the new content goes to
``.<name>.<pid>-<random>.tmp`` beside the file and is renamed over it, the old
file's mode kept; a link, a special file or a file with other hard links at
``path`` is refused, never written through. A process killed in between leaves
that temporary file; the next build removes such leftovers (``remove_leftovers``).
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

from perfgen.write.tree import TEMPORARY_SUFFIX, Tree, sync_folder

__all__ = ["TEMPORARY_SUFFIX", "remove_leftovers", "sync_folder", "temporary_name", "write_atomic"]


def temporary_name(path: Path) -> tuple[str, str]:
    """The prefix and suffix of the temporary files written for ``path``."""
    return f".{path.name}.", TEMPORARY_SUFFIX


def remove_leftovers(folder: Path) -> None:
    """Remove the temporary files and folders an interrupted write left in ``folder``."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(".") and entry.name.endswith(TEMPORARY_SUFFIX):
            with contextlib.suppress(OSError):
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry)
                else:
                    entry.unlink()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``.

    A failure or an interrupt at any point leaves the previous ``path`` as it
    was and no temporary file behind.
    """
    # the folder made where missing; its leftovers are removed by the build, under its lock
    Tree(path.parent, clean=False).write(path.name, data)
