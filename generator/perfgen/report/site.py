"""The report's HTML pages: index.html, a page per township (perfgen.html, the one renderer) and 跨单位.html."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from perfgen.model import amount_text
from perfgen.report.collect import County, Place

TEMPLATES = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    """perfgen.html's environment (escaping, strict names) with this folder's templates too: its pages
    extend the one base.html."""
    from perfgen.html.render import PACKAGE, environment

    loaders = [jinja2.FileSystemLoader(TEMPLATES), jinja2.FileSystemLoader(PACKAGE / "templates")]
    return environment().overlay(loader=jinja2.ChoiceLoader(loaders))


def _rows(county: County) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for entry in county.townships:
        errors, warnings = entry.counts
        township = entry.township
        rows.append(
            {
                "name": entry.name,
                "title": township.document.unit_name if township.document else entry.name,
                "page": entry.page,
                "year": township.year or "",
                "projects": len(township.projects),
                "total": amount_text(township.total.value),
                # sorted in one unit: a township's 金额单位 is 元 or 万元
                "total_value": str(township.total.value if entry.total_in_wan is None else entry.total_in_wan),
                # what the county's row adds up for it, exactly, when the filter is on ("" when not counted)
                "wan": "" if entry.total_in_wan is None else format(entry.total_in_wan, "f"),
                "unreadable": len(entry.unreadable),
                "unit": township.unit,
                "errors": errors,
                "warnings": warnings,
            }
        )
    return rows


def _where(places: list[Place]) -> list[dict[str, str]]:
    return [{"township": p.township, "page": p.page, "project": p.project, "code": p.code} for p in places]


def pages(county: County) -> dict[str, bytes]:
    """Every page of the site and its stylesheet, by their path in the report folder."""
    from perfgen.html import render_township_html, static_files

    environment = _environment()
    rows = _rows(county)
    errors = sum(row["errors"] for row in rows)  # type: ignore[misc]
    warnings = sum(row["warnings"] for row in rows)  # type: ignore[misc]
    total = county.total
    head = {"css": None, "css_href": None, "script_href": None}  # base.html's: the pages' style is their own
    files = {
        "index.html": environment.get_template("county.html").render(
            rows=rows, errors=errors, warnings=warnings, county=total, county_total=amount_text(total.value), **head
        ),
        "跨单位.html": environment.get_template("cross.html").render(
            **head,
            goals=[(text, _where(places)) for text, places in sorted(county.goals.items(), key=lambda kv: -len(kv[1]))],
            indicators=[(key, _where(places)) for key, places in sorted(county.indicators.items(), key=lambda kv: -len(kv[1]))],
            codes=[(code, _where(places)) for code, places in sorted(county.codes.items())],
        ),
    }
    nav = [("全县汇总", "../index.html"), ("跨单位重复", "../跨单位.html"), ("报表.xlsx", "../报表.xlsx")]
    for entry in county.townships:
        files[entry.page] = render_township_html(
            entry.township, entry.problems, css_href="../perfgen.css", nav=nav, live=False
        )
    encoded = {name: text.encode("utf-8") for name, text in files.items()}
    encoded["perfgen.css"] = static_files()["perfgen.css"]
    return encoded
