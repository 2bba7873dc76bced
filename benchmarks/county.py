"""`perfgen build --draft` of synthetic counties of growing size: the time per township and the state store's size.

    python benchmarks/county.py                 # 200, 400, 800 and 2,000 townships x 20 projects
    python benchmarks/county.py 200 400         # only these sizes

Each size is built twice into a fresh output folder with a fresh per-user cache: the first build renders
every township (and records it in the output folder's state store, perfgen/state.py); the second, with one
township edited, skips the others and rebuilds that one. A build that scales linearly has a constant time
per township across sizes, and a store whose size per township is constant. The one-edit build's time per
township is that of the skipped townships (each hashed, its outputs' hashes checked, its problems read from
the check cache) plus a constant: rendering the edited township and starting perfgen, a few seconds, which
weighs more per township in a small county.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic import make_county  # noqa: E402

PROJECTS = 20
SIZES = (200, 400, 800, 2000)
DATABASE = ".perfgen-state.sqlite"


def timed_build(sources: Path, out: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system of perfgen and its workers) of one build."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "perfgen", "build", "--draft", "-q", str(sources), "-o", str(out)],
                   check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(sizes: list[int]) -> None:
    print(f"perfgen build --draft of a county, townships x {PROJECTS} projects; {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    print("(CPU: user + system seconds of perfgen and its workers, which a busy machine does not inflate as it does wall-clock time)")
    print(f"{'townships':>9} {'first s':>8} {'s/township':>10} {'CPU s/township':>14} {'one edit s':>10} {'s/township':>10}"
          f" {'CPU ms/township':>15} {'store MB':>9} {'KB/township':>11}")
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="perfgen-county-") as scratch:
            root = Path(scratch)
            sources, out = root / "src", root / "out"
            made = make_county(sources, size, PROJECTS)
            env = {**os.environ, "XDG_CACHE_HOME": str(root / "cache")}
            first, cpu = timed_build(sources, out, env)
            document = made[0] / "文档.yaml"
            document.write_text(document.read_text(encoding="utf-8") + "\n# 编辑\n", encoding="utf-8")
            again, again_cpu = timed_build(sources, out, env)
            store = sum(path.stat().st_size for path in out.glob(DATABASE + "*"))  # with its log, if any is left
            print(f"{size:>9} {first:>8.1f} {first / size:>10.3f} {cpu / size:>14.3f} {again:>10.1f} {again / size:>10.3f}"
                  f" {again_cpu / size * 1e3:>15.1f} {store / 1e6:>9.2f} {store / size / 1e3:>11.1f}", flush=True)
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or list(SIZES))
