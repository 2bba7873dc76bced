"""Where the time of a cold build goes: import times and a profile of the work. Prints them.

    python benchmarks/where_time_goes.py

1. `python -X importtime` of `perfgen --help`, `perfgen validate` and `perfgen build --draft` of the
   23-project sample: total import time and the packages whose modules cost most.
2. cProfile of one `perfgen build --draft --force -j1` of the sample, in this process after its imports,
   with the per-user cache warm (as for a user after their first build): the functions by cumulative time.
   The cache keeps the sample's check results, so this is the rendering alone.
3. cProfile of a first check of the sample (what `perfgen validate` does for each township it has not
   seen unchanged before, figure 6): the functions by their own time.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "projects" / "怀来县官厅镇-2024"
LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def import_times(args: list[str], cwd: Path, env: dict[str, str], runs: int = 3) -> tuple[int, list[tuple[int, str]]]:
    """Microseconds of all imports, and the packages by the time their own modules took (self time).

    Each module's time is the least of ``runs`` runs: on a busy machine a single run is mostly noise.
    """
    modules: dict[str, int] = {}
    for _ in range(runs):
        run = subprocess.run([sys.executable, "-X", "importtime", "-m", "perfgen", *args], cwd=cwd, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for line in run.stderr.splitlines():
            match = LINE.match(line)
            if match:
                name, micros = match.group(4), int(match.group(1))
                modules[name] = min(modules.get(name, micros), micros)
    packages: dict[str, int] = {}
    for name, micros in modules.items():
        packages[name.split(".")[0]] = packages.get(name.split(".")[0], 0) + micros
    return sum(packages.values()), sorted(((micros, name) for name, micros in packages.items()), reverse=True)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.environ["XDG_CACHE_HOME"] = str(work / "cache")  # a private cache, made warm below
        env = dict(os.environ)
        draft = ["build", "--draft", "--force", "-j1", str(SAMPLE), "-o", str(work / "out")]
        subprocess.run([sys.executable, "-m", "perfgen", *draft], cwd=work, env=env, capture_output=True)

        print("== python -X importtime: ms spent importing, by package (self time of its modules, least of 3 runs)")
        for args in (["--help"], ["validate", "-j1", str(SAMPLE)], draft):
            total, top = import_times(args, work, env)
            label = " ".join(a if len(a) < 30 else Path(a).name for a in args)
            print(f"perfgen {label}: {total / 1000:.0f} ms of imports")
            for micros, name in top[:12]:
                print(f"  {micros / 1000:7.1f} ms  {name}")

        print("\n== cProfile of perfgen build --draft --force -j1 (imports done first; cache warm)")
        sys.path.insert(0, str(ROOT / "generator"))
        from perfgen.build import Options, build

        options = Options(out_dir=work / "profiled", draft=True, force=True, jobs=1)
        build([SAMPLE], options)  # imports everything the build needs, outside the profile
        profile = cProfile.Profile()
        start = time.perf_counter()
        profile.enable()
        build([SAMPLE], options)
        profile.disable()
        print(f"the build itself: {time.perf_counter() - start:.3f} s (with the profiler's overhead)")
        text = io.StringIO()
        pstats.Stats(profile, stream=text).sort_stats("cumulative").print_stats(30)
        body = text.getvalue()
        print(body[body.index("   ncalls"):].replace(str(ROOT) + "/", "").rstrip())

        print("\n== cProfile of a first check of the sample: loading, schema, model and rules (nothing kept)")
        from perfgen.validate.township import check_township

        check_township(SAMPLE)  # schemas compiled, modules imported: outside the profile
        profile = cProfile.Profile()
        start = time.perf_counter()
        profile.enable()
        for _ in range(10):
            check_township(SAMPLE)
        profile.disable()
        print(f"10 checks of the 24 files: {time.perf_counter() - start:.3f} s (with the profiler's overhead)")
        text = io.StringIO()
        pstats.Stats(profile, stream=text).sort_stats("tottime").print_stats(25)
        body = text.getvalue()
        print(body[body.index("   ncalls"):].replace(str(ROOT) + "/", "").rstrip())


if __name__ == "__main__":
    main()
