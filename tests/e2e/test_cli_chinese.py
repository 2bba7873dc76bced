"""The command line speaks Chinese: every help page, usage line and usage error."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import perfgen
from english import english_words

COMMANDS = ["build", "validate", "fmt", "diff", "init", "text", "import", "new", "serve", "report", "template"]
# what a clerk types as it is: command names, choices of --format, git's textconv, the Ctrl key
TYPED = {*COMMANDS, "check", "projects", "text", "json", "github", "markdown", "comment", "textconv", "HEAD", "main", "Ctrl"}
ENGLISH = ["Usage", "Options", "Arguments", "Commands", "Show this message", "No such", "Did you mean", "Missing",
           "Invalid value", "Try ", "default:", "required", "Error", "<bool>", "<path>", "<int", "<str>"]


def english_in(output: str) -> list[str]:
    found = [word for word in ENGLISH if word in output]
    for line in output.splitlines():
        found += english_words(line, TYPED)
    return found


@pytest.mark.parametrize(
    "args", [["--help"], ["-h"], *([name, "--help"] for name in COMMANDS), ["template", "check", "--help"]], ids=" ".join
)
def test_help_is_chinese(args: list[str], tmp_path: Path) -> None:
    run = perfgen(*args, cwd=tmp_path)
    assert run.returncode == 0
    assert run.stdout.startswith("用法：perfgen ")
    assert "显示本帮助后退出。" in run.stdout
    assert english_in(run.stdout) == []


def test_help_without_a_command_is_chinese(tmp_path: Path) -> None:
    run = perfgen(cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr.startswith("用法：perfgen [选项] 命令 [参数]...")
    assert english_in(run.stderr) == []


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["validat"], "错误：没有命令“validat”：是不是 validate？"),
        (["frobnicate"], "错误：没有命令“frobnicate”：可用的命令：build、validate、fmt、diff、init、text、import、new"),
        (["validate", "--strick"], "错误：没有选项“--strick”：是不是 --strict、--since？"),
        (["validate", "--xyz"], "错误：没有选项“--xyz”。可用的选项："),
        (["build", "-j", "x"], "错误：“-j / --jobs”的值不对：“x”不是整数"),
        (["build", "-j", "0"], "错误：“-j / --jobs”的值不对：0 太小：至少为 1"),
        (["validate", "--format", "xml"], "错误：“--format”的值不对：“xml”不是可选的值。可选：text、json、github"),
        (["text"], "错误：缺少参数“文档”：生成的 Word 文档（.docx）。"),
        (["build", "-o"], "错误：选项 -o 后面要写一个值"),
        (["text", "a.docx", "b.docx"], "错误：多余的参数：b.docx。路径中有空格时，请把整个路径放在引号里"),
        (["build", "--draft=yes"], "错误：选项 --draft 后面不能写值"),
    ],
)
def test_usage_errors_are_chinese_and_say_what_to_do(args: list[str], error: str, tmp_path: Path) -> None:
    run = perfgen(*args, cwd=tmp_path)
    assert run.returncode == 2
    assert error in run.stderr
    assert english_in(run.stderr) == []


def test_a_year_that_is_not_one_is_asked_again_in_chinese(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import typer

    from perfgen import cli

    from perfgen.scaffold import read_year, year_problem

    answers = iter(["二〇二", "２０２５"])
    monkeypatch.setattr(typer, "prompt", lambda *args, **kwargs: next(answers))
    assert cli._ask("年度", "2024", read_year, year_problem) == 2025
    assert "“二〇二”不是年度：请输入 2000～2100 之间的四位数字年份，如 2025，请重新输入" in capsys.readouterr().err


# every command with a missing file, a folder where a file belongs, a file that is not what it should be,
# and arguments that are wrong: the clerk reads Chinese only (paths, option names and rule ids aside)
TROUBLE = [
    ["build", "不存在"], ["build", "空文件夹"], ["build", "--template", "不存在.docx", "乡镇"],
    ["build", "--template", "坏.docx", "乡镇"], ["build", "-j", "二", "乡镇"],
    ["validate", "不存在"], ["validate", "/不存在/乡镇"], ["validate", "空文件夹"], ["validate", "乡镇"],
    ["validate", "--format", "表格"],
    ["fmt", "不存在"], ["fmt", "乡镇"], ["fmt", "-q", "乡镇"], ["fmt", "--check", "乡镇"], ["fmt", "--fix", "乡镇"],
    ["diff", "不存在的版本"], ["diff", "HEAD", "空文件夹"], ["diff", "--format", "表格"],
    ["init", "坏.docx"], ["init", "--rev", "v1"],
    ["text", "不存在.docx"], ["text", "/不存在.docx"], ["text", "文件夹.docx"], ["text", "坏.docx"],
    ["import", "不存在.docx"], ["import", "文件夹.docx"], ["import", "坏.docx"], ["import", "坏.pdf"],
    ["new", "x", "--年度", "二〇二五五"], ["new", "x", "--单位编码", "８１６ＡＢ"], ["new", "x", "--金额单位", "万"],
    ["new", "x", "--from", "不存在"], ["new", "x", "--from", "空文件夹"], ["new", "x", "--from", "乡镇", "--年度", "2025"],
    ["new", "乡镇"],
    ["template", "check", "不存在.docx"], ["template", "check", "坏.docx"], ["template", "check", "文件夹.docx"],
    ["template", "nothing"],
]


@pytest.fixture
def troubled(tmp_path: Path) -> Path:
    (tmp_path / "空文件夹").mkdir()
    (tmp_path / "文件夹.docx").mkdir()
    (tmp_path / "坏.docx").write_bytes(b"PK\x03\x04 not a document")
    (tmp_path / "坏.pdf").write_bytes(b"%PDF-1.4 broken")
    township = tmp_path / "乡镇"
    (township / "项目").mkdir(parents=True)
    # a document typed with the input method on, and a project file that is not UTF-8
    (township / "文档.yaml").write_text("单位名称：测试\n年度：２０２４\n项目清单：\n  - 项目/a.yaml\n", encoding="utf-8")
    (township / "项目" / "a.yaml").write_bytes("项目名称: 测试\n".encode("gbk"))
    return tmp_path


@pytest.mark.parametrize("args", TROUBLE, ids=" ".join)
def test_every_command_in_trouble_speaks_chinese(args: list[str], troubled: Path) -> None:
    run = perfgen(*args, cwd=troubled)
    output = run.stdout + run.stderr
    assert run.returncode != 0, output
    assert "Traceback" not in output and "Error" not in output
    assert english_in(re.sub(r"\[[a-z-]+\]", " ", output)) == [], output  # rule ids aside


def test_quiet_is_quiet_everywhere(tmp_path: Path) -> None:
    """-q: nothing but problems and what needs attention, in every command that talks while it works."""
    import subprocess

    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    runs = {
        "init": perfgen("init", "-q", cwd=tmp_path),
        "new": perfgen("new", "-q", "projects/某镇-2025", "--单位编码", "816001", cwd=tmp_path),
        "fmt": perfgen("fmt", "-q", "projects", cwd=tmp_path),
        "fmt --check": perfgen("fmt", "-q", "--check", "projects", cwd=tmp_path),
        "template check": perfgen("template", "check", "-q", cwd=tmp_path),
    }
    for name, run in runs.items():
        # what needs attention stays (init: the CI address to set), nothing else
        said = [line for line in run.stdout.splitlines() if not line.startswith("请注意：")]
        assert (name, run.returncode, said, run.stderr) == (name, 0, [], "")
    # validate -q still lists its errors and the count
    listed = perfgen("validate", "-q", "projects", cwd=tmp_path)
    assert "错误 [placeholder]" in listed.stdout and "警告" not in listed.stdout.splitlines()[0]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_every_command_on_an_unreadable_file_speaks_chinese(troubled: Path) -> None:
    import subprocess
    import sys

    from test_hostile import unprivileged

    user = unprivileged()
    (troubled / "锁住.docx").write_bytes(b"PK")
    (troubled / "锁住.pdf").write_bytes(b"%PDF")
    locked = [troubled / "锁住.docx", troubled / "锁住.pdf", troubled / "乡镇" / "文档.yaml"]
    for path in locked:
        path.chmod(0)
    commands = [
        ["validate", "乡镇"], ["fmt", "乡镇"], ["build", "--draft", "乡镇"], ["text", "锁住.docx"], ["import", "锁住.docx"],
        ["import", "锁住.pdf"], ["template", "check", "锁住.docx"], ["new", "x", "--from", "乡镇"],
    ]
    try:
        for args in commands:
            run = subprocess.run(
                [*user, sys.executable, "-m", "perfgen", *args], cwd=troubled, capture_output=True, text=True, timeout=120
            )
            output = run.stdout + run.stderr
            assert run.returncode != 0, (args, output)
            assert "Traceback" not in output and "Error" not in output and "denied" not in output, (args, output)
            assert english_in(re.sub(r"\[[a-z-]+\]", " ", output)) == [], (args, output)
    finally:
        for path in locked:
            path.chmod(0o644)


def test_a_missing_file_is_said_so_with_its_path_as_typed(troubled: Path) -> None:
    pinned = {
        ("text", "不存在.docx"): "错误：无法读取 不存在.docx：文件不存在",
        ("text", "/不存在/a.docx"): "错误：无法读取 /不存在/a.docx：文件不存在",  # absolute stays absolute
        ("import", "/不存在/a.docx"): "错误：/不存在/a.docx：文件不存在",
        ("template", "check", "不存在.docx"): "不存在.docx：无法读取模板 不存在.docx：文件不存在",
    }
    for args, said in pinned.items():
        run = perfgen(*args, cwd=troubled)
        assert run.returncode == 1 and (run.stdout + run.stderr).splitlines()[0] == said, (args, run.stdout, run.stderr)
