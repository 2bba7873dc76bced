"""Speed and scale of perfgen, measured against pandoc on the same content. Prints figures.

    bash benchmarks/run.sh          # installs pandoc if needed, then runs this and pdf_batch.py

Figures (each the median of a few runs where cheap):
  1. cold `perfgen build --draft` of the 23-project sample township vs pandoc (--toc) on a
     Markdown rendering of the same YAML;
  2. a synthetic county of 20 townships x 25 projects in one `perfgen build --draft` call vs
     20 pandoc runs;
  3. one township of 100 and of 1,000 projects: time ratio and peak memory;
  4. `perfgen validate` over 2,000 townships x 20 projects (40,000 project files).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from synthetic import make_county, make_township  # noqa: E402
from to_markdown import township_markdown  # noqa: E402

PERFGEN = [sys.executable, "-m", "perfgen"]
SAMPLE = ROOT / "projects" / "怀来县官厅镇-2024"
PEAK = (
    "import resource, subprocess, sys;"
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL);"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def seconds(command: list[str], cwd: Path, runs: int = 1) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_mb(command: list[str], cwd: Path) -> float:
    out = subprocess.run([sys.executable, "-c", PEAK, *command], cwd=cwd, capture_output=True, text=True, check=True)
    return int(out.stdout.strip()) / 1024  # ru_maxrss is in KiB on Linux


def pandoc(markdown: Path, out: Path) -> list[str]:
    return ["pandoc", str(markdown), "--toc", "-o", str(out)]


def main() -> None:
    if shutil.which("pandoc") is None:
        sys.exit("pandoc is not installed (Debian: apt-get install pandoc)")
    cores = os.cpu_count()
    print(f"machine: {cores} cores; {subprocess.run(['pandoc', '--version'], capture_output=True, text=True).stdout.splitlines()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)

        # 1. one township, cold
        markdown = work / "sample.md"
        markdown.write_text(township_markdown(SAMPLE), encoding="utf-8")
        ours = seconds([*PERFGEN, "build", "--draft", "--force", str(SAMPLE), "-o", str(work / "one")], work, runs=5)
        theirs = seconds(pandoc(markdown, work / "sample.docx"), work, runs=5)
        print(f"1. cold single township (23 projects): perfgen {ours:.2f} s, pandoc {theirs:.2f} s, "
              f"perfgen/pandoc = {ours / theirs:.2f} (target <= 1.0)")

        # 2. a county in one call against 20 pandoc runs
        county = work / "county"
        folders = make_county(county, 20, 25)
        for folder in folders:
            (work / f"{folder.name}.md").write_text(township_markdown(folder), encoding="utf-8")
        ours = seconds([*PERFGEN, "build", "--draft", "--force", str(county), "-o", str(work / "county-out")], work)
        start = time.perf_counter()
        for folder in folders:
            subprocess.run(pandoc(work / f"{folder.name}.md", work / f"{folder.name}.docx"), check=True)
        theirs = time.perf_counter() - start
        print(f"2. county of 20 townships x 25 projects: perfgen {ours:.2f} s in one call (-j{cores}), "
              f"20 pandoc runs {theirs:.2f} s, pandoc/perfgen = {theirs / ours:.2f} (target >= 1.5)")

        # 3. scaling in the number of projects
        figures = {}
        for size in (100, 1000):
            folder = make_township(work / f"scale-{size}", 1, size)
            command = [*PERFGEN, "build", "--draft", "--force", "-j1", str(folder), "-o", str(work / f"scale-out-{size}")]
            figures[size] = (seconds(command, work), peak_mb(command, work))
        (t100, m100), (t1000, m1000) = figures[100], figures[1000]
        print(f"3. township of 100 projects {t100:.2f} s ({m100:.0f} MB peak), of 1,000 projects {t1000:.2f} s "
              f"({m1000:.0f} MB peak): ratio {t1000 / t100:.1f} (target <= 12, peak < 1024 MB)")

        # 4. validation throughput
        big = work / "province"
        make_county(big, 2000, 20)
        took = seconds([*PERFGEN, "validate", str(big)], work)
        print(f"4. perfgen validate of 2,000 townships x 20 projects (40,000 project files): {took:.1f} s (target <= 60 s)")


if __name__ == "__main__":
    main()
