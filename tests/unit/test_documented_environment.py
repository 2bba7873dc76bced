"""Every environment variable perfgen reads is documented in the IT guide."""

from __future__ import annotations

import re

from conftest import ROOT


def read_variables() -> set[str]:
    """The variables the code reads: os.environ.get("X"), os.environ["X"], and the PERFGEN_ names it spells."""
    names = set()
    for source in (ROOT / "generator" / "perfgen").rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        names |= set(re.findall(r"""environ(?:\.get\(|\[)["']([A-Za-z_][A-Za-z0-9_()]*)["']""", text))
        names |= set(re.findall(r"""["'](PERFGEN_[A-Z_]+)["']""", text))
    return names


def test_every_environment_variable_is_in_the_it_guide() -> None:
    guide = (ROOT / "docs" / "it-guide.md").read_text(encoding="utf-8")
    variables = read_variables()
    assert {"PERFGEN_SOFFICE", "PERFGEN_UNO_PYTHON", "PERFGEN_OFFICE_TIMEOUT", "NO_COLOR"} <= variables
    assert {name for name in variables if f"`{name}`" not in guide} == set()
