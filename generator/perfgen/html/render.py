"""Render a township's view (html/view.py) with the page templates in html/templates/.

Jinja escapes every value (autoescape) and fails on any name the view lacks (StrictUndefined);
the templates are perfgen's own files, compiled once per process.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterable
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from perfgen.html.look import template_css
from perfgen.html.view import DocumentView, Element, IndicatorRow, Mark, ProjectPage, TownshipView, township_view
from perfgen.model import Township
from perfgen.problems import Problem

PACKAGE = Path(__file__).resolve().parent
STATIC = PACKAGE / "static"


def _marks(element: Element) -> str:
    """The attributes of an element with problems: their ids, its worst severity and the messages."""
    if not element.marks:
        return ""
    ids = " ".join(mark.id for mark in element.marks)
    return f' data-marks="{ids}" data-severity="{element.severity}" title="{escape(element.hint)}"'


def item(mark: Mark, listed: bool = True) -> Markup:
    """A problem in a list: its message (a link to its place on the page), then its line (a link to the editor)."""
    problem = mark.problem
    message = str(escape(problem.message))
    if mark.target:
        message = f'<a class="pg-goto" href="#{mark.target}">{message}</a>'
    at = str(escape(mark.line if mark.target else mark.where))
    if mark.editor:
        at = f'<a href="{escape(mark.editor)}" title="在 VS Code 中打开 {escape(mark.where)}">{at}</a>'
    ident = f' id="{mark.id}"' if listed else ""
    return Markup(
        f'<li{ident} class="pg-item pg-{mark.severity}" data-target="{mark.target}">'
        f'<span class="pg-label">{problem.severity.label}</span> {message}<br>'
        f'<span class="pg-where" title="{escape(mark.where)}">{at} [{escape(problem.rule)}]</span></li>'
    )


def _classes(element: Element, style: str, extra: str) -> str:
    classes = [f"s-{style}" if style else "", extra, f"pg-{element.severity}" if element.marks else ""]
    return " ".join(c for c in classes if c)


def td(element: Element, style: str = "TableText", span: int = 1, rows: int = 1, extra: str = "") -> Markup:
    """A table cell showing one source value (written here, not as a Jinja macro: a page has a thousand)."""
    spans = (f' colspan="{span}"' if span > 1 else "") + (f' rowspan="{rows}"' if rows > 1 else "")
    return Markup(
        f'<td id="{element.id}" class="{_classes(element, style, extra)}"{spans}{_marks(element)}>'
        f"{escape(element.text)}</td>"
    )


def indicator_row(row: IndicatorRow) -> Markup:
    """A row of the indicator table, its 一级 cell (merged over its rows) on its first row only."""
    first = td(row.level1, rows=row.span, extra="pg-level1") if row.level1 else ""
    level2, name, description, value, basis = row.cells
    return Markup(
        f"<tr>{first}{td(level2)}{td(name)}{td(description, 'TableTextLeft')}{td(value)}"
        f"{td(basis, 'TableTextLeft')}</tr>"
    )


def p(element: Element, style: str, tag: str = "p") -> Markup:
    """A paragraph (or, with ``tag="span"`` and no style, a run in one) showing one source value."""
    return Markup(
        f'<{tag} id="{element.id}" class="{_classes(element, style, "")}"{_marks(element)}>{escape(element.text)}</{tag}>'
    )


def _fingerprint(page: ProjectPage, document: DocumentView | None) -> tuple[object, ...]:
    """Everything a project's page shows: equal fingerprints, equal HTML."""
    elements = [page.code, page.name, page.budget, page.fiscal, page.other, page.purpose, *page.plan, *page.goals]
    for row in page.rows:
        elements += [row.level1, *row.cells] if row.level1 else row.cells
    frame = page.frame
    return (
        page.number, page.title, page.missing, tuple(row.span if row.level1 else 0 for row in page.rows),
        frame.id, frame.file, frame.stale, frame.missing, frame.live, tuple((m.id, m.problem, m.target, m.editor) for m in frame.marks),
        tuple((e.id, e.text, tuple((m.id, m.problem, m.editor) for m in e.marks)) for e in elements if e is not None),
        (document.unit_code, document.unit_name, document.unit) if document else None,
    )


class _Sections:
    """The HTML of each project page last rendered, by its place (file and number) with its fingerprint: after
    an edit, the projects it did not touch are not rendered again.

    One state per place, not one per fingerprint: a preview edited a thousand times holds what it shows now,
    not every state it went through (the memory of ``perfgen serve`` stays flat).
    """

    KEEP = 1024  # places: a county's townships under preview at once

    def __init__(self) -> None:
        self._kept: dict[tuple[str, int], tuple[tuple[object, ...], Markup]] = {}
        self._lock = threading.Lock()

    def __call__(self, page: ProjectPage, document: DocumentView | None) -> Markup:
        place = (page.frame.file, page.number)
        key = _fingerprint(page, document)
        with self._lock:
            kept = self._kept.pop(place, None)
        html = kept[1] if kept is not None and kept[0] == key else None
        if html is None:
            html = Markup(environment().get_template("project.html").render(page=page, doc=document))
        with self._lock:
            self._kept[place] = (key, html)  # now the newest: the oldest go first
            while len(self._kept) > self.KEEP:
                del self._kept[next(iter(self._kept))]
        return html


project_section = _Sections()


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(PACKAGE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # the package's files do not change while it runs
    )
    environment.globals.update(td=td, p=p, indicator_row=indicator_row, item=item, project_section=project_section)
    return environment


def stylesheet(template: Path | None = None) -> str:
    """The pages' CSS: the Word template's styles (html/look.py), then perfgen's own (static/perfgen.css)."""
    return template_css(template) + (STATIC / "perfgen.css").read_text(encoding="utf-8")


def inline_stylesheet(template: Path | None = None) -> Markup:
    """The CSS to put inside a page's <style>: as it is (escaping would break its quotes); the template's
    names in it are CSS-escaped (look.css_string), so nothing in it can close the <style>."""
    css = stylesheet(template)
    if "<" in css:
        raise ValueError("a stylesheet inside a page may not hold '<'")
    return Markup(css)


def render_view(view: TownshipView, name: str, **page: object) -> str:
    """A template of html/templates/ over a township's view."""
    return environment().get_template(name).render(view=view, **page)


def make_view(
    township: Township,
    problems: Iterable[Problem],
    stale: Collection[str] = (),
    editor_links: bool = False,
    live: bool = True,
) -> TownshipView:
    from perfgen.html.view import editor_link

    link: Callable[[Problem], str] | None = editor_link if editor_links else None
    return township_view(township, problems, stale, link, live)
