"""Render the Word template with docxtpl, safely.

docxtpl's defaults would evaluate nothing a user wrote but would also not
escape it: ``A & B <c>`` silently became ``A  B ``. Here the Jinja
environment escapes every value, fails on any name the data lacks
(StrictUndefined), and protects the sequences docxtpl rewrites after
rendering (``{_{`` and friends), so user text always appears literally.

The template itself is untrusted too (``--template`` takes any county's file):
it is checked as a package before it is opened (render/template_file.py) and
rendered in Jinja's sandbox, so a tag cannot reach Python's internals
(``{{ cycler.__init__.__globals__.os }}``) nor build gigantic values.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path
from typing import Any

import docx
import jinja2
import jinja2.sandbox
from docx.document import Document
from docxtpl import DocxTemplate
from markupsafe import Markup, escape

from perfgen.errors import TemplateError
from perfgen.render.template_file import read_template

MAX_PRODUCT = 1_000_000  # the longest string or list a tag may make by * or **
from perfgen.paths import display_path


def _literal(value: Any) -> Any:
    """Escape a value for XML; '_' as a character reference, which docxtpl cannot rewrite."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return Markup(escape(value).replace("_", Markup("&#95;")))
    return value


class _Sandbox(jinja2.sandbox.ImmutableSandboxedEnvironment):
    """Jinja's sandbox (which also keeps the data unchanged between renders), with ``*`` and ``**``
    bounded so that a tag cannot exhaust memory or time."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > 64:
            raise jinja2.sandbox.SecurityError(f"exponent {right} is too large")
        if operator == "*":
            sizes = [len(v) if isinstance(v, (str, list, tuple)) else v for v in (left, right)]
            if len(sizes) == 2 and all(isinstance(v, int) for v in sizes) and abs(sizes[0] * sizes[1]) > MAX_PRODUCT:
                raise jinja2.sandbox.SecurityError("the product is too large")
        return super().call_binop(context, operator, left, right)


def make_environment() -> jinja2.Environment:
    return _Sandbox(autoescape=True, undefined=jinja2.StrictUndefined, finalize=_literal)


def _tag_with(xml: str, word: str) -> str:
    """The template tag (``{{ … }}`` or ``{% … %}``) that mentions ``word``, as its author typed it."""
    for match in re.finditer(r"\{[{%].*?[%}]\}", xml, re.S):
        text = html.unescape(re.sub(r"<[^>]+>", "", match.group(0)))
        if word in text:
            return text if len(text) <= 80 else text[:77] + "…"
    return ""


class _CachingTemplate(DocxTemplate):
    """docxtpl's template, with its XML clean-up and Jinja compilation done once per template part.

    docxtpl redoes both for every document; for a batch they are the larger part of the work.
    ``render_xml_part`` follows docxtpl 0.20's own (the version is pinned in pyproject.toml).
    """

    def __init__(self, template: io.BytesIO, cache: dict[str, Any]) -> None:
        super().__init__(template)
        self._cache = cache
        self.failed_tag = ""  # the tag the sandbox stopped, for the message

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
        try:
            dst_xml = self._cache[key].render(context)
        except jinja2.sandbox.SecurityError as exc:
            attribute = re.search(r"attribute '([^']+)'", str(exc))
            self.failed_tag = _tag_with(src_xml, attribute.group(1) if attribute else "")
            raise
        dst_xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", dst_xml)
        dst_xml = dst_xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        return self.resolve_listing(dst_xml)


class DocxRenderer:
    """A template read once, rendered into a new document for each township."""

    def __init__(self, template: Path) -> None:
        self.template = template
        self._bytes = read_template(template)
        try:
            docx.Document(io.BytesIO(self._bytes))
        except Exception as exc:  # python-docx has no single error for a package it cannot read
            problem = _opening_problem(exc)
            raise TemplateError(f"模板 {display_path(template)} 不是有效的 Word 文档（.docx）：{problem}") from exc
        self._environment = make_environment()
        self._cache: dict[str, Any] = {}

    def render(self, context: dict[str, Any]) -> Document:
        doc = _CachingTemplate(io.BytesIO(self._bytes), self._cache)
        name = display_path(self.template)
        try:
            doc.render(context, self._environment, autoescape=True)
        except jinja2.sandbox.SecurityError as exc:
            tag = f"“{doc.failed_tag}”" if doc.failed_tag else ""
            attempt = "试图访问程序内部" if "unsafe" in str(exc) else "要生成过大的内容"
            raise TemplateError(
                f"模板 {name} 中的标记{tag}{attempt}，为安全起见已停止，未生成文档。"
                "模板中只能使用数据中的名称，例如 {{ 单位名称 }}：请删除这个标记后重试"
            ) from exc
        except jinja2.UndefinedError as exc:
            raise TemplateError(f"模板 {name} 使用了数据中没有的名称：{exc.message}") from exc
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"模板 {name} 中的标记写错了：{exc.message}") from exc
        except (jinja2.TemplateError, ArithmeticError, LookupError, TypeError, ValueError) as exc:
            # a tag that is well formed but cannot be evaluated, e.g. {{ 年度 / 0 }}
            raise TemplateError(
                f"模板 {name} 中有无法计算的标记（{type(exc).__name__}）：请检查模板中的 {{{{ … }}}} 和 {{% … %}}"
            ) from exc
        return doc.docx


def _opening_problem(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"缺少部件 {exc.args[0] if exc.args else ''}。请在 Word 中重新“另存为”.docx 后再试"
    return "文件结构有误。请在 Word 中重新“另存为”.docx 后再试"
