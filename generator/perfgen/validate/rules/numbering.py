"""Rules on what a clerk types that the document already does: numbers before goals and items.

The document prints 绩效目标 as "1.…", "2.…" and the items of 第一部分 in the section's 编号 style;
a number typed by hand is printed twice ("1.1.按时足额发放…"). ``hand_numbers`` reads a file's data
as loaded, so that ``perfgen fmt --fix`` removes the same numbers this rule reports.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from perfgen.form import number_prefix, typed_number
from perfgen.load.yamlfile import Path_, YamlFile
from perfgen.model import Document, Place, Project
from perfgen.problems import WARNING
from perfgen.validate.rules import Finding, Rule, register

SHOWN = 24  # characters of a printed item shown in a message


@dataclass(frozen=True)
class Numbered:
    """A list item that starts with its own number typed by hand."""

    path: Path_  # of the text in the file's data
    number: str  # what was typed: "1." "（一）", with the spaces after it
    printed: str  # the item as the document prints it
    whole_list: bool  # every item of its list is numbered so: removing the numbers is mechanical

    def what(self) -> str:
        if self.path[0] == "绩效目标":
            return f"绩效目标第 {int(self.path[1]) + 1} 项"
        return f"第一部分“{self.path[1]}”的第 {int(self.path[3]) + 1} 项"


def _numbered(items: list[tuple[Path_, Any]], prefix: Callable[[int], str]) -> list[Numbered]:
    texts = [(path, text) for path, text in items if isinstance(text, str)]
    if len(texts) != len(items):
        return []
    found = [(path, text, typed_number(text, n)) for n, (path, text) in enumerate(texts, 1)]
    whole = all(number for _, _, number in found)
    return [Numbered(path, number, prefix(n) + text, whole) for n, (path, text, number) in enumerate(found, 1) if number]


def hand_numbers(data: Any) -> list[Numbered]:
    """Every item of a project's 绩效目标 or of 第一部分 (in 文档.yaml) that starts with a number typed by hand."""
    if not isinstance(data, dict):
        return []
    found: list[Numbered] = []
    goals = data.get("绩效目标")
    if isinstance(goals, list):
        found += _numbered([(("绩效目标", i), goal) for i, goal in enumerate(goals)], "{}.".format)
    part_one = data.get("第一部分")
    for key, section in (part_one.items() if isinstance(part_one, dict) else ()):
        items = section.get("条目") if isinstance(section, dict) else None
        style = section.get("编号", "无") if isinstance(section, dict) else "无"
        if not isinstance(items, list) or style in ("无", "•") or not isinstance(style, str):
            continue  # the document prints no number before these items
        found += _numbered(
            [
                (("第一部分", key, "条目", i, "标题"), item.get("标题")) if isinstance(item, dict) else (("第一部分", key, "条目", i), item)
                for i, item in enumerate(items)
            ],
            functools.partial(number_prefix, style),
        )
    return found


def _findings(file: YamlFile) -> Iterator[Finding]:
    for found in hand_numbers(file.data):
        number = found.number.strip()
        printed = found.printed if len(found.printed) <= SHOWN else found.printed[:SHOWN] + "…"
        how = "（perfgen fmt --fix 可以自动删掉）" if found.whole_list else ""
        yield Finding(
            Place(file, found.path),
            f"{found.what()}开头的“{number}”是手打的编号：文档会自动编号，印出来是“{printed}”：请删掉“{number}”{how}",
        )


def goals(project: Project) -> Iterator[Finding]:
    yield from _findings(project.file)


def items(document: Document) -> Iterator[Finding]:
    yield from _findings(document.file)


register(Rule("hand-numbered", WARNING, "绩效目标和第一部分的条目不手打编号（文档会自动编号）", project=goals, document=items))
