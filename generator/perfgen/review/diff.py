"""``perfgen diff``: what changed in the content, per township and project, in a reviewer's words.

Projects are matched by 项目编码 and indicators by 一级/二级/三级 name, so
renaming, moving or re-ordering files, and re-formatting them, show as no
change. The result is a list of TownshipChange values; ``format_text`` and
``format_markdown`` turn it into a terminal report or a pull-request comment.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from perfgen.form import MONTHS, SECTIONS
from perfgen.render.context import amount, percent, section_paragraphs
from perfgen.review.versions import Version

AMOUNTS = ("预算数", "财政资金", "其他资金")
ROW_FIELDS = (("绩效指标描述", "描述"), ("指标值", "指标值"), ("指标值确定依据", "依据"))
COVER = (("单位", "封面单位"), ("草案", "草案"), ("编制单位", "编制单位"), ("审核单位", "审核单位"))


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


def _unit(version: Version | None) -> str:
    return version.document.get("金额单位", "") if version and version.document else ""


def _total(version: Version | None) -> Decimal | None:
    if version is None:
        return None
    return sum((Decimal(p["预算数"]) for p in version.projects.values()), Decimal(0))


def _money(value: Any, unit: str) -> str:
    return f"{amount(Decimal(value))} {unit}".strip()


def _delta(before: Any, after: Any) -> str:
    change = Decimal(after) - Decimal(before)
    return f"{'+' if change > 0 else '-'}{amount(abs(change))}"


def _texts(label: str, before: list[str], after: list[str]) -> Iterator[str]:
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


def _rows(project: dict[str, Any]) -> dict[tuple[str, str, str, int], dict[str, str]]:
    rows: dict[tuple[str, str, str, int], dict[str, str]] = {}
    seen: Counter[tuple[str, str, str]] = Counter()
    for level1, groups in project["绩效指标"].items():
        for group in groups:
            for row in group["指标"]:
                name = (level1, group["二级指标"], row["三级指标"])
                rows[(*name, seen[name])] = row
                seen[name] += 1
    return rows


def _row_text(row: dict[str, str]) -> str:
    return "；".join(f"{label} {row[key]}" for key, label in ROW_FIELDS if row[key])


def _indicators(before: dict[str, Any], after: dict[str, Any]) -> Iterator[str]:
    old, new = _rows(before), _rows(after)
    for key, row in new.items():
        name = "/".join(key[:3])
        if key not in old:
            yield f"新增指标 {name}：{_row_text(row)}"
            continue
        for field_key, label in ROW_FIELDS:
            if old[key][field_key] != row[field_key]:
                yield f"修改指标 {name}：{label} {old[key][field_key]} -> {row[field_key]}"
    for key, row in old.items():
        if key not in new:
            yield f"删除指标 {'/'.join(key[:3])}：{_row_text(row)}"


def _project(before: dict[str, Any], after: dict[str, Any], unit: str) -> list[str]:
    details = []
    if before["项目名称"] != after["项目名称"]:
        details.append(f"项目名称：{before['项目名称']} -> {after['项目名称']}")
    for key in AMOUNTS:
        old, new = before.get(key, 0), after.get(key, 0)
        if Decimal(old) != Decimal(new):
            details.append(f"{key}：{amount(old)} -> {_money(new, unit)}（{_delta(old, new)}）")
    if before["资金用途"] != after["资金用途"]:
        details.append(f"资金用途：{before['资金用途']} -> {after['资金用途']}")
    for month in MONTHS:
        old, new = before["资金支出计划"][month], after["资金支出计划"][month]
        if Decimal(old) != Decimal(new):
            details.append(f"资金支出计划 {month}：{percent(old)} -> {percent(new)}")
    details += _texts("绩效目标", before["绩效目标"], after["绩效目标"])
    details += _indicators(before, after)
    return details


def _document(before: dict[str, Any], after: dict[str, Any]) -> Iterator[Item]:
    for key in ("单位名称", "金额单位"):
        if before[key] != after[key]:
            yield Item(f"{key}：{before[key]} -> {after[key]}")
    old_cover, new_cover = before.get("封面", {}), after.get("封面", {})
    for key, label in COVER:
        if old_cover.get(key) != new_cover.get(key):
            yield Item(f"{label}：{old_cover.get(key, '（无）')} -> {new_cover.get(key, '（无）')}")
    for key, title in SECTIONS:
        old = [p["文字"] for p in section_paragraphs(before["第一部分"][key])]
        new = [p["文字"] for p in section_paragraphs(after["第一部分"][key])]
        details = list(_texts("段落", old, new))
        if details:
            yield Item(f"第一部分 {title}", details)


def _projects(before: Version, after: Version, unit: str) -> Iterator[Item]:
    for code, project in after.projects.items():
        if code not in before.projects:
            yield Item(f"新增项目：{project['项目名称']}（{code}），预算数 {_money(project['预算数'], unit)}")
        else:
            details = _project(before.projects[code], project, unit)
            if details:
                yield Item(f"修改项目：{project['项目名称']}（{code}）", details)
    for code, project in before.projects.items():
        if code not in after.projects:
            yield Item(f"删除项目：{project['项目名称']}（{code}），预算数 {_money(project['预算数'], unit)}")


def compare_township(before: Version | None, after: Version | None) -> TownshipChange | None:
    """The changes of one township between two versions; None when nothing changed."""
    current = after or before
    assert current is not None
    change = TownshipChange(current.title, current.folder, _unit(after) or _unit(before), _total(before), _total(after))
    if before is None:
        change.items.append(Item(f"新增单位（{len(current.projects)} 个项目）"))
    elif after is None:
        change.items.append(Item(f"删除单位（{len(current.projects)} 个项目）"))
    else:
        if before.document and after.document:
            change.items += _document(before.document, after.document)
        change.items += _projects(before, after, change.unit)
    for version, label in ((before, "旧版本"), (after, "新版本")):
        for file in version.unreadable if version else []:
            change.items.append(Item(f"{label}的 {file} 有格式错误，未参与比较"))
    return change if change.items else None


def compare(before: dict[tuple[str, ...], Version], after: dict[tuple[str, ...], Version]) -> list[TownshipChange]:
    changes = []
    for key in sorted(set(before) | set(after), key=lambda k: (after.get(k) or before[k]).folder):
        found = compare_township(before.get(key), after.get(key))
        if found:
            changes.append(found)
    return changes


def _total_line(change: TownshipChange) -> str:
    unit = change.unit
    old, new = change.total_before, change.total_after
    if old is None:
        return f"预算总额：{_money(new, unit)}"
    if new is None:
        return f"预算总额：{_money(old, unit)}（已删除）"
    if old == new:
        return f"预算总额：{_money(new, unit)}（未变）"
    return f"预算总额：{amount(old)} -> {_money(new, unit)}（{_delta(old, new)}）"


NO_CHANGE = "没有内容变化。"


def format_text(changes: list[TownshipChange]) -> str:
    if not changes:
        return NO_CHANGE
    lines = []
    for change in changes:
        lines.append(f"{change.title}（{change.folder}）")
        lines.append(f"  {_total_line(change)}")
        for item in change.items:
            lines.append(f"  {item.text}")
            lines += [f"    {detail}" for detail in item.details]
    lines.append(f"共 {len(changes)} 个单位有变化。")
    return "\n".join(lines)


def format_markdown(changes: list[TownshipChange]) -> str:
    lines = ["## perfgen：内容变化", ""]
    if not changes:
        return "\n".join([*lines, NO_CHANGE])
    for change in changes:
        lines += [f"### {change.title}（`{change.folder}`）", "", _total_line(change), ""]
        for item in change.items:
            lines.append(f"- {item.text}")
            lines += [f"  - {detail}" for detail in item.details]
        lines.append("")
    lines.append(f"共 {len(changes)} 个单位有变化。")
    return "\n".join(lines)
