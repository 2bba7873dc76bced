"""import never drops what it saw: a title without a table is a project of placeholders, stray text is listed,
titles seen and projects written are counted before writing, and PDF repair keeps every punctuation mark."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from conftest import perfgen
from docx.oxml.ns import qn
from lxml import etree
from pdf_maker import chinese, pdf

from perfgen.importer import structure
from perfgen.importer.pdf import read_pdf

SAMPLE = "文安县机床市场管委会-2022"  # three projects


def with_body(source: Path, target: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    """A copy of the .docx ``source`` whose body ``edit`` changed."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for name in original.namelist():
            data = original.read(name)
            if name == "word/document.xml":
                root = etree.fromstring(data)
                edit(root.find(qn("w:body")))
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            copy.writestr(name, data)
    return target


def paragraph(text: str) -> etree._Element:
    p = etree.Element(qn("w:p"))
    etree.SubElement(etree.SubElement(p, qn("w:r")), qn("w:t")).text = text
    return p


def project_as_text(n: int):  # type: ignore[no-untyped-def]
    """What LibreOffice handed back for a hand-typed .doc: project ``n``'s tables as one run-together paragraph."""

    def edit(body: etree._Element) -> None:
        tables = body.findall(qn("w:tbl"))
        anchors = [tables.index(t) for t in tables if "项目名称" in "".join(t.itertext())]
        k = n % len(anchors)
        own = tables[anchors[k] : anchors[k + 1] if k + 1 < len(anchors) else len(tables)]
        own[0].addprevious(paragraph("".join("".join(t.itertext()) for t in own)))
        for table in own:
            body.remove(table)

    return edit


def test_a_title_whose_table_became_text_is_a_project_of_placeholders(
    built_samples: dict[str, Path], tmp_path: Path
) -> None:
    with_body(built_samples[SAMPLE], tmp_path / "手工.docx", project_as_text(-1))
    run = perfgen("import", "手工.docx", "-o", "导入", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1].startswith("完成：3 个项目已写入 导入，")
    assert "项目标题“3.专项办公经费绩效目标表”下没有读到绩效目标表（表格可能被转换成了文字），已写成一个全部为占位文字的项目" in run.stdout
    assert "这段文字没有放进任何项目，请核对：“项目编码13102622P00237611443Q项目名称专项办公经费" in run.stdout  # listed
    written = (tmp_path / "导入" / "项目" / "专项办公经费.yaml").read_text(encoding="utf-8")
    assert "××（待补：" in written


def test_the_first_projects_lost_table_keeps_its_place(built_samples: dict[str, Path], tmp_path: Path) -> None:
    with_body(built_samples[SAMPLE], tmp_path / "手工.docx", project_as_text(0))
    run = perfgen("import", "手工.docx", "-o", "导入", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "完成：3 个项目已写入 导入，" in run.stdout
    assert "项目标题“1.机床市场管委会小王东村占地补偿款绩效目标表”下没有读到绩效目标表" in run.stdout
    listed = (tmp_path / "导入" / "文档.yaml").read_text(encoding="utf-8")
    assert listed.index("机床市场管委会小王东村占地补偿款") < listed.index("李村支渠小王东桥重建工程")  # in its place


def test_text_after_a_projects_table_is_listed(built_samples: dict[str, Path], tmp_path: Path) -> None:
    def stray(body: etree._Element) -> None:
        body.findall(qn("w:tbl"))[-1].addnext(paragraph("注：本表数据以财政批复为准。"))

    with_body(built_samples[SAMPLE], tmp_path / "注.docx", stray)
    run = perfgen("import", "注.docx", "-o", "导入", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "这段文字没有放进任何项目，请核对：“注：本表数据以财政批复为准。”" in run.stdout


def test_titles_seen_and_projects_written_are_counted_before_writing(
    built_samples: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recognise = structure.recognise

    def losing(*args: object, **kwargs: object) -> structure.Recognised:
        found = recognise(*args, **kwargs)  # type: ignore[arg-type]
        found.projects.pop()  # a recogniser that lost one
        return found

    monkeypatch.setattr("perfgen.importer.recognise", losing)
    run = perfgen("import", str(built_samples[SAMPLE]), "-o", "导入", cwd=tmp_path)
    assert run.returncode == 1
    assert "读到 3 个项目标题，却只认出 2 个项目。为了不丢内容，没有写入任何文件" in run.stderr
    assert not (tmp_path / "导入").exists()


@pytest.mark.parametrize(("size", "raised"), [(10, 0), (13, 0), (7, 0), (10, 3), (10, -6), (10, 5.5)])
def test_a_punctuation_mark_in_another_size_or_height_stays_in_its_place(size: float, raised: float) -> None:
    page = chinese(50, 700, "政策") + chinese(70, 700 + raised, "、", size) + chinese(80, 700, "法规等内容")
    assert [block.text for block in read_pdf(pdf([page]))] == ["政策、法规等内容"]  # type: ignore[union-attr]


def test_a_mark_far_from_any_line_is_kept_on_its_own() -> None:
    page = chinese(50, 700, "政策法规") + chinese(300, 500, "、")
    assert [block.text for block in read_pdf(pdf([page]))] == ["政策法规", "、"]  # type: ignore[union-attr]


def test_a_mark_in_a_cell_stays_in_its_place() -> None:
    from pdf_maker import grid

    cell = chinese(22, 760, "政策", 8) + chinese(38, 762, "、", 11) + chinese(46, 760, "法规", 8)
    [table] = read_pdf(pdf([grid(2, top=780, cell=60) .replace(b"(0)", b"( )").replace(b"(1)", b"( )") + cell]))
    assert table.rows[0].cells[0].text == "政策、法规"  # type: ignore[union-attr]

