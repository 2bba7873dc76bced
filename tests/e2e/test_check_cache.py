"""A township's check results kept across runs (validate/memo.py): the same output as a fresh check, never stale."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import cache_entries
import pytest
from conftest import perfgen

from perfgen import cache
from perfgen.state import code_digest
from perfgen.validate import memo, township

SAMPLE = "怀来县官厅镇-2024"
PROJECT = "项目/怀财字【2024】7号社区工作者薪酬.yaml"


@pytest.fixture
def empty_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A per-user cache of this test alone, empty at the start."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "perfgen"


@pytest.fixture(autouse=True)
def settled_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files copied a moment ago count as settled: the tests need not wait two seconds for each copy."""
    monkeypatch.setattr(memo, "SETTLED_NS", 0)


def entries(folder: Path) -> list[str]:
    return cache_entries.names(folder, memo.KIND)


def validate_outputs(where: Path, folder: Path) -> list[str]:
    outputs = []
    for options in ([], ["--format", "json"], ["--format", "github"], ["-q"]):
        run = perfgen("validate", "-j1", *options, str(folder.relative_to(where)), cwd=where)
        outputs.append(f"{run.returncode}\n{run.stdout}{run.stderr}")
    return outputs


def test_validate_says_the_same_from_kept_results(
    sample_copy, tmp_path: Path, empty_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = sample_copy(SAMPLE)
    fresh = validate_outputs(tmp_path, folder)
    assert len(entries(empty_cache)) == 1
    with monkeypatch.context() as patch:
        patch.setattr(township, "check_township", lambda folder: pytest.fail("checked again"))
        assert validate_outputs(tmp_path, folder) == fresh
    # and from another working folder the files are named as from there: not the kept names
    run = perfgen("validate", "-j1", str(folder), cwd=folder / "项目")
    assert run.stdout.startswith("官厅镇怀财字") and fresh[0].split("\n")[1].startswith(os.path.join("projects", SAMPLE))


def test_a_build_from_kept_results_writes_the_same_document(
    sample_copy, tmp_path: Path, empty_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = sample_copy(SAMPLE)
    first = perfgen("build", "--draft", "--force", "-j1", str(folder), "-o", "one", cwd=tmp_path)
    with monkeypatch.context() as patch:
        patch.setattr(township, "check_township", lambda folder: pytest.fail("checked again"))
        again = perfgen("build", "--draft", "--force", "-j1", str(folder), "-o", "two", cwd=tmp_path)
    assert (tmp_path / "two" / f"{SAMPLE}.docx").read_bytes() == (tmp_path / "one" / f"{SAMPLE}.docx").read_bytes()
    assert again.returncode == first.returncode == 0
    assert again.stderr == first.stderr
    # the same line for the township (but the output folder) and the same summary; the seconds differ
    first_lines, lines = first.stdout.splitlines(), again.stdout.splitlines()
    assert lines[0].replace("two", "one") == first_lines[0] and lines[-1] == first_lines[-1]


def test_results_kept_by_validate_serve_a_build_after_it_is_checked_once(
    sample_copy, tmp_path: Path, empty_cache: Path
) -> None:
    folder = sample_copy(SAMPLE)
    perfgen("validate", "-j1", str(folder), cwd=tmp_path)  # keeps problems, not the render context
    perfgen("build", "--draft", "-j1", str(folder), "-o", str(tmp_path / "out"), cwd=tmp_path)
    [entry] = entries(empty_cache)
    assert cache.load(memo.KIND, entry)["rendering"][1] == 23  # (context, projects, total)


@pytest.mark.parametrize("edit", ["one byte", "new file", "removed file", "renamed file", "link"])
def test_any_change_to_the_township_is_checked_again(
    sample_copy, tmp_path: Path, empty_cache: Path, edit: str
) -> None:
    folder = sample_copy(SAMPLE)
    perfgen("validate", "-j1", str(folder), cwd=tmp_path)
    project = folder / PROJECT
    if edit == "one byte":
        text = project.read_text(encoding="utf-8")
        project.write_text(text.replace("预算数: ", "预算数: 9", 1), encoding="utf-8")
    elif edit == "new file":
        (folder / "项目" / "新项目.yaml").write_text("项目名称: 新\n", encoding="utf-8")
    elif edit == "removed file":
        project.unlink()
    elif edit == "renamed file":
        project.rename(project.with_name("改名.yaml"))
    elif sys.platform == "win32":
        pytest.skip("symlinks need privileges on Windows")
    else:
        project.rename(project.with_name("真.yaml"))
        project.symlink_to(project.with_name("真.yaml"))
    kept = perfgen("validate", "-j1", str(folder), cwd=tmp_path)
    cache_entries.remove(empty_cache, memo.KIND)
    fresh = perfgen("validate", "-j1", str(folder), cwd=tmp_path)
    assert kept.stdout == fresh.stdout and kept.returncode == fresh.returncode


@pytest.fixture
def fresh_code_digest():
    code_digest.cache_clear()
    yield
    code_digest.cache_clear()


@pytest.mark.usefixtures("fresh_code_digest")
def test_a_new_perfgen_or_other_schemas_miss(sample_copy, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = sample_copy(SAMPLE)
    state = memo.township_state(folder)
    assert state is not None and memo.township_state(folder) == state
    with monkeypatch.context() as patch:
        patch.setattr("perfgen.state.__version__", "99.0")
        code_digest.cache_clear()
        assert memo.township_state(folder).digest != state.digest
    with monkeypatch.context() as patch:
        patch.setattr("perfgen.resources.schema_path", lambda name: folder / PROJECT)  # other bytes
        code_digest.cache_clear()
        assert memo.township_state(folder).digest != state.digest
    code_digest.cache_clear()
    assert memo.township_state(folder) == state


@pytest.mark.parametrize("damage", ["truncated", "garbage", "other shape", "other state", "bad problem"])
def test_a_damaged_or_foreign_entry_is_ignored(sample_copy, tmp_path: Path, empty_cache: Path, damage: str) -> None:
    folder = sample_copy(SAMPLE)
    fresh = perfgen("validate", "-j1", str(folder), cwd=tmp_path)
    [name] = entries(empty_cache)
    value = cache.load(memo.KIND, name)
    if damage == "truncated":
        cache_entries.stored(empty_cache, memo.KIND, name, cache_entries.stored(empty_cache, memo.KIND, name)[:-100])
    elif damage == "garbage":
        cache_entries.stored(empty_cache, memo.KIND, name, os.urandom(1000))
    elif damage == "other shape":
        cache.store(memo.KIND, name, [value])
    elif damage == "other state":  # e.g. written when the files said something else
        cache.store(memo.KIND, name, {**value, "state": "0" * 64, "problems": []})
    else:
        cache.store(memo.KIND, name, {**value, "problems": [("a", 1, 1, "fatal", "r", "m", True, "", "")]})
    again = perfgen("validate", "-j1", str(folder), cwd=tmp_path)
    assert (again.returncode, again.stdout) == (fresh.returncode, fresh.stdout)


def test_a_cache_that_cannot_be_written_is_left_alone(sample_copy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = sample_copy(SAMPLE)
    fresh = perfgen("validate", "-j1", str(folder), cwd=tmp_path)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))  # perfgen/ cannot be made under a file
    run = perfgen("validate", "-j1", str(folder), cwd=tmp_path)
    assert (run.returncode, run.stdout) == (fresh.returncode, fresh.stdout)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))

    def full(*args: object, **kwargs: object) -> None:
        raise cache.sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(cache._local, "connection", None, raising=False)
    monkeypatch.setattr(cache.sqlite3, "connect", full)  # a full disk (root ignores a read-only folder)
    run = perfgen("validate", "-j1", str(folder), cwd=tmp_path)
    assert (run.returncode, run.stdout) == (fresh.returncode, fresh.stdout)
    assert entries(tmp_path / "xdg" / "perfgen") == []


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks and FIFOs are POSIX")
@pytest.mark.parametrize("odd", ["link out", "dangling link", "fifo"])
def test_a_township_with_a_link_out_or_a_special_file_is_never_kept(
    sample_copy, tmp_path: Path, empty_cache: Path, odd: str
) -> None:
    folder = sample_copy(SAMPLE)
    if odd == "link out":
        (tmp_path / "elsewhere.yaml").write_text("项目名称: 别处\n", encoding="utf-8")
        (folder / "项目" / "链接.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    elif odd == "dangling link":
        (folder / "项目" / "链接.yaml").symlink_to(folder / "不存在.yaml")
    else:
        os.mkfifo(folder / "项目" / "管道.yaml")
    assert memo.township_state(folder) is None
    perfgen("validate", "-j1", str(folder), cwd=tmp_path)
    assert entries(empty_cache) == []


def test_a_file_changed_during_the_check_is_not_kept(
    sample_copy, tmp_path: Path, empty_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = sample_copy(SAMPLE)
    check = township.check_township

    def check_and_edit(where: Path) -> township.Checked:
        checked = check(where)
        project = folder / PROJECT
        project.write_text(project.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        return checked

    monkeypatch.setattr(township, "check_township", check_and_edit)
    perfgen("validate", "-j1", str(folder), cwd=tmp_path)
    assert entries(empty_cache) == []


@pytest.mark.parametrize("how", ["same size and time", "replaced"])
def test_a_change_that_keeps_size_and_time_is_seen_too(
    sample_copy, tmp_path: Path, empty_cache: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    folder = sample_copy(SAMPLE)
    project = folder / PROJECT
    check = township.check_township

    def check_and_edit(where: Path) -> township.Checked:
        checked = check(where)
        before = project.stat()
        text = project.read_text(encoding="utf-8")
        changed = text.replace("预算数: 50.00", "预算数: 60.00", 1)
        assert changed != text and len(changed) == len(text)  # the same size
        if how == "replaced":  # as editors save: a new file renamed over the old one
            fresh = project.with_name("新.tmp")
            fresh.write_text(changed, encoding="utf-8")
            os.replace(fresh, project)
        else:
            project.write_text(changed, encoding="utf-8")
        os.utime(project, ns=(before.st_atime_ns, before.st_mtime_ns))  # the modification time put back
        return checked

    monkeypatch.setattr(township, "check_township", check_and_edit)
    perfgen("validate", "-j1", str(folder), cwd=tmp_path)
    assert entries(empty_cache) == []


def test_a_township_changed_a_moment_ago_is_checked_but_not_kept(
    sample_copy, tmp_path: Path, empty_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(memo, "SETTLED_NS", 60 * 1_000_000_000)  # a minute: the copy was made within it
    folder = sample_copy(SAMPLE)
    state = memo.township_state(folder)
    assert state is not None and not state.settled
    perfgen("validate", "-j1", str(folder), cwd=tmp_path)
    assert entries(empty_cache) == []
    monkeypatch.setattr(memo, "SETTLED_NS", 0)
    perfgen("validate", "-j1", str(folder), cwd=tmp_path)
    assert len(entries(empty_cache)) == 1
