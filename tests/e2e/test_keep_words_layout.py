"""The lines render/words.py foresees for a cell are those LibreOffice prints.

Cells of the field's words, numbers with units, dates and brackets, drawn at random (a fixed seed) among
those that no spacing of the whole cell keeps whole, in the standard template's table styles: each is
fitted as a build fits it, laid out by LibreOffice, and read back from the PDF.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

import docx
import pytest
from conftest import require_tool
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from pdf_typeset import cells, lone_characters, split_words

from perfgen.office.libreoffice import LibreOffice, find_soffice
from perfgen.render.cells import fit_table, fitting_spacing
from perfgen.render.lines import WORDS
from perfgen.render.measure import Styles
from perfgen.render.words import mended
from perfgen.resources import standard_template

PIECES = [*WORDS, "2024年12月31日", "≤16.94万/元", "≥95%", "，", "、", "。", "（第7批）", "【2024】7号", "5-4M", "10000立方米",
          "的", "和", "村", "及", "30公里"]
CELLS = 40
MARGIN = 108  # twips, each side
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
BORDERS = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                  for side in ("top", "left", "bottom", "right", "insideH", "insideV"))


def _cases() -> list[tuple[str, int, bool]]:
    """(text, line width in twips, centred) of cells that only render/words.py keeps whole."""
    draw = random.Random(24)
    found: list[tuple[str, int, bool]] = []
    while len(found) < CELLS:
        text = "".join(draw.choice(PIECES) for _ in range(draw.randint(3, 14)))
        twips, centred = draw.randint(900, 2600), draw.random() < 0.5
        if fitting_spacing(text, twips / 210, 10.5) is None and mended(text, twips, 21, centred) is not None:
            found.append((text, twips, centred))
    return found


def _table(text: str, twips: int, centred: bool) -> str:
    style = "TableText" if centred else "TableTextLeft"
    return (
        f'<w:tbl {W}><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>{BORDERS}</w:tblBorders>'
        f'<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="{MARGIN}" w:type="dxa"/><w:right w:w="{MARGIN}" w:type="dxa"/>'
        f'</w:tblCellMar></w:tblPr><w:tblGrid><w:gridCol w:w="{twips + 2 * MARGIN}"/><w:gridCol w:w="600"/></w:tblGrid>'
        f'<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:tcPr><w:tcW w:w="{twips + 2 * MARGIN}" w:type="dxa"/></w:tcPr>'
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p></w:tc>'
        # a second cell: pdfplumber finds no table of one cell
        '<w:tc><w:tcPr><w:tcW w:w="600" w:type="dxa"/></w:tcPr><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc></w:tr></w:tbl>'
    )


@pytest.mark.libreoffice
def test_the_foreseen_lines_are_the_printed_ones(tmp_path: Path) -> None:
    require_tool("soffice")
    cases = _cases()
    document = docx.Document(str(standard_template()))
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    for case in reversed(cases):
        body.insert(0, parse_xml(_table(*case)))
        body.insert(0, parse_xml(f"<w:p {W}/>"))
    styles = Styles(document)
    for table in document.element.body.iter(qn("w:tbl")):
        fit_table(table, styles)
    data = io.BytesIO()
    document.save(data)
    with LibreOffice(find_soffice()) as office:
        [converted] = office.convert([data.getvalue()])
    assert converted.pdf is not None, converted.trouble
    pdf = tmp_path / "cells.pdf"
    pdf.write_bytes(converted.pdf)
    printed = [cell for cell in cells(pdf) if cell.text != "x"]
    lines = {cell.text: tuple(cell.lines) for cell in printed}
    foreseen = {text: mended(text, twips, 21, centred) for text, twips, centred in cases}
    assert {text: lines.get(text) for text in foreseen} == {text: mend.lines for text, mend in foreseen.items() if mend}
    assert split_words(printed) == [] and lone_characters(printed) == []
