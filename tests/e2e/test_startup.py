"""Import boundaries of the command line: commands load only what they use, so they start at once."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECTS

# Runs `python -m perfgen ARGS` in this process, then names the modules it loaded.
PROBE = (
    "import runpy, sys\n"
    "sys.argv = ['perfgen', *sys.argv[1:]]\n"
    "try:\n"
    "    runpy.run_module('perfgen', run_name='__main__')\n"
    "except SystemExit:\n"
    "    pass\n"
    "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
)

RENDERING = {"docxtpl", "docx", "lxml", "jinja2", "pypdf"}
NOT_AT_STARTUP = {"pydantic", "rich", "pygments", "markdown_it"}


def modules_loaded(args: list[str], cwd: Path) -> set[str]:
    """Every module `perfgen ARGS` loaded, by its full name."""
    run = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=cwd)
    return set(run.stderr.strip().splitlines()[-1].split())


def loaded(args: list[str], cwd: Path) -> set[str]:
    """The top-level packages `perfgen ARGS` loaded."""
    return {name.split(".")[0] for name in modules_loaded(args, cwd)}


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["build", "--help"],
        ["validate", "-j1", str(PROJECTS)],  # -j1: the checks run in this process, not in workers
        ["fmt", "--check", str(PROJECTS)],
        ["diff", str(PROJECTS), str(PROJECTS)],
    ],
    ids=["help", "build-help", "validate", "fmt", "diff"],
)
def test_commands_do_not_load_what_they_do_not_use(args: list[str], tmp_path: Path) -> None:
    modules = loaded(args, tmp_path)
    assert "perfgen" in modules and "typer" in modules  # the probe did run the command
    assert modules & (RENDERING | NOT_AT_STARTUP) == set()


# what --help never needs: problems and their reports, the per-user cache, checking
NOT_FOR_HELP = {
    "json", "hashlib", "sqlite3", "yaml", "jsonschema_rs", "perfgen.cache", "perfgen.state", "perfgen.validate.run",
    "perfgen.problems", "perfgen.cli_output",
}


def test_help_loads_only_the_command_line(tmp_path: Path) -> None:
    modules = modules_loaded(["--help"], tmp_path)
    assert "perfgen.cli" in modules  # the probe did run the command
    assert modules & NOT_FOR_HELP == set()


def test_typer_reads_the_commands_annotations_as_types() -> None:
    # typer reads every command's parameters at each start, even for --help: an annotation left as a string
    # (from __future__ import annotations) is compiled and evaluated each time, 2 ms of perfgen --help
    from perfgen.cli import app, template_app

    callbacks = [app.registered_callback.callback] if app.registered_callback else []
    for typer_app in (app, template_app):
        callbacks += [command.callback for command in typer_app.registered_commands]
    assert len(callbacks) > 10
    strings = {f"{f.__name__}({name})" for f in callbacks for name, a in inspect.get_annotations(f).items() if isinstance(a, str)}
    assert strings == set()


# what checking a township takes: with its results kept from the last check, validate needs none of it
CHECKING = {"yaml", "jsonschema_rs", "perfgen.model", "perfgen.load.yamlfile", "perfgen.validate.rules"}


def test_validate_of_an_unchanged_township_loads_no_checking_machinery(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    sample = str(PROJECTS / "怀来县官厅镇-2024")
    first = modules_loaded(["validate", "-j1", sample], tmp_path)
    assert CHECKING <= first  # the first check reads and checks the sources, and keeps its results
    again = modules_loaded(["validate", "-j1", sample], tmp_path)
    assert "perfgen.validate.run" in again  # the probe did run the command
    assert again & CHECKING == set()


def test_a_draft_build_loads_the_rendering_stack_and_in_a_log_no_rich_nor_libreoffice(tmp_path: Path) -> None:
    # the probe's output is captured, as in CI: the summary is plain text, without rich
    modules = modules_loaded(["build", "--draft", "-j1", "-o", str(tmp_path / "out"), str(PROJECTS / "卢龙县石门镇-2023")], tmp_path)
    assert {"docxtpl", "docx", "lxml", "jinja2"} <= {name.split(".")[0] for name in modules}
    assert "rich" not in modules
    # a draft needs no LibreOffice: neither its processes' supervisor nor the UNO bridge is loaded
    assert modules & {"perfgen.office.libreoffice", "perfgen.office.supervisor", "perfgen.office.bridge", "perfgen.office.results"} == set()
    assert "ctypes" not in modules  # only a folder swapped whole needs it (write/tree.py)


def test_the_summary_in_a_log_is_aligned_plain_text(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "perfgen", "build", "--draft", "-o", str(tmp_path / "out"), str(PROJECTS)],
        capture_output=True, text=True, cwd=tmp_path,
    )
    lines = run.stdout.splitlines()
    table = lines[lines.index("生成结果") + 1 : -1]
    assert table[0].split() == ["单位", "项目", "预算总额", "错误", "警告", "用时（秒）", "状态"]
    assert table[3].startswith("怀来县官厅镇-2024") and table[3].split()[1:3] == ["23", "894.78"]
    # columns line up on a terminal: wide characters take two columns
    ends = {wide_width(line[: line.index("万元") + 2]) for line in table[1:] if "万元" in line}
    assert len(ends) == 1 and all(line.endswith("已生成") for line in table[1:])


def wide_width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
