"""perfgen report: the county overview in headless Chromium (from a file, no server) and 报表.xlsx read back.

The screenshots land in build/screenshots/ (look at them: they are what a county reviewer sees).
"""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from conftest import CASES, PROJECTS, ROOT, perfgen
from test_serve_browser import browser  # noqa: F401  (the one Chromium fixture: Debian's chromium and chromedriver)

SCREENSHOTS = ROOT / "build" / "screenshots"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "报表"
    run = perfgen("report", str(PROJECTS), "-o", str(out), cwd=ROOT)
    assert run.returncode == 0, run.stderr
    return out


def validate_totals() -> dict[str, tuple[int, int]]:
    """Errors and warnings per township, as ``perfgen validate --format json`` counts them."""
    problems = json.loads(perfgen("validate", str(PROJECTS), "--format", "json", cwd=ROOT).stdout)
    totals: dict[str, tuple[int, int]] = {}
    for problem in problems:
        errors, warnings = totals.get(problem["township"], (0, 0))
        totals[problem["township"]] = (errors + (problem["severity"] == "error"), warnings + (problem["severity"] == "warning"))
    return totals


def sources() -> dict[str, list[dict]]:
    """Each sample's projects as their files hold them, in 项目清单 order."""
    found = {}
    for folder in sorted(PROJECTS.iterdir()):
        document = yaml.safe_load((folder / "文档.yaml").read_text(encoding="utf-8"))
        found[folder.name] = [yaml.safe_load((folder / name).read_text(encoding="utf-8")) for name in document["项目清单"]]
    return found


def in_wan(folder: Path, total: Decimal) -> Decimal:
    """A total of a sample in 万元, by its 文档.yaml's 金额单位 (元 or 万元)."""
    unit = yaml.safe_load((folder / "文档.yaml").read_text(encoding="utf-8"))["金额单位"]
    return total / 10000 if unit == "元" else total


def county_total() -> Decimal:
    """The budget total of the samples in 万元: the sum of every 预算数 their files hold."""
    return sum(
        (in_wan(PROJECTS / name, sum((Decimal(str(p["预算数"])) for p in projects), Decimal(0))) for name, projects in sources().items()),
        Decimal(0),
    )


def test_the_workbook_has_a_row_per_indicator_with_frozen_headers_and_filters(report: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(report / "报表.xlsx")
    assert book.sheetnames == ["单位", "项目", "指标"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    indicators = list(book["指标"].iter_rows(values_only=True))
    assert indicators[0] == ("单位", "项目编码", "项目名称", "预算数", "一级", "二级", "三级", "描述", "指标值", "依据")
    expected = [
        (name, project["项目编码"], project["项目名称"].strip(), level1, group["二级指标"], row["三级指标"], row["指标值确定依据"])
        for name, projects in sources().items()
        for project in projects
        for level1, groups in project["绩效指标"].items()
        for group in groups
        for row in group["指标"]
    ]
    assert len(indicators) - 1 == len(expected) > 0
    assert [(r[0], r[1], r[2], r[4], r[5], r[6], r[9]) for r in indicators[1:]] == expected
    units = {row[0]: row for row in book["单位"].iter_rows(min_row=2, values_only=True)}
    for name, projects in sources().items():
        assert units[name][5] == len(projects)
        assert round(units[name][6], 2) == round(sum(float(p["预算数"]) for p in projects), 2)
    assert len(list(book["项目"].iter_rows(min_row=2))) == sum(len(p) for p in sources().values())
    # the county's row, last and outside the filter: 预算总额（万元） adds up the townships in one unit
    header = [cell.value for cell in book["单位"][1]]
    county = units.pop("全县合计")
    assert list(units) == list(sources()) and book["单位"].max_row == len(units) + 2
    assert book["单位"].auto_filter.ref.endswith(str(len(units) + 1))
    wan = header.index("预算总额（万元）")
    for name, row in units.items():
        assert Decimal(str(row[wan])) == in_wan(PROJECTS / name, Decimal(str(row[6])))
    assert Decimal(str(county[wan])) == county_total() and county[5] == sum(len(p) for p in sources().values())
    errors, warnings = (sum(counted) for counted in zip(*validate_totals().values()))
    assert (county[header.index("错误")], county[header.index("警告")]) == (errors, warnings)
    assert county[-1] in (None, "")  # complete: nothing left out


@pytest.mark.slow
def test_index_and_a_township_page_in_chromium_show_the_validate_totals(report: Path, browser) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By

    browser.get((report / "index.html").as_uri())
    rows = browser.find_elements(By.CSS_SELECTOR, "#townships tbody tr")
    shown = {
        row.get_attribute("data-name"): (int(row.find_element(By.CSS_SELECTOR, ".errors").text), int(row.find_element(By.CSS_SELECTOR, ".warnings").text))
        for row in rows
    }
    assert shown == validate_totals()
    projects = {row.get_attribute("data-name"): int(row.find_element(By.CSS_SELECTOR, ".projects").text) for row in rows}
    assert projects == {name: len(found) for name, found in sources().items()}
    assert Decimal(browser.find_element(By.ID, "county-total").text) == county_total()
    assert "不完整" not in browser.find_element(By.CSS_SELECTOR, "p.summary").text
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / "report-index.png"))

    # sortable: by total, largest first after two clicks
    header = browser.find_elements(By.CSS_SELECTOR, "#townships th")[3]
    header.click()
    header.click()
    totals = [float(cell.get_attribute("data-value")) for cell in browser.find_elements(By.CSS_SELECTOR, "#townships tbody .total")]
    assert totals == sorted(totals, reverse=True)
    assert browser.find_element(By.CSS_SELECTOR, "#townships tfoot tr").get_attribute("id") == "county"  # not sorted in
    # filterable
    browser.find_element(By.ID, "filter").send_keys("石门")
    visible = [row for row in browser.find_elements(By.CSS_SELECTOR, "#townships tbody tr") if row.is_displayed()]
    assert [row.get_attribute("data-name") for row in visible] == ["卢龙县石门镇-2023"] and browser.find_element(By.ID, "count").text == "1"

    # a township's page: its document and its problems in place
    visible[0].find_element(By.TAG_NAME, "a").click()
    page = browser.page_source
    for project in sources()["卢龙县石门镇-2023"]:
        assert project["项目名称"].strip() in page
    assert "placeholder" in page  # the sample keeps its published placeholders: the problems are shown
    browser.save_screenshot(str(SCREENSHOTS / "report-township.png"))


def test_the_cross_township_page_names_where_texts_and_codes_are_reused(tmp_path: Path) -> None:
    import shutil

    for name in ("卢龙县石门镇-2023", "怀来县官厅镇-2024"):
        shutil.copytree(PROJECTS / name, tmp_path / "projects" / name)
    copied = tmp_path / "projects" / "卢龙县石门镇-2023" / "项目" / "执法经费.yaml"
    text = copied.read_text(encoding="utf-8").replace("项目编码: 13032423P00442810071T", "项目编码: 13073024P00888510015C")
    copied.write_text(text, encoding="utf-8")
    run = perfgen("report", "-o", "out", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    cross = (tmp_path / "out" / "跨单位.html").read_text(encoding="utf-8")
    assert "<td>13073024P00888510015C</td>" in cross
    assert ">卢龙县石门镇-2023</a>：执法经费（13073024P00888510015C）" in cross
    assert ">怀来县官厅镇-2024</a>：官厅镇村干部工资（13073024P00888510015C）" in cross
    assert "绩效目标（" in cross and "绩效指标（" in cross


def test_texts_stay_texts_in_the_workbook_and_the_pages(tmp_path: Path) -> None:
    """A 项目名称 that looks like a formula or like HTML is shown as written, never run."""
    import shutil

    from openpyxl import load_workbook

    township = tmp_path / "projects" / "某镇"
    shutil.copytree(CASES / "valid" / "最小单位", township)
    project = township / "项目" / "办公经费.yaml"
    hostile = '=HYPERLINK("http://example.org","点我")'
    text = project.read_text(encoding="utf-8").replace("项目名称: 办公经费", f"项目名称: '{hostile}<script>alert(1)</script>'")
    project.write_text(text, encoding="utf-8")
    run = perfgen("report", "-o", "out", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    book = load_workbook(tmp_path / "out" / "报表.xlsx")
    [row] = list(book["项目"].iter_rows(min_row=2))
    assert row[2].value == hostile + "<script>alert(1)</script>" and row[2].data_type == "s"
    for page in [tmp_path / "out" / "index.html", tmp_path / "out" / "跨单位.html", *(tmp_path / "out" / "单位").glob("*.html")]:
        assert "<script>alert(1)" not in page.read_text(encoding="utf-8")


def test_the_site_fetches_nothing_from_elsewhere(report: Path) -> None:
    """Every address in every page is a file of the report itself: it works from an intranet share, offline."""
    import re
    from urllib.parse import unquote

    pages = sorted(report.rglob("*.html"))
    assert len(pages) == 2 + len(sources())
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for address in re.findall(r'(?:src|href)="([^"]*)"', html):
            assert "//" not in address and not address.startswith(("http", "data:", "javascript:")), (page, address)
            if address.startswith("#"):
                continue
            target = (page.parent / unquote(address.split("#")[0])).resolve()
            assert target.is_file() and report.resolve() in target.parents, (page, address)


def test_every_page_has_the_one_head_of_perfgens_pages(report: Path) -> None:
    """index.html and 跨单位.html extend html/templates/base.html as the township pages do: the same head."""
    from lxml import html

    def head(page: Path) -> list[str]:
        tree = html.fromstring(page.read_text(encoding="utf-8"))
        return [html.tostring(meta, encoding="unicode") for meta in tree.cssselect("head meta")] + [tree.get("lang")]

    township = head(next((report / "单位").glob("*.html")))
    assert len(township) == 3 and head(report / "index.html") == township == head(report / "跨单位.html")
    for page in (report / "index.html", report / "跨单位.html"):
        assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_a_township_with_a_file_that_cannot_be_read_shows_its_total_as_incomplete(tmp_path: Path) -> None:
    """The total and the project count leave out what cannot be read: the page says so, and Excel lists the file."""
    import shutil

    from lxml import html
    from openpyxl import load_workbook

    for name in ("怀来县官厅镇-2024", "文安县机床市场管委会-2022", "卢龙县石门镇-2023"):  # 万元 and 元
        shutil.copytree(PROJECTS / name, tmp_path / "projects" / name)
    broken = tmp_path / "projects" / "怀来县官厅镇-2024" / "项目" / "官厅镇村干部工资.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("预算数: 67.54", "预算数: [67.54"), encoding="utf-8")
    (tmp_path / "projects" / "卢龙县石门镇-2023" / "文档.yaml").write_text("单位名称: [", encoding="utf-8")  # unit unknown
    run = perfgen("report", "-o", "out", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    page = html.fromstring((tmp_path / "out" / "index.html").read_text(encoding="utf-8"))
    rows = {row.get("data-name"): row for row in page.cssselect("#townships tbody tr")}
    guanting, wenan = rows["怀来县官厅镇-2024"], rows["文安县机床市场管委会-2022"]
    total = guanting.cssselect("td.total")[0]
    assert total.text_content() == "827.24不完整：1 个文件无法读取，其中的项目未计入"
    assert guanting.cssselect("td.status")[0].text_content() == "有文件无法读取"
    assert not wenan.cssselect("small.incomplete") and wenan.cssselect("td.status")[0].text_content() == "没有错误"
    # sorted in one unit: 923371.00 元 is 92.3371 万元, less than 827.24 万元
    assert [float(row.cssselect("td.total")[0].get("data-value")) for row in (guanting, wenan)] == [827.24, 92.3371]
    # the county's total: 万元 and 元 in one unit, saying what it leaves out
    summary = page.cssselect("p.summary")[0].text_content()
    assert "全县预算总额 919.5771 万元（不完整，见表末）" in summary  # 827.24 万元 + 923371.00 元
    notes = [note.text_content() for note in page.cssselect("#county td.total small.incomplete")]
    assert notes == [
        "不完整：怀来县官厅镇-2024 有文件无法读取，其中的项目未计入",
        "未计入：卢龙县石门镇-2023 的 文档.yaml 无法读取，金额单位不明",
    ]
    units = {row[0]: row for row in load_workbook(tmp_path / "out" / "报表.xlsx")["单位"].iter_rows(min_row=2, values_only=True)}
    assert units["全县合计"][7] == 919.5771 and units["全县合计"][-1] == "\n".join(notes)
    assert units["怀来县官厅镇-2024"][-1] == "projects/怀来县官厅镇-2024/项目/官厅镇村干部工资.yaml"
    assert units["文安县机床市场管委会-2022"][-1] in (None, "")
    # its page words the file as a report does, not as the live preview ("暂时", "保存")
    township = html.fromstring((tmp_path / "out" / guanting.cssselect("a")[0].get("href")).read_text(encoding="utf-8"))
    assert "官厅镇村干部工资.yaml（文件无法读取，未能显示）" in township.text_content()
    assert "暂时" not in township.text_content()


OUTPUTS_THAT_ARE_NO_FOLDER = {
    "FIFO": ("out", "一个管道（FIFO）"),
    "file": ("out", "一个普通文件"),
    "file above": ("out/报表", "一个普通文件"),
    "link to a file": ("out", "指向一个普通文件的链接（快捷方式）"),
}


@pytest.mark.parametrize("kind", OUTPUTS_THAT_ARE_NO_FOLDER)
@pytest.mark.parametrize("command", [("report",), ("build", "--draft")])
def test_an_output_that_is_no_folder_is_refused_saying_what_it_is_and_what_to_do(
    tmp_path: Path, command: tuple[str, ...], kind: str
) -> None:
    if kind == "FIFO":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs here")
        os.mkfifo(tmp_path / "out")
    elif kind == "link to a file":
        (tmp_path / "elsewhere").write_text("别人的文件", encoding="utf-8")
        (tmp_path / "out").symlink_to(tmp_path / "elsewhere")
    else:
        (tmp_path / "out").write_text("别人的文件", encoding="utf-8")
    given, what = OUTPUTS_THAT_ARE_NO_FOLDER[kind]
    township = str(PROJECTS / "怀来县官厅镇-2024")
    run = perfgen(*command, township, "-o", given, cwd=tmp_path)
    assert run.returncode == 1
    # it was only "错误：out：已经存在" for report: neither why nor what to do
    above = "" if given == "out" else f"{given} 的上级 "
    assert run.stderr == f"错误：{above}out 已经存在，是{what}，不是文件夹，未改动：请用 -o 换一个输出文件夹\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == (["elsewhere", "out"] if kind == "link to a file" else ["out"])
    if kind != "FIFO":
        assert (tmp_path / "out").read_text(encoding="utf-8") == "别人的文件"


@pytest.mark.parametrize("command", [("report",), ("build", "--draft")])
def test_an_output_that_is_a_dangling_link_is_refused_and_nothing_made_where_it_points(tmp_path: Path, command: tuple[str, ...]) -> None:
    (tmp_path / "out").symlink_to(tmp_path / "nowhere")
    run = perfgen(*command, str(PROJECTS / "怀来县官厅镇-2024"), "-o", "out", cwd=tmp_path)
    assert run.returncode == 1
    assert run.stderr == "错误：out 是指向不存在位置的链接（快捷方式），未改动：请用 -o 换一个输出文件夹\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out"] and (tmp_path / "out").is_symlink()


def small_county(root: Path) -> None:
    """Four townships of one project each, in 万元 and in 元, and one whose 文档.yaml cannot be read."""
    import shutil

    for number, (name, title, unit, amount) in enumerate([("甲镇", "甲镇人民政府", "万元", "0.10"), ("乙镇", "乙镇人民政府", "万元", "0.20"),
                                                          ("丙镇", "丙镇人民政府", "元", "1234.56"), ("丁村", "丁村村委会", "万元", "5.00")]):
        folder = root / "projects" / name
        shutil.copytree(CASES / "valid" / "最小单位", folder)
        document = folder / "文档.yaml"
        document.write_text(document.read_text(encoding="utf-8").replace("测试镇人民政府", title)
                            .replace("金额单位: 万元", f"金额单位: {unit}"), encoding="utf-8")
        project = folder / "项目" / "办公经费.yaml"
        project.write_text(project.read_text(encoding="utf-8").replace("10.00", amount)
                           .replace("13000024P00000000001A", f"13000024P0000000000{number}A"), encoding="utf-8")
    shutil.copytree(CASES / "valid" / "最小单位", root / "projects" / "戊镇")
    (root / "projects" / "戊镇" / "文档.yaml").write_text("单位名称: [", encoding="utf-8")  # unit unknown


@pytest.mark.slow
def test_the_county_row_follows_the_filter_and_comes_back_when_it_is_cleared(tmp_path: Path, browser) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    small_county(tmp_path)
    run = perfgen("report", "-o", "out", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    browser.get((tmp_path / "out" / "index.html").as_uri())

    def county() -> dict[str, str]:
        row = browser.find_element(By.ID, "county")
        return {name: row.find_element(By.CSS_SELECTOR, f"td.{name}").text for name in ("label", "projects", "total", "errors", "warnings", "status")}

    def errors_and_warnings(*names: str) -> tuple[str, str]:
        rows = [browser.find_element(By.CSS_SELECTOR, f'#townships tbody tr[data-name="{name}"]') for name in names]
        return tuple(str(sum(int(row.find_element(By.CSS_SELECTOR, f"td.{kind}").text) for row in rows))  # type: ignore[return-value]
                     for kind in ("errors", "warnings"))

    whole = browser.find_element(By.ID, "county").get_attribute("innerHTML")
    assert county()["label"] == "全县合计\n5 个单位，元已折算为万元"
    typed = browser.find_element(By.ID, "filter")
    # it once showed the whole county's figures under the rows the filter left: 5 townships, 5.423456 万元
    typed.send_keys("镇")
    errors, warnings = errors_and_warnings("甲镇", "乙镇", "丙镇", "戊镇")
    assert county() == {
        "label": "筛选后合计\n4 个单位（全县 5 个），元已折算为万元",
        "projects": "4",  # 戊镇's project is counted (its row says 1), its amount not: its 金额单位 is unknown
        "total": "0.423456\n未计入：戊镇 的 文档.yaml 无法读取，金额单位不明",  # exactly: in floats 0.42345600000000005
        "errors": errors,
        "warnings": warnings,
        "status": "总额不完整",
    }
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / "report-filtered.png"))

    typed.send_keys(Keys.BACKSPACE, "乙")
    assert county() == {"label": "筛选后合计\n1 个单位（全县 5 个），元已折算为万元", "projects": "1", "total": "0.20",
                        "errors": errors_and_warnings("乙镇")[0], "warnings": errors_and_warnings("乙镇")[1], "status": ""}
    typed.send_keys("没有这个单位")
    assert county()["label"].startswith("筛选后合计\n0 个单位") and county()["total"] == "0.00"

    typed.send_keys(Keys.CONTROL, "a")
    typed.send_keys(Keys.BACKSPACE)  # cleared: the county's row as the page was written
    assert browser.find_element(By.ID, "county").get_attribute("innerHTML") == whole
    assert "filtered" not in browser.find_element(By.ID, "county").get_attribute("class")
    assert browser.find_element(By.ID, "count").text == "5"
