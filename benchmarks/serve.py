"""perfgen serve's four figures (issue 23), measured on a copy of the 23-project sample 怀来县官厅镇-2024.

    python benchmarks/serve.py          # all four (1 needs chromium and chromedriver, 3 LibreOffice)
    python benchmarks/serve.py 2 4      # only the figures named

The figures, with their targets:
  1. edit saved -> page changed in a real browser (chromium), median of 20 edits of different files,
     from the file's write to the change of the page's DOM (a MutationObserver's clock)   <= 150 ms
  2. HTML render of the township alone, warm (its view and its body)                       <= 20 ms
  3. edit saved -> 分页预览 refreshed, LibreOffice warm, median of 5 edits: the new PDF laid out
     and the images of the first two pages made (the others are made as the browser scrolls to them) <= 2 s
  4. memory (RSS) of a server after 1,000 edits vs after its first 100                     <= +10 %
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent / "projects" / "怀来县官厅镇-2024"
CHROMIUM_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking "
    "--disable-component-update --disable-sync --disable-dev-shm-usage --window-size=1400,1000"
).split()


@contextmanager
def sample_server(office: bool = False) -> Iterator[tuple[object, Path]]:
    from perfgen.serve.app import Server

    with tempfile.TemporaryDirectory(prefix="perfgen-bench-serve-") as folder:
        township = Path(folder) / SAMPLE.name
        shutil.copytree(SAMPLE, township)
        server = Server([township], port=0, office=office)
        server.start()
        try:
            yield server, township
        finally:
            server.stop()


def edit(path: Path, n: int) -> None:
    """Change the project's 资金用途, differently each time."""
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^(资金用途: .*?)(（第 \d+ 次修改）)?$", rf"\1（第 {n} 次修改）", text, count=1), encoding="utf-8")


def project_files(township: Path) -> list[Path]:
    return sorted((township / "项目").glob("*.yaml"))


def report(number: int, name: str, figure: str, target: str, met: bool) -> None:
    print(f"{number}. {name}: {figure}   target {target}: {'met' if met else 'NOT MET'}", flush=True)


def browser_figure() -> None:
    chromium, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not chromedriver:
        print("1. skipped: chromium and chromedriver are needed (Debian: chromium chromium-driver)")
        return
    try:
        from selenium import webdriver
    except ImportError:
        print("1. skipped: selenium is needed (pip install selenium, or perfgen's test extra)")
        return
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    with tempfile.TemporaryDirectory() as profile, sample_server() as (server, township):
        options.add_argument(f"--user-data-dir={profile}")
        driver = webdriver.Chrome(options=options, service=Service(chromedriver))
        try:
            driver.get(server.url + "t/1/")  # type: ignore[attr-defined]
            driver.execute_script(
                "window.changed = 0; new MutationObserver(function () {"
                " window.changed = performance.timeOrigin + performance.now(); })"
                ".observe(document.getElementById('pg-root'), {childList: true, subtree: true});"
            )
            time.sleep(1)  # the event stream is open
            delays = []
            for n, path in enumerate(project_files(township)[:20], 1):
                before = driver.execute_script("return window.changed")
                written = time.time() * 1000
                edit(path, n)
                deadline = time.monotonic() + 10
                while (changed := driver.execute_script("return window.changed")) == before:
                    if time.monotonic() > deadline:
                        raise SystemExit(f"1. the page did not change after editing {path.name}")
                    time.sleep(0.005)
                delays.append(changed - written)
                time.sleep(0.3)  # the next edit is a new save, not part of this one
        finally:
            driver.quit()
    median = statistics.median(delays)
    report(1, "edit saved -> page changed in chromium", f"median {median:.0f} ms (min {min(delays):.0f}, max {max(delays):.0f}, 20 edits)", "<= 150 ms", median <= 150)


def render_figure() -> None:
    from perfgen.html.render import make_view, project_section, render_view
    from perfgen.validate.township import check_township

    checked = check_township(SAMPLE)
    for kept in (True, False):
        times, cpu = [], []
        for _ in range(60):
            if not kept:
                project_section._kept.clear()
            wall, process = time.perf_counter(), time.process_time()
            render_view(make_view(checked.township, checked.problems, editor_links=True), "body.html")
            times.append(time.perf_counter() - wall)
            cpu.append(time.process_time() - process)
        median = statistics.median(times[10:]) * 1000
        how = "the project pages kept from the last render" if kept else "every project page rendered anew"
        figure = f"median {median:.1f} ms (CPU {statistics.median(cpu[10:]) * 1000:.1f} ms)"
        report(2, f"HTML render of 官厅镇, warm, {how}", figure, "<= 20 ms", median <= 20)


def office_cpu(folder: str) -> float:
    """CPU seconds used so far by the LibreOffice processes working in ``folder`` (soffice, the UNO worker)."""
    total = 0.0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as command, open(f"/proc/{pid}/stat") as stat:
                if folder.encode() in command.read():
                    fields = stat.read().rsplit(")", 1)[1].split()
                    total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:  # ended meanwhile
            pass
    return total


def own_cpu() -> float:
    """CPU seconds of this process (all its threads) and of its children that ended (pdftoppm)."""
    import resource

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def pages_figure() -> None:
    from perfgen.office.libreoffice import find_soffice

    if find_soffice() is None or shutil.which("pdftoppm") is None:
        print("3. skipped: LibreOffice and pdftoppm are needed")
        return
    with sample_server(office=True) as (server, township):
        preview = server.preview  # type: ignore[attr-defined]
        live = preview.township(1)

        def laid_out() -> int:
            return preview.pages._pages.get(1).version if preview.pages._pages.get(1) else -1

        deadline = time.monotonic() + 180
        while laid_out() < 0:  # the first layout starts LibreOffice
            if time.monotonic() > deadline:
                raise SystemExit("3. LibreOffice made no pages")
            time.sleep(0.05)
        delays, layouts, perfgen_cpu, libreoffice_cpu = [], [], [], []
        folder = str(preview.pages._office.folder)
        for n, path in enumerate(project_files(township)[:5], 1):
            cpu, office = own_cpu(), office_cpu(folder)
            started = time.perf_counter()
            before = live.current.version
            edit(path, n)
            while live.current.version == before or laid_out() != live.current.version:
                if time.perf_counter() - started > 60:
                    raise SystemExit("3. the 分页预览 was not made again")
                time.sleep(0.02)
            ready = time.perf_counter() - started
            for page in (1, 2):  # what a browser window shows of the new pages, made when asked for
                assert preview.pages.image(live, page) is not None
            delays.append(time.perf_counter() - started)
            layouts.append(ready)
            perfgen_cpu.append(own_cpu() - cpu)
            libreoffice_cpu.append(office_cpu(folder) - office)
    median = statistics.median(delays)
    figure = (
        f"median {median:.2f} s (min {min(delays):.2f}, max {max(delays):.2f}, 5 edits; of which the layout "
        f"{statistics.median(layouts):.2f} s); CPU per edit: perfgen {statistics.median(perfgen_cpu):.2f} s "
        f"(check, .docx, PDF checks, images), LibreOffice {statistics.median(libreoffice_cpu):.2f} s"
    )
    report(3, "edit saved -> 分页预览 refreshed (new PDF, first two page images)", figure, "<= 2 s", median <= 2)


def rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def memory_figure() -> None:
    import gc

    with sample_server() as (server, township):
        live = server.preview.township(1)  # type: ignore[attr-defined]
        files = project_files(township)
        levels = {}
        for n in range(1, 1001):
            before = live.current.version
            edit(files[n % len(files)], n)
            deadline = time.monotonic() + 10
            while live.current.version == before:
                if time.monotonic() > deadline:
                    raise SystemExit(f"4. edit {n} was not seen")
                live.wait(before, 0.5)
            if n in (100, 1000):
                gc.collect()
                levels[n] = rss()
    growth = levels[1000] / levels[100] - 1
    report(4, "memory after 1,000 edits vs after 100", f"{levels[100] / 2**20:.1f} MB -> {levels[1000] / 2**20:.1f} MB ({growth:+.1%})", "<= +10 %", growth <= 0.10)


FIGURES = {1: browser_figure, 2: render_figure, 3: pages_figure, 4: memory_figure}

if __name__ == "__main__":
    wanted = [int(arg) for arg in sys.argv[1:]] or list(FIGURES)
    print(f"perfgen serve, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load {os.getloadavg()[0]:.1f}")
    for number in wanted:
        FIGURES[number]()
