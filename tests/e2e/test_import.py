"""perfgen import: a published document back into sources, from perfgen's own .docx and from the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
import reference_text
from conftest import CASES, FIXTURES, SAMPLES, draft, perfgen

from perfgen.build import build
from perfgen.docxtext import docx_to_text
from perfgen.importer import import_file
from perfgen.repo.editor import schema_reference

FIELDS = ("title", "unit_line", "money_unit", "code", "name", "budget", "fiscal", "other", "use", "plan", "goals")


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
    assert run.stdout.splitlines()[-1] == "完成：3 个项目已写入 机床，0 处需要核对。请运行 perfgen validate 机床 检查。"
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
    assert perfgen("import", "坏.docx", cwd=tmp_path).stderr.strip() == (
        "错误：坏.docx 不是有效的 Word 文档（.docx）：文件已损坏或不是 .docx。请在 Word 中重新“另存为”.docx 后再试"
    )


# The one cause of difference between a sample's LibreOffice PDF and its published text: a full-width
# punctuation mark that LibreOffice hangs past the right margin at a line end is neither drawn nor in
# the PDF's text layer (visible in the page image), so no reader of the PDF can get it back. Which
# paragraphs it hits moves with the layout; every difference must be of this kind.
HUNG = "，。、；：！？"
HUNG_PUNCTUATION = "LibreOffice's PDF omits the punctuation mark it hangs at a line end"


def lost_only_hung_punctuation(ours: str, reference: str) -> bool:
    """Whether ``ours`` is ``reference`` with some hung punctuation marks (and nothing else) missing."""
    i = 0
    for char in reference:
        if i < len(ours) and ours[i] == char:
            i += 1
        elif char not in HUNG:
            return False
    return i == len(ours)


def field_differences(reference: reference_text.Document, ours: reference_text.Document) -> list[tuple[str, str]]:
    """Every field of ours that differs from the reference, with its cause."""
    found: list[tuple[str, str]] = []
    assert len(ours.projects) == len(reference.projects)
    for want, got in zip(reference.projects, ours.projects):
        for field in (*FIELDS, "indicators", "level1_groups"):
            if getattr(got, field) != getattr(want, field):
                found.append((f"{want.title}: {field}", "unknown"))
    for title in reference_text.SECTION_TITLES:
        got, want = ours.part1[title], reference.part1[title]
        assert len(got) == len(want), title
        for index, (a, b) in enumerate(zip(got, want)):
            if a != b:
                found.append((f"{title} paragraph {index + 1}", HUNG_PUNCTUATION if lost_only_hung_punctuation(a, b) else "unknown"))
    if reference.cover:
        assert "".join(ours.cover) == "".join(reference.cover)
    return found


def test_lost_punctuation_is_told_from_other_differences() -> None:
    assert lost_only_hung_punctuation("决策部署坚持", "决策部署，坚持")
    assert not lost_only_hung_punctuation("决策部署坚持", "决策部署,坚持")  # an ASCII comma is always drawn
    assert not lost_only_hung_punctuation("决策布署，坚持", "决策部署，坚持")
    assert not lost_only_hung_punctuation("决策部署，坚持。", "决策部署，坚持")


@pytest.mark.slow
@pytest.mark.libreoffice
@pytest.mark.parametrize("name", SAMPLES)
def test_pdf_import_matches_the_reference_field_by_field(name: str, paginated_samples: dict, tmp_path: Path) -> None:
    result = import_file(paginated_samples[name].pdf, tmp_path / "sources" / name)
    assert result.notes == []
    [rebuilt] = build([result.folder], draft(tmp_path / "build"))
    assert rebuilt.ok, rebuilt.error
    ours = reference_text.parse_word(docx_to_text(rebuilt.output))
    reference = reference_text.parse((FIXTURES / "reference" / SAMPLES[name]).read_text(encoding="utf-8"))
    if name == "卢龙县石门镇-2023":
        # the reference itself is a PDF extraction: it lost paragraph breaks at page ends and added spaces
        for title in reference_text.SECTION_TITLES:
            ours.part1[title] = reference_text.join_broken([reference_text.despace(p) for p in ours.part1[title]])
    differences = field_differences(reference, ours)
    # every project field is read back exactly; part 1 differs only where the PDF lacks a mark
    assert [d for d in differences if d[1] != HUNG_PUNCTUATION] == [], differences


def test_doc_without_libreoffice_says_what_to_install(
    built_samples: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "去年.doc").write_bytes(built_samples["文安县机床市场管委会-2022"].read_bytes())
    monkeypatch.setenv("PERFGEN_SOFFICE", str(tmp_path / "无"))
    run = perfgen("import", "去年.doc", cwd=tmp_path)
    assert run.returncode == 1
    assert run.stderr.startswith("错误：去年.doc：导入 .doc 文件需要 LibreOffice 把它转换成 .docx，但没有找到 LibreOffice。请安装 LibreOffice")
    assert run.stderr.strip().endswith("或者在 Word、WPS 中把它另存为 .docx 后再导入")


def test_a_pdf_without_text_is_explained(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with (tmp_path / "扫描件.pdf").open("wb") as stream:
        writer.write(stream)
    run = perfgen("import", "扫描件.pdf", cwd=tmp_path)
    assert run.returncode == 1
    assert run.stderr.strip() == "错误：扫描件.pdf：PDF 中没有文字（可能是扫描件）：请导入 Word 版，或先用 OCR 软件识别成文字"


def test_a_four_class_document_imports_with_its_frame(tmp_path: Path) -> None:
    """A table with 成本指标 as a 一级 gives 指标体系: 四类, so that the imported township is valid and rebuilds the same."""
    [built] = build([CASES / "valid" / "四类指标体系"], draft(tmp_path / "built"))
    result = import_file(built.output, tmp_path / "sources" / "四类指标体系")
    assert result.notes == []
    assert "指标体系: 四类\n" in (result.folder / "文档.yaml").read_text(encoding="utf-8")
    [rebuilt] = build([result.folder], draft(tmp_path / "rebuilt"))
    assert rebuilt.ok and rebuilt.problems == []
    assert rebuilt.output.read_bytes() == built.output.read_bytes()
