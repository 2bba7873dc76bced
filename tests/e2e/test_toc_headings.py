"""The TOC's headings, found from the marks of levels and styles: the same as looking at every paragraph."""

from __future__ import annotations

import copy
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from lxml import etree

from perfgen.render.measure import Styles
from perfgen.render.toc import _outline_level, _text, headings


def every_paragraph(document: Document, levels: range, skip: set[etree._Element]) -> list[tuple[int, str]]:
    """What headings() must find, by the plain definition: each paragraph's own level, else its style's."""
    styles = Styles(document)
    found = []
    for paragraph in document.element.body.iter(qn("w:p")):
        level = _outline_level(paragraph, styles)
        if paragraph not in skip and level is not None and level in levels and _text(paragraph).strip():
            found.append((level, _text(paragraph).strip()))
    return found


def own_level(paragraph: etree._Element, level: int) -> None:
    props = paragraph.find(qn("w:pPr"))
    if props is None:
        props = etree.SubElement(paragraph, qn("w:pPr"))
        paragraph.insert(0, props)
    mark = etree.SubElement(props, qn("w:outlineLvl"))
    mark.set(qn("w:val"), str(level))


def default_style_level(document: Document) -> None:
    """The default paragraph style itself gets an outline level: every paragraph is then a heading."""
    for style in document.styles.element.iter(qn("w:style")):
        if style.get(qn("w:type")) == "paragraph" and style.get(qn("w:default")) == "1":
            props = style.find(qn("w:pPr"))
            if props is None:
                props = etree.SubElement(style, qn("w:pPr"))
            mark = etree.SubElement(props, qn("w:outlineLvl"))
            mark.set(qn("w:val"), "1")


@pytest.mark.parametrize("change", ["none", "own levels", "default style", "nested table"])
def test_headings_are_those_of_every_paragraph(built_samples: dict[str, Path], change: str) -> None:
    for path in built_samples.values():
        document = docx.Document(str(path))
        paragraphs = list(document.element.body.iter(qn("w:p")))
        if change == "own levels":  # paragraphs of body text and table cells made headings by their own mark
            for paragraph in paragraphs[::7]:
                own_level(paragraph, 1)
            for paragraph in paragraphs[3::11]:
                own_level(paragraph, 9)  # not an outline level Word shows
        elif change == "default style":
            default_style_level(document)
        elif change == "nested table":
            cell = next(document.element.body.iter(qn("w:tc")))
            cell.append(copy.deepcopy(next(document.element.body.iter(qn("w:tbl")))))
        skip = set(paragraphs[:5])
        for levels in (range(0, 2), range(0, 9)):
            found = [(h.level, h.title) for h in headings(document, levels, skip)]
            assert found == every_paragraph(document, levels, skip), (path.name, change)
            assert found  # every sample has headings
