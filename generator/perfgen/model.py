"""One typed model of a township, built once right after the schema check.

Everything past loading (the rules, the render context, the diff) reads these
objects, never the raw mappings with Chinese keys: the keys it reads are named
here once (``_KEYS``). The modules that write source files (scaffold.py, the
importer) spell the keys they write; the JSON Schema checks both. Every object keeps its file and the path of its value
there, so a rule can point at the line of what it reports (``Place``).

A project's texts are kept with their edge spaces trimmed (``_text``): the rules
compare, the diff shows and the document prints them without stray spaces. The
rule text-edge-space reads the files themselves and reports such spaces.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from perfgen.form import DEFAULT_FRAME, MONTHS, SECTIONS, number_prefix
from perfgen.load.yamlfile import Path_, YamlFile

# attribute -> the key in the source files (see schemas/)
_KEYS = {
    # project
    "code": "项目编码",
    "name": "项目名称",
    "budget": "预算数",
    "fiscal": "财政资金",
    "other": "其他资金",
    "purpose": "资金用途",
    "plan": "资金支出计划",
    "goals": "绩效目标",
    "indicators": "绩效指标",
    "review": "待核对",
    # indicator row
    "level2": "二级指标",
    "rows": "指标",
    "indicator": "三级指标",
    "description": "绩效指标描述",
    "value": "指标值",
    "basis": "指标值确定依据",
    # document
    "unit_code": "单位编码",
    "unit_name": "单位名称",
    "year": "年度",
    "rolled_from": "结转自",
    "unit": "金额单位",
    "frame": "指标体系",
    "cover": "封面",
    "part_one": "第一部分",
    "project_list": "项目清单",
    # cover
    "cover_unit": "单位",
    "draft": "草案",
    "compiler": "编制单位",
    "reviewer": "审核单位",
    # section of 第一部分, and its titled items
    "items": "条目",
    "numbering": "编号",
    "intro": "引言",
    "title": "标题",
    "goal": "绩效目标",
    "indicator_text": "绩效指标",
}


def amount_text(value: Decimal | int, *, blank_zero: bool = False) -> str:
    """An amount as the published tables show it: two decimals; more decimals are shown, never rounded away."""
    value = Decimal(value)
    if blank_zero and value == 0:
        return ""
    if value == value.quantize(Decimal("0.01")):
        return f"{value:.2f}"
    return format(value.normalize(), "f")


def percent_text(value: Decimal | int) -> str:
    return f"{format(Decimal(value).normalize(), 'f')}%"


@dataclass(frozen=True)
class Amount:
    """A sum of money in the township's 金额单位 (元 or 万元)."""

    value: Decimal
    unit: str = ""

    def text(self, *, blank_zero: bool = False) -> str:
        """The figure alone, as in a table cell."""
        return amount_text(self.value, blank_zero=blank_zero)

    def __str__(self) -> str:
        return f"{self.text()} {self.unit}".strip()


@dataclass(frozen=True)
class Place:
    """Where a value stands in a source file; ``key`` places it at its key instead."""

    file: YamlFile
    path: Path_
    key: bool = False

    def position(self) -> tuple[int, int]:
        return self.file.position(self.path, key=self.key)

    def typed(self, value: Any) -> str:
        """The value here as the clerk typed it (016017, 0777), for messages."""
        return self.file.as_typed(self.path, value)


def _place(file: YamlFile, path: Path_, key: bool) -> Place:
    """A place from attribute names (mapped to source keys) and source keys or indexes."""
    return Place(file, _source_path(path), key)


@lru_cache(maxsize=4096)
def _source_path(path: Path_) -> Path_:
    # the same few paths recur in every project file: mapped once
    return tuple(_KEYS.get(part, part) if isinstance(part, str) else part for part in path)


@dataclass(frozen=True)
class Indicator:
    """One row of the indicator table: a 三级指标 under its 一级 and 二级."""

    level1: str
    level2: str
    name: str  # 三级指标
    description: str
    value: str
    basis: str
    file: YamlFile
    path: Path_  # of the row's mapping

    def place(self, attribute: str) -> Place:
        """The place of one of the row's fields: ``indicator.place("value")``."""
        return _place(self.file, (*self.path, attribute), False)


@dataclass(frozen=True)
class Group:
    """The rows under one 二级指标."""

    level2: str
    rows: tuple[Indicator, ...]
    path: Path_


@dataclass(frozen=True)
class Level1:
    """A 一级指标 and its 二级 groups, in source order."""

    name: str
    groups: tuple[Group, ...]
    path: Path_

    @property
    def rows(self) -> tuple[Indicator, ...]:
        return tuple(row for group in self.groups for row in group.rows)


@dataclass(frozen=True)
class Project:
    """One budget project (one 绩效目标表), from a schema-valid project file."""

    file: YamlFile
    code: str
    name: str
    budget: Amount
    fiscal: Amount
    other: Amount
    purpose: str
    plan: dict[str, Decimal]  # MONTHS -> cumulative percent
    goals: tuple[str, ...]
    levels: tuple[Level1, ...]
    rows: tuple[Indicator, ...]  # the table flattened, in order: computed once for all readers
    year: int | None = None  # 年度 of the township's 文档.yaml, when that file is valid
    frame: str = DEFAULT_FRAME  # 指标体系 declared in 文档.yaml: 三类 or 四类 (form.FRAMES)
    review: str | None = None  # 待核对: the mark of a project rolled over from last year, until reviewed
    rolled_from: int | None = None  # 结转自 of the township's 文档.yaml: the year it was rolled over from

    def place(self, *path: str | int, key: bool = False) -> Place:
        """The place of a field: ``project.place("budget")``, ``project.place("plan", "12月底")``."""
        return _place(self.file, path, key)

    @property
    def spans(self) -> list[int]:
        """How many rows each 一级 spans, for merging its cells."""
        return [len(level.rows) for level in self.levels]


@dataclass(frozen=True)
class TitledItem:
    """An item of 第一部分 with its own title, goal and indicator."""

    title: str
    goal: str
    indicator: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    title: bool = False  # a titled item's title: a sub-heading


@dataclass(frozen=True)
class Section:
    """One of the three sections of 第一部分."""

    key: str
    title: str
    numbering: str
    intro: tuple[str, ...]
    items: tuple[str | TitledItem, ...]

    def paragraphs(self) -> list[Paragraph]:
        """The section as printed: the intro, then the items numbered in its style."""
        paragraphs = [Paragraph(text) for text in self.intro]
        for n, item in enumerate(self.items, 1):
            prefix = number_prefix(self.numbering, n)
            if isinstance(item, str):
                paragraphs.append(Paragraph(prefix + item))
            else:
                paragraphs += [
                    Paragraph(prefix + item.title, title=True),
                    Paragraph("绩效目标：" + item.goal),
                    Paragraph("绩效指标：" + item.indicator),
                ]
        return paragraphs


@dataclass(frozen=True)
class Cover:
    unit: str
    draft: bool
    compiler: str  # 编制单位
    reviewer: str  # 审核单位


@dataclass(frozen=True)
class Document:
    """文档.yaml: the unit, the cover, 第一部分 and the ordered list of project files."""

    file: YamlFile
    unit_code: str
    unit_name: str
    year: int
    unit: str
    cover: Cover
    sections: tuple[Section, ...]
    project_list: tuple[str, ...]
    frame: str = DEFAULT_FRAME  # 指标体系: 三类 or 四类 (form.FRAMES)
    rolled_from: int | None = None  # 结转自: the year ``perfgen new --from`` rolled it over from

    def place(self, *path: str | int, key: bool = False) -> Place:
        return _place(self.file, path, key)

    @property
    def title(self) -> str:
        return f"{self.unit_name} {self.year}年"


@dataclass
class Township:
    """A township's sources as a model: the document (None when 文档.yaml is not valid) and its valid projects."""

    folder: Path
    document: Document | None
    projects: list[Project] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.folder.name

    @property
    def year(self) -> int | None:
        return self.document.year if self.document else None

    @property
    def unit(self) -> str:
        return self.document.unit if self.document else ""

    @property
    def frame(self) -> str:
        return self.document.frame if self.document else DEFAULT_FRAME

    @property
    def total(self) -> Amount:
        return Amount(sum((p.budget.value for p in self.projects), Decimal(0)), self.unit)


# -- building the model from schema-valid files


def _text(value: str) -> str:
    """A text as the model keeps it: without leading or trailing spaces."""
    return value.strip()


def _amount(data: dict[str, Any], attribute: str, unit: str) -> Amount:
    return Amount(Decimal(data.get(_KEYS[attribute], 0)), unit)


def project_name(file: YamlFile) -> str:
    """The 项目名称 of any project file, valid or not ("" when it has none)."""
    name = file.data.get(_KEYS["name"]) if isinstance(file.data, dict) else None
    return name if isinstance(name, str) else ""


def project_from(file: YamlFile, document: Document | None = None) -> Project:
    """The model of a project file that passed the schema."""
    data = file.data
    k = _KEYS
    unit = document.unit if document else ""
    levels = []
    for level1, groups in data[k["indicators"]].items():
        level_path = (k["indicators"], level1)
        built = []
        for g, group in enumerate(groups):
            group_path = (*level_path, g)
            rows = tuple(
                Indicator(
                    _text(level1),
                    _text(group[k["level2"]]),
                    _text(row[k["indicator"]]),
                    _text(row[k["description"]]),
                    _text(row[k["value"]]),
                    _text(row[k["basis"]] or ""),  # an empty cell ("指标值确定依据:") is basis-empty's to report
                    file,
                    (*group_path, k["rows"], r),
                )
                for r, row in enumerate(group[k["rows"]])
            )
            built.append(Group(_text(group[k["level2"]]), rows, group_path))
        levels.append(Level1(_text(level1), tuple(built), level_path))
    plan = data[k["plan"]]
    return Project(
        file=file,
        code=data[k["code"]],
        name=_text(data[k["name"]]),
        budget=_amount(data, "budget", unit),
        fiscal=_amount(data, "fiscal", unit),
        other=_amount(data, "other", unit),
        purpose=_text(data[k["purpose"]]),
        plan={month: Decimal(plan[month]) for month in MONTHS},
        goals=tuple(_text(goal) for goal in data[k["goals"]]),
        levels=tuple(levels),
        rows=tuple(row for level in levels for row in level.rows),
        year=document.year if document else None,
        frame=document.frame if document else DEFAULT_FRAME,
        review=data.get(k["review"]),
        rolled_from=document.rolled_from if document else None,
    )


def _section(key: str, title: str, data: dict[str, Any]) -> Section:
    k = _KEYS
    items = tuple(
        item if isinstance(item, str) else TitledItem(item[k["title"]], item[k["goal"]], item[k["indicator_text"]])
        for item in data[k["items"]]
    )
    return Section(key, title, data.get(k["numbering"], "无"), tuple(data.get(k["intro"], [])), items)


def document_from(file: YamlFile) -> Document:
    """The model of a 文档.yaml that passed the schema."""
    data = file.data
    k = _KEYS
    cover = data.get(k["cover"], {})
    return Document(
        file=file,
        unit_code=str(data[k["unit_code"]]),
        unit_name=data[k["unit_name"]],
        year=data[k["year"]],
        unit=data[k["unit"]],
        cover=Cover(
            unit=cover.get(k["cover_unit"]) or data[k["unit_name"]],
            draft=bool(cover.get(k["draft"], False)),
            compiler=cover.get(k["compiler"], ""),
            reviewer=cover.get(k["reviewer"], ""),
        ),
        sections=tuple(_section(key, title, data[k["part_one"]][key]) for key, title in SECTIONS),
        project_list=tuple(data[k["project_list"]]),
        frame=data.get(k["frame"], DEFAULT_FRAME),
        rolled_from=data.get(k["rolled_from"]),
    )
