"""The HTML renderer (perfgen.html): the document's parts, merged cells, problems in place, escaping."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import html as lxml_html

from conftest import PROJECTS
from perfgen.html import render_township_body, render_township_html, static_files
from perfgen.html.look import css_string, template_css
from perfgen.problems import ERROR, WARNING, Problem
from perfgen.validate.township import check_township

GUANTING = "怀来县官厅镇-2024"


def page_of(folder: Path, **options: object) -> tuple[lxml_html.HtmlElement, object]:
    checked = check_township(folder)
    return lxml_html.fromstring(render_township_html(checked.township, checked.problems, **options)), checked


@pytest.fixture(scope="module")
def guanting() -> tuple[lxml_html.HtmlElement, object]:
    return page_of(PROJECTS / GUANTING)


def test_every_project_has_its_table_with_merged_level1_cells(guanting) -> None:
    page, checked = guanting
    projects = page.cssselect("section.pg-project")
    assert len(projects) == len(checked.township.projects) == 23
    for section, project in zip(projects, checked.township.projects):
        table = section.cssselect("table.pg-indicators")[0]
        level1 = table.cssselect("td.pg-level1")
        assert [cell.text_content() for cell in level1] == [level.name for level in project.levels]
        assert [int(cell.get("rowspan", 1)) for cell in level1] == project.spans
        assert len(table.cssselect("tr")) == 1 + len(project.rows)  # the head row, then one per 三级指标
        assert section.cssselect("h2.s-ProjectTitle")[0].text_content().endswith(f"{project.name}绩效目标表")


def test_cover_toc_and_part_one(guanting) -> None:
    page, checked = guanting
    document = checked.township.document
    assert page.cssselect("#cover .s-CoverUnit")[0].text_content() == document.cover.unit
    toc = [p.text_content() for p in page.cssselect("#toc p.s-TOC2")]
    assert toc[:3] == [section.title for section in document.sections]
    assert len(toc) == 3 + 23
    paragraphs = page.cssselect("#part1 p.s-Normal, #part1 p.s-ItemTitle")
    assert paragraphs[0].text_content() == document.sections[0].paragraphs()[0].text


def test_a_placeholder_goal_is_marked_at_its_cell(guanting) -> None:
    page, checked = guanting
    placeholder = next(p for p in checked.problems if p.rule == "placeholder")
    section = next(s for s in page.cssselect("section.pg-project") if s.get("data-file") == placeholder.file)
    goal = [p for p in section.cssselect("td.pg-goals p") if p.text_content() == "1.目标内容1"][0]
    assert "pg-error" in goal.get("class")
    assert placeholder.message in goal.get("title")
    listed = page.get_element_by_id(goal.get("data-marks").split()[0])
    assert placeholder.message in listed.text_content()
    assert listed.cssselect("a.pg-goto")[0].get("href") == "#" + goal.get("id")


def test_every_problem_is_listed_once_and_shown_somewhere(guanting) -> None:
    page, checked = guanting
    listed = page.cssselect("#pg-problems li.pg-item")
    assert len(listed) == len(checked.problems)
    targets = {item.get("data-target") for item in listed}
    assert "" not in targets  # the samples' problems all have a place on the page
    assert all(page.get_element_by_id(target) is not None for target in targets)


def test_user_text_is_escaped(sample_copy) -> None:
    folder = sample_copy(GUANTING)
    project = next((folder / "项目").iterdir())
    text = project.read_text(encoding="utf-8")
    hostile = "<img src=x onerror=alert(1)>{{ 7*7 }}"
    project.write_text(re.sub(r"(?m)^资金用途: .*$", f"资金用途: '{hostile}'", text), encoding="utf-8")
    checked = check_township(folder)
    source = render_township_html(checked.township, checked.problems)
    assert "<img src=x" not in source
    page = lxml_html.fromstring(source)
    assert page.cssselect("img") == []
    assert any(cell.text_content() == hostile for cell in page.cssselect("td"))


def test_a_problem_between_places_goes_to_the_element_before_it(guanting) -> None:
    _, checked = guanting
    project = checked.township.projects[0]
    line, _ = project.place("purpose").position()
    odd = Problem(project.file.display, line, 99, WARNING, "x", "一个测试问题")
    elsewhere = Problem("projects/别处.yaml", 3, 1, ERROR, "y", "别处的问题")
    page = lxml_html.fromstring(render_township_html(checked.township, [odd, elsewhere]))
    marked = page.cssselect("[data-marks]")
    assert [cell.text_content() for cell in marked] == [project.purpose]
    loose = page.cssselect("#pg-problems > ol.pg-list")[0]
    assert "别处的问题" in loose.text_content() and "projects/别处.yaml:3:1" in loose.text_content()


def test_a_stale_file_is_greyed_with_its_errors_on_top(guanting) -> None:
    _, checked = guanting
    project = checked.township.projects[1]
    broken = Problem(project.file.display, 4, 2, ERROR, "yaml-syntax", "YAML 格式错误：测试", blocking=True)
    source = render_township_html(checked.township, [broken], stale={project.file.display})
    page = lxml_html.fromstring(source)
    section = page.get_element_by_id("project-2")
    assert "pg-stale" in section.get("class")
    banner = section.cssselect(".pg-banner-stale")[0]
    assert "YAML 格式错误：测试" in banner.text_content() and "上次正确时的内容" in banner.text_content()
    assert page.cssselect("[data-marks]") == []  # its positions are of the text that does not load


def test_a_listed_file_that_cannot_be_read_keeps_its_place(sample_copy) -> None:
    folder = sample_copy(GUANTING)
    (folder / "项目" / "官厅镇村干部工资.yaml").write_text("项目名称: [", encoding="utf-8")
    page, checked = page_of(folder)
    first = page.get_element_by_id("project-1")
    assert "（暂时无法显示）" in first.cssselect("h2")[0].text_content()
    assert "暂时无法显示" in first.cssselect(".pg-banner")[0].text_content()
    assert "pg-banner-stale" in first.cssselect(".pg-banner")[0].get("class")
    assert len(page.cssselect("section.pg-project")) == 23


def test_a_report_words_a_file_that_cannot_be_read_as_a_fixed_state(sample_copy) -> None:
    """The live preview says "暂时" (the fix shows at the next save); a report is made once and says what is."""
    folder = sample_copy(GUANTING)
    (folder / "项目" / "官厅镇村干部工资.yaml").write_text("项目名称: [", encoding="utf-8")
    preview, _ = page_of(folder)
    report, _ = page_of(folder, live=False)
    first = report.get_element_by_id("project-1")
    assert first.cssselect("h2")[0].text_content().endswith("（文件无法读取，未能显示）")
    assert "无法读取，未能显示" in first.cssselect(".pg-banner")[0].text_content()
    assert "重新生成报表" in first.cssselect(".pg-banner")[0].text_content()
    assert "（暂时无法显示）" in preview.get_element_by_id("project-1").cssselect("h2")[0].text_content()
    assert "暂时" not in report.text_content() and "保存" not in report.text_content()
    (folder / "文档.yaml").write_text("单位名称: [", encoding="utf-8")
    preview, _ = page_of(folder)
    report, _ = page_of(folder, live=False)
    assert "文档.yaml 无法读取" in report.cssselect(".pg-cover .pg-note")[0].text_content()
    assert "暂时无法显示" in preview.cssselect(".pg-cover .pg-note")[0].text_content()
    assert "暂时" not in report.text_content() and "保存" not in report.text_content()


def test_body_is_the_inside_of_the_page_root(guanting) -> None:
    _, checked = guanting
    body = render_township_body(checked.township, checked.problems)
    page = lxml_html.fromstring(render_township_html(checked.township, checked.problems))
    assert len(lxml_html.fromstring(f"<div>{body}</div>").cssselect("section.pg-project")) == 23
    assert page.get_element_by_id("pg-root") is not None


def test_pages_sharing_a_stylesheet_link_it() -> None:
    files = static_files()
    assert set(files) == {"perfgen.css", "perfgen.js"}
    assert b".s-Normal" in files["perfgen.css"]


def test_editor_links_open_the_file_at_the_line(guanting) -> None:
    _, checked = guanting
    page = lxml_html.fromstring(render_township_html(checked.township, checked.problems[:1], editor_links=True))
    link = page.cssselect("#pg-problems .pg-where a")[0].get("href")
    problem = checked.problems[0]
    assert link.startswith("vscode://file/") and link.endswith(f":{problem.line}:{problem.column}")
    assert Path(link.removeprefix("vscode://file").rsplit(":", 2)[0]).is_file()


def test_the_look_comes_from_the_template() -> None:
    css = template_css()
    normal = re.search(r"\.s-Normal \{([^}]*)\}", css).group(1)
    assert "仿宋_GB2312" in normal and "Noto Serif CJK SC" in normal and "font-size: 16pt" in normal
    assert "黑体" in re.search(r"\.s-Heading1 \{([^}]*)\}", css).group(1)
    assert "--page-width: 210.0mm" in css


def test_a_face_name_cannot_break_out_of_the_stylesheet() -> None:
    hostile = 'x"; } </style><script>alert(1)</script>'
    quoted = css_string(hostile)
    assert "<" not in quoted and '"' not in quoted[1:-1] and "}" not in quoted


def test_a_page_of_its_own_carries_its_stylesheet_unescaped(guanting) -> None:
    page, _ = guanting
    css = page.cssselect("style")[0].text
    # the template sets the titles' Latin in 方正小标宋简体 too (digits as bold as the title, #24)
    assert '.s-ProjectTitle { font-family: "方正小标宋简体", "perfgen 方正小标宋简体"' in css
    assert '@font-face { font-family: "perfgen 方正小标宋简体"; src: local("方正小标宋简体"), local("Noto Serif CJK SC Bold")' in css
    assert "&#34;" not in css and "&quot;" not in css


def test_kept_project_pages_are_those_a_fresh_render_makes(guanting) -> None:
    from perfgen.html.render import project_section

    _, checked = guanting
    placeholder = next(p for p in checked.problems if p.rule == "placeholder")
    fewer = [p for p in checked.problems if p is not placeholder]
    every = render_township_body(checked.township, checked.problems)  # every page kept
    kept = render_township_body(checked.township, fewer)  # the placeholder's page changed, the others kept
    project_section._kept.clear()
    assert kept == render_township_body(checked.township, fewer)
    assert kept.count(placeholder.message) == every.count(placeholder.message) - 2  # its cell and its list item


def test_kept_project_pages_hold_one_state_per_page_however_often_it_is_edited(sample_copy) -> None:
    from perfgen.html.render import project_section

    folder = sample_copy(GUANTING)
    project = sorted((folder / "项目").iterdir())[0]
    text = project.read_text(encoding="utf-8")
    project_section._kept.clear()
    for edit in range(30):  # as perfgen serve does after each save
        project.write_text(re.sub(r"(?m)^(资金用途: .*)$", rf"\1（第 {edit} 次修改）", text, count=1), encoding="utf-8")
        checked = check_township(folder)
        body = render_township_body(checked.township, checked.problems)
        assert f"（第 {edit} 次修改）" in body
    assert len(project_section._kept) == len(checked.township.projects)


def test_nothing_is_fetched_from_elsewhere(guanting) -> None:
    """The pages work offline, on a county's intranet: no address outside the page's own folder or server."""
    from perfgen.html.render import PACKAGE

    page, _ = guanting
    for element in page.iter():
        for name in ("src", "href", "action", "data"):
            value = element.get(name) or ""
            assert not re.match(r"(?i)\s*(https?:|//|ftp:)", value), (element.tag, name, value)
    for path in [*(PACKAGE / "templates").iterdir(), *(PACKAGE / "static").iterdir()]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text), path.name
        assert "@import" not in text and "url(" not in text.replace("local(", ""), path.name


def test_every_page_has_the_one_head_and_escapes_what_it_is_given(guanting) -> None:
    """index.html, page.html and pages.html extend base.html: the same head, the stylesheet linked or in the
    page, the script last; a title, an address or a data-* value with markup in it stays text."""
    from perfgen.html import IndexEntry, render_index
    from perfgen.html.render import environment
    from perfgen.serve.pages import Pages

    _, checked = guanting
    hostile = '<img src=x onerror=alert(1)>"'
    pages = {
        "index": render_index(hostile, [IndexEntry(hostile, hostile, 1, 0)]),
        "index-linked": render_index(hostile, [], css_href=hostile),
        "page": render_township_html(
            checked.township, [], css_href=hostile, script_href=hostile, nav=[(hostile, hostile)], data={"events": hostile}
        ),
        "pages": environment().get_template("pages.html").render(
            title=hostile, number=3, css_href=hostile, script_href=hostile, pages=Pages(message=hostile), back=hostile
        ),
    }
    for name, source in pages.items():
        assert source.startswith('<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'), name
        assert "<img src=x" not in source and source.count("<!DOCTYPE") == 1, name
        page = lxml_html.fromstring(source)
        head = [child.tag for child in page.find("head")]
        assert head == ["meta", "meta", "title", "style" if name == "index" else "link"], name
        title = checked.township.document.title if name == "page" else hostile
        assert page.find("head/title").text.startswith(title), name
        assert page.cssselect("img.pg-sheet") == page.cssselect("body img:not(.pg-sheet)") == [], name
        scripts = page.cssselect("script")
        assert [s.get("src") for s in scripts] == ([hostile] if name in ("page", "pages") else []), name
        if scripts:
            assert page.find("body")[-1] is scripts[0], name  # last: the page is there when it runs
    assert lxml_html.fromstring(pages["page"]).find("body").get("data-events") == hostile
    assert lxml_html.fromstring(pages["index-linked"]).find("head/link").get("href") == hostile
