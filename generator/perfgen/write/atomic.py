"""Write a file so that readers see the old one or the whole new one, never a part."""

from __future__ import annotations

import contextlib
import os
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


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``.

    A failure or an interrupt at any point leaves the previous ``path`` as it
    was and no temporary file behind.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"无法在 {display_path(path.parent)} 中写文件：{exc.strerror}") from exc
    try:
        _write_all(handle, data)
        os.replace(temporary, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, PermissionError):
            raise OutputError(f"无法写入 {display_path(path)}：文件可能正在 Word/WPS 中打开，请关闭后重试") from exc
        if isinstance(exc, OSError):
            raise OutputError(f"无法写入 {display_path(path)}：{exc.strerror}") from exc
        raise
