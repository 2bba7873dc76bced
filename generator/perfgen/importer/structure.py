"""Recognise a 部门预算绩效文本 in paragraphs and tables, whatever format they were read from.

The recogniser works by labels, not positions: a value is the cell after its
label ("项目编码", "预算数" …) and an indicator column is the grid range of its
header cell, so extra empty columns, cells merged across or down, and labels
repeated instead of merged all read the same. What cannot be read becomes an
explicit placeholder ("××（待补：…）") that ``perfgen validate`` reports, and a
note with its place in the original; nothing is dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from perfgen.form import FOUR_CLASS, FRAMES, MONTHS, THREE_CLASS
from perfgen.importer.blocks import Block, Cell, Paragraph, Row, Table
from perfgen.form import chinese_number

SECTION_KEYS = ("总体绩效目标", "分项绩效目标", "工作保障措施")
SECTION_HEADING = re.compile(
    r"^(?:[一二三四五][、.．]|[（(][一二三四五][）)]、?|\d[、.．])?(总体绩效目标|分项绩效目标|工作保障措施)[:：]?$"
)
PART_TWO = re.compile(r"^(第二部分.*|预算项目绩效目标|绩效目标表)$")
PROJECT_TITLE = re.compile(r"^\d+[.．、]")
UNIT_LINE = re.compile(r"^(\d{6})\s*(\S.*)$")
MONEY_UNIT = re.compile(r"(?:金额)?单位[:：]\s*(万元|元)")
COVER_TITLE = re.compile(r"^(.*?)((?:19|20)\d{2})\s*年度?\s*部门预算绩效(?:文本|目标)")
CODE_LABELS = ("项目编码", "项目编号")
GOAL_LABELS = ("绩效目标", "年度绩效目标", "项目绩效目标", "年度目标")
STYLES = ("1、", "1.", "（一）", "一、", "•")
GOAL_PREFIX, INDICATOR_PREFIX = re.compile(r"^绩效目标[:：]"), re.compile(r"^绩效指标[:：]")
SPACE = re.compile(r"[\s\u3000]+")
PLACEHOLDER = "××"  # what the ``placeholder`` rule of ``perfgen validate`` reports


def norm(text: str) -> str:
    """Text without any spaces, for comparing labels."""
    return SPACE.sub("", text)


@dataclass
class Note:
    place: str
    message: str


@dataclass
class Recognised:
    document: dict[str, Any]
    projects: list[dict[str, Any]]
    notes: list[Note] = field(default_factory=list)  # what needs the clerk's eye, with its place
    titles: int = 0  # project titles seen in 第二部分: each one is a project, read or of placeholders


class _Notes:
    def __init__(self) -> None:
        self.items: list[Note] = []

    def note(self, place: str, message: str) -> None:
        self.items.append(Note(place, message))

    def placeholder(self, place: str, what: str) -> str:
        """A placeholder for what could not be read; listed as a note too."""
        self.note(place, f"{what}，已写成占位文字“{PLACEHOLDER}”，请照原文补上")
        return f"{PLACEHOLDER}（待补：{what}，见原文{place}）"


# ------------------------------------------------------------ values


def amount(text: str) -> Decimal | None:
    """An amount as written in a table: thousands separators and a trailing unit allowed; empty is None."""
    cleaned = re.sub(r"[,，\s]|万?元$", "", text)
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite() or value < 0:
        raise ValueError(text)
    return value


def percent(text: str) -> Decimal | None:
    cleaned = norm(text)
    if not cleaned:
        return None
    match = re.fullmatch(r"(\d+(?:\.\d+)?)[%％]?", cleaned)
    if match is None:
        raise ValueError(text)
    return Decimal(match.group(1))


def number(value: Decimal) -> int | float:
    """A Decimal as the YAML number the canonical writer expects."""
    return int(value) if value == value.to_integral_value() and "." not in str(value) else float(value)


def strip_goal_number(text: str, n: int) -> str:
    return re.sub(rf"^(?:{n}[.．、]|[（(]{n}[）)])\s*", "", text, count=1)


def split_goals(lines: list[str]) -> list[str]:
    """Goals from a cell: one per paragraph, or "1.…2.…" in one paragraph; the numbers are dropped."""
    lines = [line.strip() for line in lines if line.strip()]
    if len(lines) == 1 and re.match(r"^(?:1[.．、]|[（(]1[）)])", lines[0]):
        pieces, rest, n = [], lines[0], 2
        while True:
            match = re.search(rf"(?<![\d.．])(?:{n}[.．、]|[（(]{n}[）)])(?!\d)", rest[1:])
            if match is None:
                break
            pieces.append(rest[: match.start() + 1])
            rest, n = rest[match.start() + 1 :], n + 1
        lines = [*pieces, rest]
    return [strip_goal_number(line, n).strip() for n, line in enumerate(lines, 1)]


# ------------------------------------------------------------ part 1


def _item_pattern(style: str, n: int) -> re.Pattern[str]:
    cn = chinese_number(n)
    return re.compile(
        {
            "1、": rf"^{n}、\s*",
            "1.": rf"^{n}[.．](?!\d)\s*",
            "（一）": rf"^[（(]{cn}[）)]\s*",
            "一、": rf"^{cn}[、．.]\s*",
            "•": r"^[•·●◆■▪]\s*",
        }[style]
    )


def _titled(paras: list[str], i: int) -> bool:
    return i + 2 < len(paras) and bool(GOAL_PREFIX.match(paras[i + 1])) and bool(INDICATOR_PREFIX.match(paras[i + 2]))


def _item(paras: list[str], i: int, text: str) -> tuple[Any, int]:
    if _titled(paras, i):
        return {
            "标题": text,
            "绩效目标": GOAL_PREFIX.sub("", paras[i + 1], count=1),
            "绩效指标": INDICATOR_PREFIX.sub("", paras[i + 2], count=1),
        }, 3
    return text, 1


def _numbered(paras: list[str], style: str) -> tuple[list[str], list[Any]] | None:
    intro: list[str] = []
    items: list[Any] = []
    i = 0
    while i < len(paras):
        match = _item_pattern(style, len(items) + 1).match(paras[i])
        if match is None:
            if items:
                return None  # an unnumbered paragraph after the numbering began
            intro.append(paras[i])
            i += 1
            continue
        item, used = _item(paras, i, paras[i][match.end() :])
        items.append(item)
        i += used
    return (intro, items) if items else None


def _split_run_on(paras: list[str]) -> list[str]:
    # "绩效目标：… 绩效指标：…" typed as one paragraph
    out: list[str] = []
    for para in paras:
        if GOAL_PREFIX.match(para) and (match := re.search(r"\s*绩效指标[:：]", para[5:])):
            out += [para[: match.start() + 5].rstrip(), para[match.start() + 5 :].strip()]
        else:
            out.append(para)
    return out


def section(paras: list[str]) -> dict[str, Any]:
    """A part-1 section: its numbering style detected, paragraphs before the numbering as 引言."""
    paras = _split_run_on([p.strip() for p in paras if p.strip()])
    best: tuple[str, list[str], list[Any]] | None = None
    for style in STYLES:
        found = _numbered(paras, style)
        if found and (best is None or len(found[0]) < len(best[1])):
            best = (style, *found)
    if best is None:
        items: list[Any] = []
        i = 0
        while i < len(paras):
            item, used = _item(paras, i, paras[i])
            items.append(item)
            i += used
        best = ("无", [], items)
    style, intro, items = best
    out: dict[str, Any] = {"编号": style}
    if intro:
        out["引言"] = intro
    out["条目"] = items
    return out


# ------------------------------------------------------------ tables


def _is_label(text: str) -> bool:
    n = norm(text)
    return (
        n in CODE_LABELS
        or n in GOAL_LABELS
        or n in ("项目名称", "预算数", "其他资金", "资金用途", *MONTHS)
        or n.startswith(("其中", "资金支出计划", "预算规模"))
    )


def _find(rows: list[Row], test: Callable[[str], bool]) -> tuple[int, int] | None:
    for r, row in enumerate(rows):
        for c, cell in enumerate(row.cells):
            if test(norm(cell.text)):
                return r, c
    return None


def _after(rows: list[Row], test: Callable[[str], bool]) -> tuple[str, str] | None:
    """The text of the cell after a label in its row (a label repeated across is skipped), and its place."""
    found = _find(rows, test)
    if found is None:
        return None
    r, c = found
    label = norm(rows[r].cells[c].text)
    for cell in rows[r].cells[c + 1 :]:
        if norm(cell.text) != label:
            return cell.text.strip(), rows[r].place
    return "", rows[r].place


INDICATOR_KEYS = ("一级", "二级", "三级", "描述", "指标值", "依据")


def _indicator_key(text: str) -> str | None:
    n = norm(text)
    if n.startswith("一级"):
        return "一级"
    if n.startswith("二级"):
        return "二级"
    if n.startswith("三级"):
        return "三级"
    if "描述" in n or n == "指标内容":
        return "描述"
    if "依据" in n:
        return "依据"
    if n.startswith("指标值") or n in ("目标值", "指标值（目标值）"):
        return "指标值"
    return None


def _is_indicator_header(row: Row) -> bool:
    return any(norm(cell.text) == "一级指标" for cell in row.cells)


class _Project:
    """One project's tables (and the paragraphs just above them) read into a project file's data."""

    def __init__(self, title: str, above: list[Paragraph], tables: list[Table], notes: _Notes, broken_rows: bool):
        self.title = title
        self.above = above
        self.rows = [row for table in tables for row in table.rows]
        self.place = tables[0].place
        self.notes = notes
        self.broken_rows = broken_rows
        header = next((i for i, row in enumerate(self.rows) if _is_indicator_header(row)), None)
        self.header_rows = self.rows if header is None else self.rows[:header]
        self.indicator_rows = [] if header is None else self.rows[header:]

    # the unit line and money unit, above the table or in its first rows
    def unit(self) -> tuple[str | None, str | None, str | None]:
        code = name = money = None
        texts = [p.text for p in self.above] + [
            cell.text for row in self.header_rows for cell in row.cells if not _is_label(cell.text)
        ]
        for text in texts:
            for line in text.split("\n"):
                line = line.strip()
                found = MONEY_UNIT.search(line)
                if found:
                    money = money or found.group(1)
                    line = line[: found.start()].strip()
                match = UNIT_LINE.match(line)
                if match and code is None:
                    code, name = match.group(1), match.group(2).strip()
            if code and money:
                break
        return code, name, money

    def _text(self, labels: tuple[str, ...], what: str) -> str:
        found = _after(self.header_rows, lambda n: n in labels)
        if found is None:
            return self.notes.placeholder(self.place, f"没有找到“{what}”")
        text, place = found
        return text if text else self.notes.placeholder(place, f"“{what}”为空")

    def _amount(self, test: Callable[[str], bool], what: str, *, required: bool) -> Any:
        found = _after(self.header_rows, test)
        if found is None:
            if required:
                return self.notes.placeholder(self.place, f"没有找到“{what}”")
            return None
        text, place = found
        try:
            value = amount(text)
        except ValueError:
            return self.notes.placeholder(place, f"“{what}”不是金额（原文“{text}”）")
        if value is None:
            return 0 if not required or what == "财政资金" else self.notes.placeholder(place, f"“{what}”为空")
        return number(value)

    def _use(self) -> str:
        budget = _find(self.header_rows, lambda n: n == "预算数")
        plan = _find(self.header_rows, lambda n: n.startswith("资金支出计划") or n == "3月底")
        labelled = _after(self.header_rows, lambda n: n == "资金用途")
        if labelled and labelled[0]:
            return labelled[0]
        if budget is not None:
            stop = plan[0] if plan is not None else len(self.header_rows)
            for row in self.header_rows[budget[0] + 1 : stop]:
                if any(_is_label(c.text) and not norm(c.text).startswith("预算规模") for c in row.cells):
                    continue  # a row of other labelled values (其他资金 on a row of its own)
                texts = [c.text.strip() for c in row.cells if c.text.strip() and not _is_label(c.text)]
                if texts:
                    return "\n".join(dict.fromkeys(texts))  # a value repeated across merged-looking cells once
        place = self.header_rows[budget[0]].place if budget else self.place
        return self.notes.placeholder(place, "没有找到“资金用途”")

    def _plan(self) -> dict[str, Any]:
        plan: dict[str, Any] = {}
        for month in MONTHS:
            found = _find(self.header_rows, month.__eq__)
            if found is None:
                plan[month] = self.notes.placeholder(self.place, f"没有找到资金支出计划“{month}”")
                continue
            r, c = found
            row, label = self.header_rows[r], self.header_rows[r].cells[c]
            text, place = "", row.place
            following = row.cells[c + 1] if c + 1 < len(row.cells) else None
            if following is not None and re.fullmatch(r"[\d.]+[%％]?", norm(following.text)) and not _is_label(following.text):
                text = following.text  # "3月底 | 25%" side by side
            elif r + 1 < len(self.header_rows):
                below = self.header_rows[r + 1]
                cell = next((x for x in below.cells if x.covers(label.column, label.span)), None)
                text, place = (cell.text if cell else ""), below.place
            try:
                value = percent(text)
            except ValueError:
                plan[month] = self.notes.placeholder(place, f"资金支出计划“{month}”不是百分数（原文“{text}”）")
                continue
            if value is None and month == "12月底":
                # the plan is cumulative: the whole budget is spent by the end of the year
                self.notes.note(place, "资金支出计划“12月底”为空，按 100% 填写，请核对")
                value = Decimal(100)
            if value is None:
                plan[month] = self.notes.placeholder(place, f"资金支出计划“{month}”为空")
                continue
            plan[month] = number(value)
        return plan

    def _goals(self) -> list[str]:
        found = _after(self.header_rows, lambda n: n in GOAL_LABELS)
        if found is None or not found[0].strip():
            place = found[1] if found else self.place
            return [self.notes.placeholder(place, "没有读到绩效目标")]
        return split_goals(found[0].split("\n"))

    def _indicator_table(self) -> list[dict[str, str]]:
        if not self.indicator_rows:
            self.notes.placeholder(self.place, "没有找到绩效指标表")
            return []
        columns: dict[str, Cell] = {}
        for header in self.indicator_rows[0].cells:
            key = _indicator_key(header.text)
            if key and key not in columns:
                columns[key] = header
        rows: list[dict[str, str]] = []
        places: list[str] = []
        above: dict[str, str] = {}
        for row in self.indicator_rows[1:]:
            if _is_indicator_header(row):
                continue  # the header repeated on a following page
            values: dict[str, str] = {}
            merged: set[str] = set()
            for key in INDICATOR_KEYS:
                head = columns.get(key)
                cell = next((c for c in row.cells if head and c.covers(head.column, head.span)), None)
                if cell is not None and cell.merged_up:
                    merged.add(key)
                    values[key] = above.get(key, "")
                else:
                    values[key] = cell.text.strip() if cell else ""
            if not any(values[k] for k in INDICATOR_KEYS if k not in merged):
                continue
            if self.broken_rows and rows and not values["三级"] and "三级" not in merged:
                # a row the page end broke in two: its rest continues the row above
                for key in ("三级", "描述", "指标值", "依据"):
                    if values[key] and key not in merged:
                        rows[-1][key] = rows[-1][key] + values[key]
                continue
            for key in ("一级", "二级"):
                if not values[key] and rows:
                    values[key] = rows[-1][key]
            rows.append(values)
            places.append(row.place)
            above = values
        for values, place in zip(rows, places):
            for key, what in (("一级", "一级指标"), ("二级", "二级指标"), ("三级", "三级指标"), ("指标值", "指标值")):
                if not values[key]:
                    values[key] = self.notes.placeholder(place, f"{what}为空")
        return rows

    def _indicators(self) -> dict[str, Any]:
        out: dict[str, list[dict[str, Any]]] = {}
        last = None
        for row in self._indicator_table():
            groups = out.setdefault(row["一级"], [])
            if last is not None and last != row["一级"] and groups:
                self.notes.note(self.place, f"一级指标“{row['一级']}”分在不隔开的几处，已合在一起")
            line = {
                "三级指标": row["三级"],
                "绩效指标描述": row["描述"],
                "指标值": row["指标值"],
                "指标值确定依据": row["依据"],
            }
            if last == row["一级"] and groups and groups[-1]["二级指标"] == row["二级"]:
                groups[-1]["指标"].append(line)
            else:
                groups.append({"二级指标": row["二级"], "指标": [line]})
            last = row["一级"]
        if not out:
            return {"产出指标": [{"二级指标": "数量指标", "指标": [{
                "三级指标": self.notes.placeholder(self.place, "没有读到任何指标行"),
                "绩效指标描述": "", "指标值": PLACEHOLDER, "指标值确定依据": ""}]}]}
        return out

    def data(self) -> dict[str, Any]:
        code = self._text(CODE_LABELS, "项目编码")
        name = self._text(("项目名称",), "项目名称")
        if name.startswith(PLACEHOLDER) and self.title:
            name = re.sub(r"绩效目标表$", "", PROJECT_TITLE.sub("", norm(self.title))) or name
        data: dict[str, Any] = {
            "项目编码": norm(code) if not code.startswith(PLACEHOLDER) else code,
            "项目名称": name,
            "预算数": self._amount(lambda n: n == "预算数", "预算数", required=True),
            "财政资金": self._amount(lambda n: n.startswith("其中") and "财政" in n, "财政资金", required=True),
        }
        other = self._amount(lambda n: n == "其他资金", "其他资金", required=False)
        if other is not None:
            data["其他资金"] = other
        data["资金用途"] = self._use()
        data["资金支出计划"] = self._plan()
        data["绩效目标"] = self._goals()
        data["绩效指标"] = self._indicators()
        return data


# ------------------------------------------------------------ the whole document


def _is_anchor(table: Table) -> bool:
    return any(norm(cell.text) in (*CODE_LABELS, "项目名称") for row in table.rows[:4] for cell in row.cells)


def _texts(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        return [block.text]
    return [cell.text for row in block.rows for cell in row.cells if cell.text]


def _region_start(blocks: list[Block], anchors: list[int], n: int, part_one_end: int) -> int:
    """Where project ``n`` begins: after the previous project's indicator table, taking its title and unit line."""
    floor = anchors[n - 1] + 1 if n else part_one_end
    i = anchors[n]
    while i - 1 >= floor:
        block = blocks[i - 1]
        if isinstance(block, Table) and any(_is_indicator_header(row) for row in block.rows):
            break
        if n and isinstance(block, Table) and i - 1 == floor:
            break  # the previous project's only table after its header
        i -= 1
    return i


def _is_toc(p: Paragraph) -> bool:
    """A table-of-contents entry: by its style, or by a page number after a tab or dot leaders."""
    return p.kind == "toc" or bool(re.search(r"(\t|[.…·．]{3,})\s*\d+$", p.text.rstrip()))


def _title(paras: list[Paragraph]) -> str:
    """The project title nearest above its table (titles before it are projects whose table was lost)."""
    texts = [norm(p.text) for p in paras if norm(p.text)]
    for i in reversed(range(len(texts))):
        text = texts[i]
        if PROJECT_TITLE.match(text):
            if not text.endswith("绩效目标表") and i + 1 < len(texts) and texts[i + 1] == "绩效目标表":
                return text + texts[i + 1]
            return text
    return ""


def _is_title(block: Block) -> bool:
    return isinstance(block, Paragraph) and bool(PROJECT_TITLE.match(norm(block.text))) and not _is_toc(block)


def _untabled(title: Paragraph, broken_rows: bool) -> dict[str, Any]:
    """A project of placeholders for a title whose table was not read; its own notes are one, said by the caller."""
    return _Project(title.text, [title], [Table(place=title.place)], _Notes(), broken_rows).data()


def _is_known_line(text: str) -> bool:
    """A line of 第二部分 that belongs to no project and says nothing: its heading, a table's caption or unit."""
    text = norm(text)
    return bool(PART_TWO.match(text) or text == "绩效目标表" or MONEY_UNIT.search(text) or UNIT_LINE.match(text))


def _excerpt(text: str) -> str:
    text = text.strip()
    return text if len(text) <= 40 else text[:40] + "…"


def _cover(lines: list[str]) -> tuple[dict[str, Any], int | None]:
    cover: dict[str, Any] = {}
    year = None
    for i, line in enumerate(lines):
        match = COVER_TITLE.match(line)
        if match:
            year = int(match.group(2))
            unit = match.group(1).strip() or (lines[i - 1] if i > 0 else "")
            if unit:
                cover["单位"] = unit
        elif norm(line) in ("（草案）", "(草案)", "草案"):
            cover["草案"] = True
        elif line.endswith("编制") and len(line) > 2:
            cover["编制单位"] = line[:-2].strip()
        elif line.endswith("审核") and len(line) > 2:
            cover["审核单位"] = line[:-2].strip()
    return cover, year


def recognise(
    blocks: list[Block], *, broken_rows: bool = False, progress: Callable[[int, int, str], None] | None = None
) -> Recognised:
    notes = _Notes()
    anchors = [i for i, b in enumerate(blocks) if isinstance(b, Table) and _is_anchor(b)]
    first_project = anchors[0] if anchors else len(blocks)
    paragraphs = [(i, b) for i, b in enumerate(blocks) if isinstance(b, Paragraph) and i < first_project]

    # part 1: the last heading of each section before the projects (a TOC entry may read the same)
    starts: dict[str, int] = {}
    for i, p in paragraphs:
        match = SECTION_HEADING.match(norm(p.text))
        if match and not _is_toc(p):
            starts[match.group(1)] = i
    part_two = next(
        (i for i, p in paragraphs if i > max(starts.values(), default=-1) and PART_TWO.match(norm(p.text)) and not _is_toc(p)),
        None,
    )
    title_start = first_project
    while title_start > 0:
        block = blocks[title_start - 1]
        text = norm(block.text) if isinstance(block, Paragraph) else ""
        if isinstance(block, Table) or not text or text == "绩效目标表" or MONEY_UNIT.search(text) or UNIT_LINE.match(text):
            title_start -= 1
        elif PROJECT_TITLE.match(text):
            title_start -= 1
            break
        else:
            break
    end = min(x for x in (part_two, title_start) if x is not None)
    bounds = sorted((i, key) for key, i in starts.items())
    part1: dict[str, Any] = {}
    for n, (i, key) in enumerate(bounds):
        stop = bounds[n + 1][0] if n + 1 < len(bounds) else end
        body = [p.text for j, p in paragraphs if i < j < stop and norm(p.text) and not PART_TWO.match(norm(p.text))]
        part1[key] = body
    document_part1: dict[str, Any] = {}
    for key in SECTION_KEYS:
        if key in part1 and part1[key]:
            document_part1[key] = section(part1[key])
        else:
            where = "第一部分"
            document_part1[key] = {"条目": [notes.placeholder(where, f"没有读到“{key}”一节")]}

    # cover: the lines before the TOC, or before 第一部分
    first_heading = min(starts.values(), default=first_project)
    toc = next((i for i, p in paragraphs if norm(p.text) in ("目录", "目次")), None)
    part_one = next((i for i, p in paragraphs if norm(p.text).startswith("第一部分") and not _is_toc(p)), None)
    cover_end = min(x for x in (toc, part_one, first_heading) if x is not None)
    cover_lines = [p.text.strip() for i, p in paragraphs if i < cover_end and p.text.strip()]
    year: int | str | None  # read from the cover or the codes, else the placeholder that asks for it
    cover, year = _cover(cover_lines)

    projects: list[dict[str, Any]] = []
    starts_at = [_region_start(blocks, anchors, n, end) for n in range(len(anchors))]
    titles = [i for i in range(end, len(blocks)) if _is_title(blocks[i])]

    def untabled(title: Paragraph) -> None:
        projects.append(_untabled(title, broken_rows))
        notes.note(
            title.place,
            f"项目标题“{_excerpt(title.text)}”下没有读到绩效目标表（表格可能被转换成了文字），"
            "已写成一个全部为占位文字的项目，请照原文补上",
        )

    def unplaced(paragraphs: list[Block]) -> None:
        """Text no project took: a title is a project of placeholders, other text is listed."""
        for block in paragraphs:
            if not isinstance(block, Paragraph) or not norm(block.text) or _is_known_line(block.text):
                continue
            if _is_title(block):
                untabled(block)
            else:
                notes.note(block.place, f"这段文字没有放进任何项目，请核对：“{_excerpt(block.text)}”")

    if anchors:
        unplaced([b for b in blocks[end : starts_at[0]] if _is_title(b)])
    for n, start in enumerate(anchors):
        stop = starts_at[n + 1] if n + 1 < len(anchors) else len(blocks)
        region = blocks[starts_at[n] : start]
        above = [Paragraph(text, b.place) for b in region for text in _texts(b)]
        title = _title(above)
        # titles above this project's own: projects whose tables were lost
        earlier = [b for b in region if _is_title(b)]
        own = [i for i, b in enumerate(earlier) if title and norm(b.text) in title]  # type: ignore[union-attr]
        if own:
            earlier = earlier[: own[-1]]
        for block in earlier:
            untabled(block)  # type: ignore[arg-type]
        tables = [b for b in blocks[start:stop] if isinstance(b, Table)]
        project = _Project(title, above, tables, notes, broken_rows)
        data = project.data()
        if n == 0:
            unit = project.unit()
        projects.append(data)
        if progress:
            progress(n + 1, len(anchors), data["项目名称"])
        unplaced([b for b in blocks[start:stop] if isinstance(b, Paragraph)])

    code, name, money = unit if anchors else (None, None, None)
    if code is None:
        code = notes.placeholder(blocks[anchors[0]].place if anchors else "全文", "没有找到单位编码（表格上方“816001某某单位”一行）")
    if name is None:
        name = cover.get("单位") or notes.placeholder("全文", "没有找到单位名称")
    if year is None:
        codes = [p["项目编码"] for p in projects if re.fullmatch(r"\d{6}(\d{2})\w+", p["项目编码"])]
        year = 2000 + int(codes[0][6:8]) if codes else None
    if year is None:
        year = notes.placeholder("全文", "没有找到年度")
    if money is None:
        notes.note(blocks[anchors[0]].place if anchors else "全文", "没有找到“单位：万元”或“单位：元”，按万元填写，请核对")
        money = "万元"
    document: dict[str, Any] = {"单位编码": code, "单位名称": name, "年度": year, "金额单位": money}
    if any(level1 in FRAMES[FOUR_CLASS] and level1 not in FRAMES[THREE_CLASS] for p in projects for level1 in p["绩效指标"]):
        document["指标体系"] = FOUR_CLASS  # a 一级 only the 2021 frame has: 成本指标
    if cover:
        document["封面"] = cover
    document["第一部分"] = document_part1
    if not anchors:
        notes.note("全文", "没有找到任何项目绩效目标表（含“项目编码”或“项目名称”的表格）")
    return Recognised(document, projects, notes.items, len(titles) if anchors else 0)
