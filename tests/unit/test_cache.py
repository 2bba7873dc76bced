"""The per-user cache: where it lives, who may use it, and that a bad entry is never trusted."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from perfgen import cache

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="permissions and owners are POSIX")


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "perfgen"


@posix_only
def test_the_cache_is_a_private_folder_of_the_user(xdg: Path) -> None:
    assert cache.cache_dir() == xdg
    assert stat.S_IMODE(xdg.stat().st_mode) == 0o700
    xdg.chmod(0o777)  # made too open by someone: closed again before use
    assert cache.cache_dir() == xdg
    assert stat.S_IMODE(xdg.stat().st_mode) == 0o700


@posix_only
def test_without_xdg_the_cache_is_under_the_home_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # the XDG spec says to ignore a relative one
    assert cache.cache_dir() == tmp_path / ".cache" / "perfgen"


@posix_only
def test_a_symlinked_or_foreign_folder_is_not_used(xdg: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "shared"
    elsewhere.mkdir()
    xdg.parent.mkdir(parents=True)
    xdg.symlink_to(elsewhere)  # e.g. planted by another user to read or poison entries
    assert cache.cache_dir() is None
    cache.store("template", "k", {"a": 1})
    assert list(elsewhere.iterdir()) == []
    xdg.unlink()
    monkeypatch.setattr(os, "getuid", lambda: os.stat(tmp_path).st_uid + 1)  # the folder belongs to another user
    assert cache.cache_dir() is None
    assert cache.load("template", "k") is None


def test_entries_round_trip_in_one_database(xdg: Path) -> None:
    value = {"patch:1": "<w:p/>", "code:2": compile("x = 1", "t", "exec"), "n": [1, b"2"]}
    cache.store("template", "k", value)
    loaded = cache.load("template", "k")
    assert loaded["patch:1"] == "<w:p/>" and loaded["n"] == [1, b"2"]
    namespace: dict[str, int] = {}
    exec(loaded["code:2"], namespace)
    assert namespace["x"] == 1
    assert {p.name for p in xdg.iterdir()} <= {cache.DATABASE, f"{cache.DATABASE}-wal", f"{cache.DATABASE}-shm"}
    assert cache.load("template", "other") is None and cache.load("checked", "k") is None


def test_many_entries_are_read_in_one_query_and_written_in_one_transaction(xdg: Path) -> None:
    cache.store_many("typeset", {f"t{i}": f"<w:tbl>{i}</w:tbl>".encode() for i in range(700)}, keep=1000)
    wanted = [f"t{i}" for i in range(0, 700, 3)] + ["absent"]
    assert cache.load_many("typeset", wanted) == {f"t{i}": f"<w:tbl>{i}</w:tbl>".encode() for i in range(0, 700, 3)}
    assert cache.load_many("template", wanted) == {}


def test_of_a_kind_only_the_entries_written_last_stay(xdg: Path) -> None:
    cache.store("template", "k", {"a": 1})
    cache.store_many("typeset", {f"old{i}": i for i in range(5)}, keep=8)
    cache.store_many("typeset", {f"new{i}": i for i in range(5)}, keep=8)
    names = cache_names(xdg, "typeset")
    assert len(names) == 8 and {f"new{i}" for i in range(5)} <= set(names)
    assert cache.load("template", "k") == {"a": 1}  # other kinds are not counted


def test_a_damaged_entry_among_many_is_left_out(xdg: Path) -> None:
    cache.store_many("typeset", {"a": b"1", "b": b"2"}, keep=10)
    with contextlib.closing(sqlite3.connect(xdg / cache.DATABASE)) as db, db:
        db.execute("UPDATE entries SET value = x'00ff' WHERE kind = 'typeset' AND name = 'a'")
    assert cache.load_many("typeset", ["a", "b"]) == {"b": b"2"}


def cache_names(xdg: Path, kind: str) -> list[str]:
    with contextlib.closing(sqlite3.connect(xdg / cache.DATABASE)) as db:
        return sorted(name for (name,) in db.execute("SELECT name FROM entries WHERE kind = ?", (kind,)))


def raw(xdg: Path, value: bytes | None = None) -> bytes:
    """The stored bytes of template/k, replaced by ``value`` when given."""
    with contextlib.closing(sqlite3.connect(xdg / cache.DATABASE)) as db, db:
        if value is not None:
            db.execute("UPDATE entries SET value = ? WHERE kind = 'template' AND name = 'k'", (value,))
        return db.execute("SELECT value FROM entries WHERE kind = 'template' AND name = 'k'").fetchone()[0]


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty"])
def test_a_damaged_entry_is_ignored(xdg: Path, damage: str) -> None:
    cache.store("template", "k", {"a": "b" * 1000})
    data = raw(xdg)
    damaged = {
        "truncate": data[:-10],
        "flip": data[:-5] + bytes([data[-5] ^ 1]) + data[-4:],
        "garbage": b"\x00\xff" * 100,
        "empty": b"",
    }[damage]
    raw(xdg, damaged)
    assert cache.load("template", "k") is None
    cache.store("template", "k", {"a": "c"})  # and it is simply written again
    assert cache.load("template", "k") == {"a": "c"}


def test_a_database_that_is_no_database_is_replaced(xdg: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    xdg.mkdir(parents=True)
    (xdg / cache.DATABASE).write_bytes(b"\x00\xff" * 4096)
    monkeypatch.setattr(cache._local, "connection", None, raising=False)
    assert cache.load("template", "k") is None
    cache.store("template", "k", {"a": 1})
    assert cache.load("template", "k") == {"a": 1}


def test_a_cache_that_cannot_be_written_is_left_alone(xdg: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(cache._local, "connection", None, raising=False)
    monkeypatch.setattr(cache.sqlite3, "connect", full)
    cache.store("template", "k", {"a": 1})  # no error: the cache is only an optimisation
    assert cache.load("template", "k") is None


def test_keys_change_with_any_part_and_with_the_version(monkeypatch: pytest.MonkeyPatch) -> None:
    base = cache.key(b"template", "jinja 3")
    assert cache.key(b"template", "jinja 3") == base
    assert cache.key(b"templatf", "jinja 3") != base
    assert cache.key(b"template", "jinja 4") != base
    assert cache.key(b"templ", "atejinja 3") != base  # parts are delimited
    monkeypatch.setattr(cache, "__version__", "99.0")
    assert cache.key(b"template", "jinja 3") != base


KILLED_WRITER = """
import os, signal, sys
sys.path[:0] = [sys.argv[1]]
from perfgen import cache
db = cache._database()
db.execute("BEGIN")
db.execute("UPDATE entries SET value = x'00' WHERE kind = 'template'")
os.kill(os.getpid(), signal.SIGKILL)  # in the middle of the transaction
"""


@posix_only
def test_a_writer_killed_in_a_transaction_leaves_the_entries_as_they_were(xdg: Path) -> None:
    cache.store("template", "k", {"a": 1})
    package = Path(cache.__file__).resolve().parent.parent
    killed = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(package)], env=dict(os.environ), timeout=60)
    assert killed.returncode == -9
    assert cache.load("template", "k") == {"a": 1}


def test_each_thread_uses_its_own_connection(xdg: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """perfgen serve lays pages out in a thread: the cache works there, also after the cache folder changed."""
    cache.store("template", "k", {"a": 1})  # a connection of this thread
    found: list[object] = []

    def elsewhere() -> None:
        try:
            found.append(cache.load("template", "k"))
            monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other"))
            cache.store("template", "k", {"a": 2})  # the folder changed: this thread's connection is replaced
            found.append(cache.load("template", "k"))
        except Exception as exc:  # noqa: BLE001 - the failure is what the test reports
            found.append(exc)

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()
    assert found == [{"a": 1}, {"a": 2}]
    assert cache.load("template", "k") == {"a": 2}  # and this thread, in the new folder too




def test_a_busy_database_is_never_taken_for_a_damaged_one(xdg: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache.store("test", "kept", b"an entry of an earlier run")
    cache._local.connection[2].close()
    cache._local.connection = None  # as another process: it has not opened the database yet
    connect = sqlite3.connect
    monkeypatch.setattr(cache.sqlite3, "connect", lambda *args, **kwargs: connect(*args, **{**kwargs, "timeout": 0.1}))
    with contextlib.closing(sqlite3.connect(xdg / cache.DATABASE, isolation_level=None)) as other:
        # another process setting the database up, or checkpointing its log, holds it for a moment
        other.execute("PRAGMA locking_mode=EXCLUSIVE")
        other.execute("BEGIN EXCLUSIVE")
        other.execute("DELETE FROM entries WHERE kind = 'none'")
        cache.store("test", "while busy", b"lost: the cache is only an optimisation")
        other.execute("COMMIT")
    # a build's worker once found it busy, took it for damaged and deleted it under the other workers' feet:
    # their entries were lost and the database left malformed
    if cache._local.connection[2] is not None:
        cache._local.connection[2].close()
    cache._local.connection = None
    assert cache.load("test", "kept") == b"an entry of an earlier run"
