"""Each table's typesetting is kept in the per-user cache: a build that finds it makes the same document
without typesetting the table again; an edit of the table, the template or perfgen's code misses."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import cache_entries
import pytest
from conftest import PROJECTS, draft
from fake_templates import edited_template

from perfgen.build import build
from perfgen.render import cells, groups, typeset

TOWNSHIP = PROJECTS / "文安县机床市场管委会-2022"


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "perfgen"


@pytest.fixture
def typeset_tables(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many tables were fitted and how many had their groups kept together, in this process."""
    done = [0, 0]
    fit, keep = cells.fit_table, groups.keep_table_groups

    def counting_fit(*args: object) -> None:
        done[0] += 1
        fit(*args)  # type: ignore[arg-type]

    def counting_keep(*args: object) -> None:
        done[1] += 1
        keep(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(typeset, "fit_table", counting_fit)
    monkeypatch.setattr(typeset, "keep_table_groups", counting_keep)
    return done


def body(out: Path, name: str = TOWNSHIP.name) -> bytes:
    with zipfile.ZipFile(out / f"{name}.docx") as package:
        return package.read("word/document.xml")


def test_kept_tables_make_the_same_document_without_typesetting(
    tmp_path: Path, cache_folder: Path, typeset_tables: list[int]
) -> None:
    [first] = build([TOWNSHIP], draft(tmp_path / "first", jobs=1))
    tables, indicator_tables = typeset_tables
    assert first.ok and tables >= 6 and indicator_tables == first.projects
    assert 1 <= len(cache_entries.names(cache_folder, typeset.KIND)) <= tables  # tables alike share their entry
    [second] = build([TOWNSHIP], draft(tmp_path / "second", jobs=1, force=True))
    assert second.ok and typeset_tables == [tables, indicator_tables]  # none typeset again
    assert body(tmp_path / "second") == body(tmp_path / "first")
    assert b"<w:cantSplit/>" in body(tmp_path / "second")  # the kept tables carry their keep-together marks


def test_an_edited_value_typesets_only_its_table(tmp_path: Path, cache_folder: Path, typeset_tables: list[int]) -> None:
    township = shutil.copytree(TOWNSHIP, tmp_path / TOWNSHIP.name)
    build([township], draft(tmp_path / "first", jobs=1))
    before = list(typeset_tables)
    project = township / "项目" / "专项办公经费.yaml"
    text = project.read_text(encoding="utf-8")
    assert "指标值: 4个\n" in text
    project.write_text(text.replace("指标值: 4个\n", "指标值: 5个\n", 1), encoding="utf-8")
    [edited] = build([township], draft(tmp_path / "edited", jobs=1))
    assert edited.ok and typeset_tables[0] - before[0] == 1
    # the same as typesetting every table afresh
    cache_entries.remove(cache_folder, typeset.KIND)
    build([township], draft(tmp_path / "afresh", jobs=1))
    assert body(tmp_path / "edited") == body(tmp_path / "afresh")


def test_a_template_with_other_styles_misses(tmp_path: Path, cache_folder: Path, typeset_tables: list[int]) -> None:
    build([TOWNSHIP], draft(tmp_path / "first", jobs=1))
    tables = typeset_tables[0]
    # a page 100 twips taller: keep-together may keep other groups whole
    taller = edited_template(tmp_path / "taller.docx", lambda xml: xml.replace(b'w:top="2098"', b'w:top="1998"'))
    build([TOWNSHIP], draft(tmp_path / "second", jobs=1, template=taller))
    assert typeset_tables[0] == 2 * tables


def _table(first: str, inner: str = "") -> str:
    return f"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>{first}</w:t></w:r></w:p>{inner}</w:tc></w:tr></w:tbl>"


BODY = '<w:body xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">{}<w:sectPr/></w:body>'


def test_tables_are_kept_only_where_each_is_known_for_what_it_is(cache_folder: Path) -> None:
    import docx

    styles = docx.Document().styles.element
    plain = BODY.format(_table("一级指标") + _table("项目编码"))
    kept = typeset.KeptTables([[1]])
    assert kept.put(plain, styles) == plain and all(kept.names) and kept.done == [False, False]
    # a table inside another, a content control in a table, another count of 绩效指标表 than of projects:
    # nothing is kept
    controlled = BODY.format(_table("一级指标", "<w:sdt><w:sdtContent/></w:sdt>") + _table("项目编码"))
    for body, spans in ((BODY.format(_table("项目编码", _table("项目编码"))), []), (controlled, [[1]]), (plain, [[1], [1]])):
        kept = typeset.KeptTables(spans)
        assert kept.put(body, styles) == body and not any(kept.names)


@pytest.mark.parametrize("hidden", ["<!-- <w:tbl> -->", "<![CDATA[<w:tbl>]]>", "<?pi <w:tbl>?>"])
def test_markup_the_text_cannot_be_read_as_the_parser_reads_keeps_nothing(cache_folder: Path, hidden: str) -> None:
    import docx

    body = BODY.format(_table("一级指标") + f"<w:p><w:r><w:t>x</w:t></w:r></w:p>{hidden}")
    kept = typeset.KeptTables([[1]])
    assert kept.put(body, docx.Document().styles.element) == body and not any(kept.names)
