"""Work kept across runs: a private, per-user cache on disk.

Entries are named by a key that hashes everything they depend on (content,
perfgen's version and code, library versions), so a changed input simply
misses and nothing is ever invalidated in place. The cache is only ever an
optimisation: a missing, unreadable, corrupt or foreign entry is ignored (and
rewritten), and a cache that cannot be written is left alone.

Where: ``$XDG_CACHE_HOME/perfgen/cache.sqlite`` (default ``~/.cache/perfgen``;
on Windows ``%LOCALAPPDATA%\\perfgen\\cache``), in a folder of mode 0700 that must
belong to the user; a shared or world-writable location is never used. It
holds the prepared template (render/docx.py), each township folder's check
results (validate/memo.py) and typeset tables (render/typeset.py, the last
``KEEP`` written): what does not depend on an output folder (the
record of what a build wrote is the output folder's own, perfgen/state.py).

One SQLite database (standard library), like the output folder's record: each
entry is replaced in a transaction of its own, the worker processes of a build
write theirs at once (write-ahead log), and a process killed while writing
leaves the database as it was before, with nothing to sweep. Entries carry a
SHA-256 of their content, checked before they are trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sqlite3
import stat
import sys
import threading
import time
from pathlib import Path
from typing import Any

from perfgen import __version__

DATABASE = "cache.sqlite"
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
    db = _database()
    if db is None:
        return None
    try:
        row = db.execute("SELECT value FROM entries WHERE kind = ? AND name = ?", (kind, name)).fetchone()
    except sqlite3.Error:
        return None
    return _sound(row[0] if row is not None else None)


def _sound(data: object) -> Any | None:
    """A stored value, or None when it is not one this code wrote whole."""
    if not isinstance(data, bytes):
        return None
    head, digest, payload = data[: len(MAGIC)], data[len(MAGIC) : len(MAGIC) + DIGEST], data[len(MAGIC) + DIGEST :]
    if head != MAGIC or hashlib.sha256(payload).digest() != digest:
        return None
    try:
        return marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None


def store(kind: str, name: str, value: Any) -> None:
    """Keep ``value`` (anything ``marshal`` takes: code, str, bytes, dict, list …) under ``kind``/``name``."""
    db = _database()
    if db is None:
        return
    try:
        with db:  # one transaction
            db.execute("INSERT OR REPLACE INTO entries VALUES (?, ?, ?)", _row(kind, name, value))
    except sqlite3.Error:
        pass  # a full disk, a read-only home, a busy database: the cache is only an optimisation


def load_many(kind: str, names: list[str]) -> dict[str, Any]:
    """The sound values stored under ``kind`` and any of ``names``, by name, read in one query."""
    db = _database()
    if db is None or not names:
        return {}
    found: dict[str, Any] = {}
    try:
        for start in range(0, len(names), 500):  # SQLite's bound on a statement's parameters
            chunk = names[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = db.execute(f"SELECT name, value FROM entries WHERE kind = ? AND name IN ({marks})", (kind, *chunk))
            for name, data in rows:
                value = _sound(data)
                if value is not None:
                    found[name] = value
    except sqlite3.Error:
        return found
    return found


def store_many(kind: str, values: dict[str, Any], keep: int) -> None:
    """Keep each of ``values`` under ``kind``/its name, in one transaction; of ``kind``'s entries only the
    ``keep`` written last stay (the kinds named by content gain an entry with each change, forever otherwise)."""
    db = _database()
    if db is None or not values:
        return
    rows = [_row(kind, name, value) for name, value in values.items()]
    try:
        with db:
            db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?)", rows)
            (count,) = db.execute("SELECT count(*) FROM entries WHERE kind = ?", (kind,)).fetchone()
            if count > keep:
                db.execute(
                    "DELETE FROM entries WHERE rowid IN (SELECT rowid FROM entries WHERE kind = ? ORDER BY rowid LIMIT ?)",
                    (kind, count - keep),
                )
    except sqlite3.Error:
        pass  # as store


def _row(kind: str, name: str, value: Any) -> tuple[str, str, bytes]:
    payload = marshal.dumps(value)
    return kind, name, MAGIC + hashlib.sha256(payload).digest() + payload


# one connection per thread, process and folder, opened on first use: a sqlite3 connection belongs to the thread
# that made it (perfgen serve lays pages out in a thread of its own). A worker process forked from one that had
# opened it opens its own, and never closes the one it inherited (closing it would act on the parent's log as if alone)
_local = threading.local()
_inherited: list[sqlite3.Connection] = []


def _database() -> sqlite3.Connection | None:
    folder = cache_dir()
    if folder is None:
        return None
    path = folder / DATABASE
    held: tuple[int, Path, sqlite3.Connection | None] | None = getattr(_local, "connection", None)
    if held is not None and held[:2] == (os.getpid(), path):
        return held[2]
    if held is not None and held[2] is not None:
        if held[0] == os.getpid():
            held[2].close()
        else:
            _inherited.append(held[2])
    db = _open(path)
    _local.connection = (os.getpid(), path, db)
    return db


def _open(path: Path) -> sqlite3.Connection | None:
    afresh = False
    for pause in (0.0, 0.05, 0.2, 0.5):
        time.sleep(pause)
        db = None
        try:
            db = sqlite3.connect(path, timeout=30)
            db.execute("PRAGMA journal_mode=WAL")  # the workers of a build read and write at once
            db.execute("PRAGMA synchronous=NORMAL")  # a crash may lose the last entries of a cache, never damage it
            db.execute("CREATE TABLE IF NOT EXISTS entries (kind TEXT, name TEXT, value BLOB, PRIMARY KEY (kind, name))")
            return db
        except sqlite3.OperationalError:
            # busy (another process sets it up or checkpoints its log; SQLite then answers at once), locked or
            # unwritable: never damage, and deleting it would pull it from under the processes using it
            if db is not None:
                db.close()
        except sqlite3.DatabaseError:  # not a database, or damaged: the cache starts afresh, once
            if db is not None:
                db.close()
            if afresh:
                break
            afresh = True
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(OSError):
                    os.unlink(f"{path}{suffix}")
        except sqlite3.Error:
            if db is not None:
                db.close()
            break
    return None
