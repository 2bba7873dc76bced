"""What the commands print of problems and builds: problem lines, a build's line per township, its progress and summary.

Loaded by the commands that print them (build, validate, diff), not by ``perfgen --help``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from perfgen.cli_text import width as _width
from perfgen.paths import display_path
from perfgen.problems import Problem, counts, has_errors, sort_key

if TYPE_CHECKING:
    from perfgen.build import BuildResult, Options


def coloured(stream: object) -> bool:
    """Colour only for a person at a terminal, and not when NO_COLOR is set (https://no-color.org)."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("NO_COLOR")


def problem_lines(problems: list[Problem], colour: bool, quiet: bool = False) -> str:
    """The problems, one a line in file order: errors red and warnings yellow on a terminal; --quiet: errors only."""
    lines = []
    for problem in sorted(problems, key=sort_key):
        if quiet and not problem.is_error:
            continue
        line = problem.text()
        lines.append(typer.style(line, fg="red" if problem.is_error else "yellow") if colour else line)
    return "\n".join(lines)


def _found(problems: list[Problem], skipped: bool = False) -> str:
    """What the checks found in a township: "检查发现 2 个错误，3 个警告"."""
    errors, warnings = counts(problems)
    when = "上次检查" if skipped else "检查"
    return f"{when}发现 {errors} 个错误，{warnings} 个警告" if problems else f"{when}没有发现问题"


def _line(index: int, total: int, result: BuildResult) -> str:
    width = len(str(total))
    head = f"[{index:>{width}}/{total}] {result.name}"
    if result.output is None:  # failed (a skipped township has the output of its last build)
        return f"{head}：失败。{result.error}；{_found(result.problems)}"
    if result.skipped:
        return f"{head}：未变，跳过（{display_path(result.output)}）；{_found(result.problems, skipped=True)}"
    extra = f"、{display_path(result.pdf)}" if result.pdf else ""
    if result.previews:
        extra += f"、{len(result.previews)} 页预览"
    pages = "" if result.paginated else "，目录页码待更新"
    if result.missing:
        pages += f"，未生成 {'、'.join(result.missing)}：LibreOffice 出错，见警告"
    return f"{head}：已生成 {display_path(result.output)}{extra}（{result.projects} 个项目{pages}）；{_found(result.problems)}"


def _status(result: BuildResult) -> str:
    status = "跳过（未变）" if result.skipped else "失败" if not result.ok else "已生成"
    if result.missing:
        status += f"（缺{'、'.join(result.missing)}）"
    return status


SUMMARY_COLUMNS = (
    ("单位", "left"), ("项目", "right"), ("预算总额", "right"), ("错误", "right"), ("警告", "right"),
    ("用时（秒）", "right"), ("状态", "left"),
)


def _summary_rows(results: list[BuildResult]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for r in results:
        errors, warnings = counts(r.problems)
        seconds = "" if r.skipped else f"{r.seconds:.2f}"
        rows.append((r.name, str(r.projects or ""), r.total, str(errors), str(warnings), seconds, _status(r)))
    return rows


def summary_table(results: list[BuildResult]) -> None:
    if not sys.stdout.isatty():
        # logs and pipes get plain columns: rich costs ~40 ms to import, a tenth of a small build
        typer.echo(_plain_table("生成结果", _summary_rows(results)))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="生成结果", title_justify="left")
    for column, justify in SUMMARY_COLUMNS:
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for row in _summary_rows(results):
        name, projects, total, errors, warnings, seconds, status = row
        # on a terminal the counts are coloured as the problems are: errors red, warnings yellow
        errors = f"[red]{errors}[/red]" if errors != "0" else errors
        warnings = f"[yellow]{warnings}[/yellow]" if warnings != "0" else warnings
        table.add_row(name, projects, total, errors, warnings, seconds, status)
    Console(width=max(100, Console().width), highlight=False).print(table)


def _plain_table(title: str, rows: list[tuple[str, ...]]) -> str:
    header = tuple(name for name, _ in SUMMARY_COLUMNS)
    widths = [max(_width(row[i]) for row in (header, *rows)) for i in range(len(header))]
    lines = [title]
    for row in (header, *rows):
        cells = []
        for (_, justify), cell, width in zip(SUMMARY_COLUMNS, row, widths):
            pad = " " * (width - _width(cell))
            cells.append(cell + pad if justify == "left" else pad + cell)
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def build_with_progress(paths: list[Path], options: Options, quiet: bool) -> list[BuildResult]:
    """A progress bar on a terminal; a line per township in logs (CI) or when output is piped.

    Each township's problems follow it (a skipped township's as its last build found them), errors red
    and warnings yellow on a terminal; --quiet shows only failures and errors.
    """
    from perfgen.build import Listener, build

    colour = coloured(sys.stderr)
    if quiet or not sys.stderr.isatty():  # --quiet: no progress bar either

        class Lines(Listener):
            def notice(self, text: str) -> None:
                if not quiet:
                    typer.echo(text, err=True)

            def finished(self, index: int, total: int, result: BuildResult) -> None:
                errors = has_errors(result.problems)
                if not quiet or not result.ok or errors:
                    typer.echo(_line(index, total, result), err=not result.ok)
                if result.problems and (errors or not quiet):
                    typer.echo(problem_lines(result.problems, colour, quiet), err=True)

        return build(paths, options, Lines())

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console
    ) as bar:
        task = bar.add_task("生成文档", total=None)

        class Bar(Listener):
            def __init__(self) -> None:
                self.failed: list[str] = []
                self.layout: Any = None

            def notice(self, text: str) -> None:
                if not quiet:
                    bar.console.print(text, highlight=False, markup=False)

            def rendered(self, done: int, total: int, result: BuildResult) -> None:
                if result.error:
                    self.failed.append(result.name)
                label = f"生成文档（失败：{'、'.join(self.failed[-3:])}）" if self.failed else f"生成文档：{result.name}"
                bar.update(task, completed=done, total=total, description=label)

            def laid_out(self, done: int, total: int, result: BuildResult) -> None:
                # the layout takes most of a build: the display moves with every document LibreOffice finishes
                if self.layout is None:
                    self.layout = bar.add_task("排版（LibreOffice）", total=total)
                bar.update(self.layout, completed=done, total=total, description=f"排版（LibreOffice）：{result.name}")

        results = build(paths, options, Bar())
    for result in results:
        errors = has_errors(result.problems)
        if (result.problems and (errors or not quiet)) or not result.ok:
            head = f"{result.name}：{'失败。' + result.error + '；' if not result.ok else ''}"
            head += _found(result.problems, result.skipped)
            typer.echo(typer.style(head, bold=True) if colour else head, err=True)
            if result.problems:
                typer.echo(problem_lines(result.problems, colour, quiet), err=True)
    return results
