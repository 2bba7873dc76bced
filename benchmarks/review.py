"""Figures for reviewing a county: validate --since, diff --format comment and report, by county size.

    python benchmarks/review.py [TOWNSHIPS ...]      (default: 10 20 40)

Each county is made by benchmarks/synthetic.py (23 projects a township), committed in a git
repository; one project of one township is then edited, as a pull request would. Printed: the
seconds of each command (one run, a warm per-user cache for the working tree) and the seconds per
township, so that a reader sees whether the cost grows linearly with the county.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import make_county  # noqa: E402

PERFGEN = [sys.executable, "-m", "perfgen"]
ENV = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@example.org", "GIT_COMMITTER_NAME": "b",
       "GIT_COMMITTER_EMAIL": "b@example.org"}


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, check=False)
    return time.perf_counter() - start


def county(root: Path, townships: int) -> Path:
    make_county(root / "projects", townships, 23)
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "county"]):
        subprocess.run(["git", *args], cwd=root, env=ENV, check=True)
    first = sorted((root / "projects").iterdir())[0]
    project = sorted((first / "项目").glob("*.yaml"))[0]
    text = project.read_text(encoding="utf-8")
    project.write_text(text.replace("\n资金用途:", "\n# 改动\n资金用途:", 1), encoding="utf-8")
    return root


def main(sizes: list[int]) -> None:
    print(f"{'单位数':>6} {'validate':>10} {'--since':>10} {'diff comment':>13} {'report':>10}   （秒；括号中为每个单位的毫秒）")
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            root = county(Path(folder), size)
            figures = [
                timed([*PERFGEN, "validate"], root),
                timed([*PERFGEN, "validate", "--since", "main"], root),
                timed([*PERFGEN, "diff", "main", "--format", "comment"], root),
                timed([*PERFGEN, "report", "-o", "out"], root),
            ]
        cells = " ".join(f"{f:6.2f}({1000 * f / size:4.0f})" for f in figures)
        print(f"{size:>6} {cells}")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [10, 20, 40])
