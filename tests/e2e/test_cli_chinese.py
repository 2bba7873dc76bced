"""The command line speaks Chinese: every help page, usage line and usage error."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import perfgen
from english import english_words

COMMANDS = ["build", "validate", "fmt", "diff", "init", "text", "import", "new", "serve", "template"]
# what a clerk types as it is: command names, choices of --format, git's textconv, the Ctrl key
TYPED = {*COMMANDS, "check", "projects", "text", "json", "github", "markdown", "textconv", "HEAD", "main", "Ctrl"}
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
        (["validate", "--strick"], "错误：没有选项“--strick”：是不是 --strict？"),
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

    answers = iter(["二〇二五", "2025"])
    monkeypatch.setattr(typer, "prompt", lambda *args, **kwargs: next(answers))
    assert cli._ask_year(2024) == 2025
    assert "“二〇二五”不是年度：请输入四位数字的年份，如 2024" in capsys.readouterr().err
