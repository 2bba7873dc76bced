"""What perfgen build tells: counts per township, a skipped township's problems, --quiet, colour, layout progress."""

from __future__ import annotations

from collections import Counter

import contextlib
import os
import pty
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import cache_entries
from conftest import CASES, PROJECTS, perfgen
from long_group import long_group_township
from perfgen.build import BuildResult, Listener, Options, build
from perfgen.state import DATABASE

# a township that fails (1 error of form), one built with 3 errors of the rules, one with a warning only
TOWNSHIPS = {"全角冒号": "invalid", "占位文字": "invalid", "未列入清单的项目文件": "valid"}


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "src"
    for number, (name, kind) in enumerate(TOWNSHIPS.items(), 1):
        shutil.copytree(CASES / kind / name, folder / name)
        # the cases share their 项目编码; townships built together must not (rule code-shared)
        for project in (folder / name / "项目").glob("*.yaml"):
            text = project.read_text(encoding="utf-8")
            project.write_text(text.replace("P00000000001A", f"P0000000000{number}A"), encoding="utf-8")
    return folder


def build_in(folder: Path, *args: str):
    return perfgen("build", "--draft", "-j1", "src", "-o", "out", *args, cwd=folder.parent)


def test_counts_of_errors_and_warnings_per_township_and_in_total(sources: Path) -> None:
    run = build_in(sources)
    assert run.returncode == 1  # one township failed
    assert "[1/3] 全角冒号：失败。源文件有 1 个格式错误，未生成文档；检查发现 1 个错误，0 个警告" in run.stderr
    assert "[2/3] 占位文字：已生成 out/占位文字.docx（1 个项目，目录页码待更新）；检查发现 3 个错误，0 个警告" in run.stdout
    assert "[3/3] 未列入清单的项目文件：已生成" in run.stdout and "检查发现 0 个错误，1 个警告" in run.stdout
    table = run.stdout[run.stdout.index("生成结果\n"):].splitlines()[1:-1]
    assert table[0].split() == ["单位", "项目", "预算总额", "错误", "警告", "用时（秒）", "状态"]
    rows = {line.split()[0]: line.split()[-4:-2] + line.split()[-1:] for line in table[1:]}  # 错误, 警告, 状态
    assert rows == {"全角冒号": ["1", "0", "失败"], "占位文字": ["3", "0", "已生成"], "未列入清单的项目文件": ["0", "1", "已生成"]}
    assert run.stdout.rstrip().endswith("完成：生成 2 个文档，跳过 0 个（未变），1 个失败；共 4 个错误（2 个单位有错误），1 个警告。")


def skipped_problems(first: str, second: str) -> list[str]:
    """The problem lines of 占位文字 in a first build's and (asserting they are the same) a second build's stderr."""
    lines = [line for line in first.splitlines() if line.startswith("src/占位文字/")]
    assert len(lines) == 3
    assert [line for line in second.splitlines() if line.startswith("src/占位文字/")] == lines
    return lines


# where a skipped township's problems come from: the check cache (validate/memo.py), whatever state it is in
CACHES = ("kept", "empty", "unwritable", "damaged", "damaged entries")


@pytest.mark.parametrize("cache", CACHES)
def test_a_skipped_township_shows_its_problems_again(
    sources: Path, cache: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from perfgen.validate import memo, township

    monkeypatch.setattr(memo, "SETTLED_NS", 0)  # the sources were copied a moment ago: keep their check all the same
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first = build_in(sources)
    assert cache_entries.names(tmp_path / "cache" / "perfgen", memo.KIND)
    stamps = {p.name: p.stat().st_mtime_ns for p in (sources.parent / "out").glob("*.docx")}
    if cache == "empty":
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "empty"))
    elif cache == "unwritable":  # no cache folder can be made under a file
        (tmp_path / "file").touch()
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file"))
    elif cache == "damaged":  # a database that is none
        (tmp_path / "damaged" / "perfgen").mkdir(parents=True, mode=0o700)
        (tmp_path / "damaged" / "perfgen" / "cache.sqlite").write_bytes(os.urandom(8192))
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "damaged"))
    elif cache == "damaged entries":  # every check result cut short
        folder = tmp_path / "cache" / "perfgen"
        for name in cache_entries.names(folder, memo.KIND):
            cache_entries.stored(folder, memo.KIND, name, cache_entries.stored(folder, memo.KIND, name)[:-100])
    checked: list[str] = []
    check = township.check_township
    monkeypatch.setattr(township, "check_township", lambda folder: checked.append(folder.name) or check(folder))

    second = build_in(sources)
    assert "[2/3] 占位文字：未变，跳过（out/占位文字.docx）；上次检查发现 3 个错误，0 个警告" in second.stdout
    skipped_problems(first.stderr, second.stderr)  # the same problems, named the same way
    assert second.stdout.rstrip().endswith("完成：生成 0 个文档，跳过 2 个（未变），1 个失败；共 4 个错误（2 个单位有错误），1 个警告。")
    assert {p.name: p.stat().st_mtime_ns for p in (sources.parent / "out").glob("*.docx")} == stamps  # not written again
    # checked again (not rendered) only where the cache had nothing sound to give
    assert sorted(set(checked) - {"全角冒号"}) == ([] if cache == "kept" else ["占位文字", "未列入清单的项目文件"])


def test_a_skipped_township_checked_from_another_folder_names_files_from_there(sources: Path) -> None:
    first = build_in(sources)
    # the same build from inside src/: the check results kept from the parent folder name files otherwise
    second = perfgen("build", "--draft", "-j1", ".", "-o", "../out", cwd=sources)
    assert "占位文字：未变，跳过" in second.stdout
    lines = [line for line in first.stderr.splitlines() if line.startswith("src/占位文字/")]
    assert len(lines) == 3
    assert [line for line in second.stderr.splitlines() if line.startswith("占位文字/")] == [
        line.removeprefix("src/") for line in lines
    ]


def test_the_record_keeps_what_was_built_not_the_problems(sources: Path) -> None:
    """The problems' one home is the check cache: the record's size per township does not grow with them."""
    build_in(sources)
    database = sources.parent / "out" / DATABASE
    with contextlib.closing(sqlite3.connect(database)) as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(built)")]
        sizes = dict(db.execute(
            "SELECT name, length(name) + length(digest) + length(outputs) + length(total) + 16 FROM built"
        ).fetchall())
    assert columns == ["name", "digest", "outputs", "projects", "total", "paginated"]
    assert set(sizes) == {"占位文字", "未列入清单的项目文件"}
    # 3 errors or 1 warning: the same few hundred bytes, the outputs' hashes and the document's totals
    assert all(size < 400 for size in sizes.values()), sizes
    stored = b"".join(path.read_bytes() for path in database.parent.glob(DATABASE + "*"))
    assert "占位文字".encode() in stored and b"placeholder" not in stored and "模板中的占位文字".encode() not in stored


def test_a_skipped_township_whose_check_fails_is_built_again(sources: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from perfgen.build import render

    build_in(sources)

    def failing(folder: Path) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(render, "_checked", failing)
    again = build_in(sources)
    assert "占位文字：失败。内部错误" in again.stderr and "RuntimeError: a bug" in again.stderr
    assert "未变，跳过" not in again.stdout


@pytest.mark.parametrize("older", ["format", "row"])
def test_a_record_an_older_perfgen_wrote_is_rebuilt(sources: Path, older: str) -> None:
    build_in(sources)
    with contextlib.closing(sqlite3.connect(sources.parent / "out" / DATABASE)) as db, db:
        if older == "format":  # tables of another shape
            db.execute("PRAGMA user_version = 0")
        else:  # a row this perfgen cannot read
            db.execute("UPDATE built SET outputs = 'not json'")
    assert "[2/3] 占位文字：已生成" in build_in(sources).stdout


def test_quiet_shows_errors_only(sources: Path) -> None:
    run = build_in(sources, "--quiet")
    shown = run.stdout + run.stderr
    assert "[1/3] 全角冒号：失败" in shown and "第 3 行用了全角冒号" in shown
    assert "占位文字/项目/办公经费.yaml:14:5: 错误 [placeholder]" in shown
    assert ": 警告 [" not in shown and "没有列入项目清单" not in shown  # the warning is not listed
    assert "未列入清单的项目文件：已生成" not in shown and "生成结果" not in shown
    assert run.stdout.rstrip().endswith("共 4 个错误（2 个单位有错误），1 个警告。")


def on_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    """Run perfgen with a pseudo-terminal for stdout and stderr; what the terminal showed."""
    master, slave = pty.openpty()
    process = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env)
    os.close(slave)
    shown = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        shown += chunk
    process.wait(timeout=120)
    os.close(master)
    return shown.decode("utf-8", "replace")


COMMAND = [sys.executable, "-m", "perfgen", "build", "--draft", "-j1", "src", "-o", "out"]
RED, YELLOW = "\x1b[31m", "\x1b[33m"


@pytest.mark.slow
def test_colour_on_a_terminal_none_when_piped_or_with_no_color(sources: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    shown = on_terminal(COMMAND, sources.parent, env)
    assert f"{RED}src/占位文字/项目/办公经费.yaml:14:5: 错误 [placeholder]" in shown
    assert f"{YELLOW}src/未列入清单的项目文件/文档.yaml" in shown
    shutil.rmtree(sources.parent / "out")
    plain = on_terminal(COMMAND, sources.parent, {**env, "NO_COLOR": "1"})
    assert "src/占位文字/项目/办公经费.yaml:14:5: 错误 [placeholder]" in plain
    assert RED not in plain and YELLOW not in plain
    shutil.rmtree(sources.parent / "out")
    quiet = on_terminal([*COMMAND, "-q"], sources.parent, env)
    assert f"{RED}src/占位文字/项目/办公经费.yaml:14:5: 错误 [placeholder]" in quiet
    assert YELLOW not in quiet and "━" not in quiet and "生成结果" not in quiet  # no warning, bar or table
    shutil.rmtree(sources.parent / "out")
    piped = subprocess.run(COMMAND, cwd=sources.parent, env=env, capture_output=True, text=True)
    assert "src/占位文字/项目/办公经费.yaml:14:5: 错误 [placeholder]" in piped.stderr
    assert "\x1b[" not in piped.stdout + piped.stderr


class Recorder(Listener):
    def __init__(self) -> None:
        self.layouts: list[tuple[int, int, str]] = []

    def laid_out(self, done: int, total: int, result: BuildResult) -> None:
        self.layouts.append((done, total, result.name))


@pytest.mark.libreoffice
def test_libreoffice_reports_each_document_of_a_build(tmp_path: Path) -> None:
    shutil.which("soffice") or pytest.skip("soffice is not installed")
    recorder = Recorder()
    samples = [PROJECTS / "卢龙县石门镇-2023", long_group_township(tmp_path / "src" / "文安县长组-2022")]
    results = build(samples, Options(out_dir=tmp_path), recorder)
    assert all(r.paginated for r in results)
    # one layout per document numbers its TOC
    assert [done for done, _, _ in recorder.layouts] == [1, 2]
    assert {total for _, total, _ in recorder.layouts} == {2}
    # with a PDF too: the same layout gives it, once the numbers are written in; a document with a 一级 group
    # taller than a page, which the layout splits, is laid out once more with its label repeated
    recorder = Recorder()
    results = build(samples, Options(out_dir=tmp_path / "pdf", pdf=True), recorder)
    assert all(r.paginated and r.pdf for r in results)
    assert Counter(name for _, _, name in recorder.layouts) == {"卢龙县石门镇-2023": 1, "文安县长组-2022": 2}
    assert [done for done, _, _ in recorder.layouts] == [1, 2, 3]
    assert {total for _, total, _ in recorder.layouts} == {3}


class Terminal:
    def isatty(self) -> bool:
        return True


def test_colour_only_at_a_terminal_without_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    from perfgen.cli_output import coloured, problem_lines
    from perfgen.problems import ERROR, WARNING, Problem

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert coloured(Terminal()) and not coloured(object())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not coloured(Terminal())
    problems = [Problem("a.yaml", 2, 1, WARNING, "w", "警告的说明"), Problem("a.yaml", 1, 1, ERROR, "e", "错误的说明")]
    assert problem_lines(problems, colour=True).splitlines() == [
        f"{RED}a.yaml:1:1: 错误 [e] 错误的说明\x1b[0m", f"{YELLOW}a.yaml:2:1: 警告 [w] 警告的说明\x1b[0m"
    ]
    assert problem_lines(problems, colour=False, quiet=True) == "a.yaml:1:1: 错误 [e] 错误的说明"
