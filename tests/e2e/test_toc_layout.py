"""The TOC as a reader sees it in the PDF, and templates edited by an office suite.

Townships of 25 and 40 projects are made from 怀来县官厅镇-2024 by copying projects.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
import reference_text
from conftest import PROJECTS, ROOT, require_tool
from docx.oxml.ns import qn
from perfgen.build import BuildResult, Options, build
from perfgen.docxtext import docx_to_text
from perfgen.render.lines import MIN_LINE, protected
from test_fidelity import project_mismatches, reference_of
from test_pdf_layout import page_pieces, page_texts, page_words, printed_numbers, squeeze, toc_entries

pytestmark = [pytest.mark.slow, pytest.mark.libreoffice]
GUANTING = "怀来县官厅镇-2024"
STANDARD = ROOT / "templates" / "standard.docx"


def larger_township(target: Path, projects: int) -> Path:
    """官厅镇 with more projects: copies of its own, each with its own code and name."""
    shutil.copytree(PROJECTS / GUANTING, target)
    document = (target / "文档.yaml").read_text(encoding="utf-8")
    listed = re.findall(r"^  - (项目/.+\.yaml)$", document, flags=re.MULTILINE)
    extra = []
    for n in range(len(listed), projects):
        source = (target / listed[n % len(listed)]).read_text(encoding="utf-8")
        source = re.sub(r"^(项目编码: \d{8}P)\d{6}", rf"\g<1>{900000 + n}", source, count=1, flags=re.MULTILINE)
        source = re.sub(r"^项目名称: (.*)$", r"项目名称: \1（二期）", source, count=1, flags=re.MULTILINE)
        name = f"项目/续{n + 1:02d}.yaml"
        (target / name).write_text(source, encoding="utf-8")
        extra.append(name)
    (target / "文档.yaml").write_text(document.rstrip("\n") + "\n" + "".join(f"  - {n}\n" for n in extra), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def larger(tmp_path_factory: pytest.TempPathFactory) -> dict[int, BuildResult]:
    require_tool("soffice")
    root = tmp_path_factory.mktemp("larger")
    folders = [larger_township(root / "src" / f"大镇{n}-2024", n) for n in (25, 40)]
    results = build(folders, Options(out_dir=root / "out", pdf=True))
    assert [r.error for r in results if not r.ok] == []
    return dict(zip((25, 40), results))


def toc_pages(result: BuildResult) -> list[int]:
    """The physical pages (0-based) that hold TOC entries: after the cover, before the body."""
    texts = page_texts(result.pdf)
    numbers = printed_numbers(texts)
    first_body = numbers.index(1)
    return [i for i in range(1, first_body) if "绩效目标表" in texts[i] or "第一部分" in texts[i]]


def layouts(paginated_samples: dict[str, BuildResult], larger: dict[int, BuildResult]) -> dict[str, BuildResult]:
    return {GUANTING: paginated_samples[GUANTING], "卢龙县石门镇-2023": paginated_samples["卢龙县石门镇-2023"],
            "25 个项目": larger[25], "40 个项目": larger[40]}


def test_the_toc_takes_one_page_up_to_25_projects(paginated_samples, larger) -> None:
    for name, result in layouts(paginated_samples, larger).items():
        assert len(toc_pages(result)) == (2 if name == "40 个项目" else 1), name


def test_body_page_one_is_a_right_hand_page(paginated_samples, larger) -> None:
    for name, result in layouts(paginated_samples, larger).items():
        numbers = printed_numbers(page_texts(result.pdf))
        assert numbers.index(1) % 2 == 0, name  # physical page 1, 3, 5 …
    # a two-page TOC is followed by a blank page
    texts = page_texts(larger[40].pdf)
    assert toc_pages(larger[40]) == [1, 2] and texts[3].strip() == ""


def test_no_toc_entry_is_split_and_each_ends_with_leader_and_number(paginated_samples, larger) -> None:
    for name, result in layouts(paginated_samples, larger).items():
        words = page_words(result.pdf)
        lines = [[p for p in page_pieces(words[i])] for i in toc_pages(result)]
        body = docx.Document(str(result.output)).element.body
        for link, (title, number) in zip(body.iter(qn("w:hyperlink")), toc_entries(result.output)):
            broken = link.find(f".//{qn('w:br')}") is not None
            # the entry's lines, on one page: its first line starts it, its last ends in leader and number
            found = []
            for page in lines:
                for k, piece in enumerate(page):
                    if squeeze(title).startswith(re.sub(r"\.{2,}\d*$", "", piece.text)) and piece.text[:3] == title[:3]:
                        entry = [piece]
                        while not re.search(r"\.{3,}\d+$", entry[-1].text) and k + len(entry) < len(page):
                            entry.append(page[k + len(entry)])
                        found.append(entry)
            assert len(found) == 1, (name, title, found)
            [entry] = found
            assert re.fullmatch(r"\.{3,}" + number, re.sub(r"^.*?(\.{3,})", r"\1", entry[-1].text)), (name, title)
            text = re.sub(r"\.{3,}\d+$", "", "".join(p.text for p in entry))
            assert text == squeeze(title), (name, title)
            texts = [re.sub(r"\.{3,}\d+$", "", p.text) for p in entry]
            assert all(len(text) >= MIN_LINE for text in texts), (name, title)
            if broken:
                # wrapped at a balanced point outside any word, hanging under the title's text
                inside = protected(squeeze(title))
                assert not any(inside[len("".join(texts[:i]))] for i in range(1, len(texts))), (name, texts)
                assert all(p.x0 > entry[0].x0 + 5 for p in entry[1:]), (name, title)


def test_every_toc_number_is_the_printed_page_of_its_heading(larger) -> None:
    for result in larger.values():
        texts = page_texts(result.pdf)
        numbers = printed_numbers(texts)
        for title, cached in toc_entries(result.output):
            pages = [n for text, n in zip(texts, numbers) if n is not None and squeeze(title) in squeeze(text)]
            assert pages == [int(cached)], title


def test_a_template_saved_by_libreoffice_builds_the_same_document(tmp_path: Path) -> None:
    soffice = require_tool("soffice")
    shutil.copy(STANDARD, tmp_path / "县模板.docx")
    subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp_path / "saved"), str(tmp_path / "县模板.docx")],
        check=True, capture_output=True, timeout=300,
    )
    saved = tmp_path / "saved" / "县模板.docx"
    assert saved.read_bytes() != STANDARD.read_bytes()
    results = build([PROJECTS], Options(out_dir=tmp_path / "out", template=saved, pdf=True))
    assert [r.error for r in results if not r.ok] == []
    for result in results:
        ours = reference_text.parse_word(docx_to_text(result.output))
        assert project_mismatches(reference_of(result.name), ours) == [], result.name
        assert list(ours.part1) == list(reference_text.SECTION_TITLES)
        # the TOC: PAGEREF fields whose numbers are the pages the headings print on
        root = docx.Document(str(result.output)).element.body
        pagerefs = [i.text.split()[1] for i in root.iter(qn("w:instrText")) if i.text.split()[:1] == ["PAGEREF"]]
        entries = toc_entries(result.output)
        assert len(pagerefs) == len(entries) == 5 + len(ours.projects)
        texts = page_texts(result.pdf)
        numbers = printed_numbers(texts)
        for title, cached in entries:
            pages = [n for text, n in zip(texts, numbers) if n is not None and squeeze(title) in squeeze(text)]
            assert pages == [int(cached)], (result.name, title)
