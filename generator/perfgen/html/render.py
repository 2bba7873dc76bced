"""Render a township's view (html/view.py) with the page templates in html/templates/.

Jinja escapes every value (autoescape) and fails on any name the view lacks (StrictUndefined);
the templates are perfgen's own files, compiled once per process.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from functools import lru_cache
from pathlib import Path

import jinja2

from perfgen.html.look import template_css
from perfgen.html.view import TownshipView, township_view
from perfgen.model import Township
from perfgen.problems import Problem

PACKAGE = Path(__file__).resolve().parent
STATIC = PACKAGE / "static"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(PACKAGE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # the package's files do not change while it runs
    )


def stylesheet(template: Path | None = None) -> str:
    """The pages' CSS: the Word template's styles (html/look.py), then perfgen's own (static/perfgen.css)."""
    return template_css(template) + (STATIC / "perfgen.css").read_text(encoding="utf-8")


def render_view(view: TownshipView, name: str, **page: object) -> str:
    """A template of html/templates/ over a township's view."""
    return environment().get_template(name).render(view=view, **page)


def make_view(
    township: Township,
    problems: Iterable[Problem],
    stale: Collection[str] = (),
    editor_links: bool = False,
) -> TownshipView:
    from perfgen.html.view import editor_link

    link: Callable[[Problem], str] | None = editor_link if editor_links else None
    return township_view(township, problems, stale, link)
