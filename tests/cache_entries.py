"""The entries of perfgen's per-user cache database (perfgen/cache.py), read and damaged as tests need."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from perfgen import cache


def names(folder: Path, kind: str) -> list[str]:
    """The names of the entries of ``kind`` in the cache at ``folder``."""
    database = folder / cache.DATABASE
    if not database.is_file():
        return []
    with contextlib.closing(sqlite3.connect(database)) as db:
        return sorted(name for (name,) in db.execute("SELECT name FROM entries WHERE kind = ?", (kind,)))


def stored(folder: Path, kind: str, name: str, value: bytes | None = None) -> bytes:
    """The bytes stored for an entry; replaced by ``value`` first when given (a damaged entry)."""
    with contextlib.closing(sqlite3.connect(folder / cache.DATABASE)) as db, db:
        if value is not None:
            db.execute("UPDATE entries SET value = ? WHERE kind = ? AND name = ?", (value, kind, name))
        (data,) = db.execute("SELECT value FROM entries WHERE kind = ? AND name = ?", (kind, name)).fetchone()
        return bytes(data)


def remove(folder: Path, kind: str) -> None:
    """Remove every entry of ``kind``."""
    with contextlib.closing(sqlite3.connect(folder / cache.DATABASE)) as db, db:
        db.execute("DELETE FROM entries WHERE kind = ?", (kind,))
