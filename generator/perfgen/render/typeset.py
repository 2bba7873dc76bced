"""The body's tables typeset: columns balanced and cells fitted (render/cells.py), each 一级 group of a
绩效指标表 kept together (render/groups.py); each table's result kept in the per-user cache.

Typesetting a table is a pure function of its XML, the template's styles and page, and perfgen's code,
and it is most of a document's rendering (≈ 0.13 s of a 23-project township's 0.2 s); a build after one
project changed, and every refresh of perfgen serve's 分页预览, typeset the same tables again. A table
is named in the cache by a digest of all it depends on, so an edit (of the table, the template or
perfgen) simply misses; a hit puts the kept table in its place, byte for byte what typesetting makes.
"""

from __future__ import annotations

import hashlib
import zlib

from docx.document import Document
from docx.oxml.parser import parse_xml
from lxml import etree

from perfgen import cache
from perfgen.render.cells import fit_table
from perfgen.render.fixups import is_indicator_table
from perfgen.render.groups import keep_table_groups
from perfgen.render.measure import Styles, body_section, text_height
from perfgen.render.ns import qn
from perfgen.state import code_digest

KIND = "typeset"
# ≈ 1 KB a table (compressed XML): a township has some 50, a province's repository some 100,000
KEEP = 200_000
UNCHANGED = b""  # kept for a table that typesetting leaves as it is (a third of them): nothing to put in its place


def typeset_tables(document: Document) -> None:
    """Fit every table of the body and keep each indicator table's groups together, from the cache where it can."""
    styles = Styles(document)
    page = text_height(document) / 20
    table_tag = qn("w:tbl")
    # a table inside another is typeset with it (as part of its XML), never alone
    tables = [t for t in document.element.body.iter(table_tag) if next(t.iterancestors(table_tag), None) is None]
    setting = _setting(document)
    given = [etree.tostring(table) for table in tables]
    names = [cache.key(KIND, setting, xml) for xml in given]
    kept = cache.load_many(KIND, names)
    made: dict[str, bytes] = {}
    for table, xml, name in zip(tables, given, names):
        found = kept.get(name)
        if found == UNCHANGED:
            continue
        if isinstance(found, bytes):
            table.getparent().replace(table, parse_xml(zlib.decompress(found)))
            continue
        within = list(table.iter(table_tag))  # the table, then any inside it: in the document's order
        for each in within:
            fit_table(each, styles)
        for each in filter(is_indicator_table, within):
            keep_table_groups(each, styles, page)  # from the rows' heights: after the cells are fitted
        typeset = etree.tostring(table)
        made[name] = UNCHANGED if typeset == xml else zlib.compress(typeset, 1)
    cache.store_many(KIND, made, KEEP)


def _setting(document: Document) -> str:
    """A digest of what typesetting reads besides the table: the styles, the page, perfgen's code."""
    digest = hashlib.sha256(code_digest().encode())
    digest.update(etree.tostring(document.styles.element))
    section = body_section(document)
    digest.update(etree.tostring(section) if section is not None else b"")
    return digest.hexdigest()
