"""An edit to any file of perfgen's code makes the next build rebuild every township (perfgen/state.py: code_digest)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECTS, ROOT

TOWNSHIP = "文安县机床市场管委会-2022"


def perfgen_build(code: Path, sources: Path, out: Path) -> str:
    """``perfgen build --draft`` run from the copy of perfgen at ``code``; its table."""
    env = {**os.environ, "PYTHONPATH": str(code / "generator"), "PYTHONDONTWRITEBYTECODE": "1",
           "XDG_CACHE_HOME": str(code / "cache")}
    run = subprocess.run(
        [sys.executable, "-m", "perfgen", "build", "--draft", "-j1", str(sources), "-o", str(out)],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert run.returncode == 0, run.stderr
    return run.stdout + run.stderr


@pytest.mark.slow
@pytest.mark.parametrize("edited", ["render/toc.py", "build/write.py", "load/syntax.py"])
def test_editing_any_file_of_perfgen_rebuilds(tmp_path: Path, edited: str) -> None:
    code = tmp_path / "perfgen"
    shutil.copytree(ROOT / "generator" / "perfgen", code / "generator" / "perfgen", ignore=shutil.ignore_patterns("__pycache__"))
    for folder in ("templates", "schemas"):
        (code / folder).symlink_to(ROOT / folder)
    sources, out = tmp_path / "src", tmp_path / "out"
    shutil.copytree(PROJECTS / TOWNSHIP, sources / TOWNSHIP)
    assert "已生成" in perfgen_build(code, sources, out)
    assert "跳过 1 个" in perfgen_build(code, sources, out)
    module = code / "generator" / "perfgen" / edited
    text = module.read_text(encoding="utf-8")
    # the same size and time as before: only the content tells
    stat = module.stat()
    assert " the " in text
    module.write_text(text.replace(" the ", " thE ", 1), encoding="utf-8")  # a word of a docstring or comment
    os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert module.read_text(encoding="utf-8") != text and module.stat().st_size == stat.st_size
    assert "跳过 0 个" in perfgen_build(code, sources, out)
