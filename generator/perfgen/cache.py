"""Work kept across runs: a private, per-user cache on disk.

Entries are named by a key that hashes everything they depend on (content,
perfgen's version and code, library versions), so a changed input simply
misses and nothing is ever invalidated in place. The cache is only ever an
optimisation: a missing, unreadable, corrupt or foreign entry is ignored (and
rewritten), and a cache that cannot be written is left alone.

Where: ``$XDG_CACHE_HOME/perfgen`` (default ``~/.cache/perfgen``; on Windows
``%LOCALAPPDATA%\\perfgen\\cache``), a folder of mode 0700 that must belong to
the user; a shared or world-writable location is never used. Entries are
written to a temporary file and renamed, so readers never see half an entry,
and carry a SHA-256 of their content, checked before they are trusted. The
temporary files of a process killed while writing are removed by a later one.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import stat
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from perfgen import __version__

MAGIC = b"perfgen-cache-1\n"
DIGEST = hashlib.sha256().digest_size


def cache_dir() -> Path | None:
    """The user's perfgen cache folder, created if needed; None where no safe one can be had."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        folder = Path(base) / "perfgen" / "cache" if base else None
    else:
        xdg = os.environ.get("XDG_CACHE_HOME", "")
        # the XDG spec ignores relative paths; a cache relative to the working folder would follow the user around
        base = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache"
        folder = base / "perfgen"
    if folder is None:
        return None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.lstat()
        if sys.platform != "win32":
            if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
                return None  # a symlink or someone else's folder: never trusted
            if info.st_mode & 0o077:
                os.chmod(folder, 0o700)
    except (OSError, RuntimeError):  # RuntimeError: no home folder
        return None
    return folder


def key(*parts: bytes | str) -> str:
    """A cache key over ``parts`` and perfgen's version."""
    digest = hashlib.sha256(__version__.encode())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def load(kind: str, name: str) -> Any | None:
    """The value stored under ``kind``/``name``, or None when absent or not sound."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        data = (folder / f"{kind}-{name}").read_bytes()
    except OSError:
        return None
    head, digest, payload = data[: len(MAGIC)], data[len(MAGIC) : len(MAGIC) + DIGEST], data[len(MAGIC) + DIGEST :]
    if head != MAGIC or hashlib.sha256(payload).digest() != digest:
        return None
    try:
        return marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None


LEFTOVER_SECONDS = 600  # a temporary entry older than this was left by a process killed while writing it
_swept = False


def _sweep(folder: Path) -> None:
    """Remove, once per process, the temporary entries that killed processes left behind."""
    global _swept
    if _swept:
        return
    _swept = True
    now = time.time()
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith(".") and entry.name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    if now - entry.stat(follow_symlinks=False).st_mtime > LEFTOVER_SECONDS:
                        os.unlink(entry.path)


def store(kind: str, name: str, value: Any) -> None:
    """Keep ``value`` (anything ``marshal`` takes: code, str, bytes, dict, list …) under ``kind``/``name``."""
    folder = cache_dir()
    if folder is None:
        return
    _sweep(folder)
    payload = marshal.dumps(value)
    scratch = None
    try:
        handle, scratch = tempfile.mkstemp(dir=folder, prefix=f".{kind}-", suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            stream.write(MAGIC + hashlib.sha256(payload).digest() + payload)
        os.replace(scratch, folder / f"{kind}-{name}")
        scratch = None
    except OSError:
        pass  # a full disk or read-only home: the cache is only an optimisation
    finally:
        if scratch is not None:
            with contextlib.suppress(OSError):
                os.unlink(scratch)
