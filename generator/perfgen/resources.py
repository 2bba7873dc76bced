"""Where the standard template, the schemas, the pre-commit hooks and the CI workflow are.

Each has a single copy in the repository (templates/, schemas/, .pre-commit-hooks.yaml,
examples/ci/).
A wheel carries them inside the package (see pyproject.toml); a checkout or an
editable install finds them beside generator/.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parent


def _resource(folder: str) -> Path:
    installed = _PACKAGE / folder
    if installed.is_dir():
        return installed
    return _PACKAGE.parent.parent / folder


def schema_path(name: str) -> Path:
    return _resource("schemas") / f"{name}.schema.json"


@cache  # the schema files do not change while perfgen runs: each is parsed once
def load_schema(name: str) -> dict[str, Any]:
    """schemas/<name>.schema.json, read once per process."""
    import json  # only a check that reads the sources needs the schemas: not loaded by --help or kept results

    schema: dict[str, Any] = json.loads(schema_path(name).read_text(encoding="utf-8"))
    return schema


def standard_template() -> Path:
    return _resource("templates") / "standard.docx"


def font_config() -> Path:
    """fontconfig aliases that map the template's fonts to Noto CJK for PDF output."""
    return _resource("templates") / "fontconfig" / "fonts.conf"


def ci_workflow() -> Path:
    """The pull-request workflow that ``perfgen init`` copies into a sources repository."""
    installed = _PACKAGE / "ci" / "perfgen-pull-request.yml"
    return installed if installed.is_file() else _PACKAGE.parent.parent / "examples" / "ci" / "perfgen-pull-request.yml"


def pre_commit_hooks() -> Path:
    """perfgen's pre-commit hook definitions (.pre-commit-hooks.yaml)."""
    installed = _PACKAGE / "pre-commit-hooks.yaml"
    return installed if installed.is_file() else _PACKAGE.parent.parent / ".pre-commit-hooks.yaml"
