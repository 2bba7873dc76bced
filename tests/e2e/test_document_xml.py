"""The XML that matters in a built document: merged 一级 cells, TOC field, bookmarks, widths."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
import yaml
from conftest import CASES, PROJECTS, SAMPLES, draft
from docx.oxml.ns import qn
from lxml import etree

from perfgen.build import build
from perfgen.render.fixups import indicator_tables

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def text_of(element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def body(path: Path):
    return docx.Document(str(path)).element.body


def level1_spans(township: str) -> list[list[int]]:
    """Rows per 一级 group of each project, read from the YAML sources."""
    document = yaml.safe_load((PROJECTS / township / "文档.yaml").read_text(encoding="utf-8"))
    spans = []
    for name in document["项目清单"]:
        project = yaml.safe_load((PROJECTS / township / name).read_text(encoding="utf-8"))
        spans.append(
            [sum(len(g["指标"]) for g in groups) for groups in project["绩效指标"].values()]
        )
    return spans


@pytest.mark.parametrize("name", SAMPLES)
def test_level1_cells_merge_once_per_group(name: str, built_samples: dict[str, Path]) -> None:
    tables = indicator_tables(docx.Document(str(built_samples[name])))
    spans = level1_spans(name)
    assert len(tables) == len(spans)
    for table, groups in zip(tables, spans):
        first_cells = [tr.find(qn("w:tc")) for tr in table.findall(qn("w:tr"))[1:]]
        merges = []
        for tc in first_cells:
            vmerge = tc.find(f"{W}tcPr/{W}vMerge")
            merges.append(None if vmerge is None else vmerge.get(qn("w:val"), "continue"))
        expected = []
        for size in groups:
            expected += [None] if size == 1 else ["restart"] + ["continue"] * (size - 1)
        assert merges == expected
        # schema order inside w:tcPr: tcW, gridSpan, vMerge ... vAlign
        for tc in first_cells:
            tags = [child.tag for child in tc.find(qn("w:tcPr"))]
            if qn("w:vMerge") in tags:
                assert tags.index(qn("w:vMerge")) < tags.index(qn("w:vAlign"))
                assert tags.index(qn("w:tcW")) < tags.index(qn("w:vMerge"))


def keep_marks(path: Path) -> list[list[bool]]:
    """For each 绩效指标表 of the .docx, each row's mark: every paragraph keeps with the next, and the row does not split."""
    marks = []
    for table in indicator_tables(docx.Document(str(path))):
        rows = table.findall(qn("w:tr"))
        assert all(row.find(f"{W}trPr/{W}cantSplit") is not None for row in rows)
        marks.append([all(p.find(f"{W}pPr/{W}keepNext") is not None for p in row.iter(qn("w:p"))) for row in rows])
    return marks


@pytest.mark.parametrize("name", SAMPLES)
def test_a_plain_builds_docx_keeps_each_group_on_one_page(name: str, built_samples: dict[str, Path]) -> None:
    """Word lays out a build without LibreOffice: each 一级 group (every one fits on a page) keeps together,
    its rows but its last kept with the next; the header row with the first group."""
    expected = [[True] + sum(([True] * (size - 1) + [False] for size in groups), []) for groups in level1_spans(name)]
    assert keep_marks(built_samples[name]) == expected
    # schema order inside w:pPr: pStyle, then keepNext
    for table in indicator_tables(docx.Document(str(built_samples[name]))):
        for properties in table.iter(qn("w:pPr")):
            tags = [child.tag for child in properties][:2]
            assert tags == [qn("w:pStyle"), qn("w:keepNext")] or qn("w:keepNext") not in tags


def test_merged_continuation_cells_are_empty(built_samples: dict[str, Path]) -> None:
    table = indicator_tables(docx.Document(str(built_samples["怀来县官厅镇-2024"])))[0]
    texts = [text_of(tr.find(qn("w:tc"))) for tr in table.findall(qn("w:tr"))]
    assert texts == ["一级指标", "产出指标", "", "", "", "效益指标", "", "满意度指标"]


@pytest.mark.parametrize("name", SAMPLES)
def test_toc_is_a_field_of_hyperlinks_to_bookmarked_headings(name: str, built_samples: dict[str, Path]) -> None:
    root = body(built_samples[name])
    instructions = [i.text.strip() for i in root.iter(qn("w:instrText"))]
    assert instructions[0] == 'TOC \\o "1-2" \\h \\z \\u'
    begins = [c for c in root.iter(qn("w:fldChar")) if c.get(qn("w:fldCharType")) == "begin"]
    ends = [c for c in root.iter(qn("w:fldChar")) if c.get(qn("w:fldCharType")) == "end"]
    assert len(begins) == len(ends) == len(instructions)

    anchors = [h.get(qn("w:anchor")) for h in root.iter(qn("w:hyperlink"))]
    pagerefs = [i.split()[1] for i in instructions if i.startswith("PAGEREF")]
    starts = list(root.iter(qn("w:bookmarkStart")))
    names = [b.get(qn("w:name")) for b in starts]
    assert anchors == pagerefs == names
    assert len(set(names)) == len(names)
    projects = len(level1_spans(name))
    assert len(names) == 1 + 3 + 1 + projects

    # every bookmark has a unique id and its end, and wraps its heading's text
    ids = [b.get(qn("w:id")) for b in starts]
    assert len(set(ids)) == len(ids)
    assert sorted(e.get(qn("w:id")) for e in root.iter(qn("w:bookmarkEnd"))) == sorted(ids)
    entries = [text_of(h) for h in root.iter(qn("w:hyperlink"))]
    headings = [text_of(b.getparent()) for b in starts]
    assert [e.rstrip("0123456789") for e in entries] == headings


@pytest.mark.parametrize("name", SAMPLES)
def test_every_table_has_explicit_fixed_widths(name: str, built_samples: dict[str, Path]) -> None:
    root = body(built_samples[name])
    for table in root.iter(qn("w:tbl")):
        grid = [int(c.get(qn("w:w"))) for c in table.iter(qn("w:gridCol"))]
        assert all(width > 0 for width in grid)
        assert table.find(f"{W}tblPr/{W}tblLayout").get(qn("w:type")) == "fixed"
        assert int(table.find(f"{W}tblPr/{W}tblW").get(qn("w:w"))) == sum(grid)
        for row in table.iter(qn("w:tr")):
            widths = 0
            for tc in row.iter(qn("w:tc")):
                span = tc.find(f"{W}tcPr/{W}gridSpan")
                columns = int(span.get(qn("w:val"))) if span is not None else 1
                width = int(tc.find(f"{W}tcPr/{W}tcW").get(qn("w:w")))
                assert width == sum(grid[widths : widths + columns])
                widths += columns
            assert widths == len(grid)


def test_each_project_title_starts_a_new_page(built_samples: dict[str, Path]) -> None:
    document = docx.Document(str(built_samples["怀来县官厅镇-2024"]))
    titles = [p for p in document.paragraphs if p.style.name == "项目标题"]
    assert len(titles) == 23
    assert all(p.style.paragraph_format.page_break_before for p in titles)
    assert all(p.style.paragraph_format.keep_with_next for p in titles)


def _east_asia_font(document, run, cache: dict) -> tuple[str | None, str | None]:
    """The (eastAsia font, hint) that applies to a run: its own, its paragraph style chain, the defaults."""
    own = run.find(f"{W}rPr/{W}rFonts")
    if own is not None and own.get(qn("w:eastAsia")):
        return own.get(qn("w:eastAsia")), own.get(qn("w:hint"))
    paragraph = run.getparent()
    while paragraph.tag != qn("w:p"):
        paragraph = paragraph.getparent()
    style_ref = paragraph.find(f"{W}pPr/{W}pStyle")
    style_id = style_ref.get(qn("w:val")) if style_ref is not None else "Normal"
    if style_id not in cache:
        styles = document.styles.element
        current = style_id
        found = (None, None)
        while current:
            style = styles.find(f"{W}style[@{W}styleId='{current}']")
            fonts = style.find(f"{W}rPr/{W}rFonts")
            if fonts is not None and fonts.get(qn("w:eastAsia")):
                found = (fonts.get(qn("w:eastAsia")), fonts.get(qn("w:hint")))
                break
            based = style.find(f"{W}basedOn")
            current = based.get(qn("w:val")) if based is not None else None
        cache[style_id] = found
    return cache[style_id]


@pytest.mark.parametrize("name", SAMPLES)
def test_every_chinese_run_has_an_east_asian_font_and_no_theme_font(name: str, built_samples: dict[str, Path]) -> None:
    document = docx.Document(str(built_samples[name]))
    cache: dict = {}
    runs = [r for r in document.element.body.iter(qn("w:r")) if re.search(r"[\u4e00-\u9fff]", text_of(r))]
    assert len(runs) > 100
    for run in runs:
        font, hint = _east_asia_font(document, run, cache)
        assert font in {"仿宋_GB2312", "黑体", "楷体_GB2312", "宋体", "方正小标宋简体"}, text_of(run)
        assert hint == "eastAsia"
    for part in (document.element, document.styles.element):
        for element in part.iter(qn("w:rFonts")):
            assert not [a for a in element.attrib if "Theme" in a]


def test_tables_survive_pagination_and_footers_alternate(built_samples: dict[str, Path]) -> None:
    document = docx.Document(str(built_samples["怀来县官厅镇-2024"]))
    body = document.element.body
    rows = list(body.iter(qn("w:tr")))
    assert all(row.find(f"{W}trPr/{W}cantSplit") is not None for row in rows)  # a row never splits
    for table in indicator_tables(document):
        assert table.find(f"{W}tr/{W}trPr/{W}tblHeader") is not None  # header repeats on each page
    assert document.settings.element.find(qn("w:evenAndOddHeaders")) is not None
    cover, main = body.iter(qn("w:sectPr"))
    assert cover.find(qn("w:footerReference")) is None  # no number on the cover and 目录
    assert {ref.get(qn("w:type")) for ref in main.iter(qn("w:footerReference"))} == {"default", "even"}
    assert main.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    margins = main.find(qn("w:pgMar"))
    assert [margins.get(qn(f"w:{side}")) for side in ("top", "bottom", "left", "right")] == ["2098", "1984", "1587", "1474"]


def test_font_table_names_a_windows_face_for_every_official_font(built_samples: dict[str, Path]) -> None:
    # 仿宋_GB2312, 楷体_GB2312 and 方正小标宋简体 are not on a stock Windows
    part = docx.Document(str(built_samples["怀来县官厅镇-2024"])).part
    table = next(rel.target_part for rel in part.rels.values() if rel.reltype.endswith("/fontTable"))
    root = etree.fromstring(table.blob)
    entries = {f.get(qn("w:name")): f for f in root.iter(qn("w:font"))}
    official = [name for name in entries if "GB2312" in name or name.startswith("方正")]
    assert sorted(official) == ["仿宋_GB2312", "方正小标宋简体", "楷体_GB2312"]
    expected = {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "宋体"}
    for name in official:
        font = entries[name]
        assert font.find(qn("w:altName")).get(qn("w:val")) == expected[name]
        assert font.find(qn("w:charset")).get(qn("w:val")) == "86"
        assert len(font.find(qn("w:panose1")).get(qn("w:val"))) == 20


def test_a_four_class_table_merges_cost_like_any_level1(tmp_path: Path) -> None:
    """指标体系: 四类: 成本指标 is a 一级 of its own, merged over its rows and rendered first, as in the source."""
    [result] = build([CASES / "valid" / "四类指标体系"], draft(tmp_path))
    assert result.ok and not result.problems
    [table] = indicator_tables(docx.Document(str(result.output)))
    rows = table.findall(qn("w:tr"))
    cells = [[text_of(tc) for tc in tr.findall(qn("w:tc"))] for tr in rows]
    assert [row[0] for row in cells] == ["一级指标", "成本指标", "", "", "产出指标", "", "", "效益指标", "满意度指标"]
    assert [row[1] for row in cells[1:4]] == ["经济成本指标", "社会成本指标", "生态环境成本指标"]
    merges = []
    for tr in rows[1:]:
        vmerge = tr.find(qn("w:tc")).find(f"{W}tcPr/{W}vMerge")
        merges.append(None if vmerge is None else vmerge.get(qn("w:val"), "continue"))
    assert merges == ["restart", "continue", "continue", "restart", "continue", "continue", None, None]


def test_page_numbers_are_song_with_half_width_digits(built_samples: dict[str, Path]) -> None:
    document = docx.Document(str(built_samples["怀来县官厅镇-2024"]))
    footer = document.sections[-1].footer
    [paragraph] = [p for p in footer.paragraphs if p.text.strip()]
    assert re.fullmatch(r"— \d+ —", paragraph.text)  # ASCII digits: half-width
    fonts = paragraph.style.element.find(f"{W}rPr/{W}rFonts")
    assert {fonts.get(qn(f"w:{slot}")) for slot in ("ascii", "hAnsi", "eastAsia")} == {"宋体"}
    assert all(run.element.find(f"{W}rPr/{W}rFonts") is None for run in paragraph.runs)  # no run overrides it
