"""import and text read untrusted files within limits: every bomb is refused in seconds and megabytes.

The bombs are made here, a few KB each; each runs in a process of its own whose peak memory and
processor time (from wait4) are printed and held under 500 MB and 10 s. Processor time, not time on
the clock: the work a bomb makes is what is limited, whatever else the machine is doing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fake_templates import element_bomb, zip_bomb
from measure import Measured, measured
from pdf_maker import form_bomb, grid, inflating_stream, operator_bomb, page_bomb, pdf, stream_bomb

from perfgen.errors import PerfgenError
from perfgen.importer import pdf_limits
from perfgen.importer.pdf import read_pdf

MAX_MEGABYTES = 500
MAX_SECONDS = 10.0


def run(*args: str, cwd: Path) -> Measured:
    """``perfgen args`` measured in a process of its own, its figures printed; a traceback fails the test."""
    result = measured(*args, cwd=cwd)
    print(f"perfgen {args[0]} {Path(args[1]).name}: {result.figures()}")
    assert "Traceback" not in result.stderr, result.stderr
    return result


def refused_in_bounds(*args: str, cwd: Path, words: str) -> str:
    result = run(*args, cwd=cwd)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("错误：") and words in result.stderr, result.stderr
    assert result.megabytes < MAX_MEGABYTES and result.seconds < MAX_SECONDS, result.figures()
    return result.stderr


needs_wait4 = pytest.mark.skipif(not hasattr(os, "wait4"), reason="wait4 measures a child's peak memory")


@needs_wait4
@pytest.mark.slow
@pytest.mark.parametrize("command", ["import", "text"])
def test_a_docx_zip_bomb_is_refused_by_its_unpacked_size(tmp_path: Path, command: str) -> None:
    bomb = zip_bomb(tmp_path / "炸弹.docx", megabytes=150)
    assert bomb.stat().st_size < 1024 * 1024
    message = refused_in_bounds(command, str(bomb), cwd=tmp_path, words="解压后超过 100 MB（疑似“压缩炸弹”），已停止读取")
    assert "炸弹.docx" in message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["炸弹.docx"]  # nothing written


@needs_wait4
@pytest.mark.slow
@pytest.mark.parametrize("command", ["import", "text"])
def test_a_docx_of_a_million_elements_is_refused_by_their_number(tmp_path: Path, command: str) -> None:
    bomb = element_bomb(tmp_path / "空段落.docx")
    assert bomb.stat().st_size < 100 * 1024
    refused_in_bounds(command, str(bomb), cwd=tmp_path, words="XML 元素超过 50 万个（疑似“压缩炸弹”）")


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@needs_wait4
@pytest.mark.slow
def test_a_pdf_stream_that_inflates_to_gigabytes(tmp_path: Path) -> None:
    bomb = write(tmp_path / "流.pdf", stream_bomb(300))
    assert bomb.stat().st_size < 1024 * 1024
    refused_in_bounds("import", str(bomb), cwd=tmp_path, words="数据流解压后超过 200 MB（解压上限，疑似“压缩炸弹”）")


@needs_wait4
@pytest.mark.slow
def test_a_pdf_drawing_one_form_a_thousand_times(tmp_path: Path) -> None:
    bomb = write(tmp_path / "表单.pdf", form_bomb())
    assert bomb.stat().st_size < 8 * 1024
    refused_in_bounds("import", str(bomb), cwd=tmp_path, words="第 1 页的字符超过 3 万个（每页上限）")


@needs_wait4
@pytest.mark.slow
def test_a_pdf_of_drawing_operators(tmp_path: Path) -> None:
    bomb = write(tmp_path / "指令.pdf", operator_bomb())
    refused_in_bounds("import", str(bomb), cwd=tmp_path, words="第 1 页的绘制指令超过 10 万条（每页上限）")


@needs_wait4
@pytest.mark.slow
def test_a_pdf_of_too_many_pages(tmp_path: Path) -> None:
    bomb = write(tmp_path / "页.pdf", page_bomb(pdf_limits.MAX_PAGES + 1))
    refused_in_bounds("import", str(bomb), cwd=tmp_path, words="文件超过 1000 页（页数上限）")


@needs_wait4
@pytest.mark.slow
def test_a_ruled_grid_of_100_by_100_cells_imports_in_seconds(tmp_path: Path) -> None:
    table = write(tmp_path / "网格.pdf", pdf([grid(100)]))
    result = run("import", str(table), "-o", "网格", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.megabytes < MAX_MEGABYTES and result.seconds < MAX_SECONDS, result.figures()


def test_the_cells_of_a_ruled_grid_hold_their_own_characters() -> None:
    [table] = read_pdf(pdf([grid(30)]))
    assert len(table.rows) == 30
    assert [len(row.cells) for row in table.rows] == [30] * 30
    assert [cell.text for cell in table.rows[7].cells] == [str((7 * 30 + c) % 10) for c in range(30)]


def refusal(data: bytes) -> str:
    with pytest.raises(PerfgenError) as caught:
        read_pdf(data)
    return str(caught.value)


def test_each_limit_names_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    page = pdf([grid(10)])
    monkeypatch.setattr(pdf_limits, "MAX_LINE_PAIRS", 100)
    assert "表格线太多（竖线 11 条、横线 11 条；两者之积的上限为 0 万）" in refusal(page)
    monkeypatch.setattr(pdf_limits, "MAX_SECONDS", 0.0)
    assert "读取超过 0 秒（时间上限）" in refusal(page)
    monkeypatch.undo()
    monkeypatch.setattr(pdf_limits, "MAX_CHARACTERS", 50)
    assert "全文字符超过 0 万个（全文上限）" in refusal(page)
    monkeypatch.setattr(pdf_limits, "MAX_FILE_BYTES", 100)
    assert refusal(page) == "PDF 文件超过 0 MB（上限）：请确认选对了文件"


def test_a_limit_leaves_pdfminer_as_it_was(monkeypatch: pytest.MonkeyPatch) -> None:
    from pdfminer.converter import PDFLayoutAnalyzer
    from pdfminer.pdfinterp import PDFContentParser
    from pdfminer.pdftypes import PDFStream

    before = (PDFStream.decode, PDFContentParser.nextobject, PDFLayoutAnalyzer.render_char)
    monkeypatch.setattr(pdf_limits, "MAX_DECODED_BYTES", 2 * 1024 * 1024)
    assert "数据流解压后超过 2 MB" in refusal(pdf([inflating_stream(3)]))
    assert (PDFStream.decode, PDFContentParser.nextobject, PDFLayoutAnalyzer.render_char) == before
