"""Figures 1, 2, 3 and 5 of the speed table, this code against the code of an earlier revision, in one run.

    python benchmarks/against.py 5d43bbb          # the code the 2026-12-03 speed table measured
    python benchmarks/against.py 5d43bbb 1 5      # only the figures named

A ratio against pandoc or `python -c pass` moves with the machine (pandoc took 0.21 s on 12-03 and 0.16 s on
12-05, `python -c pass` 59 ms and 10 ms): "no worse than the table" is judged here instead, both codes on the
same machine, in the same minutes, run alternately (A, B, A, B …), each from its own checkout (a temporary
git worktree of the revision) with its own warm per-user cache, and an empty one for every run where the
figure has one. Each prints the medians of wall-clock and CPU time (user + system) and their ratios, this
code over the other: below 1 is faster. Python writes its bytecode for both (PYTHONDONTWRITEBYTECODE unset),
as for a user; otherwise each run would compile the code again.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from speed import Pair, run_once  # noqa: E402
from synthetic import make_county  # noqa: E402

SAMPLE = Path("projects") / "怀来县官厅镇-2024"


def main(revision: str, figures: set[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        other = work / "other"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(other), revision],
                       check=True, capture_output=True)
        try:
            commit = subprocess.run(["git", "-C", str(other), "log", "-1", "--format=%h %cd", "--date=iso"],
                                    capture_output=True, text=True, check=True).stdout.strip()
            print(f"this code ({ROOT}) against {revision} ({commit}); load {os.getloadavg()[0]:.1f}")
            compare(work, {"this": ROOT, "other": other}, figures)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(other)], capture_output=True)


def compare(work: Path, roots: dict[str, Path], figures: set[int]) -> None:
    base = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    envs = {side: {**base, "PYTHONPATH": str(root / "generator"), "XDG_CACHE_HOME": str(work / f"cache-{side}")}
            for side, root in roots.items()}
    empties = iter(range(10_000))

    def timed(side: str, args: list[str], empty: bool = False):  # type: ignore[no-untyped-def]
        # ROOT: the side's checkout; SIDE: its name, for an output folder of its own
        command = [sys.executable, "-m", "perfgen", *[arg.replace("ROOT", str(roots[side])).replace("SIDE", side) for arg in args]]

        def run() -> tuple[float, float]:
            env = envs[side]
            if empty:
                env = {**env, "XDG_CACHE_HOME": str(work / f"empty-{next(empties)}")}
            timing = run_once(command, work, env)
            if empty:
                shutil.rmtree(env["XDG_CACHE_HOME"], ignore_errors=True)
            return timing

        run_once(command, work, envs[side])  # bytecode written, cache filled
        return run

    def figure(name: str, args: list[str], runs: int, empty: bool) -> None:
        warm = Pair(runs, timed("this", args), timed("other", args))
        wall, cpu = warm.ratio()
        line = (f"{name}: this {warm.wall[0]:.3f} s (CPU {warm.cpu[0]:.3f}), the other {warm.wall[1]:.3f} s "
                f"(CPU {warm.cpu[1]:.3f}): {wall:.2f} x (CPU {cpu:.2f} x)")
        if empty:
            cold = Pair(max(3, runs // 2), timed("this", args, True), timed("other", args, True))
            wall, cpu = cold.ratio()
            line += (f"; with an empty cache {cold.wall[0]:.3f} s vs {cold.wall[1]:.3f} s: {wall:.2f} x "
                     f"(CPU {cpu:.2f} x)")
        print(line, flush=True)

    if 1 in figures:
        figure("1. build --draft --force of 怀来县官厅镇-2024", ["build", "--draft", "--force", f"ROOT/{SAMPLE}", "-o",
               str(work / "one-SIDE")], 9, True)
    if 2 in figures:
        figure("2. --help", ["--help"], 15, False)
    if 3 in figures:
        figure("3. validate of 怀来县官厅镇-2024", ["validate", f"ROOT/{SAMPLE}"], 11, True)
    if 5 in figures:
        county = work / "county"
        make_county(county, 20, 25)
        figure("5. county of 20 townships x 25 projects in one call", ["build", "--draft", "--force", str(county), "-o",
               str(work / "county-SIDE")], 3, True)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1], {int(arg) for arg in sys.argv[2:]} or {1, 2, 3, 5})
