"""Every command reads a township as validate does and writes through the one door (issue #19, points 1 and 2).

Each reproduction is generated here, small: the Chinese message, nothing written outside, no link
followed, nothing deleted that perfgen did not write.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import CASES, FIXTURES, tree_of

from perfgen.errors import OutputError, PerfgenError
from perfgen.load.township import find_townships
from perfgen.repo.init import init_repository
from perfgen.review.fmt import format_file
from perfgen.scaffold import new_township, roll_over

posix_only = pytest.mark.skipif(os.name != "posix", reason="links, FIFOs and modes as POSIX has them")
WEB_DOCX = FIXTURES / "import" / "甲镇-网页.docx"


def perfgen(*args: str, cwd: Path, timeout: float = 120, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "perfgen", *args], cwd=cwd, capture_output=True, text=True, timeout=timeout,
        stdin=subprocess.DEVNULL, **kwargs,
    )


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A sources repository with one township, 甲镇-2024, and the working folder in it."""
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    new_township(Path("projects/甲镇-2024"), "甲镇人民政府", "816001", 2024, "万元")
    return tmp_path


SOURCE = Path("projects/甲镇-2024")
DOCUMENT = SOURCE / "文档.yaml"
PROJECT = SOURCE / "项目/示例项目.yaml"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# ------------------------------------------------------------ new --from: one way in

TYPOS = {
    "full-width colon": (DOCUMENT, lambda: edit(DOCUMENT, "年度: 2024", "年度：2024"), "文档.yaml:4:"),
    "duplicate key": (DOCUMENT, lambda: DOCUMENT.write_text(DOCUMENT.read_text(encoding="utf-8") + "年度: 2023\n", encoding="utf-8"), "文档.yaml:"),
    "tab": (PROJECT, lambda: edit(PROJECT, "\n  ", "\n\t"), "项目/示例项目.yaml:"),
    "empty file": (PROJECT, lambda: PROJECT.write_text("", encoding="utf-8"), "项目/示例项目.yaml:1:1"),
    "GBK": (PROJECT, lambda: PROJECT.write_bytes(PROJECT.read_text(encoding="utf-8").encode("gbk")), "项目/示例项目.yaml:"),
    "list at the top": (PROJECT, lambda: PROJECT.write_text("- 项目名称: 甲\n", encoding="utf-8"), "项目/示例项目.yaml:1:1"),
    "wrong type": (PROJECT, lambda: edit(PROJECT, "预算数: 10.00", "预算数: 很多"), "项目/示例项目.yaml:"),
    "年度 true": (DOCUMENT, lambda: edit(DOCUMENT, "年度: 2024", "年度: true"), "文档.yaml:4:"),
    "alias bomb": (PROJECT, lambda: PROJECT.write_text(
        PROJECT.read_text(encoding="utf-8")
        + "a0: &a0 [x, x, x, x, x, x, x, x, x]\n"
        + "".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10)),
        encoding="utf-8"), "项目/示例项目.yaml:"),
    "../ entry": (DOCUMENT, lambda: edit(DOCUMENT, "- 项目/示例项目.yaml", "- ../乙镇-2024/项目/x.yaml"), "文档.yaml:"),
    "absolute entry": (DOCUMENT, lambda: edit(DOCUMENT, "- 项目/示例项目.yaml", "- /tmp/x.yaml"), "文档.yaml:"),
    "too large": (PROJECT, lambda: PROJECT.write_text("# " + "长" * 2_000_000 + "\n项目名称: 甲\n", encoding="utf-8"), "项目/示例项目.yaml:1:1"),
}


@pytest.mark.parametrize("typo", list(TYPOS))
def test_new_from_refuses_what_validate_refuses_by_name_and_writes_nothing(repo: Path, typo: str) -> None:
    _, make, where = TYPOS[typo]
    make()
    before = tree_of(repo)
    started = time.monotonic()
    with pytest.raises(PerfgenError) as refused:
        roll_over(SOURCE, Path("projects/甲镇-2025"))
    assert time.monotonic() - started < 5
    message = str(refused.value)
    assert message.startswith("projects/甲镇-2024 有 ") and "未结转，未写入任何文件" in message
    assert f"projects/甲镇-2024/{where}" in message, message
    assert tree_of(repo) == before  # not a file written, not a scratch folder left


@posix_only
def test_new_from_never_reads_a_link_out_nor_writes_through_an_entry_outside(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-victim.yaml"
    outside.write_text(PROJECT.read_text(encoding="utf-8"), encoding="utf-8")
    try:
        PROJECT.unlink()
        PROJECT.symlink_to(outside)
        before = outside.read_bytes()
        with pytest.raises(PerfgenError, match="文档.yaml:.*是指向单位文件夹之外的链接"):
            roll_over(SOURCE, Path("projects/甲镇-2025"))
        assert outside.read_bytes() == before
        assert not Path("projects/甲镇-2025").exists()
    finally:
        outside.unlink()


@posix_only
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_new_from_refuses_a_fifo_project_without_opening_it(repo: Path) -> None:
    PROJECT.unlink()
    os.mkfifo(PROJECT)
    run = perfgen("new", "--from", str(SOURCE), "projects/甲镇-2025", cwd=repo, timeout=30)
    assert run.returncode == 1
    assert "projects/甲镇-2024/项目/示例项目.yaml:1:1: 错误 [file-read] 这不是普通文件" in run.stderr
    assert "Traceback" not in run.stderr


def test_new_from_rolls_over_a_link_inside_the_township_as_a_file_and_leaves_the_source_alone(repo: Path) -> None:
    moved = SOURCE / "项目" / "真.yaml"
    PROJECT.rename(moved)
    PROJECT.symlink_to("真.yaml")
    edit(DOCUMENT, "- 项目/示例项目.yaml", "- 项目/示例项目.yaml")
    before = tree_of(repo / SOURCE)
    year, written = roll_over(SOURCE, Path("projects/甲镇-2025"))
    assert year == 2025 and tree_of(repo / SOURCE) == before
    rolled = Path("projects/甲镇-2025/项目/示例项目.yaml")
    assert not rolled.is_symlink() and "00000025P000000000001" in rolled.read_text(encoding="utf-8")
    assert [p.name for p in find_townships([Path("projects")])[0]] == ["甲镇-2024", "甲镇-2025"]


def test_new_from_never_rolls_a_township_over_onto_itself(repo: Path) -> None:
    before = tree_of(repo)
    with pytest.raises(PerfgenError, match="就是去年的文件夹，未改动：结转要写到一个新的文件夹，如 …-2025"):
        roll_over(SOURCE, Path("projects/../projects/甲镇-2024"), force=True)
    assert tree_of(repo) == before


# ------------------------------------------------------------ import and new: one way out


def test_force_keeps_what_perfgen_did_not_write_and_says_so(repo: Path) -> None:
    target = Path("projects/甲镇-2025")
    roll_over(SOURCE, target)
    (target / "附件").mkdir()
    (target / "附件" / "说明.txt").write_text("经办人的说明", encoding="utf-8")
    (target / "README.md").write_text("说明", encoding="utf-8")
    run = perfgen("new", "--from", str(SOURCE), str(target), "--force", cwd=repo)
    assert run.returncode == 0, run.stderr
    assert "保留原有文件（这次没有写它）：projects/甲镇-2025/README.md" in run.stdout
    assert "保留原有文件（这次没有写它）：projects/甲镇-2025/附件/说明.txt" in run.stdout
    assert (target / "附件" / "说明.txt").read_text(encoding="utf-8") == "经办人的说明"
    assert sorted(p.name for p in Path("projects").iterdir()) == ["甲镇-2024", "甲镇-2025"]


def test_force_into_the_working_folder_is_refused_with_a_message(repo: Path) -> None:
    run = perfgen("new", ".", "--单位编码", "816001", "--年度", "2024", "--force", cwd=repo / SOURCE)
    assert run.returncode == 1
    assert "当前所在的文件夹" in run.stderr and "Traceback" not in run.stderr
    assert (repo / DOCUMENT).is_file()


@posix_only
def test_a_dangling_link_as_the_target_is_refused(repo: Path, tmp_path: Path) -> None:
    Path("链接").symlink_to(tmp_path / "不存在")
    for args in (("new", "链接", "--单位编码", "816001"), ("import", str(WEB_DOCX), "-o", "链接")):
        run = perfgen(*args, cwd=repo)
        assert run.returncode == 1, run.stdout
        assert "链接 是链接（快捷方式" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "不存在").exists()


def test_settings_with_comments_leave_import_and_new_successful(repo: Path) -> None:
    settings = repo / ".vscode" / "settings.json"
    original = '{\n  // 字号\n  "editor.fontSize": 16\n}\n'
    settings.write_text(original, encoding="utf-8")
    for args in (("new", "projects/乙镇-2025", "--单位编码", "816002"), ("import", str(WEB_DOCX), "-o", "projects/丙镇")):
        run = perfgen(*args, cwd=repo)
        assert run.returncode == 0, run.stderr
        assert "请注意：.vscode/settings.json：不是普通的 JSON（可能含注释），未改动它" in run.stdout
    assert settings.read_text(encoding="utf-8") == original


def test_outside_a_repository_nothing_is_written_into_the_working_folder(tmp_path: Path) -> None:
    here, there = tmp_path / "here", tmp_path / "there"
    here.mkdir()
    for args in (("new", str(there / "乙镇-2025"), "--单位编码", "816002"), ("import", str(WEB_DOCX), "-o", str(there / "丙镇"))):
        run = perfgen(*args, cwd=here)
        assert run.returncode == 0, run.stderr
    assert list(here.iterdir()) == []
    assert sorted(p.name for p in there.iterdir()) == ["丙镇", "乙镇-2025"]


@posix_only
def test_new_folders_follow_the_umask(repo: Path) -> None:
    run = perfgen("new", "projects/乙镇-2025", "--单位编码", "816002", cwd=repo, preexec_fn=lambda: os.umask(0o022))
    assert run.returncode == 0, run.stderr
    for folder in (Path("projects/乙镇-2025"), Path("projects/乙镇-2025/项目")):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o755, folder


def test_long_and_reserved_project_titles_import_into_safe_names(repo: Path) -> None:
    from perfgen.importer.write import write_township

    title = "关于" + "乡村振兴衔接资金支持的" * 12 + "项目"  # over 85 CJK characters: over 255 bytes
    projects = [{"项目名称": name} for name in (title, title + "二", "CON", "con", "aux.txt", "文档")]
    written = write_township(Path("projects/导入"), {"单位名称": "甲"}, projects)
    names = [p.name for p in written.files[1:]]
    assert names[2:] == ["_CON.yaml", "_con（2）.yaml", "_aux.txt.yaml", "文档（2）.yaml"]
    assert all(len(name.encode()) <= 200 for name in names) and names[0] != names[1]


def test_a_long_unit_name_gives_a_folder_name_every_system_takes() -> None:
    from perfgen.importer import default_folder

    name = "河北省张家口市怀来县" + "官厅镇人民政府农业农村综合服务中心" * 5
    folder = default_folder({"单位名称": name, "年度": 2024}, Path("公开.docx"))
    assert len(folder.name.encode()) <= 200 and folder.name.startswith("河北省张家口市")
    assert default_folder({"单位名称": "CON", "年度": 2024}, Path("x.docx")).name == "CON-2024"
    assert default_folder({}, Path("aux.docx")).name == "_aux"


# ------------------------------------------------------------ init


@posix_only
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("name", [".gitignore", ".pre-commit-config.yaml"])
def test_init_never_opens_a_fifo(tmp_path: Path, name: str) -> None:
    os.mkfifo(tmp_path / name)
    run = perfgen("init", cwd=tmp_path, timeout=60)
    assert run.returncode == 0, run.stderr
    assert f"{name} 不是普通文件（可能是管道或设备），perfgen 不打开它" in run.stdout
    assert stat.S_ISFIFO((tmp_path / name).lstat().st_mode)


@posix_only
def test_init_writes_through_no_link(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "ignore").write_text("node_modules/\n", encoding="utf-8")
    root = tmp_path / "repo"
    (root / ".github").mkdir(parents=True)
    (root / ".github" / "workflows").symlink_to(elsewhere, target_is_directory=True)
    (root / ".gitignore").symlink_to(elsewhere / "ignore")
    (root / ".pre-commit-config.yaml").symlink_to(elsewhere / "created")
    (root / ".vscode").mkdir()
    (root / ".vscode" / "settings.json.tmp").symlink_to(elsewhere / "ignore")  # the old fixed temporary name
    before = tree_of(elsewhere)
    result = init_repository(root)
    assert tree_of(elsewhere) == before
    notes = "\n".join(result.notes)
    for name in (".github/workflows", ".gitignore", ".pre-commit-config.yaml"):
        assert f"{name} 是链接" in notes, notes
    assert json.loads((root / ".vscode" / "settings.json").read_text(encoding="utf-8"))["yaml.schemas"]


def test_init_leaves_a_gbk_gitignore_and_a_file_named_projects_with_notes(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_bytes("# 生成的文件\n*.bak\n".encode("gbk"))
    (tmp_path / "projects").write_text("不是文件夹", encoding="utf-8")
    run = perfgen("init", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert ".gitignore 不是 UTF-8 编码（可能是 GBK），未改动：请在其中加入一行 /build/" in run.stdout
    assert "projects 是一个普通文件，不是文件夹，未写入：请把它改名或移走（单位文件夹要放在 projects/ 文件夹中）" in run.stdout
    assert (tmp_path / ".gitignore").read_bytes() == "# 生成的文件\n*.bak\n".encode("gbk")
    assert (tmp_path / "projects").read_text(encoding="utf-8") == "不是文件夹"


def test_init_in_a_folder_it_may_not_write_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = os.open

    def read_only(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & os.O_CREAT:  # as a read-only folder answers (root ignores the permission bits)
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    with pytest.raises(OutputError, match="没有读写权限"):
        init_repository(tmp_path)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


@posix_only
def test_init_with_an_unreadable_settings_file_notes_it(tmp_path: Path) -> None:
    (tmp_path / ".vscode" / "settings.json").mkdir(parents=True)  # unreadable as a file, for root too
    result = init_repository(tmp_path)
    assert any(".vscode/settings.json 是文件夹，不是文件" in note for note in result.notes), result.notes


# ------------------------------------------------------------ fmt


@posix_only
def test_fmt_keeps_a_link_inside_the_township_and_formats_its_file(repo: Path) -> None:
    moved = SOURCE / "项目" / "真.yaml"
    PROJECT.rename(moved)
    PROJECT.symlink_to("真.yaml")
    moved.write_text(moved.read_text(encoding="utf-8").replace("预算数: 10.00", "预算数: 10"), encoding="utf-8")
    os.chmod(moved, 0o640)
    result = format_file(PROJECT, check=False)
    assert result.changed and not result.problems
    assert PROJECT.is_symlink() and "预算数: 10.00" in moved.read_text(encoding="utf-8")
    assert stat.S_IMODE(moved.stat().st_mode) == 0o640


@posix_only
def test_fmt_refuses_a_hard_linked_source(repo: Path, tmp_path: Path) -> None:
    edit(PROJECT, "预算数: 10.00", "预算数: 10")
    twin = tmp_path / "twin.yaml"
    os.link(PROJECT, twin)
    result = format_file(PROJECT, check=False)
    assert "硬链接" in result.problems[0].message
    assert twin.samefile(PROJECT) and "预算数: 10\n" in twin.read_text(encoding="utf-8")


# ------------------------------------------------------------ every case folder rolled over


def every_case() -> list[Path]:
    return sorted(p for kind in ("valid", "invalid") for p in (CASES / kind).iterdir() if p.is_dir())


@pytest.mark.slow  # 75 townships checked, rolled over and checked again
@pytest.mark.parametrize("case", every_case(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_new_from_refuses_exactly_what_validate_blocks_and_what_it_writes_validates(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from perfgen.validate.township import check_township

    (tmp_path / ".git").mkdir()
    shutil.copytree(case, tmp_path / case.name, symlinks=True)
    monkeypatch.chdir(tmp_path)
    blocking = sorted(p.text() for p in check_township(Path(case.name)).problems if p.blocking)
    before = tree_of(tmp_path)
    try:
        roll_over(Path(case.name), Path("结转后"))
    except PerfgenError as refused:
        assert blocking, f"refused what validate accepts: {refused}"
        listed = str(refused).split("\n")[1:]
        assert sorted(listed) == blocking
        assert tree_of(tmp_path) == before
        return
    assert not blocking, "rolled over what validate blocks"
    assert not [p.text() for p in check_township(Path("结转后")).problems if p.blocking]
