"""Speed of perfgen against its yardsticks, every figure a ratio measured in this one run. Prints figures.

    bash benchmarks/run.sh          # from a clean clone: installs pandoc, perfgen, runs this and profile.py
    python benchmarks/speed.py      # with perfgen and pandoc (and LibreOffice for figure 4) installed
    python benchmarks/speed.py 1 3  # only the figures named

The six figures (issue 15), with their targets:
  1. cold `perfgen build --draft --force` of the 23-project sample 怀来县官厅镇-2024
     vs pandoc --toc on a Markdown rendering of the same content          <= 0.5 x pandoc
  2. `perfgen --help` vs `python -c pass`                                    <= 4 x
  3. `perfgen validate` of the same township vs the same pandoc run          <= 0.25 x pandoc
  4. full default build of that township (TOC page numbers via LibreOffice)
     vs one `soffice --convert-to pdf` of the same .docx                     <= 1.3 x
  5. a county of 20 townships x 25 projects in one call vs 20 pandoc runs   pandoc takes >= 4 x as long
  6. `perfgen validate` of 2,000 townships x 20 projects (40,000 files)      <= 15 s
and, kept from the scale issue: 7. one township of 1,000 vs 100 projects    <= 12 x, peak < 1 GB

Commands that are compared run alternately (A, B, A, B, ...) so that a busy machine slows both alike;
each figure is the ratio of the medians of wall-clock time, and the ratio of the medians of CPU time
(user + system of the child processes) is printed beside it as a check that does not depend on load.
"Cold" means a new process each time. perfgen's per-user cache (the prepared template, and each
township's check results while its files do not change) is warm, as it is for a user after their first
run; figures 1, 3 and 5 are also measured with an empty cache for every run (a first run ever, or one
after every township changed), and figure 6 is only measured so. The cache used is a private folder of
this run (XDG_CACHE_HOME), never the user's.
"""

from __future__ import annotations

import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from synthetic import make_county, make_township  # noqa: E402
from to_markdown import township_markdown  # noqa: E402

PERFGEN = [sys.executable, "-m", "perfgen"]
PEAK = (
    "import resource, subprocess, sys;"
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL);"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)
SAMPLE = ROOT / "projects" / "怀来县官厅镇-2024"


def run_once(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system of the child) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


class Pair:
    """Two commands timed alternately; medians of wall and CPU time for each."""

    def __init__(self, runs: int, ours: Callable[[], tuple[float, float]], theirs: Callable[[], tuple[float, float]]):
        mine: list[tuple[float, float]] = []
        other: list[tuple[float, float]] = []
        for _ in range(runs):
            mine.append(ours())
            other.append(theirs())
        self.wall = statistics.median(t[0] for t in mine), statistics.median(t[0] for t in other)
        self.cpu = statistics.median(t[1] for t in mine), statistics.median(t[1] for t in other)

    def ratio(self, inverse: bool = False) -> tuple[float, float]:
        (a, b), (c, d) = self.wall, self.cpu
        return (b / a, d / c) if inverse else (a / b, c / d)


def verdict(value: float, target: float, at_most: bool = True) -> str:
    met = value <= target if at_most else value >= target
    return "met" if met else "NOT met"


def soffice_command(soffice: str, docx: Path, out: Path, profile: Path) -> list[str]:
    return [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
            "--outdir", str(out), str(docx)]


def main(figures: set[int]) -> None:
    if shutil.which("pandoc") is None:
        sys.exit("pandoc is not installed (Debian: apt-get install pandoc); bash benchmarks/run.sh installs it")
    pandoc_version = subprocess.run(["pandoc", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    soffice = shutil.which("soffice")
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(f"date: {now}; machine: {platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; "
          f"Python {platform.python_version()}; {pandoc_version}")

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache")}
        empties = iter(range(10_000))

        def timed(command: list[str]) -> Callable[[], tuple[float, float]]:
            return lambda: run_once(command, work, env)

        def with_empty_cache(command: list[str]) -> Callable[[], tuple[float, float]]:
            def run() -> tuple[float, float]:
                cache = work / f"empty-cache-{next(empties)}"
                timing = run_once(command, work, {**env, "XDG_CACHE_HOME": str(cache)})
                shutil.rmtree(cache, ignore_errors=True)
                return timing

            return run

        markdown = work / "sample.md"
        markdown.write_text(township_markdown(SAMPLE), encoding="utf-8")
        pandoc = ["pandoc", str(markdown), "--toc", "-o", str(work / "sample.docx")]
        draft = [*PERFGEN, "build", "--draft", "--force", str(SAMPLE), "-o", str(work / "one")]

        def against_pandoc(number: int, what: str, command: list[str], target: float) -> None:
            """A cold perfgen command against pandoc, with the per-user cache warm (as after a first run) and empty."""
            run_once(command, work, env)  # fills the cache
            warm = Pair(7, timed(command), timed(pandoc))
            empty = Pair(5, with_empty_cache(command), timed(pandoc))
            (wall, cpu), (empty_wall, empty_cpu) = warm.ratio(), empty.ratio()
            print(f"{number}. {what}: perfgen {warm.wall[0]:.3f} s, pandoc {warm.wall[1]:.3f} s: "
                  f"{wall:.2f} x pandoc (CPU {cpu:.2f} x); target <= {target}: {verdict(wall, target)}. "
                  f"With an empty cache: {empty.wall[0]:.3f} s vs {empty.wall[1]:.3f} s, {empty_wall:.2f} x (CPU {empty_cpu:.2f} x)")

        # 1. cold single build
        if 1 in figures:
            against_pandoc(1, "cold build --draft of 怀来县官厅镇-2024 (23 projects)", draft, 0.5)

        # 2. help
        if 2 in figures:
            helped = Pair(15, timed([*PERFGEN, "--help"]), timed([sys.executable, "-c", "pass"]))
            wall, cpu = helped.ratio()
            print(f"2. perfgen --help {helped.wall[0] * 1000:.0f} ms, python -c pass {helped.wall[1] * 1000:.0f} ms: "
                  f"{wall:.2f} x (CPU {cpu:.2f} x); target <= 4: {verdict(wall, 4)}")
            # the least any typer command takes: what of figure 2 is typer's, and what perfgen's
            floor = Pair(15, timed([sys.executable, "-c", "import typer"]), timed([sys.executable, "-c", "pass"]))
            wall, cpu = floor.ratio()
            print(f"   python -c 'import typer' alone {floor.wall[0] * 1000:.0f} ms: {wall:.2f} x (CPU {cpu:.2f} x)")

        # 3. validate one township
        if 3 in figures:
            against_pandoc(3, "validate of 怀来县官厅镇-2024", [*PERFGEN, "validate", str(SAMPLE)], 0.25)

        # 4. full default build against one LibreOffice conversion of the same document
        if 4 in figures:
            if soffice is None:
                print("4. skipped: LibreOffice (soffice) is not installed")
            else:
                full = [*PERFGEN, "build", "--force", str(SAMPLE), "-o", str(work / "full")]
                run_once(full, work, env)
                built = work / "full" / f"{SAMPLE.name}.docx"
                profiles = iter(range(1000))

                def convert() -> tuple[float, float]:
                    # a new profile each time, as perfgen's LibreOffice has
                    profile = work / f"profile-{next(profiles)}"
                    timing = run_once(soffice_command(soffice, built, work / "pdf", profile), work, env)
                    shutil.rmtree(profile, ignore_errors=True)
                    return timing

                laid = Pair(3, timed(full), convert)
                wall, cpu = laid.ratio()
                print(f"4. full build of 怀来县官厅镇-2024 {laid.wall[0]:.2f} s, one soffice --convert-to pdf {laid.wall[1]:.2f} s: "
                      f"{wall:.2f} x (CPU {cpu:.2f} x, without perfgen's LibreOffice, killed once done); "
                      f"target <= 1.3: {verdict(wall, 1.3)}")

        # 5. a county in one call against 20 pandoc runs
        if 5 in figures:
            county = work / "county"
            folders = make_county(county, 20, 25)
            for folder in folders:
                (work / f"{folder.name}.md").write_text(township_markdown(folder), encoding="utf-8")

            def pandoc_county() -> tuple[float, float]:
                total = [0.0, 0.0]
                for folder in folders:
                    wall, cpu = run_once(["pandoc", str(work / f"{folder.name}.md"), "--toc", "-o",
                                          str(work / f"{folder.name}.docx")], work, env)
                    total[0] += wall
                    total[1] += cpu
                return total[0], total[1]

            build_county = [*PERFGEN, "build", "--draft", "--force", str(county), "-o", str(work / "county-out")]
            time.sleep(2)  # files changed in the last 2 s are checked but their results not kept (validate/memo.py)
            run_once(build_county, work, env)
            batch = Pair(3, timed(build_county), pandoc_county)
            wall, cpu = batch.ratio(inverse=True)
            empty = Pair(3, with_empty_cache(build_county), pandoc_county)
            empty_wall, empty_cpu = empty.ratio(inverse=True)
            print(f"5. county of 20 townships x 25 projects: perfgen {batch.wall[0]:.2f} s in one call (-j{os.cpu_count()}), "
                  f"20 pandoc runs {batch.wall[1]:.2f} s: pandoc takes {wall:.2f} x as long (CPU {cpu:.2f} x); "
                  f"target >= 4: {verdict(wall, 4, at_most=False)}. With an empty cache: {empty.wall[0]:.2f} s vs "
                  f"{empty.wall[1]:.2f} s, {empty_wall:.2f} x (CPU {empty_cpu:.2f} x)")
            shutil.rmtree(county)

        # 6. validation throughput
        if 6 in figures:
            big = work / "province"
            make_county(big, 2000, 20)
            province = [*PERFGEN, "validate", str(big)]
            own = {**env, "XDG_CACHE_HOME": str(work / "province-cache")}  # empty: a first check of every file
            took, cpu_took = run_once(province, work, own)
            print(f"6. perfgen validate of 2,000 townships x 20 projects (40,000 project files), empty cache: {took:.1f} s "
                  f"(CPU {cpu_took:.1f} s on {os.cpu_count()} cores): {took / 15:.2f} x the target of 15 s: {verdict(took, 15)}")
            again, cpu_again = run_once(province, work, own)
            print(f"   the same again, every township's results kept from the run before: {again:.1f} s (CPU {cpu_again:.1f} s)")

            shutil.rmtree(big)

        # 7. scaling in the number of projects
        if 7 in figures:
            scaled = {}
            for size in (100, 1000):
                folder = make_township(work / f"scale-{size}", 1, size)
                command = [*PERFGEN, "build", "--draft", "--force", "-j1", str(folder), "-o", str(work / f"scale-{size}-out")]
                start = time.perf_counter()
                peak = subprocess.run([sys.executable, "-c", PEAK, *command], cwd=work, env=env, capture_output=True,
                                      text=True, check=True)
                scaled[size] = time.perf_counter() - start, int(peak.stdout.strip()) / 1024  # ru_maxrss is in KiB on Linux
            (t100, m100), (t1000, m1000) = scaled[100], scaled[1000]
            print(f"7. township of 100 projects {t100:.2f} s ({m100:.0f} MB peak), of 1,000 projects {t1000:.2f} s "
                  f"({m1000:.0f} MB peak): {t1000 / t100:.1f} x; target <= 12 x and < 1024 MB: "
                  f"{verdict(max(t1000 / t100 / 12, m1000 / 1024), 1)}")


if __name__ == "__main__":
    main({int(arg) for arg in sys.argv[1:]} or set(range(1, 8)))
