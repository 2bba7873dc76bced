"""Parse the plain-text form of a 部门预算绩效文本 into comparable fields.

Two text forms exist (see fixtures/reference/README.md):

* the Word extraction (references 000, 001, 002, and ``perfgen.docxtext`` of a
  built document): one paragraph per line, a table cell is a line starting
  with a tab, continuation paragraphs of a cell follow without a tab, a blank
  line ends a table row;
* the PDF extraction (reference 004): a table row is one line of
  tab-separated cells, and the PDF added spaces and broke paragraphs at page
  ends.

Both parse into the same ``Document``, so the fidelity test compares a built
document with its published original field by field. Quirks of the published
texts are normalised here, each with a comment saying which document has it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")
SECTION_TITLES = ("一、总体绩效目标", "二、分项绩效目标", "三、工作保障措施")
PROJECT_TITLE = re.compile(r"^(\d+)[.．]\s*(.+)$")
UNIT_LINE = re.compile(r"^(\d{6})\s*(\S.*)$")
PERCENT = re.compile(r"^\d+(?:\.\d+)?%$")
# the part 2 title, on one line or two ("第二部分" / "预算项目绩效目标"), and 002's wrapped titles
PART_TWO = re.compile(r"^(第二部分\s*(预算项目绩效目标)?|预算项目绩效目标|绩效目标表)$")


@dataclass
class Project:
    title: str = ""
    unit_line: str = ""
    money_unit: str = ""
    code: str = ""
    name: str = ""
    budget: str = ""
    fiscal: str = ""
    other: str = ""
    use: str = ""
    plan: list[str] = field(default_factory=list)
    goals: list[str] = field(default_factory=list)
    # (一级, 二级, 三级, 描述, 指标值, 依据); 一级 filled down over merged cells
    indicators: list[tuple[str, ...]] = field(default_factory=list)
    # number of rows per 一级 group, in order: shows the vertical merges
    level1_groups: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class Document:
    cover: list[str] = field(default_factory=list)
    part1: dict[str, list[str]] = field(default_factory=dict)
    projects: list[Project] = field(default_factory=list)


def despace(text: str) -> str:
    """Drop the spaces the PDF extraction put between CJK text and digits.

    A space survives only between two ASCII letters or digits.
    """
    return re.sub(r"(?<![A-Za-z0-9])\s+|\s+(?![A-Za-z0-9])", "", text)


def clean(text: str) -> str:
    return BOOKMARK.sub("", text).strip()


# ---------------------------------------------------------------- Word form


@dataclass
class _Table:
    rows: list[list[str]]


def _blocks(text: str) -> list[str | _Table]:
    """Split Word-extracted text into paragraphs and tables, in order."""
    blocks: list[str | _Table] = []
    table: _Table | None = None
    row: list[str] | None = None
    after_cell = False  # the previous line was a cell or its continuation
    for line in text.split("\n"):
        if line.startswith("\t"):
            if table is None:
                table = _Table([])
                blocks.append(table)
            if row is None:
                row = []
                table.rows.append(row)
            row.append(line[1:])
            after_cell = True
        elif line == "":
            row = None
            after_cell = False
        elif after_cell and row is not None:
            row[-1] += "\n" + line
        else:
            table = None
            row = None
            after_cell = False
            blocks.append(line)
    return blocks


def _cells(table: _Table) -> list[str]:
    return [cell for row in table.rows for cell in row]


def _after(cells: list[str], label: str, *, skip_empty: bool = True) -> str:
    for i, cell in enumerate(cells):
        if clean(cell).startswith(label):
            for value in cells[i + 1 :]:
                if clean(value) or not skip_empty:
                    return clean(value)
    raise ValueError(f"label {label!r} not found")


def _goal_lines(cell: str) -> list[str]:
    return [clean(line) for line in cell.split("\n") if clean(line)]


def _indicator_rows(table: _Table) -> list[tuple[str, ...]]:
    header = next(i for i, r in enumerate(table.rows) if r and clean(r[0]) == "一级指标")
    head = table.rows[header]
    keep = [i for i, cell in enumerate(head) if clean(cell)]  # 001 has empty grid columns
    width = len(head)
    rows: list[list[str]] = []
    pending: list[str] = []
    for raw in table.rows[header + 1 :]:
        # 000: a trailing empty paragraph in the 描述 cell reads as a row end;
        # glue the pieces back until the row has its full width.
        pending = pending + raw
        if len(pending) >= width:
            rows.append(pending)
            pending = []
    if pending:
        raise ValueError(f"incomplete indicator row {pending!r}")
    return [tuple(clean(row[i]) for i in keep) for row in rows]


def _level1(rows: list[tuple[str, ...]]) -> tuple[list[tuple[str, ...]], list[tuple[str, int]]]:
    filled, groups = [], []
    for row in rows:
        # a label repeated on a continuation page (the merge restarted there) goes on with its group
        if row[0] and not (groups and groups[-1][0] == row[0]):
            groups.append((row[0], 0))
        name, count = groups[-1]
        groups[-1] = (name, count + 1)
        filled.append((name, *row[1:]))
    return filled, groups


def _split_run_on_goal(paragraphs: list[str]) -> list[str]:
    # 000 item 12: "绩效目标：… 绩效指标：…" lost its paragraph break.
    out: list[str] = []
    for para in paragraphs:
        out.extend(p.strip() for p in re.split(r"\s+(?=绩效指标：)", para))
    return out


def _strip_bullet(para: str) -> str:
    # 001 section 3 is a bulleted list: the extraction writes the bullet as "•\t".
    return re.sub(r"^•\s*", "• ", para)


def parse_word(text: str) -> Document:
    doc = Document()
    blocks = _blocks(text)
    paragraphs = [(i, clean(b)) for i, b in enumerate(blocks) if isinstance(b, str)]

    # cover: everything before 目录, when the text has one
    for _, para in paragraphs:
        if re.fullmatch(r"目\s*录", para):
            break
        if para:
            doc.cover.append(para)
    else:
        doc.cover = []

    starts = {}
    for i, para in paragraphs:
        if para in SECTION_TITLES:  # the last occurrence: a TOC entry may read the same
            starts[para] = i
    titles: list[tuple[int, str]] = []
    first_project = len(blocks)
    for pos, (i, para) in enumerate(paragraphs):
        m = PROJECT_TITLE.match(para)
        if not m or i < starts.get(SECTION_TITLES[0], 0):
            continue
        title = para
        if not title.endswith("绩效目标表"):
            # 002 titles 14-23 wrap "绩效目标表" into a second paragraph; ours break into balanced lines
            following = [p for _, p in paragraphs[pos + 1 : pos + 4]]
            ends = [n for n, p in enumerate(following) if p.endswith("绩效目标表")]
            if not ends or any(PROJECT_TITLE.match(p) for p in following[: ends[0] + 1]):
                continue
            title += "".join(following[: ends[0] + 1])
        titles.append((i, title))
        first_project = min(first_project, i)

    ends = [starts[SECTION_TITLES[1]], starts[SECTION_TITLES[2]], first_project]
    for title, end in zip(SECTION_TITLES, ends):
        body = [
            _strip_bullet(p)
            for i, p in paragraphs
            if starts[title] < i < end and p and not PART_TWO.match(p)
        ]
        doc.part1[title] = _split_run_on_goal(body)

    for n, (start, title) in enumerate(titles):
        stop = titles[n + 1][0] if n + 1 < len(titles) else len(blocks)
        tables = [b for b in blocks[start:stop] if isinstance(b, _Table)]
        cells = [c for t in tables for c in _cells(t)]
        project = Project(title=title)
        project.unit_line = clean(cells[0])
        project.money_unit = next(clean(c) for c in cells if clean(c).startswith("单位："))
        project.code = _after(cells, "项目编码")
        project.name = _after(cells, "项目名称")
        project.budget = _after(cells, "预算数")
        project.fiscal = _after(cells, "其中：财政")
        project.other = _after(cells, "其他资金", skip_empty=False)
        other_at = next(i for i, c in enumerate(cells) if clean(c) == "其他资金")
        project.use = next(clean(c) for c in cells[other_at + 2 :] if clean(c))
        plan_at = next(i for i, c in enumerate(cells) if clean(c) == "12月底")
        project.plan = [clean(c) for c in cells[plan_at + 1 :] if PERCENT.match(clean(c))][:4]
        project.goals = _goal_lines(_after(cells, "绩效目标"))
        table = next(t for t in tables if any(r and clean(r[0]) == "一级指标" for r in t.rows))
        project.indicators, project.level1_groups = _level1(_indicator_rows(table))
        doc.projects.append(project)
    return doc


# ----------------------------------------------------------------- PDF form


def join_broken(paragraphs: list[str]) -> list[str]:
    """Rejoin paragraphs the PDF split at a page end (no closing punctuation)."""
    out: list[str] = []
    for para in paragraphs:
        if out and not re.search(r"[。！？；：”!?]$", out[-1]):
            out[-1] += para
        else:
            out.append(para)
    return out


def parse_pdf(text: str) -> Document:
    doc = Document()
    lines = [line.rstrip("\n") for line in text.split("\n")]
    plain = [despace(line) for line in lines]

    toc = next(i for i, p in enumerate(plain) if p == "目录")
    doc.cover = [p for p in plain[:toc] if p]

    part1 = next(i for i, p in enumerate(plain) if i > toc and p == "第一部分")
    part2 = next(i for i, p in enumerate(plain) if i > part1 and p == "第二部分")
    starts = [next(i for i, p in enumerate(plain) if i > part1 and p == t) for t in SECTION_TITLES]
    for title, start, end in zip(SECTION_TITLES, starts, [*starts[1:], part2]):
        doc.part1[title] = join_broken([p for p in plain[start + 1 : end] if p])

    project: Project | None = None
    in_indicators = False
    for raw, line in zip(lines[part2:], plain[part2:]):
        if not line:
            continue
        cells = [despace(c) for c in raw.split("\t")]
        while cells and not cells[-1]:
            cells.pop()
        m = PROJECT_TITLE.match(line)
        if "\t" not in raw and m and line.endswith("绩效目标表"):
            project = Project(title=line)
            doc.projects.append(project)
            in_indicators = False
        elif project is None:
            continue
        elif "\t" not in raw and UNIT_LINE.match(line) and not project.unit_line:
            project.unit_line = line
        elif line.startswith("单位："):
            project.money_unit = line
        elif cells[0] in ("项目编码", "项目编号"):
            project.code, project.name = cells[1], cells[cells.index("项目名称") + 1]
        elif cells[0].startswith("预算规模及"):
            project.budget = cells[cells.index("预算数") + 1]
            project.fiscal = next(cells[i + 1] for i, c in enumerate(cells) if c.startswith("其中：财政"))
            at = cells.index("其他资金")
            project.other = cells[at + 1] if at + 1 < len(cells) else ""
        elif cells[0] == "" and not project.use and project.budget and not in_indicators:
            project.use = next(c for c in cells if c)
        elif cells[0].startswith("资金支出计"):
            continue
        elif cells[0] == "" and all(PERCENT.match(c) for c in cells if c) and not in_indicators:
            project.plan = [c for c in cells if c]
            if len(project.plan) == 3:
                # 004: the 12月底 cell was lost in extraction; its true value is 100%
                project.plan.append("100%")
        elif cells[0] == "12月底":
            project.plan[3:] = [cells[1]]
        elif cells[0] == "绩效目标":
            project.goals = [c for c in cells[1:] if c]
        elif cells[0] == "一级指标":
            in_indicators = True
        elif in_indicators:
            project.indicators.append(tuple((cells + [""] * 6)[:6]))
    for project in doc.projects:
        project.indicators, project.level1_groups = _level1(project.indicators)
    return doc


def parse(text: str) -> Document:
    """Parse either text form: the Word form has each header cell on its own line."""
    if re.search(r"^\t一级指标$", text, flags=re.MULTILINE):
        return parse_word(text)
    return parse_pdf(text)
