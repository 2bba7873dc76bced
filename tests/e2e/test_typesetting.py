"""The PDFs typeset as a professional would (#24), read from their text's positions.

Over the four samples and the stress township (tests/fixtures/stress): no cell whose last
line is one character, no page whose 一级 column is empty where rows continue a group, no
line of a title or TOC entry under four characters, every cell's text vertically centred;
the faces are the stand-ins fonts.conf names.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from conftest import FIXTURES, SAMPLES, require_tool
from pdf_typeset import cells, lone_characters, off_centre, title_lines

from perfgen.build import BuildResult, Options, build
from perfgen.render.fixups import INDICATOR_HEADER
from perfgen.render.lines import MIN_LINE

STRESS = FIXTURES / "stress" / "怀来县压力镇-2024"
# pages of each sample's PDF before #24 and after: typesetting moves no page
PAGES = {"丰润区泉河头镇-2022": 19, "卢龙县石门镇-2023": 32, "怀来县官厅镇-2024": 28, "文安县机床市场管委会-2022": 15}
TOC_LINE = re.compile(r"^(.*?)[.…·\s]*(\d+)?$")


@pytest.fixture(scope="module")
def pdfs(paginated_samples: dict[str, BuildResult], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The samples' PDFs and the stress township's."""
    require_tool("soffice")
    [stress] = build([STRESS], Options(out_dir=tmp_path_factory.mktemp("stress"), pdf=True))
    assert stress.ok and stress.pdf is not None, stress.error
    found = {name: result.pdf for name, result in paginated_samples.items() if result.pdf is not None}
    return {**found, stress.name: stress.pdf}


DOCUMENTS = [*SAMPLES, STRESS.name]


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", DOCUMENTS)
def test_no_cell_ends_in_a_lone_character_and_every_cell_is_centred(name: str, pdfs: dict[str, Path]) -> None:
    found = cells(pdfs[name])
    assert len(found) > 100
    assert [(c.page, c.lines) for c in lone_characters(found)] == []
    assert [(c.page, c.lines) for c in off_centre(found)] == []


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_page_of_an_indicator_table_names_its_first_rows_group(name: str, pdfs: dict[str, Path]) -> None:
    pages = 0
    with pdfplumber.open(pdfs[name]) as document:
        for number, page in enumerate(document.pages, 1):
            for table in page.find_tables():
                rows = table.extract()
                if len(rows) > 1 and "".join((rows[0][0] or "").split()) == INDICATOR_HEADER:
                    pages += 1
                    assert (rows[1][0] or "").strip(), f"第 {number} 页：一级指标栏为空"
    assert pages >= 3


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", DOCUMENTS)
def test_no_title_line_is_under_four_characters(name: str, pdfs: dict[str, Path]) -> None:
    lines = title_lines(pdfs[name])
    # the projects' titles (a cover may name a township of three characters, on a line of its own)
    pages = {page for page, text in lines if text.endswith("绩效目标表")}
    assert len(pages) >= 3
    assert [(page, text) for page, text in lines if page in pages and len(text) < MIN_LINE] == []


def _toc_lines(pdf: Path) -> list[str]:
    """The lines of the TOC's pages, without their leaders and page numbers."""
    found = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages[1:4]:
            text = page.extract_text() or ""
            if "第一部分" not in text and not found:
                continue
            if "目录" not in text and not re.search(r"[.…]{6,}", text):
                break
            for line in text.splitlines():
                title = TOC_LINE.match(line.strip())
                heading = "".join(line.split()) == "目录"
                if title and title.group(1) and not heading and not re.fullmatch(r"[—\-\s\d]+", line):
                    found.append(title.group(1))
    return found


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", DOCUMENTS)
def test_no_toc_line_is_under_four_characters(name: str, pdfs: dict[str, Path]) -> None:
    lines = _toc_lines(pdfs[name])
    assert len(lines) > 5
    assert [line for line in lines if len(line) < MIN_LINE] == []


@pytest.mark.libreoffice
def test_the_stress_townships_toc_takes_two_pages_and_its_long_title_breaks_evenly(pdfs: dict[str, Path]) -> None:
    with pdfplumber.open(pdfs[STRESS.name]) as document:
        toc_pages = [p for p in document.pages[:5] if re.search(r"[.…]{6,}", p.extract_text() or "")]
    assert len(toc_pages) == 2
    lines = title_lines(pdfs[STRESS.name])
    first = next(page for page, text in lines if text.startswith("1."))
    title = [text for page, text in lines if page == first]
    assert "".join(title).endswith("绩效目标表") and len(title) >= 3
    assert max(map(len, title)) - min(map(len, title)) <= 12, title  # even lines, no stub


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", SAMPLES)
def test_typesetting_moves_no_page(name: str, paginated_samples: dict[str, BuildResult]) -> None:
    with pdfplumber.open(paginated_samples[name].pdf) as document:
        assert len(document.pages) == PAGES[name]


@pytest.mark.libreoffice
def test_latin_is_set_in_liberation_serif_and_kai_in_wenkai(pdfs: dict[str, Path]) -> None:
    require_tool("pdffonts")
    fonts = subprocess.run(["pdffonts", str(pdfs["怀来县官厅镇-2024"])], capture_output=True, text=True, check=True).stdout
    assert "LiberationSerif" in fonts and "LXGWWenKai" in fonts, fonts
    assert "DejaVu" not in fonts and "GBZenKai" not in fonts, fonts
