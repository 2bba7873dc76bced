"""``perfgen diff``: what changed in the content, per township and project, in a reviewer's words.

Townships are matched by unit code and year, then (year over year) by unit
code, then by folder. Projects are matched by 项目编码 (across years without
its year digits 7 and 8); where codes clash, by code and name, then code and
file; then by name. Indicators are matched by 一级/二级/三级 name. So renaming
or moving files and re-formatting them show as no change, and any change of
content shows. The result is a list of TownshipChange values; ``format_text`` and
``format_markdown`` turn it into a terminal report or a pull-request comment.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from perfgen.form import MONTHS
from perfgen.model import Amount, Document, Indicator, Project, amount_text, percent_text
from perfgen.problems import Problem
from perfgen.review.versions import Version

T = TypeVar("T")
YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")

AMOUNTS = (("budget", "预算数"), ("fiscal", "财政资金"), ("other", "其他资金"))
ROW_FIELDS = (("description", "描述"), ("value", "指标值"), ("basis", "依据"))
COVER = (("unit", "封面单位"), ("draft", "草案"), ("compiler", "编制单位"), ("reviewer", "审核单位"))


@dataclass
class Item:
    """One change; ``details`` are its sub-points (the changed fields of a project)."""

    text: str
    details: list[str] = field(default_factory=list)


@dataclass
class TownshipChange:
    title: str
    folder: str
    unit: str
    total_before: Decimal | None
    total_after: Decimal | None
    items: list[Item] = field(default_factory=list)
    unreadable: list[Problem] = field(default_factory=list)  # files of either version that could not be compared
    # with files unreadable on either side: both totals without the projects of those files, so that they compare
    comparable: tuple[Decimal, Decimal] | None = None


def _money(value: Decimal, unit: str) -> str:
    return str(Amount(value, unit))


def _delta(before: Decimal, after: Decimal) -> str:
    change = after - before
    return f"{'+' if change > 0 else '-'}{amount_text(abs(change))}"


def _texts(label: str, before: Sequence[str], after: Sequence[str]) -> Iterator[str]:
    """Added, removed and changed entries of two lists of texts, in order."""
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            continue
        old, new = before[a0:a1], after[b0:b1]
        for o, n in zip(old, new):
            yield f"修改{label}：「{o}」 -> 「{n}」"
        for o in old[len(new) :]:
            yield f"删除{label}：「{o}」"
        for n in new[len(old) :]:
            yield f"新增{label}：「{n}」"


def _rows(project: Project) -> dict[tuple[str, str, str, int], Indicator]:
    """The rows by 一级/二级/三级 name (and a count, for rows that share all three)."""
    rows: dict[tuple[str, str, str, int], Indicator] = {}
    seen: Counter[tuple[str, str, str]] = Counter()
    for row in project.rows:
        name = (row.level1, row.level2, row.name)
        rows[name + (seen[name],)] = row  # not (*name, …): mypy reads a starred subscript as 3.11 syntax
        seen[name] += 1
    return rows


def _row_text(row: Indicator) -> str:
    return "；".join(f"{label} {getattr(row, attr)}" for attr, label in ROW_FIELDS if getattr(row, attr))


def _indicators(before: Project, after: Project) -> Iterator[str]:
    old, new = _rows(before), _rows(after)
    for key, row in new.items():
        name = "/".join(key[:3])
        if key not in old:
            yield f"新增指标 {name}：{_row_text(row)}"
            continue
        for attr, label in ROW_FIELDS:
            if getattr(old[key], attr) != getattr(row, attr):
                yield f"修改指标 {name}：{label} {getattr(old[key], attr)} -> {getattr(row, attr)}"
    for key, row in old.items():
        if key not in new:
            yield f"删除指标 {'/'.join(key[:3])}：{_row_text(row)}"
    kept = [key for key in new if key in old]
    if kept != [key for key in old if key in new]:
        yield "调整指标顺序：" + "、".join("/".join(key[:3]) for key in kept)


def _project(before: Project, after: Project, unit: str) -> list[str]:
    details = []
    if before.name != after.name:
        details.append(f"项目名称：{before.name} -> {after.name}")
    for attr, label in AMOUNTS:
        old, new = getattr(before, attr).value, getattr(after, attr).value
        if old != new:
            details.append(f"{label}：{amount_text(old)} -> {_money(new, unit)}（{_delta(old, new)}）")
    if before.purpose != after.purpose:
        details.append(f"资金用途：{before.purpose} -> {after.purpose}")
    for month in MONTHS:
        old, new = before.plan[month], after.plan[month]
        if old != new:
            details.append(f"资金支出计划 {month}：{percent_text(old)} -> {percent_text(new)}")
    details += _texts("绩效目标", before.goals, after.goals)
    details += _indicators(before, after)
    return details


def _project_in_full(project: Project, unit: str) -> list[str]:
    """Every field of a project a reviewer checks, for a project that is new: nothing to compare it with."""
    details = [
        "；".join(f"{label} {_money(getattr(project, attr).value, unit)}" for attr, label in AMOUNTS),
        f"资金用途：{project.purpose}",
        "资金支出计划：" + "，".join(f"{month} {percent_text(project.plan[month])}" for month in MONTHS),
    ]
    details += [f"绩效目标 {number}：{goal}" for number, goal in enumerate(project.goals, 1)]
    details += [f"指标 {row.level1}/{row.level2}/{row.name}：{_row_text(row)}" for row in project.rows]
    return details


def _document_in_full(document: Document) -> Iterator[Item]:
    """The 文档.yaml of a township that is new: unit, cover and the paragraphs of 第一部分."""
    cover = "；".join(f"{label} {_shown(getattr(document.cover, attr))}" for attr, label in COVER)
    yield Item(f"单位：{document.unit_name}（单位编码 {document.unit_code}），金额单位 {document.unit}", [cover])
    for section in document.sections:
        yield Item(f"第一部分 {section.title}", [p.text for p in section.paragraphs()])


def _shown(value: object) -> object:
    if isinstance(value, bool):
        return "是" if value else "否"
    return "（无）" if value == "" else value


def _document(before: Document, after: Document) -> Iterator[Item]:
    for attr, label in (("year", "年度"), ("unit_code", "单位编码"), ("unit_name", "单位名称"), ("unit", "金额单位"), ("frame", "指标体系")):
        if getattr(before, attr) != getattr(after, attr):
            yield Item(f"{label}：{getattr(before, attr)} -> {getattr(after, attr)}")
    for attr, label in COVER:
        old, new = getattr(before.cover, attr), getattr(after.cover, attr)
        if old != new:
            yield Item(f"{label}：{_shown(old)} -> {_shown(new)}")
    for old_section, new_section in zip(before.sections, after.sections):
        old = [p.text for p in old_section.paragraphs()]
        new = [p.text for p in new_section.paragraphs()]
        details = list(_texts("段落", old, new))
        if details:
            yield Item(f"第一部分 {new_section.title}", details)


def _match(before: list[T], after: list[T], keys: list[Callable[[T], object]]) -> tuple[list[tuple[T, T]], list[T], list[T]]:
    """Pairs of ``before`` and ``after`` items, by each key in turn where it is unique on both sides; then those left."""
    pairs: list[tuple[T, T]] = []
    old, new = list(before), list(after)
    for key in keys:
        old_keys = Counter(key(item) for item in old)
        new_keys = Counter(key(item) for item in new)
        by_key = {key(item): item for item in old if old_keys[key(item)] == 1}
        matched = []
        for item in new:
            k = key(item)
            if k is not None and new_keys[k] == 1 and k in by_key:
                matched.append((by_key[k], item))
        ids = {id(a) for a, _ in matched} | {id(b) for _, b in matched}
        pairs += matched
        old = [item for item in old if id(item) not in ids]
        new = [item for item in new if id(item) not in ids]
    return pairs, old, new


def _code_key(across_years: bool) -> Callable[[Project], str]:
    """A project's 项目编码; from one year to another without its digits 7 and 8 (the year)."""
    if across_years:
        return lambda project: project.code[:6] + project.code[8:]
    return lambda project: project.code


def match_projects(before: Version, after: Version) -> tuple[list[tuple[Project, Project]], list[Project], list[Project]]:
    """Projects of two versions paired: by code; where codes clash, by code and name, then code and file; then by name."""
    code = _code_key(before.year != after.year)
    files = {id(p): version.relative(p.file.path) for version in (before, after) for p in version.projects}
    keys: list[Callable[[Project], object]] = [
        code,
        lambda p: (code(p), p.name),
        lambda p: (code(p), files[id(p)]),
        lambda p: p.name,
    ]
    return _match(before.projects, after.projects, keys)


def _projects(before: Version, after: Version, unit: str) -> Iterator[Item]:
    pairs, removed, added = match_projects(before, after)
    code = _code_key(before.year != after.year)
    for old, project in pairs:
        details = _project(old, project, unit)
        if code(old) != code(project):
            details.insert(0, f"项目编码：{old.code} -> {project.code}")
        if details:
            yield Item(f"修改项目：{project.name}（{project.code}）", details)
    position = {id(project): n for n, project in enumerate(before.projects)}
    order = [id(project) for _, project in sorted(pairs, key=lambda pair: position[id(pair[0])])]
    paired = {id(project) for _, project in pairs}
    kept = [project for project in after.projects if id(project) in paired]
    if order != [id(project) for project in kept]:
        yield Item("项目顺序调整：" + "、".join(project.name for project in kept))
    # a file that cannot be read on one side is not a deletion or an addition: its error is reported instead
    unknown = before.document is None or after.document is None
    for project in added:
        if unknown or after.relative(project.file.path) in before.broken:
            continue
        yield Item(f"新增项目：{project.name}（{project.code}）", _project_in_full(project, unit))
    for project in removed:
        if unknown or before.relative(project.file.path) in after.broken:
            continue
        yield Item(f"删除项目：{project.name}（{project.code}），预算数 {_money(project.budget.value, unit)}")


def compare_township(before: Version | None, after: Version | None) -> TownshipChange | None:
    """The changes of one township between two versions; None when nothing changed."""
    current = after or before
    assert current is not None
    unit = (after.unit if after else "") or (before.unit if before else "")
    folder = current.folder if not (before and after) or before.folder == after.folder else f"{before.folder} -> {after.folder}"
    change = TownshipChange(
        current.title, folder, unit, before.total if before else None, after.total if after else None
    )
    if before is None:
        change.items.append(Item(f"新增单位（{len(current.projects)} 个项目）"))
        if current.document:
            change.items += _document_in_full(current.document)
        change.items += _projects(Version(current.folder, current.document), current, unit)
    elif after is None:
        change.items.append(Item(f"删除单位（{len(current.projects)} 个项目）"))
    else:
        if before.document and after.document:
            change.items += _document(before.document, after.document)
        change.items += _projects(before, after, change.unit)
    for version, label in ((before, "旧版本"), (after, "新版本")):
        for problem in version.unreadable if version else []:
            change.unreadable.append(problem)
            change.items.append(Item(f"{label}的 {problem.file} 第 {problem.line} 行有格式错误，此文件未参与比较：{problem.message}"))
    if change.unreadable and before and after:
        change.comparable = (_total_without(before, after.broken), _total_without(after, before.broken))
    if before and after and before.folder != after.folder and not change.items:
        # the content is the same, but the document is built under the folder's name: the reviewer is told
        change.items.append(Item(f"单位文件夹改名，内容没有变化：生成的文档由 {before.folder}.docx 改为 {after.folder}.docx"))
    return change if change.items else None


def _total_without(version: Version, broken: set[str]) -> Decimal:
    """The total of ``version`` without its projects in files the other version could not read."""
    return sum((p.budget.value for p in version.projects if version.relative(p.file.path) not in broken), Decimal(0))


def _year_free(folder: str) -> str:
    return YEAR.sub("", folder)


def match_townships(before: list[Version], after: list[Version]) -> tuple[list[tuple[Version, Version]], list[Version], list[Version]]:
    """Townships of two versions paired: by unit code and year, by unit code (year over year), by folder, by folder without its year."""
    keys: list[Callable[[Version], object]] = [
        lambda v: (v.document.unit_code, v.document.year) if v.document else None,
        lambda v: v.document.unit_code if v.document else None,
        lambda v: v.folder,
        lambda v: _year_free(v.folder),
    ]
    return _match(before, after, keys)


def compare(before: list[Version], after: list[Version]) -> list[TownshipChange]:
    pairs, removed, added = match_townships(before, after)
    matched: list[tuple[Version | None, Version | None]] = [*pairs, *((v, None) for v in removed), *((None, v) for v in added)]
    changes = []
    for old, new in sorted(matched, key=lambda pair: (pair[1] or pair[0]).folder):  # type: ignore[union-attr]
        found = compare_township(old, new)
        if found:
            changes.append(found)
    return changes


def total_line(change: TownshipChange) -> str:
    unit = change.unit
    old, new = change.total_before, change.total_after
    if change.unreadable and change.comparable is not None:
        old, new = change.comparable
        compared = f"{_money(new, unit)}（未变）" if old == new else f"{amount_text(old)} -> {_money(new, unit)}（{_delta(old, new)}）"
        return f"预算总额：有文件无法读取，合计不完整；两个版本都不计这些文件中的项目，其余项目 {compared}"
    if change.unreadable:
        known = " -> ".join(_money(total, unit) for total in (old, new) if total is not None)
        return f"预算总额：有文件无法读取，合计不完整（可读取的部分 {known}）"
    if old is None:
        assert new is not None  # a township is in one of the versions at least
        return f"预算总额：{_money(new, unit)}"
    if new is None:
        return f"预算总额：{_money(old, unit)}（已删除）"
    if old == new:
        return f"预算总额：{_money(new, unit)}（未变）"
    return f"预算总额：{amount_text(old)} -> {_money(new, unit)}（{_delta(old, new)}）"


NO_CHANGE = "没有内容变化。"


def format_text(changes: list[TownshipChange]) -> str:
    if not changes:
        return NO_CHANGE
    lines = []
    for change in changes:
        lines.append(f"{change.title}（{change.folder}）")
        lines.append(f"  {total_line(change)}")
        for item in change.items:
            lines.append(f"  {item.text}")
            lines += [f"    {detail}" for detail in item.details]
    lines.append(f"共 {len(changes)} 个单位有变化。")
    return "\n".join(lines)


def markdown_text(text: str) -> str:
    """A source's text in Markdown: an HTML tag a clerk typed (<img src=…>) is shown, never rendered by the forge."""
    return text.replace("<", "&lt;")  # no tag opens without "<"; the arrows "->" stay as they are


def format_markdown(changes: list[TownshipChange]) -> str:
    lines = ["## perfgen：内容变化", ""]
    if not changes:
        return "\n".join([*lines, NO_CHANGE])
    for change in changes:
        lines += [f"### {markdown_text(change.title)}（`{change.folder}`）", "", total_line(change), ""]
        for item in change.items:
            lines.append(f"- {markdown_text(item.text)}")
            lines += [f"  - {markdown_text(detail)}" for detail in item.details]
        lines.append("")
    lines.append(f"共 {len(changes)} 个单位有变化。")
    return "\n".join(lines)
