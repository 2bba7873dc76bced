"""A .docx as plain text, in the form the published reference texts use.

One paragraph per line. A table cell is a line starting with a tab; further
paragraphs of the same cell follow on lines without a tab; a blank line ends
a table row; a vertically merged continuation cell is an empty tab line.
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
from docx.oxml.ns import qn
from lxml import etree

from perfgen.errors import PerfgenError
from perfgen.paths import display_path

_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_T, _TAB, _BR, _CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
_INSTR, _VMERGE, _VAL = qn("w:instrText"), qn("w:vMerge"), qn("w:val")


def paragraph_text(p: etree._Element) -> str:
    parts = []
    for node in p.iter(_T, _TAB, _BR, _CR):
        if node.tag == _T:
            parts.append(node.text or "")
        elif node.tag == _TAB:
            # a tab stop in the paragraph's properties is not text
            parent = node.getparent()
            if parent is not None and parent.tag == qn("w:r"):
                parts.append("\t")
        elif node.get(qn("w:type")) in (None, "textWrapping"):
            parts.append("\n")
    return "".join(parts)


def _is_continuation(tc: etree._Element) -> bool:
    props = tc.find(qn("w:tcPr"))
    merge = props.find(_VMERGE) if props is not None else None
    return merge is not None and merge.get(_VAL, "continue") == "continue"


def _table_lines(table: etree._Element) -> list[str]:
    lines = []
    for row in table.iter(_TR):
        for tc in row.findall(_TC):
            if _is_continuation(tc):
                lines.append("\t")
                continue
            paragraphs = [paragraph_text(p) for p in tc.findall(_P)]
            lines.append("\t" + (paragraphs[0] if paragraphs else ""))
            lines.extend(paragraphs[1:])
        lines.append("")
    return lines


def body_lines(body: etree._Element) -> list[str]:
    lines: list[str] = []
    for child in body:
        if child.tag == _P:
            lines.append(paragraph_text(child))
        elif child.tag == _TBL:
            lines.extend(_table_lines(child))
    return lines


def file_text(path: Path) -> str:
    """The text of a .docx a user names (``perfgen text``, git's textconv), read within a template's limits.

    PerfgenError, naming the file, for one that is no regular file, is past the limits, or is no .docx.
    """
    from perfgen.render.template_file import check_package, untrusted_bytes

    data = untrusted_bytes(path, what="", error=PerfgenError)
    check_package(data, display_path(path), what="", error=PerfgenError)
    try:
        return docx_to_text(data)
    except Exception:  # python-docx raises several kinds for a package it cannot read
        raise PerfgenError(f"无法读取 {display_path(path)}：它不是有效的 Word 文档") from None


def docx_to_text(source: Path | bytes) -> str:
    stream = io.BytesIO(source) if isinstance(source, bytes) else str(source)
    document = docx.Document(stream)
    return "\n".join(body_lines(document.element.body)) + "\n"
