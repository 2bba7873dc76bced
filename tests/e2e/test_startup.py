"""Import boundaries of the command line: commands load only what they use, so they start at once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECTS

# Runs `python -m perfgen ARGS` in this process, then names the top-level packages it loaded.
PROBE = (
    "import runpy, sys\n"
    "sys.argv = ['perfgen', *sys.argv[1:]]\n"
    "try:\n"
    "    runpy.run_module('perfgen', run_name='__main__')\n"
    "except SystemExit:\n"
    "    pass\n"
    "print(' '.join(sorted({name.split('.')[0] for name in sys.modules})), file=sys.stderr)\n"
)

RENDERING = {"docxtpl", "docx", "lxml", "jinja2", "pypdf"}
NOT_AT_STARTUP = {"pydantic", "rich", "pygments", "markdown_it"}


def loaded(args: list[str], cwd: Path) -> set[str]:
    run = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=cwd)
    return set(run.stderr.strip().splitlines()[-1].split())


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


def test_a_build_loads_the_rendering_stack_and_in_a_log_no_rich(tmp_path: Path) -> None:
    # the probe's output is captured, as in CI: the summary is plain text, without rich
    modules = loaded(["build", "--draft", "-j1", "-o", str(tmp_path / "out"), str(PROJECTS / "卢龙县石门镇-2023")], tmp_path)
    assert {"docxtpl", "docx", "lxml", "jinja2"} <= modules
    assert "rich" not in modules


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
