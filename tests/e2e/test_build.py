"""End-to-end builds: user text stays literal, rebuilds are identical, writes are atomic."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from lxml import etree
from conftest import CASES, PROJECTS, draft
from docx.oxml.ns import qn

from perfgen.build import BuildResult, build
from perfgen.docxtext import docx_to_text
from perfgen.write import tree

SAMPLE = "文安县机床市场管委会-2022"


def test_user_text_is_literal(tmp_path: Path) -> None:
    [result] = build([CASES / "valid" / "特殊字符"], draft(tmp_path))
    assert result.ok, result.error
    text = docx_to_text(result.output)
    assert "A & B <c> {{x}} {% if y %}z{% endif %} {_{w}_} 100%" in text
    # a line break in the source is a line break in the cell, never evaluated
    assert "1.第一行 & <第二段>\n第二行 {{ 项目名称 }}" in text
    body = docx.Document(str(result.output)).element.body
    cell = next(t for t in body.iter(qn("w:t")) if (t.text or "").startswith("A & B"))
    assert cell.text == "A & B <c> {{x}} {% if y %}z{% endif %} {_{w}_} 100%"
    # the only break of the user's text is that one (the template's labels have their own)
    breaks = [br for br in body.iter(qn("w:br")) if br.getparent().tag == qn("w:r") and "第一行" in _paragraph_text(br)]
    assert len(breaks) == 1


def _paragraph_text(element: etree._Element) -> str:
    paragraph = next(a for a in element.iterancestors(qn("w:p")))
    return "".join(t.text or "" for t in paragraph.iter(qn("w:t")))


def test_rebuild_is_byte_identical(sample_build: list[BuildResult], tmp_path: Path) -> None:
    first = sample_build  # built at the start of the session, into another folder
    second = build([PROJECTS], draft(tmp_path / "b"))
    assert len(first) == len(second) == 4
    for a, b in zip(first, second):
        assert a.output.read_bytes() == b.output.read_bytes(), a.name


def test_document_properties_name_the_township(built_samples: dict[str, Path]) -> None:
    props = docx.Document(str(built_samples["怀来县官厅镇-2024"])).core_properties
    assert props.title == "怀来县官厅镇人民政府2024年部门预算绩效文本"
    assert props.author == "怀来县官厅镇人民政府"
    assert props.created is None and props.modified is None  # dates would make rebuilds differ


def test_interrupted_write_keeps_the_previous_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    [good] = build([PROJECTS / SAMPLE], draft(tmp_path))
    before = good.output.read_bytes()

    def interrupted(handle: int, data: bytes) -> None:
        with open(handle, "wb", closefd=True) as stream:
            stream.write(data[: len(data) // 2])
        raise KeyboardInterrupt

    monkeypatch.setattr(tree, "_write_all", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build([PROJECTS / SAMPLE], draft(tmp_path, force=True))
    assert good.output.read_bytes() == before
    # its record was forgotten before the write began (an empty record is removed): it is built again next time
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{SAMPLE}.docx"]


def test_failed_write_is_reported_and_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def disk_full(handle: int, data: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tree, "_write_all", disk_full)
    [result] = build([PROJECTS / SAMPLE], draft(tmp_path))
    assert not result.ok
    assert result.error.startswith("无法写入 ")
    assert list(tmp_path.iterdir()) == []


def test_source_error_keeps_the_previous_document(tmp_path: Path) -> None:
    township = tmp_path / "projects" / SAMPLE
    shutil.copytree(PROJECTS / SAMPLE, township)
    [good] = build([township], draft(tmp_path / "build"))
    before = good.output.read_bytes()
    project = township / "项目" / "专项办公经费.yaml"
    project.write_text(project.read_text(encoding="utf-8").replace("预算数: 164000.00", "预算数: 很多"), encoding="utf-8")
    [failed] = build([township], draft(tmp_path / "build"))
    assert not failed.ok and failed.error == "源文件有 1 个格式错误，未生成文档"
    assert [p.rule for p in failed.problems if p.is_error] == ["schema"]
    assert good.output.read_bytes() == before


def test_one_failing_township_does_not_stop_the_others(tmp_path: Path) -> None:
    projects = tmp_path / "projects"
    shutil.copytree(PROJECTS, projects)
    (projects / "卢龙县石门镇-2023" / "文档.yaml").write_text("单位编码: [", encoding="utf-8")
    results = build([projects], draft(tmp_path / "build"))
    assert [(r.name, r.ok) for r in results] == [
        ("丰润区泉河头镇-2022", True),
        ("卢龙县石门镇-2023", False),
        ("怀来县官厅镇-2024", True),
        ("文安县机床市场管委会-2022", True),
    ]
    assert not (tmp_path / "build" / "卢龙县石门镇-2023.docx").exists()
