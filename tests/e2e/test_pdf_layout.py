"""The documents as a reader sees them, checked in the PDF that LibreOffice lays out.

Every check reads the PDF (pdftotext, pdffonts, pdfinfo from poppler-utils)
independently of how perfgen computed the page numbers.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import docx
import pytest
import yaml
from conftest import PROJECTS, SAMPLES, require_tool
from docx.oxml.ns import qn

from perfgen.build import BuildResult

PT_PER_TWIP = 1 / 20
PAGE_W, PAGE_H = 595.3, 841.9  # A4 in points
LEFT, RIGHT, TOP, BOTTOM = 1587 * PT_PER_TWIP, 1474 * PT_PER_TWIP, 2098 * PT_PER_TWIP, 1984 * PT_PER_TWIP
FOOTER = re.compile(r"—\s*(\d+)\s*—")
PUNCTUATION = re.compile(r"^[，。、；：！？）》」』”’]+$")


@dataclass
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


def squeeze(text: str) -> str:
    return re.sub(r"\s", "", text)


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run([require_tool("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def page_words(pdf: Path) -> list[list[Word]]:
    html = subprocess.run(
        [require_tool("pdftotext"), "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for page in html.split("<page ")[1:]:
        pages.append(
            [
                Word(unescape(m[4]), float(m[0]), float(m[1]), float(m[2]), float(m[3]))
                for m in re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', page)
            ]
        )
    return pages


def printed_numbers(texts: list[str]) -> list[int | None]:
    """The page number printed in each page's footer, None where there is none."""
    numbers = []
    for text in texts:
        found = FOOTER.findall(text)
        numbers.append(int(found[-1]) if found else None)
    return numbers


def toc_entries(path: Path) -> list[tuple[str, str]]:
    """(title, cached page number) of each TOC entry of a built document."""
    body = docx.Document(str(path)).element.body
    entries = []
    for link in body.iter(qn("w:hyperlink")):
        texts = [t.text or "" for t in link.iter(qn("w:t"))]
        entries.append(("".join(texts[:-1]), texts[-1]))
    return entries


@pytest.fixture(scope="module")
def samples(paginated_samples: dict[str, BuildResult]) -> dict[str, BuildResult]:
    return paginated_samples


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", SAMPLES)
def test_every_toc_number_is_the_page_of_its_heading(name: str, samples: dict[str, BuildResult]) -> None:
    result = samples[name]
    texts = page_texts(result.pdf)
    numbers = printed_numbers(texts)
    entries = toc_entries(result.output)
    assert len(entries) > 5
    for title, cached in entries:
        pages = [n for text, n in zip(texts, numbers) if n is not None and squeeze(title) in squeeze(text)]
        assert pages == [int(cached)], title
    # with the numbers in place Word is not asked to update fields on opening
    settings = docx.Document(str(result.output)).settings.element
    assert settings.find(qn("w:updateFields")) is None


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", SAMPLES)
def test_cover_has_no_page_number_and_body_counts_from_one(name: str, samples: dict[str, BuildResult]) -> None:
    texts = page_texts(samples[name].pdf)
    numbers = printed_numbers(texts)
    assert "年部门预算绩效文本" in texts[0]
    assert numbers[0] is None
    assert "目" in texts[1] and numbers[1] is None  # 目录 pages carry no number either
    body = [n for n in numbers if n is not None]
    assert body == list(range(1, len(body) + 1))
    assert numbers.index(1) + len(body) == len(numbers)


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", SAMPLES)
def test_each_project_table_starts_a_new_page(name: str, samples: dict[str, BuildResult]) -> None:
    texts = page_texts(samples[name].pdf)
    titles = [title for title, _ in toc_entries(samples[name].output) if title.endswith("绩效目标表")]
    body = [text for text, number in zip(texts, printed_numbers(texts)) if number is not None]
    for title in titles:
        pages = [text for text in body if squeeze(text).startswith(squeeze(title))]
        assert len(pages) == 1, title
        assert "单位：" in pages[0]


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", SAMPLES)
def test_page_size_margins_and_no_table_wider_than_the_text_block(name: str, samples: dict[str, BuildResult]) -> None:
    pdf = samples[name].pdf
    info = subprocess.run([require_tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)
    words = [w for page in page_words(pdf) for w in page]
    body = [w for w in words if not FOOTER.fullmatch(w.text) and w.text not in ("—",) and not w.text.isdigit()]
    tolerance = 1.0
    for word in body:
        # CJK punctuation may hang one character past the right margin
        overhang = 17 if PUNCTUATION.match(word.text[-1]) else tolerance
        assert word.x0 >= LEFT - tolerance, word
        assert word.x1 <= PAGE_W - RIGHT + overhang, word
        assert word.y0 >= TOP - tolerance, word
        assert word.y1 <= PAGE_H - BOTTOM + tolerance, word
    # the text block is used up to its edges: the margins are what they say
    assert min(w.x0 for w in body) == pytest.approx(LEFT, abs=2)
    assert max(w.x1 for w in body if not PUNCTUATION.match(w.text[-1])) == pytest.approx(PAGE_W - RIGHT, abs=6)


@pytest.mark.libreoffice
def test_pdf_fonts_are_the_mapped_noto_faces(samples: dict[str, BuildResult]) -> None:
    fonts = subprocess.run(
        [require_tool("pdffonts"), str(samples["怀来县官厅镇-2024"].pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert "NotoSerifCJK" in fonts  # 仿宋_GB2312, 宋体, 楷体_GB2312
    assert "NotoSansCJK" in fonts  # 黑体, 方正小标宋简体


def column_text(pdf: Path, left: float, right: float) -> str:
    """The text of one table column, top to bottom, page by page (cells of a row never interleave)."""
    parts = []
    for words in page_words(pdf):
        inside = [w for w in words if w.x0 >= left - 1 and w.x1 <= right + 1]
        parts += [w.text for w in sorted(inside, key=lambda w: (w.y0, w.x0))]
    return squeeze("".join(parts))


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", SAMPLES)
def test_every_indicator_value_is_in_the_pdf(name: str, samples: dict[str, BuildResult]) -> None:
    # the 指标值 column of the indicator table: grid 1105 1360 1530 2040 [1360] 1450 twips from the left margin
    left = LEFT + (1105 + 1360 + 1530 + 2040) * PT_PER_TWIP
    text = column_text(samples[name].pdf, left, left + 1360 * PT_PER_TWIP)
    document = yaml.safe_load((PROJECTS / name / "文档.yaml").read_text(encoding="utf-8"))
    values = []
    for file in document["项目清单"]:
        project = yaml.safe_load((PROJECTS / name / file).read_text(encoding="utf-8"))
        for groups in project["绩效指标"].values():
            values += [row["指标值"] for group in groups for row in group["指标"]]
    missing = [value for value in values if squeeze(value) not in text]
    assert missing == []
