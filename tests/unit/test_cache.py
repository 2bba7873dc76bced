"""The per-user cache: where it lives, who may use it, and that a bad entry is never trusted."""

from __future__ import annotations

import os
import stat
import sys
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


def test_entries_round_trip_and_leave_no_scratch_files(xdg: Path) -> None:
    value = {"patch:1": "<w:p/>", "code:2": compile("x = 1", "t", "exec"), "n": [1, b"2"]}
    cache.store("template", "k", value)
    loaded = cache.load("template", "k")
    assert loaded["patch:1"] == "<w:p/>" and loaded["n"] == [1, b"2"]
    namespace: dict[str, int] = {}
    exec(loaded["code:2"], namespace)
    assert namespace["x"] == 1
    assert sorted(p.name for p in xdg.iterdir()) == ["template-k"]
    assert cache.load("template", "other") is None


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty"])
def test_a_damaged_entry_is_ignored(xdg: Path, damage: str) -> None:
    cache.store("template", "k", {"a": "b" * 1000})
    entry = xdg / "template-k"
    data = entry.read_bytes()
    damaged = {
        "truncate": data[:-10],
        "flip": data[:-5] + bytes([data[-5] ^ 1]) + data[-4:],
        "garbage": b"\x00\xff" * 100,
        "empty": b"",
    }[damage]
    entry.write_bytes(damaged)
    assert cache.load("template", "k") is None
    cache.store("template", "k", {"a": "c"})  # and it is simply written again
    assert cache.load("template", "k") == {"a": "c"}


def test_a_cache_that_cannot_be_written_is_left_alone(xdg: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache.os, "replace", full)
    cache.store("template", "k", {"a": 1})  # no error: the cache is only an optimisation
    assert list(xdg.iterdir()) == []  # and no scratch file is left behind
    monkeypatch.setattr(cache.tempfile, "mkstemp", full)
    cache.store("template", "k", {"a": 1})
    assert cache.load("template", "k") is None


def test_keys_change_with_any_part_and_with_the_version(monkeypatch: pytest.MonkeyPatch) -> None:
    base = cache.key(b"template", "jinja 3")
    assert cache.key(b"template", "jinja 3") == base
    assert cache.key(b"templatf", "jinja 3") != base
    assert cache.key(b"template", "jinja 4") != base
    assert cache.key(b"templ", "atejinja 3") != base  # parts are delimited
    monkeypatch.setattr(cache, "__version__", "99.0")
    assert cache.key(b"template", "jinja 3") != base


def test_what_a_killed_writer_left_is_removed_by_a_later_one(xdg: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    xdg.mkdir(parents=True)
    old, recent = xdg / ".template-abc.tmp", xdg / ".template-def.tmp"  # one is still being written
    old.write_bytes(b"half an entry")
    recent.write_bytes(b"half an entry")
    a_while_ago = old.stat().st_mtime - cache.LEFTOVER_SECONDS - 1
    os.utime(old, (a_while_ago, a_while_ago))
    monkeypatch.setattr(cache, "_swept", False)
    cache.store("template", "k", {"a": 1})
    assert not old.exists() and recent.exists() and cache.load("template", "k") == {"a": 1}
