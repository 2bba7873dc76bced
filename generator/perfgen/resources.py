"""Where the standard template and the schemas are.

Both have a single copy at the top of the repository (templates/, schemas/).
A wheel carries them inside the package (see pyproject.toml); a checkout or an
editable install finds them beside generator/.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _resource(folder: str) -> Path:
    installed = _PACKAGE / folder
    if installed.is_dir():
        return installed
    return _PACKAGE.parent.parent / folder


def schema_path(name: str) -> Path:
    return _resource("schemas") / f"{name}.schema.json"


def standard_template() -> Path:
    return _resource("templates") / "standard.docx"


def font_config() -> Path:
    """fontconfig aliases that map the template's fonts to Noto CJK for PDF output."""
    return _resource("templates") / "fontconfig" / "fonts.conf"
