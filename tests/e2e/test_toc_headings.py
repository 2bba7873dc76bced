"""The TOC's headings, found from the marks of levels and styles: the same as looking at every paragraph."""

from __future__ import annotations

import copy
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from lxml import etree

from perfgen.render.toc import headings


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def style_level(styles: etree._Element, style_id: str | None) -> int | None:
    """A paragraph style's outline level, by the definition (ECMA-376 17.3.1.20, 17.7.4.3, 17.7.5): the style's own
    w:outlineLvl, else that of the style it is based on, and so on; else the document defaults'. A paragraph
    without a style, or with one the document does not define, has the default paragraph style."""
    by_id = {style.get(w("styleId")): style for style in styles.iter(w("style")) if style.get(w("type")) == "paragraph"}
    default = next((i for i, style in by_id.items() if style.get(w("default")) in ("1", "true", "on")), None)
    current = style_id if style_id in by_id else default
    seen = set()
    while current in by_id and current not in seen:
        seen.add(current)
        mark = by_id[current].find(f"{w('pPr')}/{w('outlineLvl')}")
        if mark is not None:
            return int(mark.get(w("val")))
        based = by_id[current].find(w("basedOn"))
        current = based.get(w("val")) if based is not None else None
    mark = styles.find(f"{w('docDefaults')}/{w('pPrDefault')}/{w('pPr')}/{w('outlineLvl')}")
    return int(mark.get(w("val"))) if mark is not None else None


def every_paragraph(document: Document, levels: range, skip: set[etree._Element]) -> list[tuple[int, str]]:
    """What headings() must find, by the plain definition, written here from the standard and not from perfgen's
    code: each paragraph's own outline level, else its style's; levels 9 and up are body text; a heading has text."""
    styles = document.styles.element
    found = []
    for paragraph in document.element.body.iter(w("p")):
        own = paragraph.find(f"{w('pPr')}/{w('outlineLvl')}")
        style = paragraph.find(f"{w('pPr')}/{w('pStyle')}")
        level = int(own.get(w("val"))) if own is not None else style_level(styles, style.get(w("val")) if style is not None else None)
        text = "".join(t.text or "" for t in paragraph.iter(w("t"))).strip()
        if paragraph not in skip and level is not None and level < 9 and level in levels and text:
            found.append((level, text))
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
