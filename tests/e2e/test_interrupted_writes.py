"""import, new and new --from killed at every step that changes the tree (issue #19): before or complete.

strace kills the command (SIGKILL) at its n-th mkdir, fsync, rename, unlink or rmdir, for every n until
the command gets through. After each kill the tree, scratch names aside, is exactly as before or exactly
as a complete run leaves it; the township finder (validate, build) sees no extra township; the next run
removes the scratch and finishes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, require_tool, tree_of

from perfgen.load.township import find_townships
from perfgen.write.tree import SCRATCH

STEPS = "mkdir,mkdirat,fsync,rename,renameat,renameat2,unlink,unlinkat,rmdir"


def run(args: list[str], cwd: Path, *prefix: str) -> subprocess.CompletedProcess[str]:
    blocked = cwd.parent / "no-cache"  # no per-user cache entry: only the tree is written
    blocked.touch()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "XDG_CACHE_HOME": str(blocked)}
    command = [*prefix, sys.executable, "-m", "perfgen", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, timeout=300, stdin=subprocess.DEVNULL)


def without_scratch(entries: dict[str, bytes | str]) -> dict[str, bytes | str]:
    return {name: value for name, value in entries.items() if not any(SCRATCH.match(part) for part in name.split("/"))}


def start(folder: Path) -> None:
    """A sources repository set up by init, with 甲镇-2024 and a 甲镇-2025 that holds a clerk's own file."""
    folder.mkdir()
    (folder / ".git").mkdir()
    assert run(["init"], folder).returncode == 0
    assert run(["new", "projects/甲镇-2024", "--单位编码", "816001", "--年度", "2024"], folder).returncode == 0
    assert run(["new", "--from", "projects/甲镇-2024", "projects/甲镇-2025"], folder).returncode == 0
    (folder / "projects" / "甲镇-2025" / "说明.txt").write_text("经办人自己的文件", encoding="utf-8")
    with (folder / "projects" / "甲镇-2025" / "文档.yaml").open("a", encoding="utf-8") as stream:
        stream.write("# 经办人改过，--force 会替换\n")


COMMANDS = {
    "new": ["new", "projects/乙镇-2025", "--单位编码", "816002", "--年度", "2025"],
    "new --from": ["new", "--from", "projects/甲镇-2024", "projects/甲镇-2026"],
    "new --from --force": ["new", "--from", "projects/甲镇-2024", "projects/甲镇-2025", "--force"],
    "import": ["import", str(FIXTURES / "import" / "甲镇-网页.docx"), "-o", "projects/丙镇-2024"],
    "import --force": ["import", str(FIXTURES / "import" / "甲镇-网页.docx"), "-o", "projects/甲镇-2025", "--force"],
}


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="strace")
@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_command_killed_at_any_step_leaves_the_tree_as_before_or_complete(tmp_path: Path, command: str) -> None:
    strace = require_tool("strace")
    args = COMMANDS[command]
    start(tmp_path / "before")
    before = tree_of(tmp_path / "before")
    shutil.copytree(tmp_path / "before", tmp_path / "complete", symlinks=True)
    done = run(args, tmp_path / "complete")
    assert done.returncode == 0, done.stderr
    complete = tree_of(tmp_path / "complete")
    assert complete != before
    townships = {"before": find_townships([tmp_path / "before" / "projects"])[0],
                 "complete": find_townships([tmp_path / "complete" / "projects"])[0]}

    step = 0
    while True:
        step += 1
        folder = tmp_path / f"killed-{step}"
        shutil.copytree(tmp_path / "before", folder, symlinks=True)
        trap = [strace, "-qq", "-o", os.devnull, "-e", f"trace={STEPS}", "-e", f"inject={STEPS}:signal=SIGKILL:when={step}"]
        killed = run(args, folder, *trap)
        if killed.returncode == 0:  # fewer steps than this: every one has been tried
            break
        assert killed.returncode in (-9, 137), f"step {step}: {killed.stderr}"
        left = tree_of(folder)
        state = "before" if without_scratch(left) == before else "complete" if without_scratch(left) == complete else None
        assert state is not None, f"step {step}: {sorted(set(left.items()) ^ set(before.items()))}"
        found = find_townships([folder / "projects"])[0]
        assert [p.name for p in found] == [p.name for p in townships[state]], f"step {step}"
        # the next run finishes the work and removes what the killed one left
        again = run([*args, "--force"] if state == "complete" and "--force" not in args else args, folder)
        assert again.returncode == 0, f"step {step}: {again.stderr}"
        assert tree_of(folder) == complete, f"step {step}"
        shutil.rmtree(folder)
    assert step > 5  # the kill points were reached: folders made, files synced, renamed, the old removed
