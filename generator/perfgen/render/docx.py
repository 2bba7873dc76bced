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

What only depends on the template is done once and kept on disk (perfgen/cache.py):
the package checks, docxtpl's clean-up of each part and Jinja's compiled code.
The entry's key hashes the template's bytes, perfgen's version, the code of
this module and of the checks, and the versions of Python, Jinja and docxtpl,
so any change to one of them makes a new entry.
"""

from __future__ import annotations

import functools
import hashlib
import html
import io
import re
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import docx
import docxtpl
import jinja2
import jinja2.sandbox
from docx.document import Document
from docxtpl import DocxTemplate
from lxml import etree
from markupsafe import Markup, escape

from perfgen import cache
from perfgen.errors import TemplateError
from perfgen.paths import display_path
from perfgen.render import template_file
from perfgen.render.template_file import read_template

if TYPE_CHECKING:
    from perfgen.render.typeset import KeptTables

MAX_PRODUCT = 1_000_000  # the longest string or list a tag may make by * or **


def _literal(value: Any) -> Any:
    """Escape a value for XML; '_' as a character reference, which docxtpl cannot rewrite."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return _escaped(str(value))
    return value


@functools.lru_cache(maxsize=1 << 14)  # a document's values repeat (≥95%, 万元, the indicators' names), and a county's
def _escaped(value: str) -> Markup:
    # str.replace on the escaped text: Markup.replace would escape its arguments again, for every value
    return Markup(str(escape(value)).replace("_", "&#95;"))


class _Sandbox(jinja2.sandbox.ImmutableSandboxedEnvironment):
    """Jinja's sandbox (which also keeps the data unchanged between renders), with ``*`` and ``**``
    bounded so that a tag cannot exhaust memory or time."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > 64:
            raise jinja2.exceptions.SecurityError(f"exponent {right} is too large")
        if operator == "*":
            sizes = [len(v) if isinstance(v, (str, list, tuple)) else v for v in (left, right)]
            if len(sizes) == 2 and all(isinstance(v, int) for v in sizes) and abs(sizes[0] * sizes[1]) > MAX_PRODUCT:
                raise jinja2.exceptions.SecurityError("the product is too large")
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


class _Prepared:
    """What depends only on the template: docxtpl's clean-up of each part and its compiled Jinja code.

    ``entries`` (digest of a part's XML -> cleaned XML or code object) is what goes to disk.
    """

    def __init__(self, entries: dict[str, Any] | None = None) -> None:
        self.entries: dict[str, Any] = entries or {}
        self.changed = False
        self._digests: dict[str, str] = {}  # part XML -> its digest, not to hash the same text for every document
        self._templates: dict[str, jinja2.Template] = {}

    def _digest(self, xml: str) -> str:
        if xml not in self._digests:
            self._digests[xml] = hashlib.sha256(xml.encode("utf-8")).hexdigest()
        return self._digests[xml]

    def patched(self, src_xml: str, patch: Any) -> str:
        key = "patch:" + self._digest(src_xml)
        if key not in self.entries:
            self.entries[key] = patch(src_xml)
            self.changed = True
        patched: str = self.entries[key]
        return patched

    def template(self, src_xml: str, environment: jinja2.Environment) -> jinja2.Template:
        digest = self._digest(src_xml)
        if digest not in self._templates:
            code = self.entries.get("code:" + digest)
            if code is None:
                code = self.entries["code:" + digest] = environment.compile(src_xml)
                self.changed = True
            globals_ = environment.make_globals(None)
            self._templates[digest] = environment.template_class.from_code(environment, code, globals_, None)
        return self._templates[digest]


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_NAMESPACES = {"w": _W[1:-1]}
_ROW_CELLS = etree.XPath("count(w:tc)", namespaces=_NAMESPACES)
_ROW_WIDTH = etree.XPath("count(w:tc[not(w:tcPr/w:gridSpan)]) + sum(w:tc/w:tcPr/w:gridSpan/@w:val)", namespaces=_NAMESPACES)


def _grid_fits(table: Any) -> bool:
    """docxtpl's fix_tables would leave this table as it is: no row has more cells than the grid has
    columns, and the widest row (gridSpan counted) fills them all."""
    grid = table.find(_W + "tblGrid")
    if grid is None:
        return False
    columns = len(grid.findall(_W + "gridCol"))
    rows = list(table.iter(_W + "tr"))
    # count() and sum() give numbers: lxml types an XPath's result as whatever any XPath can give
    cells = (cast(float, _ROW_CELLS(row)) for row in rows)
    widths = (cast(float, _ROW_WIDTH(row)) for row in rows)
    return all(n <= columns for n in cells) and max(widths, default=0) >= columns


class _CachingTemplate(DocxTemplate):
    """docxtpl's template, with its XML clean-up and Jinja compilation done once per template part.

    docxtpl redoes both for every document; for a batch they are the larger part of the work.
    ``render_xml_part`` follows docxtpl 0.20's own (the version is pinned in pyproject.toml).
    """

    kept: KeptTables | None = None  # the document's tables in the cache (render/typeset.py)

    def __init__(self, template: io.BytesIO, prepared: _Prepared) -> None:
        super().__init__(template)
        self._prepared = prepared
        self.failed_tag = ""  # the tag the sandbox stopped, for the message

    def patch_xml(self, src_xml: str) -> str:
        return self._prepared.patched(src_xml, super().patch_xml)

    def fix_tables(self, xml: str) -> Any:
        if self.kept is not None:  # the tables the cache holds typeset, in place before the body is parsed
            xml = self.kept.put(xml, self.docx.styles.element)
        # docxtpl widens or narrows a table's grid when the rendered rows have more or fewer cells than
        # it has columns; checking that first (with compiled XPath) is several times faster than its loop,
        # which then only runs, on the same text, when a grid really must change
        tree = etree.fromstring(xml, parser=etree.XMLParser(recover=True))
        if all(_grid_fits(table) for table in tree.iter(_W + "tbl")):
            return tree
        return super().fix_tables(xml)

    def render_properties(self, context: dict[str, Any], jinja_env: Any = None) -> None:
        # docxtpl 0.20's own, with the compiled templates of the properties kept too
        for name in ("author", "comments", "identifier", "language", "subject", "title"):
            template = self._prepared.template(getattr(self.docx.core_properties, name), jinja_env)
            setattr(self.docx.core_properties, name, template.render(context))

    def render_xml_part(self, src_xml: str, part: Any, context: dict[str, Any], jinja_env: Any = None) -> str:
        # docxtpl's re.sub(r"<w:p([ >])", r"\n<w:p\1", …) and back again, as plain replacements (5 times faster)
        src_xml = src_xml.replace("<w:p>", "\n<w:p>").replace("<w:p ", "\n<w:p ")
        self.current_rendering_part = part
        template = self._prepared.template(src_xml, jinja_env)
        try:
            dst_xml = template.render(context)
        except jinja2.exceptions.SecurityError as exc:
            attribute = re.search(r"attribute '([^']+)'", str(exc))
            self.failed_tag = _tag_with(src_xml, attribute.group(1) if attribute else "")
            raise
        dst_xml = dst_xml.replace("\n<w:p>", "<w:p>").replace("\n<w:p ", "<w:p ")
        dst_xml = dst_xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        if not any(c in dst_xml for c in "\t\a\n\f"):
            return dst_xml  # nothing for resolve_listing to turn into tabs, breaks or pages (it would scan every run)
        return self.resolve_listing(dst_xml)


def _cache_key(template: bytes) -> str | None:
    """The key of a template's prepared entry: its bytes and everything that prepares it."""
    try:
        code = [Path(module.__file__).read_bytes() for module in (sys.modules[__name__], template_file)]  # type: ignore[arg-type]
    except (OSError, TypeError):  # no source to hash (a frozen build): no cache
        return None
    versions = f"{sys.version}|jinja2 {jinja2.__version__}|docxtpl {docxtpl.__version__}|python-docx {docx.__version__}"
    versions += f"|lxml {etree.LXML_VERSION}"
    return cache.key(template, versions, *code)


def _cached_template(path: Path) -> tuple[bytes, str | None, dict[str, Any] | None]:
    """The template's bytes, its cache key, and its prepared entry when an earlier run checked it."""
    try:
        status = path.stat()
        readable = stat.S_ISREG(status.st_mode) and status.st_size <= template_file.MAX_FILE_BYTES
        data = path.read_bytes() if readable else None
    except OSError:
        data = None
    if data is None:
        return read_template(path), None, None  # read_template says what is wrong
    key = _cache_key(data)
    entries = cache.load("template", key) if key else None
    return data, key, entries if isinstance(entries, dict) else None


class DocxRenderer:
    """A template read once, rendered into a new document for each township."""

    def __init__(self, template: Path) -> None:
        self.template = template
        self._bytes, self._key, entries = _cached_template(template)
        if entries is None:  # not checked by an earlier run: check it now
            template_file.check_package(self._bytes, display_path(template))
            try:
                docx.Document(io.BytesIO(self._bytes))
            except Exception as exc:  # python-docx has no single error for a package it cannot read
                problem = _opening_problem(exc)
                raise TemplateError(f"模板 {display_path(template)} 不是有效的 Word 文档（.docx）：{problem}") from exc
        self._environment = make_environment()
        self._prepared = _Prepared(entries)

    def render(self, context: dict[str, Any], kept: KeptTables | None = None) -> Document:
        """The document of ``context``; with the tables ``kept`` holds typeset put in place (render/typeset.py)."""
        try:
            return self._render(context, kept)
        finally:
            if self._prepared.changed and self._key:
                cache.store("template", self._key, self._prepared.entries)
                self._prepared.changed = False

    def _render(self, context: dict[str, Any], kept: KeptTables | None) -> Document:
        doc = _CachingTemplate(io.BytesIO(self._bytes), self._prepared)
        doc.kept = kept
        name = display_path(self.template)
        try:
            doc.render(context, self._environment, autoescape=True)
        except jinja2.exceptions.SecurityError as exc:
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
