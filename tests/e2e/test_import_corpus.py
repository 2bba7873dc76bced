"""No traceback from import: damaged and hostile files get a Chinese message and exit code 0 or 1.

Each case the attack campaign found is here, made in the test, beside seeded generators (random
attributes in a .docx, mutated PDFs) that CI draws the same way every run, in full (the fast loop
reads the first share of them, tests/sizes.py).
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from conftest import perfgen
from docx.oxml.ns import qn
from lxml import etree
from pdf_maker import chinese, document, mutations, pdf, small_township_pdf, text
from sizes import share

from perfgen.errors import PerfgenError
from perfgen.importer import read_blocks
from perfgen.importer.pdf import read_pdf
from perfgen.importer.structure import recognise

CJK = re.compile(r"[\u4e00-\u9fff]")


def word_file() -> bytes:
    """A small .docx with what the odd attributes sit on: a numbered list, a list style, a table with a merged cell."""
    document = docx.Document()
    document.add_paragraph("第二部分")
    document.add_paragraph("项目", style="List Number")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).text = "项目名称"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "某项目"
    table.cell(1, 0).text = "项目编码"
    table.cell(1, 1).text = "816001220001"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def edited(data: bytes, part: str, edit: Callable[[etree._Element], None]) -> bytes:
    """``data`` with the XML ``part`` edited in place."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for name in source.namelist():
            content = source.read(name)
            if name == part:
                root = etree.fromstring(content)
                edit(root)
                content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            copy.writestr(name, content)
    return out.getvalue()


def set_all(tag: str, attribute: str, value: str) -> Callable[[etree._Element], None]:
    def edit(root: etree._Element) -> None:
        found = list(root.iter(qn(tag)))
        assert found, tag
        for element in found:
            element.set(qn(attribute), value)

    return edit


def grid_before(value: str) -> Callable[[etree._Element], None]:
    def edit(root: etree._Element) -> None:
        row = next(root.iter(qn("w:tr")))
        props = row.find(qn("w:trPr"))
        if props is None:
            props = etree.Element(qn("w:trPr"))
            row.insert(0, props)
        etree.SubElement(props, qn("w:gridBefore")).set(qn("w:val"), value)

    return edit


def numbered(level: str) -> Callable[[etree._Element], None]:
    """The first paragraph in list 1 at ``level``."""
    def edit(root: etree._Element) -> None:
        paragraph = next(root.iter(qn("w:p")))
        props = paragraph.find(qn("w:pPr"))
        if props is None:
            props = etree.Element(qn("w:pPr"))
            paragraph.insert(0, props)
        numbering = etree.SubElement(props, qn("w:numPr"))
        etree.SubElement(numbering, qn("w:ilvl")).set(qn("w:val"), level)
        etree.SubElement(numbering, qn("w:numId")).set(qn("w:val"), "1")

    return edit


CASES = {
    "gridSpan 1.5": ("word/document.xml", set_all("w:gridSpan", "w:val", "1.5")),
    "gridSpan abc": ("word/document.xml", set_all("w:gridSpan", "w:val", "abc")),
    "gridSpan huge": ("word/document.xml", set_all("w:gridSpan", "w:val", "9" * 30)),
    "gridSpan negative": ("word/document.xml", set_all("w:gridSpan", "w:val", "-4")),
    "gridBefore x": ("word/document.xml", grid_before("x")),
    "gridBefore 1e9": ("word/document.xml", grid_before("1e9")),
    "ilvl in the body x": ("word/document.xml", numbered("x")),
    "ilvl in the body 9": ("word/document.xml", numbered("9")),
    "ilvl in the body 12": ("word/document.xml", numbered("12")),
    "ilvl of the levels x": ("word/numbering.xml", set_all("w:lvl", "w:ilvl", "x")),
    "ilvl of the levels 11": ("word/numbering.xml", set_all("w:lvl", "w:ilvl", "11")),
    "start abc": ("word/numbering.xml", set_all("w:start", "w:val", "abc")),
    "start nan": ("word/numbering.xml", set_all("w:start", "w:val", "nan")),
    "start 1000 counted in Chinese": ("word/numbering.xml", set_all("w:start", "w:val", "1000")),
}


def imported(tmp_path: Path, name: str, data: bytes) -> None:
    """Import ``data`` as the CLI does: exit 0, or 1 with a Chinese message; a traceback fails the test."""
    (tmp_path / name).write_bytes(data)
    run = perfgen("import", name, "-o", "导入", cwd=tmp_path)
    assert run.returncode in (0, 1), run.stderr
    if run.returncode:
        assert run.stderr.startswith("错误：") and CJK.search(run.stderr), run.stderr


@pytest.mark.parametrize("case", CASES)
def test_an_odd_attribute_in_a_docx(case: str, tmp_path: Path) -> None:
    part, edit = CASES[case]
    imported(tmp_path, "文本.docx", edited(word_file(), part, edit))


def test_chinese_list_numbers_past_ninety_nine_are_written_in_digits(tmp_path: Path) -> None:
    def chinese_list(root: etree._Element) -> None:
        set_all("w:start", "w:val", "100")(root)
        set_all("w:numFmt", "w:val", "chineseCounting")(root)
        set_all("w:lvlText", "w:val", "%1、")(root)

    data = edited(edited(word_file(), "word/numbering.xml", chinese_list), "word/document.xml", numbered("0"))
    (tmp_path / "a.docx").write_bytes(data)
    blocks, _ = read_blocks(tmp_path / "a.docx")
    assert blocks[0].text == "100、第二部分"


HOSTILE_VALUES = ["", "-1", "0", "1.5", "abc", "9" * 25, "1e400", "nan", "inf", "12", "٣", " 2 ", "0x10", "\u3000"]


def test_random_attributes_in_a_docx(tmp_path: Path) -> None:
    """Seeded: each run changes the same attributes of the same elements to the same values."""
    draw = random.Random(19)
    original = word_file()
    for n in range(share(25)):
        part = draw.choice(["word/document.xml", "word/numbering.xml", "word/styles.xml"])

        def scramble(root: etree._Element) -> None:
            elements = [e for e in root.iter() if isinstance(e.tag, str)]
            for element in draw.sample(elements, min(5, len(elements))):
                attribute = draw.choice(list(element.attrib) or [qn("w:val")])
                element.set(attribute, draw.choice(HOSTILE_VALUES))

        path = tmp_path / f"{n}.docx"
        path.write_bytes(edited(original, part, scramble))
        try:
            recognise(read_blocks(path)[0])
        except PerfgenError as exc:
            assert CJK.search(str(exc)), exc


# ------------------------------------------------------------------ PDF


def test_a_nul_in_a_pdfs_text_never_reaches_a_name() -> None:
    [paragraph] = read_pdf(pdf([chinese(50, 700, "816001某\x00镇")]))
    assert paragraph.text == "816001某镇"


def test_an_encrypted_pdf_is_said_to_be_encrypted(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf([text(50, 700, "secret")]))))
    writer.encrypt(user_password="口令", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    (tmp_path / "加密.pdf").write_bytes(out.getvalue())
    run = perfgen("import", "加密.pdf", cwd=tmp_path)
    assert run.returncode == 1
    assert "PDF 文件已加密" in run.stderr and "去掉密码" in run.stderr, run.stderr


def test_a_page_tree_twenty_thousand_deep(tmp_path: Path) -> None:
    depth = 20_000
    # objects 1..depth are Pages nodes, each the only kid of the one before; the last holds the page
    nodes = [b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % (n + 1) for n in range(1, depth + 1)]
    page = b"<< /Type /Page /MediaBox [0 0 600 800] >>"
    catalog = b"<< /Type /Catalog /Pages 1 0 R >>"
    objects = [*nodes, page, catalog]
    (tmp_path / "深.pdf").write_bytes(document(objects, root=len(objects)))
    run = perfgen("import", "深.pdf", cwd=tmp_path)
    assert run.returncode == 1
    assert run.stderr.startswith("错误：深.pdf：无法读取：它不是有效的 PDF 文件，或已损坏"), run.stderr


def test_two_hundred_mutated_pdfs() -> None:
    """Seeded: CI reads the same 200 files every run. Each is read or refused in Chinese."""
    outcomes = {"read": 0, "refused": 0}
    for data in mutations(small_township_pdf(), share(200), seed=19):
        try:
            read_pdf(data)
            outcomes["read"] += 1
        except PerfgenError as exc:
            assert CJK.search(str(exc)), exc
            outcomes["refused"] += 1
    print(outcomes)
    assert outcomes["read"] and outcomes["refused"]  # the mutations reach both ends
