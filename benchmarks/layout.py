"""The cost of TOC page numbers: a full default build against one LibreOffice conversion. Prints the figure.

    python benchmarks/layout.py [RUNS]

Times `perfgen build --force` of 怀来县官厅镇-2024 (render, one LibreOffice layout, page numbers written
into the TOC, write) against one `soffice --convert-to pdf` of the .docx it built, alternately, each
with a fresh LibreOffice profile; prints the ratio of the medians (target <= 1.3). This is figure 4 of
speed.py, runnable without pandoc. Needs LibreOffice (soffice).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from itertools import count
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from speed import PERFGEN, SAMPLE, Pair, run_once, soffice_command, verdict  # noqa: E402


def main(runs: int) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        sys.exit("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache")}
        full = [*PERFGEN, "build", "--force", str(SAMPLE), "-o", str(work / "full")]
        run_once(full, work, env)  # fills perfgen's per-user cache, as a user's first build does
        built = work / "full" / f"{SAMPLE.name}.docx"
        profiles = count()

        def convert() -> tuple[float, float]:
            profile = work / f"profile-{next(profiles)}"  # a new profile each time, as perfgen's LibreOffice has
            timing = run_once(soffice_command(soffice, built, work / "pdf", profile), work, env)
            shutil.rmtree(profile, ignore_errors=True)
            return timing

        laid = Pair(runs, lambda: run_once(full, work, env), convert)
        wall, cpu = laid.ratio()
        print(
            f"full default build of 怀来县官厅镇-2024 {laid.wall[0]:.2f} s, one soffice --convert-to pdf of the same "
            f".docx {laid.wall[1]:.2f} s: {wall:.2f} x (CPU {cpu:.2f} x, LibreOffice's not counted for perfgen: it is "
            f"killed once done, not waited for; medians of {runs} alternate runs); "
            f"target <= 1.3: {verdict(wall, 1.3)}"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
