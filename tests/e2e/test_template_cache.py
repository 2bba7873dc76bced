"""The prepared template (checks, docxtpl's clean-up, compiled Jinja code) is kept across runs, safely."""

from __future__ import annotations

from pathlib import Path

import cache_entries
import jinja2
import pytest
from conftest import PROJECTS, draft
from fake_templates import STANDARD, edited_template, with_paragraph

from perfgen import cache
from perfgen.build import build
from perfgen.render import template_file

TOWNSHIP = PROJECTS / "文安县机床市场管委会-2022"


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "perfgen"


def document(out: Path) -> bytes:
    return (out / f"{TOWNSHIP.name}.docx").read_bytes()


def entries(folder: Path) -> list[str]:
    return cache_entries.names(folder, "template")


def test_a_second_run_neither_checks_nor_compiles_the_template_again(
    tmp_path: Path, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    [first] = build([TOWNSHIP], draft(tmp_path / "first", jobs=1))
    assert first.ok and len(entries(cache_folder)) == 1

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("done again although the cache has it")

    monkeypatch.setattr(jinja2.Environment, "compile", refuse)
    monkeypatch.setattr(template_file, "check_package", refuse)
    [second] = build([TOWNSHIP], draft(tmp_path / "second", jobs=1))
    assert second.ok
    assert document(tmp_path / "second") == document(tmp_path / "first")


def test_a_damaged_entry_is_ignored_and_rewritten(tmp_path: Path, cache_folder: Path) -> None:
    build([TOWNSHIP], draft(tmp_path / "first", jobs=1))
    [entry] = entries(cache_folder)
    good = cache.load("template", entry)
    data = cache_entries.stored(cache_folder, "template", entry)
    cache_entries.stored(cache_folder, "template", entry, data[: len(data) // 2])  # e.g. written by a broken tool
    [result] = build([TOWNSHIP], draft(tmp_path / "second", jobs=1))
    assert result.ok and document(tmp_path / "second") == document(tmp_path / "first")
    assert cache.load("template", entry) == good


def test_each_template_has_its_own_entry(tmp_path: Path, cache_folder: Path) -> None:
    build([TOWNSHIP], draft(tmp_path / "standard", jobs=1))
    other = edited_template(tmp_path / "county.docx", document=with_paragraph("县财政局模板"))
    [result] = build([TOWNSHIP], draft(tmp_path / "county", jobs=1, template=other))
    assert result.ok and len(entries(cache_folder)) == 2
    assert document(tmp_path / "county") != document(tmp_path / "standard")
    # the standard template's entry still serves it, unchanged by the other
    [again] = build([TOWNSHIP], draft(tmp_path / "again", jobs=1, template=STANDARD))
    assert document(tmp_path / "again") == document(tmp_path / "standard")


def test_cached_code_still_runs_in_the_sandbox(tmp_path: Path, cache_folder: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    tag = "{{ cycler.__init__.__globals__.os.system('touch ran') }}"
    hostile = edited_template(tmp_path / "hostile.docx", document=with_paragraph(tag))
    for attempt in ("first", "second"):  # the second renders the code compiled and cached by the first
        [result] = build([TOWNSHIP], draft(tmp_path / attempt, jobs=1, template=hostile))
        assert "试图访问程序内部，为安全起见已停止" in result.error and not result.ok
        assert not (tmp_path / "ran").exists()
    assert len(entries(cache_folder)) == 1


def test_a_template_that_fails_its_checks_is_never_cached(tmp_path: Path, cache_folder: Path) -> None:
    broken = edited_template(tmp_path / "broken.docx", document=lambda xml: xml[:-40])
    for _ in range(2):
        with pytest.raises(Exception, match="不是有效的 Word 文档"):
            build([TOWNSHIP], draft(tmp_path / "out", jobs=1, template=broken))
    assert entries(cache_folder) == []
