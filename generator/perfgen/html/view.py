"""What the HTML pages show of a township: its texts as the .docx prints them, each at its source place,
and every problem put on the cell, row or paragraph it concerns.

The texts come from render/context (the values of the Word template), so the page and the document
cannot say different things; the places come from the model (perfgen.model.Place). A problem is put
on the element whose place is the problem's file, line and column; failing that, on the last element
of its file before that line; failing that, on the frame of its file; failing that, in the township's
list of problems that belong to no page.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from perfgen.form import MONTHS
from perfgen.model import Document, Place, Project, Township
from perfgen.paths import display_path
from perfgen.problems import Problem, sort_key
from perfgen.render.context import project_view, section_paragraphs


@dataclass
class Mark:
    """A problem as the page shows it: in the list, and (by ``target``) on an element."""

    id: str
    problem: Problem
    target: str = ""  # the id of the element it is shown on; "" when it belongs to no element
    editor: str = ""  # a link that opens the file at the line in an editor, when wanted

    @property
    def severity(self) -> str:
        return self.problem.severity.code

    @property
    def where(self) -> str:
        return f"{self.problem.file}:{self.problem.line}:{self.problem.column}"

    @property
    def line(self) -> str:
        return f"第 {self.problem.line} 行第 {self.problem.column} 列"


@dataclass
class Element:
    """A cell, row or paragraph of the page that shows one source value."""

    id: str
    text: str
    marks: list[Mark] = field(default_factory=list)

    @property
    def severity(self) -> str:
        """The worst severity of its problems: "error", "warning" or ""."""
        codes = {mark.severity for mark in self.marks}
        return "error" if "error" in codes else "warning" if codes else ""

    @property
    def hint(self) -> str:
        """The messages, one a line, for the element's tooltip."""
        return "\n".join(f"{m.problem.severity.label}：{m.problem.message}" for m in self.marks)


@dataclass
class Frame:
    """A file's part of the page (文档.yaml's pages, or one project's table): where its problems go when no
    element of it is theirs, and the banner of a file that cannot be read now."""

    id: str
    file: str
    stale: bool = False  # the file cannot be used now: this is its last good rendering
    missing: bool = False  # ... and there is none: the frame holds only its problems
    marks: list[Mark] = field(default_factory=list)
    live: bool = True  # worded for the live preview (fix and save) rather than for a report (a fixed state)


class _Placer:
    """Hands out element ids and finds, for a problem, the element it belongs to.

    Ids are numbered within their part of the page (``scope``: "cover", "toc", "part1", "project-3"), so
    that an edit of one project leaves the others' HTML as it was (the live preview swaps only what changed).
    """

    def __init__(self, live: bool = True) -> None:
        self.live = live
        self._count = 0
        self._scopes: dict[str, int] = {}
        self.scope = "page"
        self.exact: dict[tuple[str, int, int], Element] = {}
        self.lines: dict[str, list[tuple[int, int, int, Element]]] = {}  # file -> (line, column, order, element)
        self.frames: dict[str, Frame] = {}
        self._sorted: set[str] = set()

    def new_id(self) -> str:
        self._count += 1  # the order of elements on the page, for placing a problem between two places
        self._scopes[self.scope] = number = self._scopes.get(self.scope, 0) + 1
        return f"{self.scope}-{number}"

    def element(self, text: str, place: Place | None) -> Element:
        element = Element(self.new_id(), text)
        if place is not None:
            line, column = place.position()
            key = (place.file.display, line, column)
            self.exact.setdefault(key, element)  # the first element of a place (a name shown twice) takes it
            self.lines.setdefault(place.file.display, []).append((line, column, self._count, element))
        return element

    def frame(self, file: str, stale: bool = False) -> Frame:
        frame = self.frames[file] = Frame(f"{self.scope}-frame", file, stale, live=self.live)
        return frame

    def place(self, problem: Problem, mark: Mark) -> bool:
        """Put ``mark`` on its element or its file's frame; False when the page has neither."""
        frame = self.frames.get(problem.file)
        if frame is not None and frame.stale:  # its positions are of the text that does not load
            frame.marks.append(mark)
            mark.target = frame.id
            return True
        element = self.exact.get((problem.file, problem.line, problem.column))
        if element is None and problem.file in self.lines:
            ordered = self.lines[problem.file]
            if problem.file not in self._sorted:
                ordered.sort(key=lambda item: item[:3])
                self._sorted.add(problem.file)
            at = bisect.bisect_right(ordered, (problem.line, problem.column, 1 << 62), key=lambda item: item[:3]) - 1
            element = ordered[at][3] if at >= 0 else None
        if element is not None:
            element.marks.append(mark)
            mark.target = element.id
            return True
        if frame is not None:
            frame.marks.append(mark)
            mark.target = frame.id
            return True
        return False


@dataclass
class IndicatorRow:
    level1: Element | None  # on the first row of its 一级 only, with its span
    span: int
    cells: list[Element]


@dataclass
class ProjectPage:
    number: int
    anchor: str
    title: str
    frame: Frame
    code: Element
    name: Element
    budget: Element
    fiscal: Element
    other: Element
    purpose: Element
    plan: list[Element]
    goals: list[Element]
    rows: list[IndicatorRow]
    entry: Element  # its line in the 目录, at its entry of 项目清单
    missing: bool = False  # listed in 项目清单 but not readable, with no earlier rendering: the frame only


@dataclass
class ParagraphView:
    element: Element
    title: bool


@dataclass
class SectionView:
    anchor: str
    title: str
    paragraphs: list[ParagraphView]


@dataclass
class DocumentView:
    frame: Frame
    unit_code: str
    unit_name: str
    unit: str  # 金额单位
    year: Element
    cover_unit: Element
    draft: bool
    compiler: Element | None
    reviewer: Element | None
    sections: list[SectionView]
    part_two: Element  # the 目录's line of 第二部分, at the key 项目清单


@dataclass
class FileMarks:
    """The problems of one file, for the list beside the pages."""

    file: str
    title: str
    marks: list[Mark]


@dataclass
class TownshipView:
    name: str
    title: str
    document: DocumentView | None
    projects: list[ProjectPage]
    marks: list[Mark]  # every problem, in file order
    loose: list[Mark]  # the problems no element or frame of the page shows
    files: list[FileMarks]  # the problems by file, in the order of the pages
    live: bool = True  # the live preview's wording (see Frame.live)

    @property
    def errors(self) -> int:
        return sum(mark.severity == "error" for mark in self.marks)

    @property
    def warnings(self) -> int:
        return len(self.marks) - self.errors


def editor_link(problem: Problem) -> str:
    """``vscode://file/<absolute path>:line:col``: VS Code opens the file at the problem."""
    return f"{_editor_file(problem.file)}:{problem.line}:{problem.column}"


@lru_cache(maxsize=4096)
def _editor_file(file: str) -> str:
    path = Path(file).absolute().as_posix()
    return f"vscode://file/{path if path.startswith('/') else '/' + path}"


def _document_view(document: Document, placer: _Placer, stale: bool) -> DocumentView:
    placer.scope = "cover"
    frame = placer.frame(document.file.display, stale)
    cover = document.cover
    year = placer.element(str(document.year), document.place("year"))
    cover_unit = placer.element(cover.unit, document.place("cover", "单位"))
    compiler = placer.element(cover.compiler, document.place("cover", "编制单位")) if cover.compiler else None
    reviewer = placer.element(cover.reviewer, document.place("cover", "审核单位")) if cover.reviewer else None
    placer.scope = "part1"
    sections = []
    for index, section in enumerate(document.sections, 1):
        places = _paragraph_places(document, section.key)
        texts = section_paragraphs(section)
        paragraphs = [
            ParagraphView(placer.element(text["文字"], place), bool(text["标题"]))
            for text, place in zip(texts, places, strict=True)
        ]
        sections.append(SectionView(f"part1-{index}", section.title, paragraphs))
    placer.scope = "toc"
    part_two = placer.element("第二部分　预算项目绩效目标", document.place("project_list", key=True))
    return DocumentView(
        frame=frame,
        unit_code=document.unit_code,
        unit_name=document.unit_name,  # shown above every table: a problem of it goes to the cover
        unit=document.unit,
        year=year,
        cover_unit=cover_unit,
        draft=cover.draft,
        compiler=compiler,
        reviewer=reviewer,
        sections=sections,
        part_two=part_two,
    )


def _paragraph_places(document: Document, key: str) -> list[Place]:
    """The places of a 第一部分 section's paragraphs, in the order Section.paragraphs gives them."""
    section = next(s for s in document.sections if s.key == key)
    places = [document.place("part_one", key, "引言", i) for i in range(len(section.intro))]
    for i, item in enumerate(section.items):
        if isinstance(item, str):
            places.append(document.place("part_one", key, "条目", i))
        else:
            places += [document.place("part_one", key, "条目", i, part) for part in ("标题", "绩效目标", "绩效指标")]
    return places


def _project_page(number: int, project: Project, placer: _Placer, stale: bool, entry: Place | None) -> ProjectPage:
    texts = project_view(number, project)
    placer.scope = "toc"
    toc_line = placer.element(texts["标题"], entry)
    placer.scope = f"project-{number}"
    frame = placer.frame(project.file.display, stale)
    element = placer.element
    rows = []
    for level in project.levels:
        first: Element | None = element(level.name, Place(project.file, level.path, key=True))
        for group in level.groups:
            for row in group.rows:
                cells = [
                    element(row.level2, Place(project.file, (*group.path, "二级指标"))),
                    element(row.name, row.place("indicator")),
                    element(row.description, row.place("description")),
                    element(row.value, row.place("value")),
                    element(row.basis, row.place("basis")),
                ]
                rows.append(IndicatorRow(first, len(level.rows), cells))
                first = None
    return ProjectPage(
        number=number,
        anchor=f"project-{number}",
        title=texts["标题"],
        frame=frame,
        code=element(texts["项目编码"], project.place("code")),
        name=element(texts["项目名称"], project.place("name")),
        budget=element(texts["预算数"], project.place("budget")),
        fiscal=element(texts["财政资金"], project.place("fiscal")),
        other=element(texts["其他资金"], project.place("other")),
        purpose=element(texts["资金用途"], project.place("purpose")),
        plan=[element(texts["资金支出计划"][month], project.place("plan", month)) for month in MONTHS],
        goals=[element(goal, project.place("goals", i)) for i, goal in enumerate(texts["绩效目标"])],
        rows=rows,
        entry=toc_line,
    )


def _missing_page(number: int, file: str, placer: _Placer, entry: Place | None) -> ProjectPage:
    """The frame of a listed project file that cannot be read and has no earlier rendering."""
    blank = Element("", "")
    # the preview shows the project once the file is mended and saved; a report stays as it was made
    title = f"{number}.{file}{'（暂时无法显示）' if placer.live else '（文件无法读取，未能显示）'}"
    placer.scope = "toc"
    toc_line = placer.element(title, entry)
    placer.scope = f"project-{number}"
    frame = placer.frame(file, stale=True)
    frame.missing = True
    return ProjectPage(
        number, f"project-{number}", title, frame, blank, blank, blank, blank, blank, blank, [], [], [], toc_line,
        missing=True,
    )


def _listed_order(township: Township) -> list[tuple[Project | str, Place | None]]:
    """The projects in the order of 项目清单, each with the place of its entry there; for a listed file the
    model lacks, its name as problems give it."""
    document = township.document
    if document is None:
        return [(project, None) for project in township.projects]
    by_name = {project.file.display: project for project in township.projects}
    ordered: list[tuple[Project | str, Place | None]] = []
    for index, name in enumerate(document.project_list):
        shown = display_path(township.folder / name)  # as loading names the file (Problem.file, YamlFile.display)
        project = by_name.pop(shown, None)
        ordered.append((project if project is not None else shown, document.place("project_list", index)))
    return ordered + [(project, None) for project in by_name.values()]


def township_view(
    township: Township,
    problems: Iterable[Problem],
    stale: Collection[str] = (),
    link: Callable[[Problem], str] | None = None,
    live: bool = True,
) -> TownshipView:
    """The page of a township; ``stale`` names the files (as problems name them) whose model is an
    earlier one, kept while the file cannot be read; ``link`` makes each problem's editor link; ``live``:
    worded for the live preview (a fix shows at the next save), else for a static report."""
    placer = _Placer(live)
    document = township.document
    document_view = _document_view(document, placer, document.file.display in stale) if document else None
    pages = []
    for number, (item, entry) in enumerate(_listed_order(township), 1):
        if isinstance(item, str):
            pages.append(_missing_page(number, item, placer, entry))
        else:
            pages.append(_project_page(number, item, placer, item.file.display in stale, entry))
    ordered: Sequence[Problem] = sorted(problems, key=sort_key)
    marks, loose = [], []
    on_target: dict[str, int] = {}
    for problem in ordered:
        mark = Mark("", problem, editor=link(problem) if link else "")
        marks.append(mark)
        if not placer.place(problem, mark):
            loose.append(mark)
        # numbered within what shows it, as elements are: an edit elsewhere leaves the id as it was
        where = mark.target or "loose"
        on_target[where] = on_target.get(where, 0) + 1
        mark.id = f"{where}-m{on_target[where]}"
    title = document.title if document else township.name
    files = _by_file(marks, document_view, pages)
    return TownshipView(township.name, title, document_view, pages, marks, loose, files, live)


def _by_file(marks: list[Mark], document: DocumentView | None, pages: list[ProjectPage]) -> list[FileMarks]:
    titles = {page.frame.file: page.title for page in pages}
    if document is not None:
        titles = {document.frame.file: "封面、目录和第一部分", **titles}
    order = {file: n for n, file in enumerate(titles)}
    grouped: dict[str, list[Mark]] = {}
    for mark in marks:
        grouped.setdefault(mark.problem.file, []).append(mark)
    files = sorted(grouped, key=lambda file: (order.get(file, len(order)), file))
    return [FileMarks(file, titles.get(file, file), grouped[file]) for file in files]
