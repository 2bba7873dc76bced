"""The look of the HTML pages, read from the Word template: faces, sizes, alignment, indents, page size.

The template is the single source of layout (README); the HTML pages take their paragraph styles
from it rather than from a second copy in CSS. Each Word paragraph style becomes a CSS class
``.s-<styleId>`` (``.s-Normal``, ``.s-ProjectTitle``...), with its ``basedOn`` chain resolved; the
page frame takes the template's page size and margins. A face the template names (黑体, 仿宋_GB2312)
is followed by the free stand-ins of templates/fontconfig/fonts.conf, which the PDF uses too, so a
machine without the official faces shows what the 分页预览 shows.

The template may be a county's own, so it is untrusted: it is read through render/template_file's
checks, and every name from it reaches the CSS as an escaped string.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from xml.etree import ElementTree

from lxml import etree

from perfgen.render.template_file import read_template
from perfgen.resources import font_config, standard_template

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TWIPS_PER_MM = 1440 / 25.4
_ALIGN = {"both": "justify", "distribute": "justify", "center": "center", "left": "left", "start": "left",
          "right": "right", "end": "right"}
# what a browser falls back to after the template's face and its stand-ins: by the kind of face
_GENERIC = {"黑体": "sans-serif"}


@dataclass
class _Style:
    """The properties of one paragraph style that the HTML shows, each None where the style does not set it."""

    based_on: str | None = None
    props: dict[str, str | None] = field(default_factory=dict)


def _attr(element: etree._Element | None, name: str) -> str | None:
    return None if element is None else element.get(_W + name)


def _style_props(style: etree._Element) -> dict[str, str | None]:
    ppr = style.find(_W + "pPr")
    rpr = style.find(_W + "rPr")
    spacing = ppr.find(_W + "spacing") if ppr is not None else None
    indent = ppr.find(_W + "ind") if ppr is not None else None
    fonts = rpr.find(_W + "rFonts") if rpr is not None else None
    size = rpr.find(_W + "sz") if rpr is not None else None
    bold = rpr.find(_W + "b") if rpr is not None else None
    props: dict[str, str | None] = {
        "face": _attr(fonts, "eastAsia"),
        "latin": _attr(fonts, "ascii"),
        "size": _attr(size, "val"),
        "bold": None if bold is None else str(_attr(bold, "val") not in ("0", "false")),
        "align": _attr(ppr.find(_W + "jc") if ppr is not None else None, "val"),
        "before": _attr(spacing, "before"),
        "after": _attr(spacing, "after"),
        "line": _attr(spacing, "line"),
        "rule": _attr(spacing, "lineRule"),
        "first_chars": _attr(indent, "firstLineChars"),
        "first": _attr(indent, "firstLine"),
        "left": _attr(indent, "left"),
        "break": "True" if ppr is not None and ppr.find(_W + "pageBreakBefore") is not None else None,
    }
    return {key: value for key, value in props.items() if value is not None}


def _parse(data: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)
    return etree.fromstring(data, parser)


def _styles(package: zipfile.ZipFile) -> tuple[dict[str, str | None], dict[str, _Style]]:
    """The document defaults and every paragraph style of the template."""
    root = _parse(package.read("word/styles.xml"))
    defaults: dict[str, str | None] = {}
    for part in ("rPrDefault", "pPrDefault"):
        found = root.find(f"{_W}docDefaults/{_W}{part}")
        if found is not None:
            wrapper = etree.Element(_W + "style")
            wrapper.extend(list(found))
            defaults.update(_style_props(wrapper))
    styles: dict[str, _Style] = {}
    for style in root.iter(_W + "style"):
        name = style.get(_W + "styleId")
        if style.get(_W + "type") == "paragraph" and name:
            styles[name] = _Style(_attr(style.find(_W + "basedOn"), "val"), _style_props(style))
    return defaults, styles


def _resolved(name: str, styles: dict[str, _Style], defaults: dict[str, str | None]) -> dict[str, str | None]:
    chain: list[str] = []
    while name in styles and name not in chain and len(chain) < 20:  # a loop of basedOn ends
        chain.append(name)
        name = styles[name].based_on or ""
    props = dict(defaults)
    for step in reversed(chain):
        props.update(styles[step].props)
    return props


def _page(package: zipfile.ZipFile) -> dict[str, float]:
    """The page size and margins (mm) of the template's last section."""
    root = _parse(package.read("word/document.xml"))
    sections = list(root.iter(_W + "sectPr"))
    size = sections[-1].find(_W + "pgSz") if sections else None
    margins = sections[-1].find(_W + "pgMar") if sections else None
    page = {"width": 11906, "height": 16838, "top": 1440, "right": 1440, "bottom": 1440, "left": 1440}  # Word's own
    for element, keys in ((size, {"width": "w", "height": "h"}), (margins, dict.fromkeys(("top", "right", "bottom", "left")))):
        for key, attribute in keys.items():
            value = _attr(element, attribute or key)
            if value and value.lstrip("-").isdigit():
                page[key] = abs(int(value))
    return {key: round(value / _TWIPS_PER_MM, 1) for key, value in page.items()}


@lru_cache(maxsize=1)
def stand_ins() -> dict[str, list[str]]:
    """Face -> its free stand-ins, from templates/fontconfig/fonts.conf; a bold one named with " Bold"."""
    found: dict[str, list[str]] = {}
    try:
        root = ElementTree.parse(font_config()).getroot()
    except (OSError, ElementTree.ParseError):
        return found
    for match in root.iter("match"):
        tested = [s.text for s in match.iterfind("test/string") if s.text]
        bold = any(c.text == "bold" for c in match.iterfind("edit[@name='weight']/const"))
        given = [s.text + (" Bold" if bold else "") for s in match.iterfind("edit[@name='family']/string") if s.text]
        for face in tested:
            found.setdefault(face, []).extend(given)
    return found


def _alias(face: str) -> str:
    return f"perfgen {face}"


def _font_faces() -> list[str]:
    """A face whose stand-in is a bold cut gets a family of its own: the face where it is installed, else
    that cut (CSS cannot make only a fallback bold)."""
    rules = []
    for face, given in sorted(stand_ins().items()):
        if any(name.endswith(" Bold") for name in given):
            sources = ", ".join(f"local({css_string(name)})" for name in [face, *given])
            rules.append(f"@font-face {{ font-family: {css_string(_alias(face))}; src: {sources}; }}")
    return rules


def css_string(text: str) -> str:
    """A CSS string of any text: all but letters, digits, spaces and ``_-.`` escaped, so none can end a rule or a <style>."""
    return '"' + "".join(c if c.isalnum() or c in " _-." else f"\\{ord(c):x} " for c in text) + '"'


def _number(value: str | None) -> float | None:
    return float(value) if value and re.fullmatch(r"-?\d{1,6}", value) else None


def _faces(props: dict[str, str | None]) -> str:
    face = props.get("face") or ""
    # the Latin face first, as Word sets digits and Latin letters in it; it has no Chinese, so they fall through
    given = stand_ins().get(face, [])
    if any(name.endswith(" Bold") for name in given):
        faces = [props.get("latin") or "", _alias(face), *(name.removesuffix(" Bold") for name in given)]
    else:
        faces = [props.get("latin") or ""] + ([face, face.removesuffix("_GB2312")] if face else []) + given
    unique = list(dict.fromkeys(f for f in faces if f))
    generic = next((g for key, g in _GENERIC.items() if key in face), "serif")
    return ", ".join([*map(css_string, unique), generic])


def _declarations(props: dict[str, str | None]) -> list[str]:
    rules = [f"font-family: {_faces(props)}"]
    if (size := _number(props.get("size"))) is not None:
        rules.append(f"font-size: {size / 2:g}pt")
        if (chars := _number(props.get("first_chars"))) is not None:
            rules.append(f"text-indent: {chars / 100:g}em")
        elif (first := _number(props.get("first"))) is not None:
            rules.append(f"text-indent: {first / 20:g}pt")
    rules.append("font-weight: " + ("bold" if props.get("bold") == "True" else "normal"))
    rules.append("text-align: " + _ALIGN.get(props.get("align") or "", "left"))
    for key, side in (("before", "top"), ("after", "bottom")):
        if (value := _number(props.get(key))) is not None:
            rules.append(f"margin-{side}: {value / 20:g}pt")
    if (left := _number(props.get("left"))) is not None:
        rules.append(f"margin-left: {left / 20:g}pt")
    line = _number(props.get("line"))
    if line is not None and props.get("rule") == "exact":
        rules.append(f"line-height: {line / 20:g}pt")
    elif line is not None:
        rules.append(f"line-height: {1.3 * line / 240:.2f}")  # Word's single line is about 1.3 of the face's size
    return rules


def template_css(template: Path | None = None) -> str:
    """The CSS of the template's paragraph styles and page (see the module's docstring)."""
    template = template or standard_template()
    try:
        stamp = template.stat().st_mtime_ns
    except OSError:
        stamp = 0
    return _template_css(template, stamp)


@lru_cache(maxsize=4)
def _template_css(template: Path, stamp: int) -> str:
    with zipfile.ZipFile(io.BytesIO(read_template(template))) as package:
        defaults, styles = _styles(package)
        page = _page(package)
    lines = _font_faces() + [
        ":root {"
        f" --page-width: {page['width']}mm; --page-height: {page['height']}mm;"
        f" --page-top: {page['top']}mm; --page-right: {page['right']}mm;"
        f" --page-bottom: {page['bottom']}mm; --page-left: {page['left']}mm; }}"
    ]
    for name in sorted(styles):
        if re.fullmatch(r"[A-Za-z0-9_-]{1,64}", name):  # a style id is a class name only when it can be one
            lines.append(f".s-{name} {{ {'; '.join(_declarations(_resolved(name, styles, defaults)))}; }}")
    return "\n".join(lines) + "\n"
