"""Write a file so that readers see the old one or the whole new one, never a part.

The new content goes to ``.<name>.<random>.tmp`` beside the file and is renamed
over it. A process killed in between leaves that temporary file; the next
build removes such leftovers (``remove_leftovers``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from perfgen.errors import OutputError
from perfgen.paths import display_path


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write_all(handle: int, data: bytes) -> None:
    if hasattr(os, "fchmod"):  # mkstemp makes the file private (0600); give it open()'s mode
        os.fchmod(handle, 0o666 & ~_current_umask())
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())


TEMPORARY_SUFFIX = ".tmp"


def sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a crash right after cannot undo it), where the system allows."""
    if os.name != "posix":  # pragma: no cover - Windows commits renames itself
        return
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


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
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        prefix, suffix = temporary_name(path)
        handle, temporary = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=path.parent)
    except OSError as exc:
        raise OutputError(f"无法在 {display_path(path.parent)} 中写文件：{exc.strerror}") from exc
    try:
        _write_all(handle, data)
        os.replace(temporary, path)
        sync_folder(path.parent)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, PermissionError):
            raise OutputError(f"无法写入 {display_path(path)}：文件可能正在 Word/WPS 中打开，请关闭后重试") from exc
        if isinstance(exc, OSError):
            raise OutputError(f"无法写入 {display_path(path)}：{exc.strerror}") from exc
        raise
