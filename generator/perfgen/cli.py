"""The ``perfgen`` command: a thin layer over the library functions."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from perfgen import __version__
from perfgen.build import BuildResult, build
from perfgen.errors import PerfgenError
from perfgen.load.township import display_path
from perfgen.problems import format_text

app = typer.Typer(
    help="perfgen：由 YAML 源文件生成部门预算绩效文本（Word）。",
    no_args_is_help=True,
    add_completion=False,
)

DEFAULT_PROJECTS = Path("projects")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"perfgen {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="显示版本后退出。"),
) -> None:
    """perfgen：由 YAML 源文件生成部门预算绩效文本（Word）。"""


def _report(index: int, total: int, result: BuildResult) -> None:
    width = len(str(total))
    head = f"[{index:>{width}}/{total}] {result.name}"
    if result.ok:
        assert result.output is not None
        typer.echo(f"{head}：已生成 {display_path(result.output)}（{result.projects} 个项目）")
    else:
        typer.echo(f"{head}：失败。{result.error}", err=True)
    if result.problems:
        typer.echo(format_text(result.problems), err=True)


@app.command("build")
def build_command(
    paths: Optional[list[Path]] = typer.Argument(
        None, help="单位文件夹，或包含若干单位文件夹的文件夹。不写时生成 projects/ 下的全部单位。", show_default=False
    ),
    out: Path = typer.Option(Path("build"), "--out", "-o", help="输出文件夹，文档为 <输出文件夹>/<单位文件夹名>.docx。"),
    template: Optional[Path] = typer.Option(None, "--template", help="Word 模板（.docx）；不写时用标准模板。"),
) -> None:
    """生成绩效文本：每个单位文件夹生成一个 .docx。"""
    try:
        results = build(paths or [DEFAULT_PROJECTS], out, template, progress=_report)
    except PerfgenError as exc:
        typer.echo(f"错误：{exc}", err=True)
        raise typer.Exit(1) from None
    failed = sum(not r.ok for r in results)
    typer.echo(f"完成：生成 {len(results) - failed} 个文档，{failed} 个失败。")
    raise typer.Exit(1 if failed else 0)


def main() -> None:
    # Chinese output must not fail on a console whose encoding is not UTF-8
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    app()
