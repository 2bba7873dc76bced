"""The pull-request comment: the content diff and the problems the change brings, in one Markdown text.

Gitea shows no annotations and GitHub at most ten of each kind per step, so the comment
itself tells the whole story. GitHub refuses a comment over 65,536 characters: a comment that
would not fit becomes a summary with one row per township, and the link to the artifact
(documents, county report and the full lists) says where the rest is.
"""

from __future__ import annotations

from collections import defaultdict

from perfgen.problems import Problem, counts, sort_key
from perfgen.review.diff import TownshipChange, format_markdown, markdown_text, total_line

LIMIT = 65_536  # characters of a GitHub comment (Gitea allows more)
MARGIN = 512  # kept for the workflow's hidden marker line and the like


def _problem_item(problem: Problem) -> str:
    return f"- `{problem.file}:{problem.line}` {problem.severity.label} [{problem.rule}] {markdown_text(problem.message)}"


def _problems_section(problems: list[Problem], known: int, since: str) -> list[str]:
    errors, warnings = counts(problems)
    lines = ["## perfgen：这次改动带来的问题", ""]
    if problems:
        lines.append(f"与 `{since}` 相比，新增 {errors} 个错误，{warnings} 个警告：")
        lines.append("")
        lines += [_problem_item(p) for p in sorted(problems, key=sort_key)]
    else:
        lines.append(f"与 `{since}` 相比，没有新问题。")
    if known:
        lines += ["", f"另有 {known} 个问题在 `{since}` 时已经存在，不算这次改动的（完整列表见附件中的“全部问题”）。"]
    return lines


def _link(link: str | None) -> list[str]:
    return ["", f"文档、全县报表和完整的检查结果：[本次运行的附件]({link})"] if link else []


def _summary(changes: list[TownshipChange], problems: list[Problem], known: int, since: str, link: str | None, limit: int) -> str:
    """One row per township that changed or has new problems: what fits when the full comment does not."""
    by_township: dict[str, list[Problem]] = defaultdict(list)
    for problem in problems:
        by_township[problem.township].append(problem)
    rows = []
    names = {change.folder.split(" -> ")[-1]: change for change in changes}
    for name in sorted(set(names) | set(by_township)):
        change = names.get(name)
        errors, warnings = counts(by_township.get(name, []))
        total = total_line(change).removeprefix("预算总额：") if change else "（内容未变）"
        items = len(change.items) if change else 0
        cell = name.replace("|", "\\|")  # a folder name must not split the table's row
        rows.append(f"| {cell} | {total} | {items} | {errors} | {warnings} |")
    errors, warnings = counts(problems)
    head = [
        "## perfgen：内容变化和新问题（汇总）",
        "",
        f"全部内容超过评论的 {LIMIT} 个字符上限，这里只列出每个单位的汇总；逐条的内容变化和问题见附件。",
        "",
        f"共 {len(changes)} 个单位有内容变化；与 `{since}` 相比，新增 {errors} 个错误，{warnings} 个警告"
        + (f"；另有 {known} 个问题原来就有。" if known else "。"),
        "",
        "| 单位 | 预算总额 | 变化条数 | 新错误 | 新警告 |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    tail = _link(link)
    budget = limit - len("\n".join(head + tail)) - 64
    shown = []
    for n, row in enumerate(rows):
        if budget - len(row) - 1 < 0:
            shown.append(f"| ……另有 {len(rows) - n} 个单位 | | | | |")
            break
        shown.append(row)
        budget -= len(row) + 1
    return "\n".join(head + shown + tail) + "\n"


def pr_comment(
    changes: list[TownshipChange], problems: list[Problem], known: int, since: str, link: str | None = None, limit: int = LIMIT
) -> str:
    """The comment: the diff, the new problems and the link; a per-township summary when that would pass ``limit``."""
    limit -= MARGIN
    full = format_markdown(changes).rstrip("\n").split("\n")
    text = "\n".join([*full, "", *_problems_section(problems, known, since), *_link(link)]) + "\n"
    if len(text) <= limit:
        return text
    return _summary(changes, problems, known, since, link, limit)
