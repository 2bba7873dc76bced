"""A longer campaign of hostile and random input than the test suite runs; prints its figures.

    python benchmarks/campaign.py [--examples 1000] [--parts build,fmt,refusals,kill,import]

1. random townships (random Unicode in every text, random valid amounts): each builds, shows every
   value in its text and rebuilds byte for byte (the property of tests/e2e/test_properties.py);
2. random source files in every quoting style: fmt keeps the data and is idempotent, never refuses;
3. alias bombs of 5, 6 and 9 levels, and every invalid case under tests/cases: time to refuse;
4. kill -9 before each rename of a build of the four samples (with strace): after it, the next build
   gives exactly the clean build, with the edit reverted and with it kept;
5. every import bomb (.docx and PDF) in a process of its own: processor time and peak memory, then
   ``--examples`` mutated PDFs read or refused in Chinese, never a traceback.

Figures are reported in benchmarks/README.md (robustness campaign).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from properties import check_build, check_fmt, source_texts, townships  # noqa: E402

from perfgen.load.yamlfile import parse_yaml  # noqa: E402
from perfgen.validate.township import check_township  # noqa: E402


def random_runs(name: str, strategy: st.SearchStrategy[Any], check: Callable[[Path, Any], bool | None], examples: int) -> None:
    counts = {"examples": 0, "used": 0}

    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(strategy)
    def run(value: Any) -> None:
        counts["examples"] += 1
        with tempfile.TemporaryDirectory() as root:
            if check(Path(root) / "乡镇", value) is not False:
                counts["used"] += 1

    started = time.perf_counter()
    run()  # a failure raises, with hypothesis's smallest failing example
    seconds = time.perf_counter() - started
    print(f"{name}：{counts['examples']} 个随机样例（{counts['used']} 个有效），0 个失败，用时 {seconds:.0f} 秒")


def alias_bomb(levels: int) -> str:
    lines = ["a0: &a0 [x, x]"] + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def refusals() -> None:
    for levels in (5, 6, 9):
        started = time.perf_counter()
        data, problems = parse_yaml(alias_bomb(levels), Path("a.yaml"), "a.yaml")
        milliseconds = (time.perf_counter() - started) * 1000
        assert data is None and problems[-1].rule == "yaml-alias"
        print(f"{levels} 层别名炸弹：{milliseconds:.1f} 毫秒拒绝")
    cases = sorted(p for p in (ROOT / "tests" / "cases" / "invalid").iterdir() if p.is_dir())
    slowest, name = 0.0, ""
    os.chdir(cases[0].parent)
    check_township(Path(cases[0].name))  # the schema validators are built once per process: not a case's time
    for case in cases:
        started = time.perf_counter()
        check_township(Path(case.name))
        seconds = time.perf_counter() - started
        if seconds > slowest:
            slowest, name = seconds, case.name
    print(f"{len(cases)} 个无效用例：最慢的（{name}）{slowest * 1000:.0f} 毫秒")


def _snapshot(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _build(sources: Path, out: Path, *prefix: str) -> int:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    command = [*prefix, sys.executable, "-m", "perfgen", "build", "--draft", str(sources), "-o", str(out)]
    return subprocess.run(command, capture_output=True, env=env, timeout=600).returncode


def _edit(sources: Path) -> None:
    for document in sources.glob("*/文档.yaml"):
        text = document.read_text(encoding="utf-8")
        document.write_text(text.replace("单位名称: ", "单位名称: 新", 1), encoding="utf-8")


def kill_trials() -> None:
    strace = shutil.which("strace")
    if strace is None:
        print("没有 strace：跳过 kill -9 试验")
        return
    renames = "rename,renameat,renameat2"
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        original, edited = root / "original", root / "edited"
        shutil.copytree(ROOT / "projects", original)
        shutil.copytree(original, edited)
        _edit(edited)
        clean = {}
        for label, sources in (("original", original), ("edited", edited)):
            assert _build(sources, root / f"clean-{label}") == 0
            clean[label] = _snapshot(root / f"clean-{label}")
        trials = mismatches = 0
        started = time.perf_counter()
        while True:
            sources, out, kept = root / "sources", root / f"out-{trials}", root / f"kept-{trials}"
            shutil.rmtree(sources, ignore_errors=True)
            shutil.copytree(original, sources)
            _edit(sources)
            shutil.copytree(root / "clean-original", out)
            trap = [strace, "-qq", "-o", os.devnull, "-e", f"trace={renames}", "-e", f"inject={renames}:signal=SIGKILL:when={trials + 1}"]
            if _build(sources, out, *trap) == 0:
                break  # fewer renames than that: every one has been a kill point
            trials += 1
            shutil.copytree(out, kept)
            shutil.rmtree(sources)
            shutil.copytree(original, sources)
            _build(sources, out)
            mismatches += _snapshot(out) != clean["original"]
            shutil.rmtree(sources)
            shutil.copytree(edited, sources)
            _build(sources, kept)
            mismatches += _snapshot(kept) != clean["edited"]
        seconds = time.perf_counter() - started
    print(f"kill -9 试验：{trials} 个中断点（四个样例单位的每次改名之前），{mismatches} 次与干净生成不一致，用时 {seconds:.0f} 秒")


def import_bombs(examples: int) -> None:
    from fake_templates import element_bomb, zip_bomb
    from measure import measured
    from pdf_maker import form_bomb, grid, mutations, operator_bomb, page_bomb, pdf, small_township_pdf, stream_bomb

    from perfgen.errors import PerfgenError
    from perfgen.importer.pdf import read_pdf

    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        pdfs = {
            "stream.pdf": stream_bomb(),
            "form.pdf": form_bomb(),
            "operators.pdf": operator_bomb(),
            "pages.pdf": page_bomb(1001),
            "grid-100x100.pdf": pdf([grid(100)]),
        }
        for name, data in pdfs.items():
            (work / name).write_bytes(data)
        files = [zip_bomb(work / "zip.docx", 150), element_bomb(work / "elements.docx"), *(work / name for name in pdfs)]
        for path in files:
            for command in ("import", "text") if path.suffix == ".docx" else ("import",):
                result = measured(command, path.name, "-o", f"out-{path.stem}", cwd=work) if command == "import" else measured(command, path.name, cwd=work)
                said = result.stderr.strip().splitlines()[-1][:60] if result.stderr.strip() else "（无）"
                print(f"{command} {path.name}（{path.stat().st_size // 1024} KB）：{result.figures()}；退出码 {result.returncode}；{said}")
    outcomes = {"read": 0, "refused": 0, "traceback": 0}
    started = time.perf_counter()
    for data in mutations(small_township_pdf(), examples, seed=2026):
        try:
            read_pdf(data)
            outcomes["read"] += 1
        except PerfgenError:
            outcomes["refused"] += 1
        except Exception:  # what the campaign looks for
            outcomes["traceback"] += 1
    seconds = time.perf_counter() - started
    print(f"随机损坏的 PDF：{examples} 个，读出 {outcomes['read']}，中文说明后拒绝 {outcomes['refused']}，"
          f"程序错误 {outcomes['traceback']}，用时 {seconds:.0f} 秒")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=1000, help="random examples for each property (default 1000)")
    parser.add_argument("--parts", default="build,fmt,refusals,kill,import", help="which parts to run (default: all five)")
    args = parser.parse_args()
    parts = args.parts.split(",")
    if "build" in parts:
        random_runs("随机单位生成（每个值都在文档中，重新生成逐字节相同）", townships(), check_build, args.examples)
    if "fmt" in parts:
        random_runs("随机源文件整理（数据不变，再整理不变）", source_texts(), check_fmt, args.examples)
    if "refusals" in parts:
        refusals()
    if "kill" in parts:
        kill_trials()
    if "import" in parts:
        import_bombs(args.examples)


if __name__ == "__main__":
    main()
