"""Render the Word template with docxtpl, safely.

docxtpl's defaults would evaluate nothing a user wrote but would also not
escape it: ``A & B <c>`` silently became ``A  B ``. Here the Jinja
environment escapes every value, fails on any name the data lacks
(StrictUndefined), and protects the sequences docxtpl rewrites after
rendering (``{_{`` and friends), so user text always appears literally.
"""

from __future__ import annotations

import io
import re
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


class _CachingTemplate(DocxTemplate):
    """docxtpl's template, with its XML clean-up and Jinja compilation done once per template part.

    docxtpl redoes both for every document; for a batch they are the larger part of the work.
    ``render_xml_part`` follows docxtpl 0.20's own (the version is pinned in pyproject.toml).
    """

    def __init__(self, template: io.BytesIO, cache: dict[str, Any]) -> None:
        super().__init__(template)
        self._cache = cache

    def patch_xml(self, src_xml: str) -> str:
        key = "patch:" + src_xml
        if key not in self._cache:
            self._cache[key] = super().patch_xml(src_xml)
        return self._cache[key]

    def render_xml_part(self, src_xml: str, part: Any, context: dict[str, Any], jinja_env: Any = None) -> str:
        src_xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", src_xml)
        key = "jinja:" + src_xml
        self.current_rendering_part = part
        if key not in self._cache:
            self._cache[key] = jinja_env.from_string(src_xml)
        dst_xml = self._cache[key].render(context)
        dst_xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", dst_xml)
        dst_xml = dst_xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        return self.resolve_listing(dst_xml)


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
        self._cache: dict[str, Any] = {}

    def render(self, context: dict[str, Any]) -> Document:
        doc = _CachingTemplate(io.BytesIO(self._bytes), self._cache)
        name = display_path(self.template)
        try:
            doc.render(context, self._environment, autoescape=True)
        except jinja2.UndefinedError as exc:
            raise TemplateError(f"模板 {name} 使用了数据中没有的名称：{exc.message}") from exc
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"模板 {name} 中的标记写错了：{exc.message}") from exc
        return doc.docx
