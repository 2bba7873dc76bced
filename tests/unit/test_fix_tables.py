"""perfgen's quicker fix_tables gives exactly docxtpl's result, whether or not a grid must change."""

from __future__ import annotations

import pytest
from docxtpl import DocxTemplate
from lxml import etree

from perfgen.render.docx import _CachingTemplate

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def table(grid: list[int], rows: list[list[int]]) -> str:
    """A table with gridCol widths ``grid`` and rows of cells, each cell given by its gridSpan (1: none)."""
    cols = "".join(f'<w:gridCol w:w="{width}"/>' for width in grid)
    body = ""
    for row in rows:
        cells = "".join(
            "<w:tc>" + (f'<w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr>' if span > 1 else "") + "<w:p/></w:tc>"
            for span in row
        )
        body += f"<w:tr>{cells}</w:tr>"
    return f"<w:tbl><w:tblGrid>{cols}</w:tblGrid>{body}</w:tbl>"


def body(*tables: str) -> str:
    return f'<w:body xmlns:w="{W}">{"".join(tables)}<w:p/></w:body>'


CASES = {
    "fits": body(table([1000, 2000, 3000], [[1, 1, 1], [3], [1, 2]])),
    "a row with more cells": body(table([1000, 2000], [[1, 1], [1, 1, 1]])),
    "a grid wider than every row": body(table([1000, 2000, 3000, 4000], [[1, 1], [2]])),
    "one good and one bad table": body(table([1000], [[1]]), table([1000, 1000], [[1]])),
    "no rows": body(table([1000, 2000], [])),
    "nested": body(table([5000], [[1]]).replace("<w:p/></w:tc>", table([1000, 1000], [[1, 1, 1]]) + "<w:p/></w:tc>")),
}


@pytest.mark.parametrize("xml", CASES.values(), ids=CASES.keys())
def test_same_result_as_docxtpl(xml: str) -> None:
    ours = _CachingTemplate.__new__(_CachingTemplate).fix_tables(xml)
    theirs = DocxTemplate.__new__(DocxTemplate).fix_tables(xml)
    assert etree.tostring(ours) == etree.tostring(theirs)


def test_the_cases_include_grids_that_change() -> None:
    changed = [
        name for name, xml in CASES.items()
        if etree.tostring(DocxTemplate.__new__(DocxTemplate).fix_tables(xml)) != etree.tostring(etree.fromstring(xml))
    ]
    assert len(changed) >= 4
