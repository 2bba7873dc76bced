"""Where the standard template and the schemas are.

Both have a single copy at the top of the repository (templates/, schemas/).
A wheel carries them inside the package (see pyproject.toml); a checkout or an
editable install finds them beside generator/.
"""

from __future__ import annotations

import json
from functools import lru_cache
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


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict[str, Any]:
    """schemas/<name>.schema.json, read once per process."""
    return json.loads(schema_path(name).read_text(encoding="utf-8"))


def standard_template() -> Path:
    return _resource("templates") / "standard.docx"


def font_config() -> Path:
    """fontconfig aliases that map the template's fonts to Noto CJK for PDF output."""
    return _resource("templates") / "fontconfig" / "fonts.conf"
