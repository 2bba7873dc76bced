"""The ``perfgen`` command: a thin layer over the library functions.

Start-up time matters (``perfgen --help`` should answer at once): this module
imports only typer and perfgen's light modules; each command imports what it
needs when it runs, so ``--help``, ``validate``, ``fmt`` and ``diff`` never load
the rendering stack (docxtpl, python-docx, lxml, Jinja) and nothing loads rich
but the progress bar and summary of ``build``. Annotations here are types, not
strings (no ``from __future__ import annotations``): typer reads every command's
parameters at each start, even for ``--help``, and evaluates each string again.
"""

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Any

import typer

from perfgen import __version__
from perfgen.cli_text import Command, Group, run
from perfgen.errors import PerfgenError
from perfgen.office.pdf import PREVIEW_DPI
from perfgen.paths import display_path

app = typer.Typer(
    cls=Group,
    help="perfgen：由 YAML 源文件生成部门预算绩效文本（Word）。",
    no_args_is_help=True,
    add_completion=False,
    # plain help: typer's rich help would import rich, markdown-it and pygments (~0.1 s) for every --help
    rich_markup_mode=None,
)

DEFAULT_PROJECTS = Path("projects")
QUIET_HELP = "只显示问题和需要注意的事项：不显示进度、写入了哪些文件和结尾的统计。"


def _at_least_one(value: int | None) -> int | None:
    if value is not None and value < 1:
        raise typer.BadParameter(f"{value} 太小：至少为 1")
    return value


def _version(value: bool) -> None:
    if value:
        typer.echo(f"perfgen {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="显示版本后退出。"),
) -> None:
    """perfgen：由 YAML 源文件生成部门预算绩效文本（Word）。"""


@app.command("build", cls=Command)
def build_command(
    paths: list[Path] | None = typer.Argument(
        None, metavar="[单位文件夹]...", help="单位文件夹，或包含若干单位文件夹的文件夹。不写时生成 projects/ 下的全部单位。", show_default=False
    ),
    out: Path = typer.Option(Path("build"), "--out", "-o", metavar="<文件夹>", help="输出文件夹，文档为 <输出文件夹>/<单位文件夹名>.docx。"),
    template: Path | None = typer.Option(None, "--template", metavar="<模板>", help="Word 模板（.docx）；不写时用标准模板。"),
    strict: bool = typer.Option(False, "--strict", help="检查发现任何错误或警告时不生成该单位的文档。"),
    pdf: bool = typer.Option(False, "--pdf", help="同时生成 PDF：<输出文件夹>/<单位>.pdf（需要 LibreOffice）。"),
    preview: bool = typer.Option(False, "--preview", help="同时生成每页的 PNG 预览：<输出文件夹>/preview/<单位>/（需要 LibreOffice 和 pdftoppm）。"),
    dpi: int = typer.Option(PREVIEW_DPI, "--dpi", metavar="<分辨率>", min=30, max=600, help="预览图片的分辨率（每英寸点数）。"),
    draft: bool = typer.Option(False, "--draft", help="草稿：不排版计算目录页码，生成更快（页码留待 Word 更新）。"),
    jobs: int | None = typer.Option(None, "-j", "--jobs", metavar="<进程数>", callback=_at_least_one, help="同时使用的进程数；默认为 CPU 核数。"),
    force: bool = typer.Option(False, "--force", help="全部重新生成，包括自上次生成以来没有变化的单位。"),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="只显示错误：不显示警告、进度和生成结果表。"),
) -> None:
    """生成绩效文本：每个单位文件夹生成一个 .docx。

    先做与 perfgen validate 相同的检查：格式错误的单位不生成；
    检查规则发现的错误和警告会列出，文档照常生成（加 --strict 时不生成）。
    有 LibreOffice 时，目录页码由 LibreOffice 排版后填入；没有时留待 Word 打开时更新。
    源文件、模板和选项都没有变化的单位会跳过（--force 全部重新生成）。
    """
    from perfgen.build import Options  # the rendering stack loads only when building
    from perfgen.cli_output import build_with_progress, summary_table
    from perfgen.problems import counts, has_errors

    options = Options(
        out_dir=out, template=template, strict=strict, draft=draft, pdf=pdf, preview=preview, dpi=dpi, jobs=jobs, force=force
    )
    if not paths and not quiet:
        _samples_note()
    results = build_with_progress(paths or [DEFAULT_PROJECTS], options, quiet)
    if not quiet:
        summary_table(results)
    failed = sum(not r.ok for r in results)
    skipped = sum(r.skipped for r in results)
    # a .docx without the PDF or previews asked for is delivered, but the build did not do all it was asked
    short = sum(bool(r.missing) for r in results)
    shortfall = f"，{short} 个没有生成 PDF 或预览" if short else ""
    built = len(results) - failed - skipped
    errors, warnings = counts([p for r in results for p in r.problems])
    with_errors = sum(has_errors(r.problems) for r in results)
    where = f"（{with_errors} 个单位有错误）" if with_errors else ""
    typer.echo(
        f"完成：生成 {built} 个文档{shortfall}，跳过 {skipped} 个（未变），{failed} 个失败；"
        f"共 {errors} 个错误{where}，{warnings} 个警告。"
    )
    raise typer.Exit(1 if failed or short else 0)


def _samples_note() -> None:
    """In perfgen's own repository, plain validate and build take projects/: the samples, not a clerk's township."""
    from perfgen.repo.editor import perfgen_checkout

    if perfgen_checkout(Path.cwd()) is not None and DEFAULT_PROJECTS.is_dir():
        typer.echo(
            "注意：这里是 perfgen 程序自己的仓库，projects/ 中是保留了缺陷的样例单位。"
            "检查或生成自己的单位，请写出它的文件夹（如 perfgen validate 某某镇-2025），或到县里的源文件仓库中运行。",
            err=True,
        )


class Format(str, Enum):
    text = "text"
    json = "json"
    github = "github"


@app.command("validate", cls=Command)
def validate_command(
    paths: list[Path] | None = typer.Argument(
        None, metavar="[单位文件夹]...", help="单位文件夹，或包含若干单位文件夹的文件夹。不写时检查 projects/ 下的全部单位。", show_default=False
    ),
    strict: bool = typer.Option(False, "--strict", help="有警告时也以失败（退出码 1）结束。"),
    output_format: Format = typer.Option(Format.text, "--format", metavar="<text|json|github>", help="text：逐行列出问题；json：供程序读取的 JSON 列表；github：CI 中在合并请求的对应行上标出问题。"),
    jobs: int | None = typer.Option(None, "-j", "--jobs", metavar="<进程数>", callback=_at_least_one, help="同时使用的进程数；默认为 CPU 核数。"),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="只列出错误，不列出警告（结尾的统计仍包括警告）。"),
    since: str | None = typer.Option(
        None, "--since", metavar="<版本>", help="只列出这次改动带来的问题：现在有、而在 git 版本 <版本>（如 main、HEAD）时没有的问题。"
    ),
    rules: list[str] | None = typer.Option(
        None, "--rule", metavar="<规则>", help="只检查这条规则（规则编号见经办人指南的规则表，如“rollover-review”）；可以写多个 --rule。"
    ),
) -> None:
    """检查源文件：列出每个问题的文件、行、列、规则和说明。

    发现错误时退出码为 1；加 --strict 时有警告也为 1；没有问题时为 0。
    加 --since 时只看这次改动带来的问题：以前就有的问题只计数、不列出，也不影响退出码。
    """
    from perfgen.cli_output import coloured, problem_lines
    from perfgen.problems import counts, format_github, format_json, has_errors, summary
    from perfgen.validate.run import validate, validate_since

    if not paths and not quiet:
        _samples_note()
    named = paths or [DEFAULT_PROJECTS]
    report = validate_since(named, since, jobs, rules) if since else validate(named, jobs, rules)
    total = summary(report.problems, report.files)
    if since:
        errors, warnings = counts(report.problems)
        total = f"共检查 {report.files} 个文件：与 {since} 相比，新增 {errors} 个错误，{warnings} 个警告"
        total += f"；{report.known} 个问题在 {since} 时已经存在，未列出（不加 --since 可查看全部）。" if report.known else "。"
        for old, now in report.renamed:  # said before the count: a reviewer sees why a folder's old problems are not new
            total = f"单位文件夹 {display_path(old)} 已改名为 {display_path(now)}（按单位编码和年度对应），与它在 {since} 时的问题比较。\n" + total
    if output_format is Format.json:
        typer.echo(format_json(report.problems))
    elif output_format is Format.github:
        if report.problems:
            typer.echo(format_github(report.problems))
        typer.echo(total)
    else:
        listed = problem_lines(report.problems, coloured(sys.stdout), quiet)
        if listed:
            typer.echo(listed)
        typer.echo(total)
    failed = has_errors(report.problems) or (strict and bool(report.problems))
    raise typer.Exit(1 if failed else 0)


@app.command("fmt", cls=Command)
def fmt_command(
    paths: list[Path] | None = typer.Argument(
        None, metavar="[路径]...", help="源文件、单位文件夹或包含单位文件夹的文件夹。不写时整理 projects/ 下的全部源文件。", show_default=False
    ),
    check: bool = typer.Option(False, "--check", help="只检查不改动：列出需要整理的文件，有则退出码为 1。"),
    show_diff: bool = typer.Option(False, "--diff", help="同时显示每个文件整理前后的差别。"),
    fix: bool = typer.Option(
        False, "--fix", help="先改正能自动改正的输入错误（全角冒号、全角空格、Tab 缩进、不换行空格、数字和编码中的全角数字等），并列出改了什么；意思不明确的（如 72，30）只提问，不猜。"
    ),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="只显示问题：不列出整理了哪些文件，也不显示统计。"),
) -> None:
    """把源文件整理成统一格式（键的顺序、缩进、引号、金额写法），注释保留，内容不变。"""
    from perfgen.problems import format_text
    from perfgen.review.fmt import format_paths

    named = paths or [DEFAULT_PROJECTS]
    absent = [path for path in named if not path.exists()]
    if absent:
        for path in absent:
            typer.echo(f"错误：{display_path(path)}：路径不存在。请检查路径（单位文件夹、源文件或包含单位的文件夹）。", err=True)
        raise typer.Exit(1)
    results = format_paths(named, check=check, fix=fix)
    problems = [p for r in results for p in r.problems]
    changed = [r for r in results if r.changed]
    if problems:
        typer.echo(format_text(problems), err=True)
    for result in changed:
        if not quiet:
            for done in result.fixes:
                typer.echo(f"{'可以改正' if check else '已改正'}：{done}")
            typer.echo(f"{'需要整理' if check else '已整理'}：{result.display}")
        if show_diff:
            typer.echo(result.diff, nl=False)
    verb = "需要整理" if check else "整理了"
    failed = sum(1 for r in results if r.problems)
    if not quiet:
        typer.echo(f"共 {len(results)} 个文件，{verb} {len(changed)} 个，{failed} 个无法处理。")
    if check and changed and not quiet:
        names = " ".join(_quoted(r.display) for r in changed)
        typer.echo(f"运行 perfgen fmt {'--fix ' if fix else ''}{names} 即可整理。")
    raise typer.Exit(1 if problems or (check and changed) else 0)


def _quoted(path: str) -> str:
    """A path as it can be pasted into a shell (POSIX or PowerShell): quoted when it holds a space or quote."""
    if path and not any(c in path for c in " \t'\"$`&|;()<>"):
        return path
    return "'" + path.replace("'", "''") + "'" if sys.platform == "win32" else "'" + path.replace("'", "'\\''") + "'"


class DiffFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    comment = "comment"


@app.command("diff", cls=Command)
def diff_command(
    old: str | None = typer.Argument(None, metavar="[旧版本]", help="旧版本：git 版本（如 main、HEAD~1）或文件夹。默认 HEAD。", show_default=False),
    new: str | None = typer.Argument(None, metavar="[新版本]", help="新版本：git 版本或文件夹。默认当前工作区。", show_default=False),
    projects: Path = typer.Option(DEFAULT_PROJECTS, "--projects", metavar="<文件夹>", help="比较 git 版本时，源文件所在的文件夹。"),
    output_format: DiffFormat = typer.Option(
        DiffFormat.text, "--format", metavar="<text|markdown|comment>",
        help="text：终端阅读；markdown：可直接贴到合并请求的评论；comment：CI 的合并请求评论，内容变化加上这次改动带来的问题（旧版本须是 git 版本，新版本为工作区），太长时改为各单位的汇总。",
    ),
    link: str | None = typer.Option(None, "--link", metavar="<网址>", help="--format comment：附件（文档、报表、完整检查结果）的网址，写在评论末尾。"),
) -> None:
    """比较两个版本的源文件内容：项目增删改、金额、支出计划、目标、指标、第一部分文字和预算总额。

    两个文件夹可以是同一单位的两个年度（如 某镇-2024 和 某镇-2025）：项目按编码（不看第 7、8 位年度）和名称对应。
    退出码：0 比较完成；1 出错（版本或文件夹不存在）；3 有文件无法读取（格式错误），这些文件未参与比较，问题列在错误输出中。
    """
    from perfgen.cli_output import coloured, problem_lines
    from perfgen.review.diff import compare, format_markdown
    from perfgen.review.diff import format_text as diff_text
    from perfgen.review.versions import read_sides

    old = old if old is not None else "HEAD"
    if output_format is DiffFormat.comment and (new is not None or Path(old).is_dir()):
        raise PerfgenError("--format comment 比较 git 版本和当前工作区：只写旧版本，如 perfgen diff main --format comment")
    before, after = read_sides(old, new, projects)
    changes = compare(before, after)
    if output_format is DiffFormat.comment:
        from perfgen.review.comment import pr_comment
        from perfgen.validate.run import validate_since

        report = validate_since([projects], old)
        typer.echo(pr_comment(changes, report.problems, report.known, old, link), nl=False)
    else:
        typer.echo(format_markdown(changes) if output_format is DiffFormat.markdown else diff_text(changes))
    unreadable = [p for change in changes for p in change.unreadable]
    if unreadable:
        typer.echo(problem_lines(unreadable, coloured(sys.stderr)), err=True)
        typer.echo(f"错误：{len({p.file for p in unreadable})} 个文件无法读取，未参与比较：请先改正上面的格式错误。", err=True)
        raise typer.Exit(UNREADABLE_EXIT)


UNREADABLE_EXIT = 3  # perfgen diff: a file of either side could not be read (1 is any other error, 2 a wrong option)


@app.command("init", cls=Command)
def init_command(
    folder: Path = typer.Argument(Path("."), metavar="[文件夹]", show_default=False, help="保存各单位源文件的仓库文件夹。默认为当前文件夹。"),
    perfgen_url: str | None = typer.Option(
        None, "--perfgen-url", metavar="<地址>", help="perfgen 的 git 仓库地址，写入 pre-commit 配置和 CI 工作流。默认为安装 perfgen 时用的地址。"
    ),
    rev: str | None = typer.Option(None, "--rev", metavar="<版本>", help="perfgen 的版本（标签或提交），与 --perfgen-url 一起使用。"),
    quiet: bool = typer.Option(False, "-q", "--quiet", help=QUIET_HELP),
) -> None:
    """设置保存源文件的仓库：编辑器检查、提交前检查（pre-commit）、合并请求的 CI 工作流。

    已有的文件不会被覆盖；再次运行会把 .perfgen/schemas 中的格式定义更新为当前 perfgen 的版本。
    """
    from perfgen.repo.init import Source, init_repository

    if (perfgen_url is None) != (rev is None):
        typer.echo("错误：--perfgen-url 和 --rev 要一起写，例如 --perfgen-url https://…/perfgen.git --rev v0.3.0", err=True)
        raise typer.Exit(2)
    source = Source(perfgen_url, rev) if perfgen_url and rev else None
    result = init_repository(folder, source)
    for name in result.written if not quiet else ():
        typer.echo(f"已写入：{name}")
    for name in result.kept if not quiet else ():
        typer.echo(f"已存在，未改动：{name}")
    for note in result.notes:
        typer.echo(f"请注意：{note}")
    if not quiet:
        typer.echo(f"完成：写入 {len(result.written)} 个，未变 {len(result.unchanged)} 个，保留已有的 {len(result.kept)} 个。")


@app.command("text", cls=Command)
def text_command(document: Path = typer.Argument(..., metavar="文档", help="生成的 Word 文档（.docx）。", show_default=False)) -> None:
    """把 .docx 打印为纯文本（段落，然后表格逐格），可用作 git 的 textconv。"""
    from perfgen.docxtext import file_text

    sys.stdout.write(file_text(document))


@app.command("import", cls=Command)
def import_command(
    document: Path = typer.Argument(
        ..., metavar="文件", help="已公开的绩效文本：.docx、.doc、.wps 或 .pdf。", show_default=False
    ),
    out: Path | None = typer.Option(None, "--out", "-o", metavar="<文件夹>", help="要写入的单位文件夹；不写时为 <单位名称>-<年度>。"),
    force: bool = typer.Option(False, "--force", help="单位文件夹已经存在时覆盖它。"),
    quiet: bool = typer.Option(False, "-q", "--quiet", help=QUIET_HELP),
) -> None:
    """导入去年公开的绩效文本（Word、WPS 或 PDF），写成单位文件夹的源文件。

    读不出的内容写成占位文字“××（待补：…）”并列出原文位置，perfgen validate 也会报告它们。
    """
    from perfgen.importer import import_file

    def progress(index: int, total: int, name: str) -> None:
        if not quiet:
            typer.echo(f"[{index:>{len(str(total))}}/{total}] {name}", err=True)

    result = import_file(document, out, force=force, progress=progress)
    for note in result.notes:
        typer.echo(f"需要核对：{display_path(document)}（{note.place}）：{note.message}")
    _kept_and_remarks(result.kept, result.remarks, quiet)
    if not quiet:
        typer.echo(
            f"完成：{result.projects} 个项目已写入 {display_path(result.folder)}，{len(result.notes)} 处需要核对。"
            f"请运行 perfgen validate {_quoted(display_path(result.folder))} 检查。"
        )


@app.command("new", cls=Command)
def new_command(
    folder: Path = typer.Argument(..., metavar="文件夹", help="要新建的单位文件夹，如 projects/某某镇-2025。", show_default=False),
    source: Path | None = typer.Option(None, "--from", metavar="<文件夹>", help="去年的单位文件夹：由它结转出新的年度。"),
    name: str | None = typer.Option(None, "--单位名称", metavar="<名称>", help="如 怀来县官厅镇人民政府。"),
    code: str | None = typer.Option(None, "--单位编码", metavar="<编码>", help="预算系统中的单位编码，如 816001。"),
    year_typed: str | None = typer.Option(
        None, "--年度", metavar="<年度>", help="预算年度，如 2025。不写时取文件夹名末尾的年份（如 某某镇-2025），没有时为今年。"
    ),
    money_unit: str | None = typer.Option(None, "--金额单位", metavar="<万元|元>", help="万元 或 元（默认万元）。"),
    frame: str = typer.Option(
        "三类", "--指标体系", metavar="<三类|四类>", help="三类（默认）或四类（财预〔2021〕101号，成本指标为一级指标）。"
    ),
    force: bool = typer.Option(False, "--force", help="文件夹已经存在时覆盖它。"),
    quiet: bool = typer.Option(False, "-q", "--quiet", help=QUIET_HELP),
) -> None:
    """新建单位文件夹：文档.yaml 和一个示例项目（占位文字由 perfgen validate 列出）。

    加 --from 时由去年的文件夹结转：年度加 1，项目编码第 7、8 位和文字中的旧年度改为新年度，
    封面加“（草案）”，金额保留，每个项目标上“待核对”（perfgen validate 提示，核对后删除）。
    没有写的选项在终端中会逐项询问；不在终端中时用默认值。
    """
    import datetime

    from perfgen.scaffold import (
        MONEY_UNITS, code_problem, money_unit_problem, new_township, read_code, read_year, roll_over, year_of_folder,
        year_problem,
    )

    from perfgen.repo.editor import perfgen_checkout

    checkout = perfgen_checkout(folder.parent)
    if checkout is not None and (checkout / "projects") in folder.resolve().parents:
        # a clerk's township beside the samples: every plain validate and build would take the samples too
        raise PerfgenError(
            "这里是 perfgen 程序自己的仓库，projects/ 中是保留了缺陷的样例单位，不是县里的源文件仓库："
            "请在县里的源文件仓库中新建单位（还没有时，在一个新文件夹中运行 perfgen init 建立一个）"
        )
    if source is not None:
        if any(v is not None for v in (name, code, year_typed, money_unit)) or frame != "三类":
            raise PerfgenError("--from 时单位名称、编码、年度、金额单位和指标体系都取自去年的文件夹，不要再写 --单位名称 等选项")
        new_year, written = roll_over(source, folder, force)
        _kept_and_remarks(written.kept, written.notes, quiet)
        if quiet:
            return
        typer.echo(f"完成：由 {display_path(source)} 结转出 {new_year} 年度，写入 {display_path(folder)}（{len(written.files) - 1} 个项目）。")
        typer.echo(f"每个项目都标上了“待核对”：核对金额、支出计划和指标值后删除这一行。请运行 perfgen validate {_quoted(display_path(folder))} 检查。")
        return
    if year_typed is not None and read_year(year_typed) is None:
        raise PerfgenError(year_problem(year_typed))
    interactive = sys.stdin.isatty()
    default_year = year_of_folder(folder) or datetime.date.today().year
    if name is None:
        name = _ask("单位名称", "××镇人民政府", lambda text: text.strip() or None, lambda text: "单位名称不能为空") if interactive else "××镇人民政府"
    if code is None and not interactive:
        typer.echo("没有写 --单位编码，暂写为 000000：请在 文档.yaml 中改成本单位的编码", err=True)
    if code is None:
        code = _ask("单位编码（数字）", "000000", read_code, code_problem) if interactive else "000000"
    year = read_year(year_typed) if year_typed is not None else None
    if year is None:
        year = _ask("年度", str(default_year), read_year, year_problem) if interactive else default_year
    if money_unit is None:
        money_unit = (
            _ask("金额单位（万元 或 元）", "万元", lambda text: text.strip() if text.strip() in MONEY_UNITS else None, money_unit_problem)
            if interactive else "万元"
        )
    written = new_township(folder, name, code, year, money_unit, force, frame)
    for path in written.files if not quiet else ():
        typer.echo(f"已写入：{display_path(path)}")
    _kept_and_remarks(written.kept, written.notes, quiet)
    if not quiet:
        typer.echo(f"请把“××”占位文字换成实际内容，复制示例项目写出其他项目，然后运行 perfgen validate {_quoted(display_path(folder))} 检查。")


def _kept_and_remarks(kept: list[Path], remarks: list[str], quiet: bool = False) -> None:
    """What --force left of the old folder (not with --quiet), and what writing left alone (editor settings)."""
    for path in kept if not quiet else ():
        typer.echo(f"保留原有文件（这次没有写它）：{display_path(path)}")
    for remark in remarks:
        typer.echo(f"请注意：{remark}")


def _ask(question: str, default: str, read: Any, problem: Any) -> Any:
    """Ask until ``read`` accepts the answer (it returns None for a wrong one); ``problem`` says why, in Chinese."""
    while True:
        answer = str(typer.prompt(question, default=default))
        value = read(answer)
        if value is not None:
            return value
        typer.echo(f"{problem(answer)}，请重新输入", err=True)


@app.command("serve", cls=Command)
def serve_command(
    paths: list[Path] | None = typer.Argument(
        None, metavar="[单位文件夹]...", help="单位文件夹，或包含若干单位文件夹的文件夹。不写时预览 projects/ 下的全部单位。", show_default=False
    ),
    port: int = typer.Option(8000, "--port", metavar="<端口>", help="网页预览的端口。"),
    host: str = typer.Option("127.0.0.1", "--host", metavar="<地址>", help="只在需要让别的电脑访问时才改（如 0.0.0.0）：预览没有密码，同一网络中的人都能看到。"),
    open_browser: bool = typer.Option(False, "--open", help="启动后在浏览器中打开预览。"),
) -> None:
    """在浏览器中边写边看：文档按纸面排版显示，每个问题标在它所在的单元格上。

    保存任何源文件后，打开的网页自动更新，不用刷新；装有 LibreOffice 时，「分页预览」显示真实的分页和目录页码。
    按 Ctrl+C 停止。
    """
    import signal

    from perfgen.serve.app import Server, is_local, open_in_browser

    if not is_local(host):
        typer.echo(f"警告：预览将对其他电脑开放（--host {host}）。预览没有密码，同一网络中能访问本机的人都能看到这些源文件的内容。", err=True)
    server = Server(paths or [DEFAULT_PROJECTS], host, port)
    # a polite kill (SIGTERM) ends the preview as Ctrl+C does: LibreOffice and its files go with it
    signal.signal(signal.SIGTERM, lambda *_: server.preview.stopping.set())
    server.start()
    typer.echo(f"预览地址：{server.url}（按 Ctrl+C 停止）")
    if open_browser and (trouble := open_in_browser(server.url)):
        typer.echo(trouble, err=True)
    try:
        server.preview.stopping.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    typer.echo("预览已停止。")


@app.command("report", cls=Command)
def report_command(
    paths: list[Path] | None = typer.Argument(
        None, metavar="[单位文件夹]...", help="单位文件夹，或包含若干单位文件夹的文件夹。不写时汇总 projects/ 下的全部单位。", show_default=False
    ),
    out: Path = typer.Option(Path("build/报表"), "--out", "-o", metavar="<文件夹>", help="报表写入的文件夹：“index.html”、各单位的页面、“跨单位.html”和“报表.xlsx”。"),
    jobs: int | None = typer.Option(None, "-j", "--jobs", metavar="<进程数>", callback=_at_least_one, help="同时使用的进程数；默认为 CPU 核数。"),
) -> None:
    """全县汇总：每个单位的年度、项目数、预算总额、错误和警告，各单位的文档和问题，跨单位重复的内容，以及 Excel 报表。

    写出的网页不需要网络和服务器，可以放在内网共享文件夹中直接打开。
    """
    from perfgen.report import write_report

    result = write_report(paths or [DEFAULT_PROJECTS], out, jobs)
    typer.echo(f"完成：{result.townships} 个单位的汇总已写入 {display_path(out)}：打开 {display_path(out / 'index.html')}；Excel 报表 {display_path(out / '报表.xlsx')}。")


template_app = typer.Typer(cls=Group, help="Word 模板：检查县里修改过的模板。", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(template_app, name="template")


@template_app.command("check", cls=Command)
def template_check_command(
    template: Path | None = typer.Argument(
        None, metavar="[模板]", help="要检查的 .docx 模板；不写时检查标准模板。", show_default=False
    ),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="只列出问题：模板符合要求时什么都不显示。"),
) -> None:
    """检查模板是否仍能用于生成：样式、标记、目录域、指标表的行。有问题时退出码为 1。"""
    from perfgen.render.contract import check_template
    from perfgen.resources import standard_template

    path = template or standard_template()
    problems = check_template(path)
    for problem in problems:
        typer.echo(f"{display_path(path)}：{problem}")
    if problems:
        typer.echo(f"模板 {display_path(path)} 有 {len(problems)} 个问题，修改后再用 --template 生成。")
        raise typer.Exit(1)
    if not quiet:
        typer.echo(f"模板 {display_path(path)} 符合要求：样式、标记、目录域和指标表的行都齐全，示例数据生成正常。")


def main(args: list[str] | None = None) -> None:
    """The console entry point; every PerfgenError of every command ends here as one Chinese line and exit 1."""
    # Chinese output must not fail on a console whose encoding is not UTF-8
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    try:
        code = run(app, args, prog_name="perfgen")
    except PerfgenError as exc:
        typer.echo(f"错误：{exc}", err=True)
        sys.exit(1)
    except OSError as exc:  # the system refused a file no command checked first: its reason in Chinese, not English
        from perfgen.errors import system_reason

        where = f"{display_path(Path(os.fsdecode(exc.filename)))}：" if exc.filename else ""
        typer.echo(f"错误：{where}{system_reason(exc)}", err=True)
        sys.exit(1)
    sys.exit(code)
