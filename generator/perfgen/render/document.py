"""A township's document from its template values: rendered with its TOC, and later numbered."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from perfgen.render.docx import DocxRenderer


def rendered_document(context: dict[str, Any], renderer: DocxRenderer) -> tuple[bytes, list[str]]:
    """The rendered document, its TOC made but without page numbers; and the TOC's headings."""
    from perfgen.render.fixups import (
        break_long_titles,
        merge_level1,
        renumber_bookmarks,
        set_properties,
        set_update_fields,
    )
    from perfgen.render.toc import make_toc
    from perfgen.render.typeset import KeptTables
    from perfgen.write.package import docx_bytes

    spans = [project["一级跨行"] for project in context["项目"]]
    tables = KeptTables(spans)
    document = renderer.render(context, tables)  # the tables typeset before come from the cache
    merge_level1(document, spans)
    break_long_titles(document)
    tables.typeset(document)
    titles = make_toc(document)
    renumber_bookmarks(document)
    # until page numbers are in the TOC, Word is asked to fill them in on opening
    set_update_fields(document, True)
    set_properties(document, title=f"{context['封面']['单位']}{context['年度']}年部门预算绩效文本", author=context["单位名称"])
    return docx_bytes(document), titles


def with_page_numbers(data: bytes, numbers: list[int], blank_page: bool = False) -> bytes:
    """The document with the page numbers written into its TOC's PAGEREF results (and a blank page after the TOC)."""
    import docx

    from perfgen.render.fixups import set_update_fields
    from perfgen.render.toc import set_numbers, start_body_on_odd_page
    from perfgen.write.package import docx_bytes

    document = docx.Document(io.BytesIO(data))
    set_numbers(document, numbers)
    if blank_page:
        start_body_on_odd_page(document)
    set_update_fields(document, False)
    return docx_bytes(document)
