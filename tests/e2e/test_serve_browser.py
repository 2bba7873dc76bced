"""perfgen serve in a real browser: Debian's chromium through selenium and the system chromedriver.

The screenshots land in build/screenshots/ (look at them: they are what a clerk sees).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import ROOT, require_tool, require_uno_bridge
from perfgen.serve.app import Server

pytestmark = pytest.mark.slow  # starts a browser (and, for the 分页预览, LibreOffice)

GUANTING = "怀来县官厅镇-2024"
SCREENSHOTS = ROOT / "build" / "screenshots"
FIRST = "项目/官厅镇村干部工资.yaml"
PLACEHOLDER = "项目/官厅镇怀财字【2024】7号防火经费.yaml"  # its goal is the template's 目标内容1
WAIT = 30  # seconds: generous for a busy CI machine; the benchmark measures the real delay

CHROMIUM_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking "
    "--disable-component-update --disable-sync --disable-dev-shm-usage --window-size=1400,1000"
).split()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    chromium = require_tool("chromium")
    chromedriver = require_tool("chromedriver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    with tempfile.TemporaryDirectory(prefix="perfgen-chromium-") as profile:
        options.add_argument(f"--user-data-dir={profile}")
        driver = webdriver.Chrome(options=options, service=Service(chromedriver))
        driver.set_page_load_timeout(WAIT)
        try:
            yield driver
        finally:
            driver.quit()


@contextmanager
def serving(folder: Path, office: bool = False) -> Iterator[Server]:
    server = Server([folder], port=0, office=office)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def wait_for(driver, condition, message: str):  # type: ignore[no-untyped-def]
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    # the live preview swaps the page's elements in as it updates: one found a moment ago may be gone
    waiting = WebDriverWait(driver, WAIT, poll_frequency=0.05, ignored_exceptions=[StaleElementReferenceException])
    return waiting.until(condition, message)


def css(driver, selector: str) -> list:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, selector)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_sample_in_the_browser_follows_its_files(browser, sample_copy) -> None:  # type: ignore[no-untyped-def]
    folder = sample_copy(GUANTING)
    with serving(folder) as server:
        browser.get(server.url + "t/1/")
        wait_for(browser, lambda d: len(css(d, "section.pg-project")) == 23, "23 project tables")
        # every 一级 cell spans its rows, as the merged cells of the Word table
        spans = [int(cell.get_attribute("rowspan") or 1) for cell in css(browser, "td.pg-level1")]
        assert len(spans) == 23 * 3 and all(span > 1 for span in spans[:2])
        assert sum(spans) == len(css(browser, "table.pg-indicators tr")) - 23  # less the head rows
        # the template's placeholder 目标内容1 is marked as an error at its cell, the message in its tooltip
        placeholder = [e for e in css(browser, "td.pg-goals p.pg-error") if e.text == "1.目标内容1"]
        assert len(placeholder) == 9
        assert "占位文字" in placeholder[0].get_attribute("title")
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", placeholder[0])
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(SCREENSHOTS / "serve.png"))

        # a saved change shows without a reload: the page's own state survives
        browser.execute_script("window.perfgenMark = 42")
        version = browser.execute_script("return document.body.dataset.version || ''")
        edit(folder / FIRST, "项目名称: 官厅镇村干部工资", "项目名称: 官厅镇村干部报酬")
        wait_for(browser, lambda d: "1.官厅镇村干部报酬绩效目标表" in d.find_element("id", "project-1").text, "edit shown")
        assert browser.execute_script("return window.perfgenMark") == 42
        assert browser.execute_script("return document.body.dataset.version") != version
        # the status line in Chinese with a 24-hour clock, whatever the browser's language (no "PM")
        wait_for(browser, lambda d: d.find_element("id", "pg-live").text.startswith("已更新"), "status shown")
        assert re.fullmatch(r"已更新 \d\d:\d\d:\d\d", browser.find_element("id", "pg-live").text)

        # broken YAML: the error on top of the last good table, greyed; fixed: the page as before
        good = (folder / FIRST).read_text(encoding="utf-8")
        (folder / FIRST).write_text(good.replace("项目名称: 官厅镇村干部报酬", "项目名称: [官厅镇村干部报酬"), encoding="utf-8")
        wait_for(browser, lambda d: css(d, "#project-1 .pg-banner-stale"), "error shown")
        banner = css(browser, "#project-1 .pg-banner-stale")[0]
        assert "上次正确时的内容" in banner.text and "错误" in banner.text
        assert "pg-stale" in browser.find_element("id", "project-1").get_attribute("class")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        browser.execute_script("document.getElementById('project-1').scrollIntoView()")
        browser.save_screenshot(str(SCREENSHOTS / "serve-broken.png"))
        (folder / FIRST).write_text(good, encoding="utf-8")
        wait_for(browser, lambda d: not css(d, "#project-1 .pg-banner"), "page back")
        assert "1.官厅镇村干部报酬绩效目标表" in browser.find_element("id", "project-1").text
        assert browser.execute_script("return window.perfgenMark") == 42


def test_a_hostile_text_shows_as_text(browser, sample_copy) -> None:  # type: ignore[no-untyped-def]
    from selenium.common.exceptions import NoAlertPresentException

    folder = sample_copy(GUANTING)
    hostile = "<img src=x onerror=alert(1)><script>alert(2)</script>{{ 7*7 }}"
    path = folder / FIRST
    path.write_text(re.sub(r"(?m)^资金用途: .*$", f"资金用途: '{hostile}'", path.read_text(encoding="utf-8")), encoding="utf-8")
    with serving(folder) as server:
        browser.get(server.url + "t/1/")
        wait_for(browser, lambda d: css(d, "#project-1 table.pg-head"), "page shown")
        cells = [cell for cell in css(browser, "#project-1 td") if cell.text == hostile]
        assert len(cells) == 1 and cells[0].is_displayed()
        assert css(browser, "img") == [] and len(css(browser, "script")) == 1  # perfgen.js only
        with pytest.raises(NoAlertPresentException):
            browser.switch_to.alert.text  # noqa: B018 - asking for the alert is the check


@pytest.mark.libreoffice
def test_the_real_pages_follow_the_files(browser, sample_copy) -> None:  # type: ignore[no-untyped-def]
    soffice = require_tool("soffice")
    require_uno_bridge(soffice)
    require_tool("pdftoppm")
    folder = sample_copy(GUANTING)
    with serving(folder, office=True) as server:
        browser.get(server.url + "t/1/pages")
        wait_for(browser, lambda d: len(css(d, "img.pg-sheet")) > 20, "pages made")
        first = browser.execute_script("return document.body.dataset.pagesVersion")
        images = css(browser, "img.pg-sheet")
        wait_for(browser, lambda d: d.execute_script("return arguments[0].naturalWidth", images[1]) > 0, "loaded")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(SCREENSHOTS / "serve-pages.png"))
        edit(folder / FIRST, "项目名称: 官厅镇村干部工资", "项目名称: 官厅镇村干部报酬")
        wait_for(browser, lambda d: d.execute_script("return document.body.dataset.pagesVersion") != first, "pages again")


def test_ctrl_c_stops_the_preview_and_its_libreoffice(sample_copy) -> None:  # type: ignore[no-untyped-def]
    import os
    import signal
    import subprocess
    import sys
    import time
    import urllib.request

    folder = sample_copy(GUANTING)
    process = subprocess.Popen(
        [sys.executable, "-m", "perfgen", "serve", str(folder), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=folder.parent,
    )
    try:
        line = process.stdout.readline()
        address = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert address, line
        with urllib.request.urlopen(address.group(0) + "t/1/", timeout=WAIT) as answer:
            assert "官厅镇村干部工资绩效目标表" in answer.read().decode()
        time.sleep(2)  # LibreOffice is starting for the 分页预览, when it is installed
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=WAIT)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "预览已停止。" in out and "Traceback" not in err
    time.sleep(1)
    left = [p for p in os.listdir("/proc") if p.isdigit() and b"perfgen-serve-" in _cmdline(p)]
    assert left == []


def _cmdline(pid: str) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as stream:
            return stream.read()
    except OSError:
        return b""
