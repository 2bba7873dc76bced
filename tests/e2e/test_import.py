"""perfgen import: a published document back into sources, from perfgen's own .docx and from the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLES, draft, perfgen

from perfgen.build import build
from perfgen.importer import import_file
from perfgen.repo.editor import schema_reference



@pytest.mark.parametrize("name", SAMPLES)
def test_round_trip_rebuilds_the_same_docx_byte_for_byte(name: str, built_samples: dict[str, Path], tmp_path: Path) -> None:
    result = import_file(built_samples[name], tmp_path / "sources" / name)
    assert result.notes == []
    [rebuilt] = build([result.folder], draft(tmp_path / "build"))
    assert rebuilt.ok, rebuilt.error
    assert rebuilt.output.read_bytes() == built_samples[name].read_bytes()


def test_import_writes_canonical_sources_whose_schema_lines_resolve(built_samples: dict[str, Path], tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()  # a sources repository of its own, outside perfgen's checkout
    result = import_file(built_samples["怀来县官厅镇-2024"], tmp_path / "怀来县官厅镇-2025")
    assert len(result.files) == 24
    assert perfgen("fmt", "--check", str(result.folder), cwd=tmp_path).returncode == 0
    for path in result.files:
        reference = schema_reference(path)
        assert reference is not None and reference.resolve().is_file(), path


def test_cli_prints_a_line_per_project_and_never_overwrites(built_samples: dict[str, Path], tmp_path: Path) -> None:
    source = built_samples["文安县机床市场管委会-2022"]
    run = perfgen("import", str(source), "-o", "机床", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stderr.splitlines() == [
        "[1/3] 机床市场管委会小王东村占地补偿款",
        "[2/3] 李村支渠小王东桥重建工程",
        "[3/3] 专项办公经费",
    ]
    assert run.stdout.splitlines()[-1] == "完成：3 个项目已写入 机床，0 处需要核对。请运行 perfgen validate 检查。"
    document = tmp_path / "机床" / "文档.yaml"
    document.write_text(document.read_text(encoding="utf-8") + "# 经办人的注释\n", encoding="utf-8")

    again = perfgen("import", str(source), "-o", "机床", cwd=tmp_path)
    assert again.returncode == 1
    assert again.stderr.strip() == "错误：机床 已经存在，未改动：换一个文件夹，或加 --force 覆盖它"
    assert document.read_text(encoding="utf-8").endswith("# 经办人的注释\n")

    forced = perfgen("import", str(source), "-o", "机床", "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert "经办人的注释" not in document.read_text(encoding="utf-8")


def test_force_never_replaces_a_folder_that_is_not_a_township(built_samples: dict[str, Path], tmp_path: Path) -> None:
    (tmp_path / "文件").mkdir()
    (tmp_path / "文件" / "重要.txt").write_text("别删", encoding="utf-8")
    run = perfgen("import", str(built_samples["文安县机床市场管委会-2022"]), "-o", "文件", "--force", cwd=tmp_path)
    assert run.returncode == 1
    assert "不是单位文件夹" in run.stderr
    assert (tmp_path / "文件" / "重要.txt").read_text(encoding="utf-8") == "别删"


def test_default_folder_is_unit_and_year(built_samples: dict[str, Path], tmp_path: Path) -> None:
    run = perfgen("import", str(built_samples["文安县机床市场管委会-2022"]), cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "文安县机床市场管理委员会本级-2022" / "文档.yaml").is_file()


def test_unknown_file_type_and_missing_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    assert perfgen("import", "a.txt", cwd=tmp_path).stderr.strip() == (
        "错误：a.txt：不认识的文件类型“.txt”，可以导入 .docx、.doc、.wps 和 .pdf"
    )
    assert perfgen("import", "无.docx", cwd=tmp_path).stderr.strip() == "错误：无.docx：文件不存在"
    (tmp_path / "坏.docx").write_bytes(b"not a zip")
    assert perfgen("import", "坏.docx", cwd=tmp_path).stderr.strip() == "错误：坏.docx：无法读取：它不是有效的 Word 文档（PackageNotFoundError）"
