"""Where LibreOffice put the headings, asked two ways that must agree: over the UNO bridge (no PDF is made)
and from the command line (the PDF's outline). A Python without the bridge costs a build only speed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECTS, require_tool, require_uno_bridge
from test_pdf_layout import page_words
from long_group import long_group_township
from test_toc_layout import larger_township

from perfgen.build import BuildResult, Options, build
from perfgen.build.render import render_township
from perfgen.office.libreoffice import Headings, LibreOffice
from perfgen.render.docx import DocxRenderer
from perfgen.resources import standard_template


@pytest.mark.slow
@pytest.mark.libreoffice
def test_the_bridge_and_the_command_line_find_the_same_pages(tmp_path: Path) -> None:
    soffice = require_tool("soffice")
    require_uno_bridge(soffice)
    renderer = DocxRenderer(standard_template())
    requests = []
    # one page per project; projects of several pages; a two-page TOC, after which LibreOffice puts a blank
    # page of its own (body page 1 must be a right-hand page) that Word and the PDF do not have
    folders = [PROJECTS / "怀来县官厅镇-2024", PROJECTS / "文安县机床市场管委会-2022", larger_township(tmp_path / "大镇-2024", 40)]
    for folder in folders:
        document = render_township(folder, renderer, strict=False).document
        assert document is not None
        requests.append(Headings(document.docx, document.titles, document.bookmarks))
    with LibreOffice(soffice) as office:
        over_uno = office.locate(requests)
        assert office.starts == 1
    with LibreOffice(soffice, bridge=False) as office:
        from_pdf = office.locate(requests)
    assert over_uno == from_pdf, (over_uno, from_pdf)
    # 官厅镇: cover and TOC, part 1 on two pages, then one page per project
    assert over_uno[0].pages == [2, 2, 2, 3, *range(4, 4 + 24)] and not over_uno[0].trouble
    assert over_uno[2].pages[0] == 3  # cover, two TOC pages: the build then adds a blank page itself


@pytest.mark.slow
@pytest.mark.libreoffice
def test_a_python_without_the_bridge_numbers_the_toc_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_tool("soffice")
    python = tmp_path / "python-without-uno"
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" -I -S "$@"\n')  # no site packages: no python3-uno
    python.chmod(0o755)
    assert subprocess.run([str(python), "-c", "import uno"], capture_output=True).returncode != 0
    monkeypatch.setenv("PERFGEN_UNO_PYTHON", str(python))
    [result] = build([PROJECTS / "文安县机床市场管委会-2022"], Options(out_dir=tmp_path / "out"))
    assert result.ok and result.paginated and not result.office_trouble


@pytest.mark.slow
@pytest.mark.libreoffice
def test_the_pdf_from_the_one_layout_is_the_delivered_docx_laid_out(
    paginated_samples: dict[str, BuildResult], tmp_path: Path
) -> None:
    """The PDF comes from the layout that gave the page numbers, with the numbers written into it by
    LibreOffice: word for word and place for place it is the .docx delivered, laid out afresh."""
    soffice = require_tool("soffice")
    results = [paginated_samples[name] for name in ("怀来县官厅镇-2024", "卢龙县石门镇-2023")]
    with LibreOffice(soffice) as office:
        fresh = office.convert([result.output.read_bytes() for result in results if result.output])
    for result, converted in zip(results, fresh):
        pdf = converted.pdf
        assert result.pdf is not None and pdf is not None
        again = tmp_path / f"{result.name}.pdf"
        again.write_bytes(pdf)
        assert page_words(result.pdf) == page_words(again), result.name


@pytest.mark.slow
@pytest.mark.libreoffice
def test_the_bridge_and_the_pdf_find_the_same_row_breaks(tmp_path: Path) -> None:
    """Where a page breaks the 绩效指标表s' rows, as LibreOffice says over the UNO bridge (the 一级 groups it
    split get their labels from it) and as the PDF it made shows, read by pdfplumber (from the command line)."""
    from perfgen.render.fixups import INDICATOR_HEADER
    from perfgen.render.groups import page_starts, relabel_split_groups

    soffice = require_tool("soffice")
    require_uno_bridge(soffice)
    renderer = DocxRenderer(standard_template())
    folders = [
        long_group_township(tmp_path / "长组-2022"),  # a group taller than a page: split, labelled again
        PROJECTS / "文安县机床市场管委会-2022",  # long tables, each group kept whole on a page
        PROJECTS / "怀来县官厅镇-2024",  # each table on its own page
        larger_township(tmp_path / "大镇-2024", 40),
    ]
    documents = []
    for folder in folders:
        document = render_township(folder, renderer, strict=False).document
        assert document is not None
        documents.append(document.docx)
    with LibreOffice(soffice) as office:
        said = office.convert(documents, rows=INDICATOR_HEADER)
        relabelled = relabel_split_groups(documents[0], said[0].pdf or b"", said[0].starts)
        assert relabelled is not None
        [again] = office.convert([relabelled], rows=INDICATOR_HEADER)
        assert office.convert(documents[:1])[0].starts is None  # not asked for, not said
    for converted in [*said, again]:
        assert converted.pdf is not None and converted.starts is not None
        read = page_starts(converted.pdf)
        assert converted.starts == (read if any(read) else [])  # []: no page begins inside a table
    assert any(said[0].starts or []) and again.starts == said[0].starts  # the labels move no row
    assert any(said[1].starts or [])  # 文安's tables go on over a page
    assert said[2].starts == []
