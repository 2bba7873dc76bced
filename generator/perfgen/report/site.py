"""The report's HTML pages: index.html, a page per township (perfgen.html, the one renderer) and 跨单位.html."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import jinja2

from perfgen.model import amount_text
from perfgen.report.collect import County, Place

TEMPLATES = Path(__file__).resolve().parent / "templates"
YUAN_PER_WAN = Decimal(10000)


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


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
                "total_value": str(township.total.value / YUAN_PER_WAN if township.unit == "元" else township.total.value),
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
    files = {
        "index.html": environment.get_template("index.html").render(rows=rows, errors=errors, warnings=warnings),
        "跨单位.html": environment.get_template("cross.html").render(
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
