"""How wide a paragraph's lines are, read from the template's own styles.

Used to decide where a long heading or TOC entry breaks, whatever page size, margins,
indents and font sizes a county gives its template. Widths are in ems of the
paragraph's font size; the widths of texts are measured in render/lines.py.
"""

from __future__ import annotations

from docx.document import Document
from lxml import etree

from perfgen.render.ns import qn

TWIPS_PER_HALF_POINT = 10
DEFAULT_SIZE = 21  # half-points: Word's default when nothing says otherwise


class Styles:
    """Paragraph properties and font sizes through the style hierarchy (basedOn) and the defaults."""

    def __init__(self, document: Document) -> None:
        root = document.styles.element
        self._styles = {s.get(qn("w:styleId")): s for s in root.iter(qn("w:style"))}
        self._defaults: etree._Element | None = root.find(qn("w:docDefaults"))
        self._default_id = next(
            (i for i, s in self._styles.items() if s.get(qn("w:type")) == "paragraph" and s.get(qn("w:default")) == "1"),
            None,
        )
        self._levels: dict[str | None, int | None] = {}  # asked for every paragraph: once per style
        self._sizes: dict[str | None, int] = {}  # asked for every table cell: once per style
        self._spacings: dict[str | None, dict[str, str]] = {}  # the same

    def ids(self) -> list[str]:
        return [i for i in self._styles if i is not None]

    def chain(self, style_id: str | None) -> list[etree._Element]:
        """The style and its ancestors, nearest first."""
        found: list[etree._Element] = []
        current = style_id or self._default_id
        while current and current in self._styles and len(found) < 20:
            style = self._styles[current]
            found.append(style)
            based = style.find(qn("w:basedOn"))
            current = based.get(qn("w:val")) if based is not None else None
        return found

    def _first(self, style_id: str | None, path: str) -> etree._Element | None:
        for style in self.chain(style_id):
            element = style.find(path)
            if element is not None:
                return element
        if self._defaults is not None:
            return self._defaults.find(f"*/{path}")
        return None

    def outline_level(self, style_id: str | None) -> int | None:
        if style_id not in self._levels:
            element = self._first(style_id, f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
            self._levels[style_id] = int(element.get(qn("w:val"), "")) if element is not None else None
        return self._levels[style_id]

    def size(self, style_id: str | None) -> int:
        """Font size in half-points (East Asian text takes w:sz too)."""
        if style_id not in self._sizes:
            element = self._first(style_id, f"{qn('w:rPr')}/{qn('w:sz')}")
            self._sizes[style_id] = int(element.get(qn("w:val"), "")) if element is not None else DEFAULT_SIZE
        return self._sizes[style_id]

    def spacing(self, style_id: str | None) -> dict[str, str]:
        """The paragraph spacing's attributes (line, lineRule, before, after: local names), nearest first."""
        if style_id not in self._spacings:
            self._spacings[style_id] = self._spacing(style_id)
        return dict(self._spacings[style_id])

    def _spacing(self, style_id: str | None) -> dict[str, str]:
        found: dict[str, str] = {}
        path = f"{qn('w:pPr')}/{qn('w:spacing')}"
        elements = [style.find(path) for style in self.chain(style_id)]
        if self._defaults is not None:
            elements.append(self._defaults.find(f"*/{path}"))
        for element in elements:
            for name, value in element.attrib.items() if element is not None else ():
                found.setdefault(etree.QName(name).localname, str(value))
        return found

    def indent(self, style_id: str | None, side: str) -> int:
        """An indent (left, right, hanging) in twips; one given in characters counts at the font size."""
        size = self.size(style_id)
        for style in self.chain(style_id):
            ind = style.find(f"{qn('w:pPr')}/{qn('w:ind')}")
            if ind is None:
                continue
            chars = ind.get(qn(f"w:{side}Chars"))
            if chars is not None:
                return int(chars) * size * TWIPS_PER_HALF_POINT // 100
            twips = ind.get(qn(f"w:{side}")) or (ind.get(qn("w:start")) if side == "left" else None)
            if twips is not None:
                return int(twips)
        return 0


def body_section(document: Document) -> etree._Element | None:
    """The body's own w:sectPr (the last section's properties), where the schema puts it: last."""
    body: etree._Element = document.element.body
    # asked for every heading and TOC entry: find() would pass every paragraph and table of the body first
    last = body[-1] if len(body) else None
    if last is not None and last.tag == qn("w:sectPr"):
        return last
    section: etree._Element | None = body.find(qn("w:sectPr"))
    return section


def text_height(document: Document) -> int:
    """The height between the top and bottom margins of the document's last section, in twips (0: unknown)."""
    section = body_section(document)
    size = section.find(qn("w:pgSz")) if section is not None else None
    margins = section.find(qn("w:pgMar")) if section is not None else None
    if size is None or margins is None:
        return 0
    # a negative margin is one the text does not push (its absolute value counts all the same)
    height, top, bottom = (int(element.get(qn(name)) or 0) for element, name in ((size, "w:h"), (margins, "w:top"), (margins, "w:bottom")))
    return height - abs(top) - abs(bottom)


def text_block(document: Document) -> int:
    """The width between the margins of the document's last section, in twips."""
    section = body_section(document)
    if section is None:
        return 0
    size, margins = section.find(qn("w:pgSz")), section.find(qn("w:pgMar"))
    if size is None or margins is None:
        return 0
    return int(size.get(qn("w:w")) or 0) - int(margins.get(qn("w:left")) or 0) - int(margins.get(qn("w:right")) or 0)


_PPR, _PSTYLE, _VAL = qn("w:pPr"), qn("w:pStyle"), qn("w:val")


def _child(element: etree._Element, tag: str) -> etree._Element | None:
    """The first child with ``tag``; the schema puts pPr and pStyle first, so look there before searching."""
    if len(element) and element[0].tag == tag:
        return element[0]
    return element.find(tag)


def paragraph_style(paragraph: etree._Element) -> str | None:
    # runs for every paragraph of a document: no path parsing, and usually no search
    properties = _child(paragraph, _PPR)
    style = _child(properties, _PSTYLE) if properties is not None else None
    return style.get(_VAL) if style is not None else None


def line_ems(document: Document, styles: Styles, style_id: str | None, *, first: bool = True) -> float:
    """How many ems fit on a line of a paragraph in ``style_id`` (its first line, or the next ones)."""
    width = text_block(document) - styles.indent(style_id, "left") - styles.indent(style_id, "right")
    if first:
        width += styles.indent(style_id, "hanging")
    return width / (styles.size(style_id) * TWIPS_PER_HALF_POINT)
