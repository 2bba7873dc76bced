"""The one HTML renderer of a township: its document laid out like the paper, every problem in its cell.

Used by ``perfgen serve`` (the live preview) and by ``perfgen report`` (its township pages). Fed by the
same model as the .docx (perfgen.model, through render/context's texts); the look comes from the Word
template (html/look.py); templates, CSS and JavaScript are files of this package, nothing is fetched
from a network, so the pages work offline.

For a page of one township::

    from perfgen.html import render_township_html
    page = render_township_html(checked.township, checked.problems)        # one self-contained page

For pages that share their CSS (a report of many townships, the server)::

    page = render_township_html(township, problems, css_href="perfgen.css")
    for name, data in static_files().items(): ...                          # write perfgen.css beside it

Every text from the sources is escaped: a 项目名称 ``<img src=x onerror=alert(1)>`` shows as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path

from perfgen.html.render import STATIC, environment, inline_stylesheet, make_view, render_view, stylesheet
from perfgen.model import Township
from perfgen.problems import Problem

__all__ = ["IndexEntry", "render_index", "render_township_html", "render_township_body", "static_files", "stylesheet"]


@dataclass(frozen=True)
class IndexEntry:
    """A township in an index of several: its name, the address of its page and its problems counted."""

    name: str
    href: str
    errors: int
    warnings: int


def render_index(title: str, entries: Sequence[IndexEntry], *, css_href: str | None = None) -> str:
    """A page listing townships with their errors and warnings, each linking to its page."""
    css = None if css_href else inline_stylesheet()
    return environment().get_template("index.html").render(
        title=title, entries=entries, css=css, css_href=css_href, script_href=None
    )


def render_township_html(
    township: Township,
    problems: Iterable[Problem],
    *,
    css_href: str | None = None,
    script_href: str | None = None,
    stale: Collection[str] = (),
    editor_links: bool = False,
    template: Path | None = None,
    nav: Sequence[tuple[str, str]] = (),
    data: Mapping[str, str] | None = None,
    live: bool = True,
) -> str:
    """A whole HTML page of ``township`` with ``problems`` placed on their cells.

    ``css_href``: link the stylesheet there (see ``static_files``) instead of putting it in the page.
    ``script_href``: a script to load (the live preview's). ``stale``: files (named as problems name
    them) whose model is a last good one kept while the file cannot be read: shown greyed, their
    problems on top. ``editor_links``: each problem links to ``vscode://file/…:line:col`` too.
    ``template``: the Word template the look is read from (default: the standard one).
    ``nav``: (label, address) links for the page's top bar. ``data``: ``data-*`` attributes of <body>
    (names of perfgen's own: ``events`` and ``body`` turn on the live preview of static/perfgen.js).
    ``live``: a file that cannot be read is worded for the live preview (shown once mended and saved);
    False words it for a static report.
    """
    view = make_view(township, problems, stale, editor_links, live)
    css = None if css_href else inline_stylesheet(template)
    return render_view(
        view, "page.html", css=css, css_href=css_href, script_href=script_href, nav=nav, data=data or {}
    )


def render_township_body(
    township: Township,
    problems: Iterable[Problem],
    *,
    stale: Collection[str] = (),
    editor_links: bool = False,
) -> str:
    """The inside of the page's ``#pg-root`` element alone: what the live preview swaps in after an edit."""
    return render_view(make_view(township, problems, stale, editor_links), "body.html")


def static_files(template: Path | None = None) -> dict[str, bytes]:
    """The files a page with ``css_href``/``script_href`` refers to, by name: perfgen.css and perfgen.js."""
    return {
        "perfgen.css": stylesheet(template).encode("utf-8"),
        "perfgen.js": (STATIC / "perfgen.js").read_bytes(),
    }
