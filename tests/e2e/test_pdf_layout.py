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
from perfgen.render.lines import MIN_LINE, protected

PT_PER_TWIP = 1 / 20
PAGE_W, PAGE_H = 595.3, 841.9  # A4 in points
LEFT, RIGHT, TOP, BOTTOM = 1587 * PT_PER_TWIP, 1474 * PT_PER_TWIP, 2098 * PT_PER_TWIP, 1984 * PT_PER_TWIP
FOOTER = re.compile(r"—\s*(\d+)\s*—")
PUNCTUATION = re.compile(r"^[，。、；：！？）》」』”’]+$")

pytestmark = [pytest.mark.slow, pytest.mark.libreoffice]


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
def test_pdf_fonts_are_distinct_stand_ins_for_each_face(samples: dict[str, BuildResult]) -> None:
    fonts = subprocess.run(
        [require_tool("pdffonts"), str(samples["怀来县官厅镇-2024"].pdf)], capture_output=True, text=True, check=True
    ).stdout
    names = {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:]}
    # Noto CJK names its faces after the collection's Japanese member (NotoSerifCJKjp-Bold-VKana)
    assert any(n.startswith("NotoSerifCJK") and "-Regular" in n for n in names), names  # 仿宋_GB2312, 宋体
    assert any(n.startswith("NotoSerifCJK") and "-Bold" in n for n in names), names  # 方正小标宋简体
    assert any(n.startswith("NotoSansCJK") for n in names), names  # 黑体
    assert any("Kai" in n for n in names), names  # 楷体_GB2312
    families = {re.sub(r"(CJK)..-.*|-.*", r"\1", n) for n in names if "CJK" in n or "Kai" in n}
    assert len(families) >= 3, families


def value_column_text(pdf: Path) -> str:
    """The text of the indicator tables' 指标值 column, top to bottom, page by page."""
    import pdfplumber

    parts = []
    with pdfplumber.open(pdf) as document:
        for words, page in zip(page_words(pdf), document.pages):
            for table in page.find_tables():
                header = table.rows[0].cells if table.rows else []
                texts = ["".join((page.crop(c).extract_text() or "").split()) if c else "" for c in header]
                if "指标值" in texts and texts[0] == "一级指标":
                    left, _, right, _ = header[texts.index("指标值")]
                    inside = [w for w in words if w.x0 >= left - 1 and w.x1 <= right + 1]
                    parts += [w.text for w in sorted(inside, key=lambda w: (w.y0, w.x0))]
    return squeeze("".join(parts))


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", SAMPLES)
def test_every_indicator_value_is_in_the_pdf(name: str, samples: dict[str, BuildResult]) -> None:
    # the 指标值 column of the indicator table, where each page's table has it (columns are balanced per table)
    text = value_column_text(samples[name].pdf)
    document = yaml.safe_load((PROJECTS / name / "文档.yaml").read_text(encoding="utf-8"))
    values = []
    for file in document["项目清单"]:
        project = yaml.safe_load((PROJECTS / name / file).read_text(encoding="utf-8"))
        for groups in project["绩效指标"].values():
            values += [row["指标值"] for group in groups for row in group["指标"]]
    missing = [value for value in values if squeeze(value) not in text]
    assert missing == []


# -- pages per project, lines of the fixed labels


@dataclass
class Piece:
    """A run of words on one line that touch each other: one line of one cell or paragraph."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float


def page_pieces(words: list[Word]) -> list[Piece]:
    pieces: list[Piece] = []
    for word in sorted(words, key=lambda w: (round((w.y0 + w.y1) / 2), w.x0)):
        last = pieces[-1] if pieces else None
        # digits and CJK of one line may sit a little apart in height (different faces)
        if last and abs((last.y0 + last.y1) / 2 - (word.y0 + word.y1) / 2) < 3 and -1 <= word.x0 - last.x1 < 4:
            last.text += word.text
            last.x1, last.y1 = word.x1, max(last.y1, word.y1)
        else:
            pieces.append(Piece(word.text, word.x0, word.y0, word.x1, word.y1))
    return pieces


def below(piece: Piece, pieces: list[Piece]) -> Piece | None:
    """The next line of the same cell: just under ``piece``, overlapping it across."""
    under = [p for p in pieces if 0 < p.y0 - piece.y0 < 3 * (piece.y1 - piece.y0) and p.x0 < piece.x1 and p.x1 > piece.x0]
    return min(under, key=lambda p: p.y0) if under else None


LEVEL1 = ["产出指标", "效益指标", "满意度指标"]
LEVEL2 = ["数量指标", "质量指标", "时效指标", "成本指标", "经济效益指标", "社会效益指标", "生态效益指标",
          "可持续影响指标", "服务对象满意度指标"]
FIXED_LABELS = LEVEL1 + LEVEL2 + [
    "一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据",
    "项目编码", "项目名称", "预算规模及资金用途", "预算数", "其中：财政资金", "其他资金", "资金支出计划（%）",
    "绩效目标", "3月底", "6月底", "10月底", "12月底",
]


def label_lines(pieces: list[Piece], label: str) -> list[list[str]]:
    """Every place ``label`` is printed, as its lines."""
    found = []
    for piece in pieces:
        if not label.startswith(piece.text):
            continue
        lines, text, current = [piece.text], piece.text, piece
        while len(text) < len(label) and (current := below(current, pieces)) is not None:
            lines.append(current.text)
            text += current.text
        if text == label:
            found.append(lines)
    return found


def project_pages(name: str, result: BuildResult) -> list[list[int]]:
    """The physical pages (0-based) of each project, from its title to the next one's."""
    texts = page_texts(result.pdf)
    titles = [title for title, _ in toc_entries(result.output) if title.endswith("绩效目标表")]
    starts = [next(i for i, t in enumerate(texts) if squeeze(t).startswith(squeeze(title))) for title in titles]
    return [list(range(a, b)) for a, b in zip(starts, [*starts[1:], len(texts)])]


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", SAMPLES)
def test_a_project_runs_onto_another_page_only_when_its_first_is_full(name: str, samples: dict[str, BuildResult]) -> None:
    words = page_words(samples[name].pdf)
    for pages in project_pages(name, samples[name]):
        if len(pages) > 1:
            lowest = max(w.y1 for w in words[pages[0]] if not FOOTER.fullmatch(w.text) and w.text != "—")
            assert lowest > PAGE_H - BOTTOM - 60, (name, pages)


@pytest.mark.libreoffice
@pytest.mark.parametrize(("name", "projects", "body_pages"), [("怀来县官厅镇-2024", 23, 26), ("卢龙县石门镇-2023", 17, 30)])
def test_each_project_on_one_page_as_published(name: str, projects: int, body_pages: int, samples: dict[str, BuildResult]) -> None:
    spans = project_pages(name, samples[name])
    assert [len(pages) for pages in spans] == [1] * projects
    numbers = printed_numbers(page_texts(samples[name].pdf))
    assert len([n for n in numbers if n is not None]) == body_pages


@pytest.mark.libreoffice
def test_toc_numbers_of_guanting_are_the_published_ones(samples: dict[str, BuildResult]) -> None:
    # the published TOC: 一、 1, 二、 1, 三、 2, project N on page N + 3
    numbers = [int(number) for _, number in toc_entries(samples["怀来县官厅镇-2024"].output)]
    assert numbers == [1, 1, 1, 2, 3] + [n + 3 for n in range(1, 24)]


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", SAMPLES)
def test_no_fixed_label_leaves_a_character_alone_on_a_line(name: str, samples: dict[str, BuildResult]) -> None:
    pieces = [page_pieces(words) for words in page_words(samples[name].pdf)]
    seen = set()
    for label in FIXED_LABELS:
        for page in pieces:
            for lines in label_lines(page, label):
                seen.add(label)
                assert min(len(line) for line in lines) >= 2, (label, lines)
    assert {"一级指标", "指标值确定依据", "预算规模及资金用途", "资金支出计划（%）", "满意度指标"} <= seen


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", SAMPLES)
def test_a_long_project_title_breaks_at_balanced_points(name: str, samples: dict[str, BuildResult]) -> None:
    words = page_words(samples[name].pdf)
    titles = [title for title, _ in toc_entries(samples[name].output) if title.endswith("绩效目标表")]
    for title, pages in zip(titles, project_pages(name, samples[name])):
        pieces = page_pieces(words[pages[0]])
        unit_line = min(p.y0 for p in pieces if p.text.startswith("单位："))
        lines = [p.text for p in pieces if p.y1 < unit_line]
        assert "".join(lines) == squeeze(title)
        if len(lines) > 1:  # no stub line, no word split (the same breaks as the heading's own)
            assert min(len(line) for line in lines) >= MIN_LINE, lines
            inside = protected("".join(lines))
            assert not any(inside[len("".join(lines[:i]))] for i in range(1, len(lines))), lines


@pytest.mark.libreoffice
def test_body_text_is_on_a_grid_of_22_lines_of_28_characters(samples: dict[str, BuildResult]) -> None:
    pdf = samples["丰润区泉河头镇-2022"].pdf  # part 1 runs over whole pages of plain text
    texts = page_texts(pdf)
    page = printed_numbers(texts).index(1)
    pieces = [p for p in page_pieces(page_words(pdf)[page]) if not FOOTER.fullmatch(p.text) and p.text != "—"]
    # full lines of a paragraph (not its first, indented line, nor its last, shorter one)
    full = [p for p in pieces if abs(p.x0 - LEFT) < 1 and abs(p.x1 - (PAGE_W - RIGHT)) < 17]
    # lines of Chinese characters only (no half-width digits), as they are most often: 28 of them
    lengths = [len(p.text) for p in full if re.fullmatch(r"[\u4e00-\u9fff，。、；：“”（）]+", p.text)]
    assert len(lengths) > 5
    assert max(set(lengths), key=lengths.count) == 28, lengths
    tops = sorted({round(p.y0, 1) for p in pieces if p.x0 < LEFT + 40})
    pitches = [b - a for a, b in zip(tops, tops[1:])]
    assert min(pitches) == pytest.approx(579 * PT_PER_TWIP, abs=0.5)  # 28.95 pt: 22 lines in the 637.8 pt text block
