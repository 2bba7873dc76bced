"""The record of an output folder (perfgen/state.py): started afresh only when it is damaged, never when busy or unwritable."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from pathlib import Path

import pytest

from perfgen import state
from perfgen.errors import OutputError
from perfgen.state import DATABASE, Built, Store

ROW = Built("digest", {"官厅镇.docx": "hash"}, projects=3, total="12.00", paginated=False)


def recorded(out: Path) -> None:
    with Store(out) as store:
        store.record("官厅镇", ROW)


def kept(out: Path) -> Built | None:
    with contextlib.closing(sqlite3.connect(out / DATABASE)) as db:
        rows = db.execute("SELECT name FROM built").fetchall()
    assert rows == [("官厅镇",)]
    with Store(out) as store:
        return store.built("官厅镇")


@pytest.fixture
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite gives up on a busy database at once (as it does while another process recovers or checkpoints its log)."""
    connect = sqlite3.connect
    monkeypatch.setattr(state.sqlite3, "connect", lambda *args, **kwargs: connect(*args, **{**kwargs, "timeout": 0.05}))
    monkeypatch.setattr(state, "_PAUSES", (0.05, 0.1, 0.2), raising=False)


@pytest.mark.parametrize("damage", [os.urandom(8192), b"SQLite format 3\x00" + b"\xff" * 4080])
def test_a_file_that_is_no_database_or_damaged_is_started_afresh(tmp_path: Path, damage: bytes) -> None:
    (tmp_path / DATABASE).write_bytes(damage)
    recorded(tmp_path)
    assert kept(tmp_path) == ROW


def test_a_busy_record_is_waited_for_never_deleted(tmp_path: Path, quick: None) -> None:
    recorded(tmp_path)
    other = sqlite3.connect(tmp_path / DATABASE, isolation_level=None, check_same_thread=False)
    other.execute("PRAGMA locking_mode=EXCLUSIVE")  # another process holds it for a moment
    other.execute("BEGIN EXCLUSIVE")
    other.execute("DELETE FROM built WHERE name = 'none'")
    released = threading.Timer(0.2, lambda: (other.execute("COMMIT"), other.close()))
    released.start()
    try:
        # it was once taken for damaged and deleted: the row of 官厅镇 was lost
        with Store(tmp_path) as store:
            assert store.built("官厅镇") == ROW
    finally:
        released.join()
    assert kept(tmp_path) == ROW


def test_a_record_busy_for_long_is_refused_clearly_and_kept(tmp_path: Path, quick: None) -> None:
    recorded(tmp_path)
    with contextlib.closing(sqlite3.connect(tmp_path / DATABASE, isolation_level=None)) as other:
        other.execute("PRAGMA locking_mode=EXCLUSIVE")
        other.execute("BEGIN EXCLUSIVE")
        other.execute("DELETE FROM built WHERE name = 'none'")
        with pytest.raises(OutputError) as refused:
            Store(tmp_path).__enter__()
        other.execute("COMMIT")
    assert str(tmp_path) in str(refused.value)
    assert "正被另一个程序占用" in str(refused.value) and "重试" in str(refused.value)
    assert kept(tmp_path) == ROW


def test_a_read_only_output_folder_is_refused_clearly_and_nothing_deleted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    recorded(tmp_path)
    with contextlib.closing(sqlite3.connect(tmp_path / DATABASE)) as db:
        db.execute("PRAGMA user_version=2")  # of an older perfgen: its tables must be made again, which needs writing
    before = (tmp_path / DATABASE).read_bytes()
    connect = sqlite3.connect
    # read-only as SQLite sees it (chmod does not stop root, who runs the tests in CI's container)
    monkeypatch.setattr(state.sqlite3, "connect", lambda path, **kwargs: connect(f"file:{path}?mode=ro", uri=True, **kwargs))
    with pytest.raises(OutputError) as refused:
        Store(tmp_path).__enter__()
    message = str(refused.value)
    assert str(tmp_path) in message and DATABASE in message
    assert "只读" in message and "换一个可以写入的输出文件夹" in message
    assert (tmp_path / DATABASE).read_bytes() == before


def test_a_folder_where_the_record_cannot_even_be_opened_is_refused_clearly(tmp_path: Path) -> None:
    (tmp_path / DATABASE).mkdir()  # SQLite cannot open it: "unable to open database file"
    (tmp_path / DATABASE / "kept").write_text("")
    with pytest.raises(OutputError) as refused:
        Store(tmp_path).__enter__()
    assert str(tmp_path) in str(refused.value)
    assert (tmp_path / DATABASE / "kept").exists()


@pytest.mark.parametrize(("words", "busy"), [("database is locked", True), ("database table is locked", True),
                                              ("attempt to write a readonly database", False),
                                              ("unable to open database file", False), ("disk I/O error", False)])
def test_without_sqlites_code_busy_is_told_from_its_words(words: str, busy: bool) -> None:
    # Python 3.10 gives no sqlite_errorcode
    assert (state._code(sqlite3.OperationalError(words)) in (state._BUSY, state._LOCKED)) is busy
