"""Documents made by other means than perfgen's renderer import with every field right.

Each fixture holds the content of 甲镇.expected.yaml or 乙镇.expected.yaml in its own
layout: two written here with python-docx (hand-made tables, merges, Word numbering,
a Word TOC), four converted by LibreOffice from hand-made HTML (fixtures/import/make.py):
a .docx, a .doc, and two PDFs. Together they cover every variation of issue 13's point 1;
each fixture's docstring line below says which it carries.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from conftest import FIXTURES, perfgen, require_tool
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from perfgen.importer import import_file
from perfgen.load.yamlfile import read_yaml

IMPORT = FIXTURES / "import"
MONTHS = ("3月底", "6月底", "10月底", "12月底")


def expected(content: str) -> dict[str, Any]:
    return yaml.safe_load((IMPORT / f"{content}.expected.yaml").read_text(encoding="utf-8"))


def differences(got: Any, want: Any, path: str = "") -> list[str]:
    """Every field that differs, as 'path: got != want' (numbers compared as decimals)."""
    if isinstance(want, dict) and isinstance(got, dict):
        keys = list(want) + [k for k in got if k not in want]
        return [d for k in keys for d in differences(got.get(k, "<无>"), want.get(k, "<无>"), f"{path}/{k}")]
    if isinstance(want, list) and isinstance(got, list) and len(got) == len(want):
        return [d for i, (a, b) in enumerate(zip(got, want)) for d in differences(a, b, f"{path}/{i}")]

    def number(value: Any) -> Any:
        return Decimal(str(value)) if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) else value

    return [] if number(got) == number(want) else [f"{path}: {got!r} != {want!r}"]


def imported(source: Path, folder: Path) -> tuple[dict[str, Any], list[str]]:
    result = import_file(source, folder)
    document = read_yaml(folder / "文档.yaml", "文档.yaml")[0].data
    projects = [read_yaml(folder / name, name)[0].data for name in document.pop("项目清单")]
    return {"文档": document, "项目": projects}, [f"{n.place}：{n.message}" for n in result.notes]


# ------------------------------------------------------------ documents written with python-docx


def _set_cell(cell: Any, *paragraphs: str) -> None:
    cell.text = paragraphs[0] if paragraphs else ""
    for text in paragraphs[1:]:
        cell.add_paragraph(text)


def _money(value: float) -> str:
    return f"{value:,.2f}"


def _toc_entry(document: Any, text: str, page: int, level: int) -> None:
    paragraph = document.add_paragraph(f"{text}\t{page}")
    paragraph.style = document.styles[f"toc {level}"] if f"toc {level}" in document.styles else paragraph.style


def write_yi_with_word_merges(path: Path) -> None:
    """乙镇: no cover, no TOC; title in two paragraphs; unit line above two tables; an empty grid column;
    gridSpan and vMerge (一级 and 二级 merged down); 元 with thousands separators; empty 其他资金 and
    12月底; goals as paragraphs of one cell; part 1 with Word's automatic numbering and bullets."""
    data = expected("乙镇")
    d = docx.Document()
    head = data["文档"]
    d.add_paragraph("第一部分　部门整体绩效目标")
    d.add_paragraph("一、总体绩效目标")
    for item in head["第一部分"]["总体绩效目标"]["条目"]:
        d.add_paragraph(item)
    d.add_paragraph("二、分项绩效目标")
    for item in head["第一部分"]["分项绩效目标"]["条目"]:
        d.add_paragraph(item["标题"], style="List Number")  # "1." from numbering.xml, not typed
        d.add_paragraph("绩效目标：" + item["绩效目标"])
        d.add_paragraph("绩效指标：" + item["绩效指标"])
    d.add_paragraph("三、工作保障措施")
    for item in head["第一部分"]["工作保障措施"]["条目"]:
        d.add_paragraph(item, style="List Bullet")
    d.add_paragraph("第二部分　预算项目绩效目标")
    for n, p in enumerate(data["项目"], 1):
        d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        d.add_paragraph(f"{n}.{p['项目名称']}")
        d.add_paragraph("绩效目标表")
        d.add_paragraph(f"{head['单位编码']}{head['单位名称']}")
        d.add_paragraph(f"单位：{head['金额单位']}")
        # header block: 9 grid columns, the last one an empty narrow column nobody removed
        t = d.add_table(rows=7, cols=9)
        r = t.rows
        _set_cell(r[0].cells[0], "项目编码")
        _set_cell(r[0].cells[1], p["项目编码"])
        r[0].cells[1].merge(r[0].cells[3])
        _set_cell(r[0].cells[4], "项目名称")
        _set_cell(r[0].cells[5], p["项目名称"])
        r[0].cells[5].merge(r[0].cells[7])
        _set_cell(r[1].cells[0], "预算规模及资金用途")
        r[1].cells[0].merge(r[2].cells[0])
        for i, text in enumerate(("预算数", _money(p["预算数"]), "其中：财政资金", _money(p["财政资金"]), "其他资金",
                                  _money(p["其他资金"]) if p["其他资金"] else "")):
            _set_cell(r[1].cells[i + 1], text)
        _set_cell(r[2].cells[1], p["资金用途"])
        r[2].cells[1].merge(r[2].cells[7])
        _set_cell(r[3].cells[0], "资金支出计划（%）")
        r[3].cells[0].merge(r[4].cells[0])
        for i, month in enumerate(MONTHS):
            _set_cell(r[3].cells[1 + 2 * i], month)
            r[3].cells[1 + 2 * i].merge(r[3].cells[2 + 2 * i])
            value = "" if month == "12月底" and n == 2 else f"{p['资金支出计划'][month]}%"
            _set_cell(r[4].cells[1 + 2 * i], value)
            r[4].cells[1 + 2 * i].merge(r[4].cells[2 + 2 * i])
        _set_cell(r[5].cells[0], "绩效目标")
        _set_cell(r[5].cells[1], *[f"{i}.{g}" for i, g in enumerate(p["绩效目标"], 1)])
        r[5].cells[1].merge(r[5].cells[7])
        t._tbl.remove(r[6]._tr)
        d.add_paragraph()
        # indicator table: 7 grid columns, an empty one between 三级指标 and 描述
        rows = [(l1, g["二级指标"], x) for l1, groups in p["绩效指标"].items() for g in groups for x in g["指标"]]
        t = d.add_table(rows=1 + len(rows), cols=7)
        for i, text in enumerate(("一级指标", "二级指标", "三级指标", "", "绩效指标描述", "指标值", "指标值确定依据")):
            _set_cell(t.rows[0].cells[i], text)
        for k, (l1, l2, x) in enumerate(rows, 1):
            for i, text in enumerate((l1, l2, x["三级指标"], "", x["绩效指标描述"], x["指标值"], x["指标值确定依据"])):
                _set_cell(t.rows[k].cells[i], text)
        # merge 一级 and 二级 down over their runs
        for column in (0, 1):
            start = 1
            for k in range(2, len(rows) + 2):
                key = rows[k - 1][: column + 1] if k <= len(rows) else None
                if key != rows[start - 1][: column + 1]:
                    if k - 1 > start:
                        text = t.rows[start].cells[column].text
                        merged = t.rows[start].cells[column].merge(t.rows[k - 1].cells[column])
                        merged.text = text
                    start = k
    d.save(str(path))


def write_jia_with_word_toc(path: Path) -> None:
    """甲镇: a cover; a Word TOC (TOC styles, tab and page number) inside a content control; one table
    per project with the unit line in its first row; 项目编号; 一级 and the 预算规模 label repeated
    instead of merged; goals as "1.…2.…" in one paragraph; part 1 numbered 1、 （一） 一、 typed,
    with titled sub-goals and an unnumbered first paragraph."""
    data = expected("甲镇")
    head, cover = data["文档"], data["文档"]["封面"]
    d = docx.Document()
    for line in (cover["单位"], f"{head['年度']}年部门预算绩效文本", "（草案）", f"{cover['编制单位']}编制", f"{cover['审核单位']}审核"):
        d.add_paragraph(line)
    d.add_paragraph("目录")
    sdt = OxmlElement("w:sdt")
    content = OxmlElement("w:sdtContent")
    sdt.append(content)
    entries = [("第一部分　部门整体绩效目标", 1, 1), ("一、总体绩效目标", 1, 2), ("二、分项绩效目标", 1, 2),
               ("三、工作保障措施", 2, 2), ("第二部分　预算项目绩效目标", 3, 1)]
    entries += [(f"{n}.{p['项目名称']}绩效目标表", 3 + n, 2) for n, p in enumerate(data["项目"], 1)]
    for text, page, level in entries:
        p = d.add_paragraph(f"{text}\t{page}")
        props = p._p.get_or_add_pPr()
        style = OxmlElement("w:pStyle")
        style.set(qn("w:val"), f"TOC{level}")
        props.insert(0, style)
        content.append(p._p)
    d.element.body.insert(len(d.paragraphs), sdt)
    d.add_paragraph("第一部分　部门整体绩效目标")
    d.add_paragraph("一、总体绩效目标")
    for n, item in enumerate(head["第一部分"]["总体绩效目标"]["条目"], 1):
        d.add_paragraph(f"{n}、{item}")
    d.add_paragraph("二、分项绩效目标")
    for n, item in enumerate(head["第一部分"]["分项绩效目标"]["条目"], 1):
        d.add_paragraph(f"（{'一二三'[n - 1]}）{item['标题']}")
        d.add_paragraph("绩效目标：" + item["绩效目标"])
        d.add_paragraph("绩效指标：" + item["绩效指标"])
    d.add_paragraph("三、工作保障措施")
    section = head["第一部分"]["工作保障措施"]
    for text in section["引言"]:
        d.add_paragraph(text)
    for n, item in enumerate(section["条目"], 1):
        d.add_paragraph(f"{'一二三'[n - 1]}、{item}")
    d.add_paragraph("第二部分")
    d.add_paragraph("预算项目绩效目标")
    for n, p in enumerate(data["项目"], 1):
        d.add_paragraph(f"{n}.{p['项目名称']}绩效目标表")
        rows = [(l1, g["二级指标"], x) for l1, groups in p["绩效指标"].items() for g in groups for x in g["指标"]]
        t = d.add_table(rows=8 + len(rows), cols=6)
        r = t.rows
        _set_cell(r[0].cells[0], f"{head['单位编码']}{head['单位名称']}")
        r[0].cells[0].merge(r[0].cells[3])
        _set_cell(r[0].cells[4], f"单位：{head['金额单位']}")
        r[0].cells[4].merge(r[0].cells[5])
        for i, text in enumerate(("项目编号", p["项目编码"], "项目名称", p["项目名称"])):
            _set_cell(r[1].cells[i if i < 3 else 3], text)
        r[1].cells[3].merge(r[1].cells[5])
        for i, text in enumerate(("预算规模及资金用途", "预算数", f"{p['预算数']:.2f}", "其中：财政资金", f"{p['财政资金']:.2f}")):
            _set_cell(r[2].cells[i], text)
        _set_cell(r[3].cells[0], "预算规模及资金用途")
        _set_cell(r[3].cells[1], "其他资金")
        _set_cell(r[3].cells[2], f"{p['其他资金']:.2f}" if p["其他资金"] else "")
        _set_cell(r[4].cells[0], "预算规模及资金用途")
        _set_cell(r[4].cells[1], p["资金用途"])
        r[4].cells[1].merge(r[4].cells[5])
        _set_cell(r[5].cells[0], "资金支出计划（%）")
        for i, month in enumerate(MONTHS):
            _set_cell(r[5].cells[1 + i], month)
            _set_cell(r[6].cells[1 + i], f"{p['资金支出计划'][month]}%")
        _set_cell(r[6].cells[0], "资金支出计划（%）")
        _set_cell(r[7].cells[0], "绩效目标")
        _set_cell(r[7].cells[1], "".join(f"{i}.{g}" for i, g in enumerate(p["绩效目标"], 1)))
        r[7].cells[1].merge(r[7].cells[5])
        indicator = d.add_table(rows=1 + len(rows), cols=6)
        for i, text in enumerate(("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据")):
            _set_cell(indicator.rows[0].cells[i], text)
        for k, (l1, l2, x) in enumerate(rows, 1):
            for i, text in enumerate((l1, l2, x["三级指标"], x["绩效指标描述"], x["指标值"], x["指标值确定依据"])):
                _set_cell(indicator.rows[k].cells[i], text)
        # one table: the indicator rows appended to the header block
        for tr in list(indicator._tbl.findall(qn("w:tr"))):
            t._tbl.append(tr)
        indicator._tbl.getparent().remove(indicator._tbl)
        for tr in t._tbl.findall(qn("w:tr"))[8 : 8 + len(rows)]:
            t._tbl.remove(tr)  # the empty rows made up front
    d.save(str(path))


# ------------------------------------------------------------ the tests, one per fixture


def check(source: Path, content: str, tmp_path: Path, notes: list[str] | None = None) -> None:
    got, found = imported(source, tmp_path / "out")
    assert differences(got, expected(content)) == []
    assert found == (notes or [])


def test_python_docx_yi_with_word_merges_and_numbering(tmp_path: Path) -> None:
    write_yi_with_word_merges(tmp_path / "乙镇.docx")
    check(tmp_path / "乙镇.docx", "乙镇", tmp_path, ["第3个表格第5行：资金支出计划“12月底”为空，按 100% 填写，请核对"])


def test_python_docx_jia_with_word_toc_and_one_table(tmp_path: Path) -> None:
    write_jia_with_word_toc(tmp_path / "甲镇.docx")
    check(tmp_path / "甲镇.docx", "甲镇", tmp_path)


def test_html_converted_to_docx_by_libreoffice(tmp_path: Path) -> None:
    """甲镇: TOC of dot leaders and page numbers as plain paragraphs; titles in two paragraphs; rowspan and colspan."""
    check(IMPORT / "甲镇-网页.docx", "甲镇", tmp_path)


@pytest.mark.slow
@pytest.mark.libreoffice
@pytest.mark.parametrize("suffix", [".doc", ".wps"])
def test_doc_converted_through_libreoffice(suffix: str, tmp_path: Path) -> None:
    """乙镇: one table; 项目编号; 一级 and labels repeated; separators; goals "1.…2.…" in one paragraph.

    The .wps is the same Word 97 file under WPS's name (WPS Office saves .wps in that format).
    """
    require_tool("soffice")
    source = tmp_path / f"乙镇{suffix}"
    shutil.copyfile(IMPORT / "乙镇-旧版.doc", source)
    check(source, "乙镇", tmp_path)


def test_pdf_with_cover_toc_and_breaks_at_page_ends(tmp_path: Path) -> None:
    """甲镇: paragraphs and one table row broken at page ends, a table continued on the next page."""
    check(IMPORT / "甲镇-公开.pdf", "甲镇", tmp_path)


def test_pdf_without_cover_with_separators_and_empty_december(tmp_path: Path) -> None:
    check(
        IMPORT / "乙镇-公开.pdf",
        "乙镇",
        tmp_path,
        [
            "第1页第1个表格第5行：资金支出计划“12月底”为空，按 100% 填写，请核对",
            "第2页第3个表格第5行：资金支出计划“12月底”为空，按 100% 填写，请核对",
        ],
    )


def test_the_fixtures_show_the_breaks_they_are_meant_to() -> None:
    """The 甲镇 PDF really has a paragraph and a table row split by a page end."""
    import pdfplumber

    with pdfplumber.open(IMPORT / "甲镇-公开.pdf") as pdf:
        pages = [page.extract_text().split("\n") for page in pdf.pages]
        continued = [page.find_tables()[0].extract()[0] for page in pdf.pages[-1:]]
    assert not pages[0][-1].endswith("。")  # a paragraph goes on over the page end
    assert continued[0][:3] == ["", "", ""]  # the last page begins with the rest of a row


def test_what_cannot_be_read_becomes_a_placeholder_that_validate_reports(tmp_path: Path) -> None:
    write_jia_with_word_toc(tmp_path / "甲镇.docx")
    d = docx.Document(str(tmp_path / "甲镇.docx"))
    header = d.tables[0]
    header.rows[2].cells[2].text = "见附件"  # 预算数 is no amount
    header.rows[9].cells[2].text = ""  # a 三级指标 left empty (产出指标, first row)
    header.rows[7].cells[1].text = ""  # no goals
    d.save(str(tmp_path / "甲镇.docx"))

    result = import_file(tmp_path / "甲镇.docx", tmp_path / "out")
    assert [(n.place, n.message) for n in result.notes] == [
        ("第1个表格第3行", "“预算数”不是金额（原文“见附件”），已写成占位文字“××”，请照原文补上"),
        ("第1个表格第8行", "没有读到绩效目标，已写成占位文字“××”，请照原文补上"),
        ("第1个表格第10行", "三级指标为空，已写成占位文字“××”，请照原文补上"),
    ]
    project = (tmp_path / "out" / "项目" / "怀财字【2025】7号村级组织运转（村干部工资）.yaml").read_text(encoding="utf-8")
    assert "预算数: ××（待补：“预算数”不是金额（原文“见附件”），见原文第1个表格第3行）" in project
    assert "  - ××（待补：没有读到绩效目标，见原文第1个表格第8行）" in project

    from perfgen.validate.run import validate

    found = [(Path(p.file).name, p.line, p.rule) for p in validate([tmp_path / "out"]).problems]
    name = "怀财字【2025】7号村级组织运转（村干部工资）.yaml"
    lines = project.splitlines()
    budget_line = next(i for i, line in enumerate(lines, 1) if line.startswith("预算数:"))
    assert (name, budget_line, "schema") in found  # a number's placeholder is reported as not a number
    run = perfgen("validate", str(tmp_path / "out"), cwd=tmp_path)
    assert run.returncode == 1
    assert "预算数" in run.stdout
    # once the number is written, the text placeholders are reported by the placeholder rule, each at its line
    path = tmp_path / "out" / "项目" / name
    path.write_text(project.replace(lines[budget_line - 1], "预算数: 1234.50"), encoding="utf-8")
    found = [(p.line, p.rule) for p in validate([tmp_path / "out"]).problems if Path(p.file).name == name]
    goal_line = next(i for i, line in enumerate(lines, 1) if "没有读到绩效目标" in line)
    row_line = next(i for i, line in enumerate(lines, 1) if "三级指标为空" in line)
    assert (goal_line, "placeholder") in found and (row_line, "placeholder") in found
