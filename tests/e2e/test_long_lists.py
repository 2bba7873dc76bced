"""Chinese numbering past 九十九 (issue #19 point 5): a 第一部分 of 120 items validates, builds and imports back."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import draft

from perfgen.build import build
from perfgen.docxtext import docx_to_text
from perfgen.importer import import_file
from perfgen.scaffold import new_township
from perfgen.validate.run import validate


@pytest.mark.parametrize(("style", "last"), [("（一）", "（一百二十）"), ("一、", "一百二十、")])
def test_120_items_numbered_in_chinese_build_and_import_back(tmp_path: Path, style: str, last: str) -> None:
    (tmp_path / ".git").mkdir()
    folder = tmp_path / "甲镇-2025"
    new_township(folder, "甲镇人民政府", "816001", 2025, "万元")
    document = folder / "文档.yaml"
    items = "".join(f"      - 第{n}项工作目标\n" for n in range(1, 121))
    text = document.read_text(encoding="utf-8")
    head, tail = text.split("  总体绩效目标:\n", 1)
    tail = tail.split("  分项绩效目标:\n", 1)[1]
    document.write_text(f"{head}  总体绩效目标:\n    编号: {style}\n    条目:\n{items}  分项绩效目标:\n{tail}", encoding="utf-8")
    assert not [p for p in validate([folder]).problems if p.blocking]

    [result] = build([folder], draft(tmp_path / "build"))
    assert result.ok, result.error
    text = docx_to_text(result.output)
    assert f"{last}第120项工作目标" in text and "一百零一" in text

    imported = import_file(result.output, tmp_path / "导入")
    source = (imported.folder / "文档.yaml").read_text(encoding="utf-8")
    assert "- 第120项工作目标\n" in source and "- 第101项工作目标\n" in source
