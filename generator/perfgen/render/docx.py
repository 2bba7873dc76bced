"""Render the Word template with docxtpl, safely.

docxtpl's defaults would evaluate nothing a user wrote but would also not
escape it: ``A & B <c>`` silently became ``A  B ``. Here the Jinja
environment escapes every value, fails on any name the data lacks
(StrictUndefined), and protects the sequences docxtpl rewrites after
rendering (``{_{`` and friends), so user text always appears literally.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import docx
import jinja2
from docx.document import Document
from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate
from markupsafe import Markup, escape

from perfgen.errors import TemplateError
from perfgen.load.township import display_path


def _literal(value: Any) -> Any:
    """Escape a value for XML; '_' as a character reference, which docxtpl cannot rewrite."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return Markup(escape(value).replace("_", Markup("&#95;")))
    return value


def make_environment() -> jinja2.Environment:
    return jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, finalize=_literal)


class DocxRenderer:
    """A template read once, rendered into a new document for each township."""

    def __init__(self, template: Path) -> None:
        self.template = template
        try:
            self._bytes = template.read_bytes()
        except OSError as exc:
            raise TemplateError(f"无法读取模板 {display_path(template)}：{exc.strerror}") from exc
        try:
            docx.Document(io.BytesIO(self._bytes))
        except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
            raise TemplateError(f"模板 {display_path(template)} 不是有效的 Word 文档（.docx）") from exc
        self._environment = make_environment()

    def render(self, context: dict[str, Any]) -> Document:
        doc = DocxTemplate(io.BytesIO(self._bytes))
        name = display_path(self.template)
        try:
            doc.render(context, self._environment, autoescape=True)
        except jinja2.UndefinedError as exc:
            raise TemplateError(f"模板 {name} 使用了数据中没有的名称：{exc.message}") from exc
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"模板 {name} 中的标记写错了：{exc.message}") from exc
        return doc.docx
