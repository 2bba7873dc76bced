"""The body's tables typeset: columns balanced and cells fitted (render/cells.py), each 一级 group of a
绩效指标表 kept together (render/groups.py); each table's result kept in the per-user cache.

Typesetting a table is a pure function of its XML as rendered, its 一级 groups' spans (the merge made
before it), the template's styles and page, and perfgen's code; it is most of a document's rendering
(≈ 0.13 s of a 23-project township's 0.2 s), and a build after one project changed, a county of
alike townships, every refresh of perfgen serve's 分页预览 typeset the same tables again. A table is
named in the cache by a digest of all it depends on, so an edit of any of them simply misses.

A kept table is put in the rendered XML text before the document is parsed (``KeptTables.put``,
called by render/docx.py): it is parsed with the rest of the body, and merging and typesetting pass it
by. A table typeset afresh is kept as its XML text, without the namespace declarations that
serialising it alone adds, so that either way the document is byte for byte the same.
"""

from __future__ import annotations

import hashlib
import html
import re
import zlib
from dataclasses import dataclass, field

from docx.document import Document
from lxml import etree

from perfgen import cache
from perfgen.render.cells import fit_table
from perfgen.render.fixups import INDICATOR_HEADER, is_indicator_table
from perfgen.render.groups import keep_table_groups
from perfgen.render.measure import Styles, text_height
from perfgen.render.ns import qn
from perfgen.state import code_digest

KIND = "typeset"
# ≈ 1 KB a table (compressed XML): a township has some 50, a province's repository some 100,000
KEEP = 200_000

_TABLE = re.compile(r"<w:tbl[ >]|</w:tbl>")
_OPENING = re.compile(r"<w:tbl[ >]")
_CELL_TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")
_DECLARATION = re.compile(r' xmlns(?::[A-Za-z0-9_.-]+)?="[^"]*"')


@dataclass
class KeptTables:
    """One document's tables in the cache: found before the body is parsed (``put``), the others typeset and kept after (``typeset``)."""

    spans: list[list[int]]  # each 绩效指标表's 一级 groups, as merge_level1 merges them
    names: list[str | None] = field(default_factory=list)  # each top-level table's entry; None: not cached
    done: list[bool] = field(default_factory=list)  # whether it came typeset from the cache
    indicators: list[bool] = field(default_factory=list)  # whether it is a 绩效指标表, as read from the text

    def put(self, xml: str, styles: etree._Element) -> str:
        """The rendered body's XML text with every table the cache holds in its typeset form."""
        tables = _top_level_tables(xml)
        texts = [xml[start:end] for start, end in tables]
        indicators = [_first_cell_text(text) == INDICATOR_HEADER for text in texts]
        self.names, self.done, self.indicators = [None] * len(tables), [False] * len(tables), indicators
        # the text is read as the parser reads it only where nothing hides markup from it (comments, CDATA,
        # processing instructions) and a table's first cell is its first row's first child (no content control
        # around it); a table inside another is typeset with it; more or fewer 绩效指标表 than projects,
        # merge_level1 refuses: in all these the tables are typeset, none kept
        if (
            any(mark in xml for mark in ("<!--", "<![CDATA[", "<?"))
            or any(len(_OPENING.findall(text)) > 1 or "<w:sdt" in text for text in texts)
            or sum(indicators) != len(self.spans)
        ):
            return xml
        setting = _setting(styles, xml)
        spans = iter(self.spans)
        for i, (text, indicator) in enumerate(zip(texts, indicators)):
            groups = next(spans) if indicator else None
            if "xmlns" not in text[: text.index(">")]:  # its own declarations would be lost in the kept text
                self.names[i] = cache.key(KIND, setting, repr(groups), text)
        found = cache.load_many(KIND, [name for name in self.names if name is not None])
        pieces, at = [], 0
        for i, ((start, end), name) in enumerate(zip(tables, self.names)):
            kept = found.get(name) if name is not None else None
            if isinstance(kept, bytes):
                pieces += [xml[at:start], zlib.decompress(kept).decode()]
                at = end
                self.done[i] = True
        return "".join([*pieces, xml[at:]])

    def typeset(self, document: Document) -> None:
        """Typeset the body's tables that did not come from the cache, and keep them there."""
        styles = Styles(document)
        page = text_height(document) / 20
        table_tag = qn("w:tbl")
        # a table inside another is typeset with it (as part of its XML), never alone
        tables = [t for t in document.element.body.iter(table_tag) if next(t.iterancestors(table_tag), None) is None]
        aligned = len(tables) == len(self.names)  # put() read as many tables in the text as were parsed
        # and saw the same 绩效指标表 (their spans are in the entries' names): else nothing is kept
        known = aligned and [is_indicator_table(t) for t in tables] == self.indicators
        made: dict[str, bytes] = {}
        for i, table in enumerate(tables):
            if aligned and self.done[i]:
                continue
            within = list(table.iter(table_tag))  # the table, then any inside it: in the document's order
            for each in within:
                fit_table(each, styles)
            for each in filter(is_indicator_table, within):
                keep_table_groups(each, styles, page)  # from the rows' heights: after the cells are fitted
            name = self.names[i] if known else None
            if name is not None:
                text = etree.tostring(table, encoding="unicode")
                head = text.index(">")  # serialised alone, the table declares the namespaces the body declares
                made[name] = zlib.compress((_DECLARATION.sub("", text[:head]) + text[head:]).encode(), 1)
        cache.store_many(KIND, made, KEEP)


def _top_level_tables(xml: str) -> list[tuple[int, int]]:
    """Where each table that is not inside another begins and ends in the XML text."""
    found, depth, start = [], 0, 0
    for match in _TABLE.finditer(xml):
        if match.group().startswith("</"):
            depth -= 1
            if depth == 0:
                found.append((start, match.end()))
        else:
            if depth == 0:
                start = match.start()
            depth += 1
    return found


def _first_cell_text(table: str) -> str:
    """The text of a table's first cell, as fixups reads it from the tree."""
    starts = [at for at in (table.find("<w:tc>"), table.find("<w:tc ")) if at != -1]
    start = min(starts, default=-1)
    end = table.find("</w:tc>", start)
    if start == -1 or end == -1:
        return ""
    return html.unescape("".join(_CELL_TEXT.findall(table[start:end])))


def _setting(styles: etree._Element, xml: str) -> str:
    """A digest of what typesetting reads besides the table: the styles, the page (the body's section), perfgen's code."""
    digest = hashlib.sha256(code_digest().encode())
    digest.update(etree.tostring(styles))
    digest.update(xml[xml.rfind("<w:sectPr") :].encode())  # the body's own section, its last child
    return digest.hexdigest()
