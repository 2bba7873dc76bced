"""What a build keeps between runs: the record of what it wrote, in one SQLite database per output folder.

Where: ``<out>/.perfgen-state.sqlite``. The record describes the files of
that folder (each output's hash), so it lives and dies with them: a folder
copied, moved or deleted takes its record along, and two users building into
one folder share it. The check results that do not depend on an output folder
(validate/memo.py, one entry per township folder) and the prepared template
stay in the per-user cache (perfgen/cache.py).

What a township's row holds: only what the build wrote and what it was made
from (the digest, each output's hash, and what the document says: projects,
total, whether the TOC has its page numbers), a few hundred bytes. Not its
problems: they are what the check of its sources found, which depends on the
sources alone, not on this folder, so their one home is the check cache
(validate/memo.py). A skipped township takes its problems from there, and is
checked again (not rendered) where the cache has none, cannot be read or
written, or is damaged: what it shows is always what a check of its sources
finds. Kept here as well (FORMAT 1 and 2), they made the record ~115 KB per township
(~280 problems of the synthetic townships), read back and rebuilt, each file
name resolved again, for every skipped township of every build.

Why SQLite (standard library): a township's record is replaced in one
transaction of its own, whatever the size of the county, so the cost of a
build grows with its townships and no more; the old JSON manifest was
rewritten whole after every township and grew with the square of a county.
Write-ahead logging with ``synchronous=FULL`` makes each commit durable when it
returns, and a process killed at any point leaves the database as of its last
commit (the next one to open it rolls the log forward). Only a file that is
no database, or is damaged, is started afresh; a busy one (another process
recovering or checkpointing its log) is waited for, and one that cannot be
written (a read-only folder, a full disk) is refused with a message: deleting
either would lose the record from under whoever holds it.

A township is trusted as built only by a row written after all its outputs
were in place (``record``), and its row is deleted, durably, before any of
them is replaced (``forget``); ``fresh`` also checks the outputs' hashes.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from perfgen import __version__
from perfgen.errors import OutputError
from perfgen.paths import display_path

DATABASE = ".perfgen-state.sqlite"
FORMAT = 3  # of the tables (PRAGMA user_version): a database of another is emptied, and every township rebuilt
OLD_MANIFEST = ".perfgen-manifest.json"  # the record of perfgen before the database: removed when seen
_PACKAGE = Path(__file__).resolve().parent
_PAUSES = (0.05, 0.2, 0.5, 1.0, 2.0)  # between the tries to open a busy record (each also waits its timeout)
_LIBRARIES = ("yaml", "jsonschema_rs", "jsonschema", "docx", "docxtpl", "lxml", "jinja2")


@cache  # the code does not change while perfgen runs: read once per process, inherited by workers
def code_digest() -> str:
    """perfgen's version and the content of every file of its code, the schemas, and the versions of what it runs on.

    Any edit to perfgen's code makes every cached result and every township's record miss.
    """
    from importlib.util import find_spec

    from perfgen.resources import schema_path

    digest = hashlib.sha256(f"{__version__}|{sys.version}|{os.sep}".encode())
    for base, folders, names in os.walk(_PACKAGE):
        folders.sort()
        for name in sorted(names):
            if name.endswith(".py"):
                path = os.path.join(base, name)
                with open(path, "rb") as stream:
                    data = stream.read()
                digest.update(f"{os.path.relpath(path, _PACKAGE)}|{len(data)}\n".encode())
                digest.update(data)
    for schema in ("document", "project"):
        digest.update(schema_path(schema).read_bytes())
    for library in _LIBRARIES:
        try:
            spec = find_spec(library)
            origin = spec.origin if spec else None
            info = os.stat(origin) if origin else None
        except (ImportError, ValueError, OSError):
            origin, info = None, None
        digest.update(f"{library}|{origin}|{info and info.st_size}|{info and info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class Built:
    """A township's row: the digest it was built from, its outputs' hashes and what its document says."""

    digest: str
    outputs: dict[str, str | None]  # output path relative to the output folder -> hash
    projects: int
    total: str
    paginated: bool


class Store:
    """The database of an output folder; use as a context manager."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / DATABASE
        self._db: sqlite3.Connection | None = None

    def __enter__(self) -> Store:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            (self.path.parent / OLD_MANIFEST).unlink()
        self._db = self._opened()
        return self

    def _opened(self) -> sqlite3.Connection:
        """The database, started afresh only if it is none or damaged; a busy one is waited for, never deleted."""
        pauses, afresh = iter(_PAUSES), False
        while True:
            try:
                return self._open()
            except sqlite3.OperationalError as exc:
                # busy or locked (another process recovers its log or checkpoints it: SQLite then answers at
                # once, whatever the timeout), read-only, full, a disk error: none is damage, and deleting the
                # record would pull it from under whoever holds it
                if _code(exc) not in (_BUSY, _LOCKED):
                    raise self._refused(exc) from exc
                pause = next(pauses, None)
                if pause is None:
                    raise OutputError(
                        f"输出文件夹 {display_path(self.path.parent)} 的生成记录 {DATABASE} 正被另一个程序占用："
                        "请等它完成后重试（若没有别的 perfgen 在运行，请关掉打开了这个文件的程序）"
                    ) from exc
                time.sleep(pause)
            except sqlite3.DatabaseError as exc:  # not a database, or damaged beyond what its log repairs
                if afresh:
                    raise self._refused(exc) from exc
                afresh = True
                self._remove()

    def _refused(self, exc: sqlite3.Error) -> OutputError:
        folder = display_path(self.path.parent)
        reason = _REASONS.get(_code(exc), f"SQLite 错误：{exc}")
        return OutputError(
            f"无法在输出文件夹 {folder} 中写生成记录 {DATABASE}：{reason}。"
            "请换一个可以写入的输出文件夹（-o），或请 IT 人员检查这个文件夹"
        )

    def __exit__(self, *exc: object) -> None:
        if self._db is None:
            return
        try:
            empty = self._db.execute("SELECT 1 FROM built LIMIT 1").fetchone() is None
        except sqlite3.Error:
            empty = False
        self._db.close()
        self._db = None
        if empty:  # a record of nothing is no record: a build that wrote nothing leaves no trace
            self._remove()

    def _open(self) -> sqlite3.Connection:
        # autocommit: every change below is one explicit transaction
        db = sqlite3.connect(self.path, isolation_level=None, timeout=60)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")  # a commit is durable when it returns
            if db.execute("PRAGMA user_version").fetchone()[0] != FORMAT:
                with self._transaction(db):
                    db.execute("DROP TABLE IF EXISTS built")
                    db.execute(
                        "CREATE TABLE built (name TEXT PRIMARY KEY, digest TEXT NOT NULL, outputs TEXT NOT NULL,"
                        " projects INTEGER NOT NULL, total TEXT NOT NULL, paginated INTEGER NOT NULL)"
                    )
                    db.execute(f"PRAGMA user_version={FORMAT}")
        except BaseException:
            db.close()
            raise
        return db

    def _remove(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.unlink(f"{self.path}{suffix}")

    @staticmethod
    @contextlib.contextmanager
    def _transaction(db: sqlite3.Connection) -> Iterator[None]:
        db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    @property
    def db(self) -> sqlite3.Connection:
        assert self._db is not None, "use the store as a context manager"
        return self._db

    def built(self, name: str) -> Built | None:
        """The row of township ``name``, or None (none, or one this perfgen cannot read)."""
        row = self.db.execute(
            "SELECT digest, outputs, projects, total, paginated FROM built WHERE name = ?", (name,)
        ).fetchone()
        if row is None:
            return None
        import json  # here and in _json: validate, which needs only code_digest, does without it

        try:
            outputs = json.loads(row[1])
            if not isinstance(outputs, dict):
                return None
            return Built(str(row[0]), outputs, int(row[2]), str(row[3]), bool(row[4]))
        except (TypeError, ValueError):
            return None

    def forget(self, names: list[str]) -> None:
        """Delete the rows of ``names``, in one transaction."""
        with self._transaction(self.db):
            self.db.executemany("DELETE FROM built WHERE name = ?", [(name,) for name in names])

    def record(self, name: str, built: Built) -> None:
        """Replace the row of ``name``, in one transaction."""
        row = (name, built.digest, _json(built.outputs), built.projects, built.total, int(built.paginated))
        with self._transaction(self.db):
            self.db.execute("INSERT OR REPLACE INTO built VALUES (?, ?, ?, ?, ?, ?)", row)


# SQLite's primary result codes (stable since 3.0; Python names them only from 3.11)
_PERM, _BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 3, 5, 6, 8, 10, 11, 13, 14, 26
# what they mean to a clerk (the rest: SQLite's own words)
_REASONS = {
    _READONLY: "文件夹或文件是只读的，或属于别的用户",
    _CANTOPEN: "文件夹或文件是只读的，或属于别的用户",
    _PERM: "没有权限",
    _FULL: "磁盘空间不足",
    _IOERR: "读写磁盘出错",
    _NOTADB: "它不是 perfgen 的生成记录，删掉后也无法重建",
    _CORRUPT: "它已损坏，删掉后也无法重建",
}


def _code(exc: sqlite3.Error) -> int:
    """SQLite's primary result code of ``exc``, 0 if unknown (Python 3.10 gives none: guessed from its words)."""
    code: int | None = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF
    words = str(exc)
    for part, guess in (("locked", _BUSY), ("readonly", _READONLY),
                        ("unable to open", _CANTOPEN), ("disk I/O", _IOERR),
                        ("full", _FULL), ("not a database", _NOTADB),
                        ("malformed", _CORRUPT)):
        if part in words:
            return guess
    return 0


def _json(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
