"""perfgen template check: the contract a county's template must meet, said in Chinese."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
import reference_text
from conftest import PROJECTS, ROOT, draft
from docx.oxml.ns import qn
from docx.shared import Pt
from perfgen.build import build
from perfgen.cli import app
from perfgen.docxtext import docx_to_text
from perfgen.render.contract import check_template
from test_fidelity import project_mismatches, reference_of
from typer.testing import CliRunner

STANDARD = ROOT / "templates" / "standard.docx"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["template", "check", *args])
    return result.exit_code, result.output


def broken_copy(tmp_path: Path, change) -> Path:
    """A copy of the standard template changed with python-docx, as an editor would save it."""
    document = docx.Document(str(STANDARD))
    change(document)
    target = tmp_path / "县模板.docx"
    document.save(str(target))
    return target


def delete_style(name: str):
    def change(document) -> None:
        style = next(s for s in document.styles.element.iter(qn("w:style")) if s.find(qn("w:name")).get(qn("w:val")) == name)
        style.getparent().remove(style)

    return change


def delete_text(text: str):
    def change(document) -> None:
        for t in document.element.body.iter(qn("w:t")):
            if text in (t.text or ""):
                t.text = t.text.replace(text, "")

    return change


def test_the_standard_template_is_clean() -> None:
    code, output = run()
    assert code == 0
    assert output.endswith("standard.docx 符合要求：样式、标记、目录域和指标表的行都齐全，示例数据生成正常。\n")
    assert check_template(STANDARD) == []


def test_a_deleted_toc_style(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    broken_copy(tmp_path, delete_style("toc 2"))
    code, output = run("县模板.docx")
    assert code == 1
    assert output == (
        "县模板.docx：模板缺少目录样式“toc 2”（目录 2）：目录第 2 级的条目要用它，请在 Word 的“样式”中恢复\n"
        "模板 县模板.docx 有 1 个问题，修改后再用 --template 生成。\n"
    )


def test_a_deleted_paragraph_style(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    broken_copy(tmp_path, delete_style("项目标题"))
    code, output = run("县模板.docx")
    assert code == 1
    assert output == (
        "县模板.docx：模板使用了段落样式“ProjectTitle”，但样式表中没有它：请在 Word 的“样式”中恢复或重新设置这些段落的样式\n"
        "模板 县模板.docx 有 1 个问题，修改后再用 --template 生成。\n"
    )


def test_a_deleted_tag(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    broken_copy(tmp_path, delete_text("{{ p.项目编码 }}"))
    code, output = run("县模板.docx")
    assert code == 1
    assert output == (
        "县模板.docx：模板缺少标记 p.项目编码（项目编码）：请从标准模板 templates/standard.docx 中复制回来\n"
        "模板 县模板.docx 有 1 个问题，修改后再用 --template 生成。\n"
    )


def test_a_deleted_toc_field(tmp_path: Path) -> None:
    def change(document) -> None:
        for paragraph in list(document.element.body.iter(qn("w:p"))):
            if any("TOC" in (i.text or "") for i in paragraph.iter(qn("w:instrText"))):
                paragraph.getparent().remove(paragraph)

    assert check_template(broken_copy(tmp_path, change)) == [
        "模板中没有目录域：请在“目录”标题下用 Word 的“引用 → 目录”插入一个目录（perfgen 生成时填写条目）"
    ]


def test_a_title_without_outline_level_is_not_in_the_toc(tmp_path: Path) -> None:
    def change(document) -> None:
        style = next(s for s in document.styles.element.iter(qn("w:style")) if s.get(qn("w:styleId")) == "ProjectTitle")
        props = style.find(qn("w:pPr"))
        props.remove(props.find(qn("w:outlineLvl")))
        # its parent style (标题 2) has one too: base it on 正文 instead
        style.find(qn("w:basedOn")).set(qn("w:val"), "Normal")

    [problem] = check_template(broken_copy(tmp_path, change))
    assert problem.startswith("这些标题不会列入目录：1.")
    assert "需要大纲级别" in problem


def test_a_broken_indicator_row_loop(tmp_path: Path) -> None:
    [problem] = check_template(broken_copy(tmp_path, delete_text("{%tr endfor %}")))
    assert problem.startswith("用示例数据生成时出错：模板 ")
    assert "标记写错了" in problem


def test_a_file_that_is_not_a_template(tmp_path: Path) -> None:
    fake = tmp_path / "fake.docx"
    fake.write_text("不是模板")
    [problem] = check_template(fake)
    assert "不是有效的 Word 文档" in problem


def test_a_restyled_template_carries_its_body_font_and_size(tmp_path: Path) -> None:
    template = docx.Document(str(STANDARD))
    normal = template.styles["Normal"]
    normal.font.size = Pt(15)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    restyled = tmp_path / "县模板.docx"
    template.save(str(restyled))
    [result] = build([PROJECTS / "怀来县官厅镇-2024"], draft(tmp_path / "out", template=restyled))
    assert result.ok, result.error
    document = docx.Document(str(result.output))
    style = document.styles["Normal"]
    assert style.font.size == Pt(15)
    assert style.element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    # the body's paragraphs take it from the style: no run of part 1 sets its own font or size
    paragraphs = [p for p in document.paragraphs if p.style.name == "Normal" and p.text.startswith("1.政府运行")]
    assert paragraphs and all(r.font.size is None and r.font.name is None for p in paragraphs for r in p.runs)
    ours = reference_text.parse_word(docx_to_text(result.output))
    assert project_mismatches(reference_of("怀来县官厅镇-2024"), ours) == []




def test_no_tag_hides_where_an_editor_cannot_see_it() -> None:
    # bookmark names, hyperlink targets and field codes are rewritten by office suites
    root = docx.Document(str(STANDARD)).element.body
    hidden = [b.get(qn("w:name")) for b in root.iter(qn("w:bookmarkStart"))]
    hidden += [h.get(qn("w:anchor")) for h in root.iter(qn("w:hyperlink"))]
    hidden += [i.text for i in root.iter(qn("w:instrText"))]
    assert [text for text in hidden if "{" in (text or "") or "%" in (text or "")] == []
    assert any("TOC" in (text or "") for text in hidden)
