"""The one door for writing into a user's tree (perfgen/write/tree.py): links, special files, modes, scratch, names."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import tree_of

from perfgen.errors import OutputError
from perfgen.load.township import find_townships
from perfgen.write.atomic import write_atomic
from perfgen.write.tree import SCRATCH, Refused, Tree, replace_folder, remove_scratch, safe_name, scratch_name, unique_names

posix_only = pytest.mark.skipif(os.name != "posix", reason="links, FIFOs and modes as POSIX has them")


@pytest.fixture
def alarm() -> Iterator[None]:
    """Fail instead of hanging should anything open a FIFO."""
    if not hasattr(signal, "SIGALRM"):
        pytest.skip("no SIGALRM here")

    def hung(*_: object) -> None:
        raise AssertionError("a FIFO was opened: perfgen waited for a writer")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@posix_only
def test_a_link_at_the_target_is_refused_and_what_it_names_untouched(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"mine")
    root = tmp_path / "root"
    root.mkdir()
    (root / "settings.json").symlink_to(victim)
    with pytest.raises(Refused, match="是链接"):
        Tree(root).write("settings.json", b"perfgen")
    assert victim.read_bytes() == b"mine"
    assert (root / "settings.json").is_symlink()


@posix_only
def test_a_linked_folder_on_the_way_is_refused_and_nothing_lands_where_it_points(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    root = tmp_path / "root"
    (root / ".github").mkdir(parents=True)
    (root / ".github" / "workflows").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(Refused, match="workflows 是链接"):
        Tree(root).write(".github/workflows/perfgen.yml", b"x")
    assert list(elsewhere.iterdir()) == []


@posix_only
def test_a_dangling_link_is_never_made_into_a_file(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (root / ".pre-commit-config.yaml").symlink_to(tmp_path / "created-by-perfgen")
    with pytest.raises(Refused):
        Tree(root).write(".pre-commit-config.yaml", b"x")
    assert not (tmp_path / "created-by-perfgen").exists()


@posix_only
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.usefixtures("alarm")
def test_a_fifo_is_neither_read_nor_written(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / ".gitignore")
    tree = Tree(tmp_path)
    with pytest.raises(Refused, match="不是普通文件"):
        tree.read(".gitignore")
    with pytest.raises(Refused, match="不是普通文件"):
        tree.write(".gitignore", b"/build/\n")
    assert stat.S_ISFIFO((tmp_path / ".gitignore").lstat().st_mode)


@posix_only
def test_a_file_with_other_hard_links_is_refused_not_split_from_them(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_bytes(b"old")
    os.link(tmp_path / "a.yaml", tmp_path / "b.yaml")
    with pytest.raises(Refused, match="硬链接"):
        Tree(tmp_path).write("a.yaml", b"new")
    assert (tmp_path / "b.yaml").read_bytes() == b"old" and (tmp_path / "a.yaml").stat().st_nlink == 2


@posix_only
def test_the_mode_of_a_replaced_file_is_kept_and_a_new_file_follows_the_umask(tmp_path: Path) -> None:
    (tmp_path / "kept.yaml").write_bytes(b"old")
    os.chmod(tmp_path / "kept.yaml", 0o640)
    tree = Tree(tmp_path)
    tree.write("kept.yaml", b"new")
    previous = os.umask(0o022)
    try:
        tree.write("sub/new.yaml", b"new")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "kept.yaml").stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "sub" / "new.yaml").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "sub").stat().st_mode) == 0o755
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.yaml", "sub"]  # no temporary file left


@pytest.mark.parametrize("name", ["../x.yaml", "/etc/x.yaml", "a/../../x.yaml", "C:/x.yaml", "a\\..\\..\\x"])
def test_a_name_outside_the_root_is_refused(tmp_path: Path, name: str) -> None:
    root = tmp_path / "root"
    with pytest.raises(Refused, match="相对路径"):
        Tree(root).write(name, b"x")
    assert tree_of(tmp_path) == {"root": "/"}


def test_temporary_names_are_random_hidden_and_in_the_same_folder() -> None:
    first, second = scratch_name("文档.yaml"), scratch_name("文档.yaml")
    assert first != second
    assert SCRATCH.match(first) and SCRATCH.match(first)["pid"] == str(os.getpid())
    long = scratch_name("长" * 200)
    assert len(long.encode()) <= 255 and SCRATCH.match(long)


@posix_only
def test_write_atomic_goes_through_the_door(tmp_path: Path) -> None:
    (tmp_path / "out.docx").symlink_to(tmp_path / "elsewhere.docx")
    with pytest.raises(OutputError, match="是链接"):
        write_atomic(tmp_path / "out.docx", b"document")
    assert not (tmp_path / "elsewhere.docx").exists()


def township_files(text: str = "单位名称: 甲\n") -> dict[str, bytes]:
    return {"文档.yaml": text.encode(), "项目/一.yaml": "项目名称: 一\n".encode()}


@posix_only
def test_a_new_township_folder_follows_the_umask_not_0700(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        replace_folder(tmp_path / "T", township_files(), force=False)
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "T").stat().st_mode) == 0o755
    assert tree_of(tmp_path) == {"T": "/", "T/文档.yaml": b"\xe5\x8d\x95\xe4\xbd\x8d\xe5\x90\x8d\xe7\xa7\xb0: \xe7\x94\xb2\n",
                                 "T/项目": "/", "T/项目/一.yaml": "项目名称: 一\n".encode()}


@posix_only
def test_force_replaces_only_what_perfgen_writes_and_lists_what_it_keeps(tmp_path: Path) -> None:
    folder = tmp_path / "T"
    replace_folder(folder, township_files(), force=False)
    (folder / "附件").mkdir()
    (folder / "附件" / "说明.txt").write_bytes(b"clerk's note")
    (folder / "README.md").write_bytes(b"readme")
    (folder / "项目" / "旧.yaml").write_bytes(b"old project")
    (folder / "链接").symlink_to("README.md")
    inode = (folder / "README.md").stat().st_ino
    written = replace_folder(folder, township_files("单位名称: 乙\n"), force=True)
    assert sorted(p.relative_to(folder).as_posix() for p in written.kept) == ["README.md", "链接", "附件/说明.txt", "项目/旧.yaml"]
    after = tree_of(folder)
    assert after["文档.yaml"] == "单位名称: 乙\n".encode()
    assert after["附件/说明.txt"] == b"clerk's note" and after["README.md"] == b"readme"
    assert after["项目/旧.yaml"] == b"old project" and after["链接"] == "-> README.md"
    assert (folder / "README.md").stat().st_ino == inode  # the same file, not a copy
    assert sorted(p.name for p in tmp_path.iterdir()) == ["T"]  # nothing left beside it


@posix_only
def test_force_never_replaces_a_linked_folder_where_perfgen_writes_one(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.yaml").write_bytes(b"theirs")
    folder = tmp_path / "T"
    folder.mkdir()
    (folder / "文档.yaml").write_bytes(b"old")
    (folder / "项目").symlink_to(elsewhere, target_is_directory=True)
    before = tree_of(tmp_path)
    with pytest.raises(Refused, match="项目 不是文件夹"):
        replace_folder(folder, township_files(), force=True)
    assert tree_of(tmp_path) == before


@posix_only
def test_force_refuses_a_link_a_file_a_folder_not_a_township_and_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    with pytest.raises(Refused, match="是链接"):
        replace_folder(tmp_path / "dangling", township_files(), force=True)
    assert not (tmp_path / "nowhere").exists()
    (tmp_path / "file").write_bytes(b"x")
    with pytest.raises(Refused, match="是文件"):
        replace_folder(tmp_path / "file", township_files(), force=True)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "x.txt").write_bytes(b"x")
    with pytest.raises(Refused, match="不是单位文件夹"):
        replace_folder(tmp_path / "other", township_files(), force=True)
    (tmp_path / "T").mkdir()
    monkeypatch.chdir(tmp_path / "T")
    with pytest.raises(Refused, match="当前所在的文件夹"):
        replace_folder(Path("."), township_files(), force=True)
    assert list((tmp_path / "T").iterdir()) == []


@pytest.mark.parametrize("force", [False, True])
@pytest.mark.parametrize("name", ["a/../..", "..", "/", "b/../a/../..", "."])
def test_a_folder_above_or_at_the_working_folder_is_never_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, force: bool
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "文档.yaml").write_bytes(b"x")
    monkeypatch.chdir(work)
    before = tree_of(tmp_path)
    with pytest.raises(Refused, match="已经存在|当前所在的文件夹|不是单位文件夹"):
        replace_folder(Path(name), township_files(), force=force)
    assert tree_of(tmp_path) == before  # not even "a" made on the way


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@posix_only
def test_scratch_of_a_killed_run_is_skipped_by_the_finder_and_removed_by_the_next_write(tmp_path: Path) -> None:
    projects = tmp_path / "projects"
    replace_folder(projects / "甲-2024", township_files(), force=False)
    dead = dead_pid()
    left = projects / f".乙-2024.{dead}-0123abcd.tmp"
    left.mkdir()
    (left / "文档.yaml").write_bytes(b"half")
    live = projects / f".丙-2024.{os.getpid()}-0123abcd.tmp"
    live.mkdir()
    (live / "文档.yaml").write_bytes(b"being written")
    hidden = projects / ".隐藏的镇-2024"  # hidden, but the clerk's: found
    hidden.mkdir()
    (hidden / "文档.yaml").write_bytes(b"x")
    assert [p.name for p in find_townships([projects])[0]] == [".隐藏的镇-2024", "甲-2024"]
    shutil.rmtree(hidden)
    replace_folder(projects / "丁-2024", township_files(), force=False)
    assert sorted(p.name for p in projects.iterdir()) == [live.name, "丁-2024", "甲-2024"]


@posix_only
def test_a_temporary_file_of_a_killed_write_is_removed_by_the_next_write_into_its_folder(tmp_path: Path) -> None:
    (tmp_path / "项目").mkdir()
    left = tmp_path / "项目" / f".经费.yaml.{dead_pid()}-0123abcd.tmp"
    left.write_bytes(b"half")
    Tree(tmp_path).write("项目/经费.yaml", b"whole")
    assert tree_of(tmp_path) == {"项目": "/", "项目/经费.yaml": b"whole"}


@posix_only
def test_a_township_set_aside_by_an_interrupted_replacement_is_put_back(tmp_path: Path) -> None:
    old = tmp_path / f".甲-2024.{dead_pid()}-0123abcd.old.tmp"
    old.mkdir()
    (old / "文档.yaml").write_bytes(b"the clerk's")
    remove_scratch(tmp_path)
    assert tree_of(tmp_path) == {"甲-2024": "/", "甲-2024/文档.yaml": b"the clerk's"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("CON", "_CON.yaml"),
        ("aux", "_aux.yaml"),
        ("LPT1.txt", "_LPT1.txt.yaml"),
        ("com9", "_com9.yaml"),
        ("CONSOLE", "CONSOLE.yaml"),
        ("经费. . ", "经费.yaml"),
        ('a/b:c*?"<>|', "a_b_c______.yaml"),
        ("  ", ""),
    ],
)
def test_names_are_safe_on_windows(name: str, expected: str) -> None:
    assert safe_name(name, ".yaml") == expected


def test_long_names_are_cut_stably_and_stay_apart() -> None:
    first, second = "关于" + "很长的项目名称" * 30 + "甲", "关于" + "很长的项目名称" * 30 + "乙"
    cut = safe_name(first, ".yaml")
    assert len(cut.encode()) <= 200 and cut.endswith(".yaml") and cut.startswith("关于很长")
    assert cut == safe_name(first, ".yaml") != safe_name(second, ".yaml")


def test_names_differing_only_in_case_are_kept_apart() -> None:
    assert unique_names(["con", "CON", "Ab", "aB", ""], ".yaml", "项目") == [
        "_con.yaml", "_CON（2）.yaml", "Ab.yaml", "aB（2）.yaml", "项目5.yaml"
    ]


@posix_only
def test_the_build_lock_is_never_opened_through_a_link(tmp_path: Path) -> None:
    from perfgen.write.lock import LOCK, OutputLock

    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"the clerk's")
    out = tmp_path / "build"
    out.mkdir()
    (out / LOCK).symlink_to(victim)
    with pytest.raises(OutputError, match="是链接"):
        with OutputLock(out):
            pass
    assert victim.read_bytes() == b"the clerk's"
