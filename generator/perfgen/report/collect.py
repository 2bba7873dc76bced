"""The county as the report shows it: each township's model and problems, and what townships share."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from perfgen.errors import PerfgenError
from perfgen.load.township import find_townships
from perfgen.model import Project, Township
from perfgen.parallel import ordered_map
from perfgen.problems import Problem, counts
from perfgen.validate.rules.values import YUAN


@dataclass
class Entry:
    """One township in the report."""

    township: Township
    problems: list[Problem]
    page: str  # its page, relative to the report folder

    @property
    def name(self) -> str:
        return self.township.name

    @property
    def counts(self) -> tuple[int, int]:
        return counts(self.problems)

    @property
    def unreadable(self) -> list[str]:
        """Its source files that could not be read: their projects are not in its model, nor in its totals."""
        return sorted({p.file for p in self.problems if p.blocking})

    @property
    def total_in_wan(self) -> Decimal | None:
        """Its budget total in 万元, the county's one unit; None when its 金额单位 is unknown (文档.yaml unread)."""
        value, unit = self.township.total.value, self.township.unit
        return value / YUAN["万元"] if unit == "元" else value if unit == "万元" else None


@dataclass(frozen=True)
class CountyTotal:
    """The county's budget total in 万元, and the townships it leaves something out of."""

    value: Decimal
    unreadable: list[str]  # townships with a file that cannot be read: its projects are not counted
    unknown_unit: list[str]  # townships whose 金额单位 is unknown: not counted at all

    @property
    def complete(self) -> bool:
        return not (self.unreadable or self.unknown_unit)

    @property
    def notes(self) -> list[str]:
        """What the total leaves out, one sentence a case, for the index and the workbook."""
        notes = [f"不完整：{'、'.join(self.unreadable)} 有文件无法读取，其中的项目未计入"] if self.unreadable else []
        if self.unknown_unit:
            notes.append(f"未计入：{'、'.join(self.unknown_unit)} 的 文档.yaml 无法读取，金额单位不明")
        return notes


@dataclass(frozen=True)
class Place:
    """Where a reused text or a code stands: township, project and its file."""

    township: str
    page: str
    project: str
    code: str


@dataclass
class County:
    townships: list[Entry] = field(default_factory=list)
    goals: dict[str, list[Place]] = field(default_factory=dict)  # goal text -> where, for texts in 2+ townships
    indicators: dict[tuple[str, str, str], list[Place]] = field(default_factory=dict)  # (三级指标, 描述, 指标值) -> where
    codes: dict[str, list[Place]] = field(default_factory=dict)  # 项目编码 used more than once -> where

    @property
    def total(self) -> CountyTotal:
        counted = [(entry, entry.total_in_wan) for entry in self.townships]
        known = [(entry, value) for entry, value in counted if value is not None]
        return CountyTotal(
            value=sum((value for _, value in known), Decimal(0)),
            unreadable=[entry.name for entry, _ in known if entry.unreadable],
            unknown_unit=[entry.name for entry, value in counted if value is None],
        )


def _check(folder: Path) -> tuple[Township, list[Problem], list[tuple[str, str, int, int, str]]]:
    from perfgen.validate.township import check_township

    checked = check_township(folder)
    return checked.township, checked.problems, checked.codes


def page_name(index: int) -> str:
    """A township's page: numbered, so that any folder name makes a safe file name and link."""
    return f"单位/{index + 1:04d}.html"


_Key = TypeVar("_Key")


def _shared(where: dict[_Key, list[Place]], townships: int = 2) -> dict[_Key, list[Place]]:
    return {key: places for key, places in where.items() if len({p.township for p in places}) >= townships}


def collect(paths: list[Path], jobs: int | None = None) -> County:
    """Every township named by ``paths``, checked as ``perfgen validate`` checks them (across townships too)."""
    from perfgen.validate.across import codes_across

    folders, missing = find_townships(paths)
    if missing:
        raise PerfgenError("\n".join(missing))
    checked = list(ordered_map(_check, folders, jobs))
    across = codes_across([(township.name, codes) for township, _, codes in checked])
    county = County()
    for index, (township, problems, _) in enumerate(checked):
        mine = [p for p in across if p.township == township.name]
        county.townships.append(Entry(township, problems + mine, page_name(index)))
    goals: dict[str, list[Place]] = defaultdict(list)
    rows: dict[tuple[str, str, str], list[Place]] = defaultdict(list)
    codes: dict[str, list[Place]] = defaultdict(list)
    for entry in county.townships:
        for project in entry.township.projects:
            place = _place(entry, project)
            codes[project.code].append(place)
            for goal in dict.fromkeys(project.goals):
                goals[goal].append(place)
            for row in dict.fromkeys((r.name, r.description, r.value) for r in project.rows):
                rows[row].append(place)
    county.goals = _shared(goals)
    county.indicators = _shared(rows)
    county.codes = {code: places for code, places in codes.items() if len(places) > 1}
    return county


def _place(entry: Entry, project: Project) -> Place:
    return Place(entry.name, entry.page, project.name, project.code)
