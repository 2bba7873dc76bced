"""Builds killed at any point, and builds into one folder at once: outputs and their record always agree."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import PROJECTS, draft, require_tool

from perfgen.build import build
from perfgen.write.lock import LOCK, OutputLock
from perfgen.build.plan import output_digest
from perfgen.state import DATABASE, OLD_MANIFEST, Store

TOWNSHIPS = ("文安县机床市场管委会-2022", "丰润区泉河头镇-2022")
RENAMES = "rename,renameat,renameat2"
SYNCS = "fsync,fdatasync"  # every commit of the record, and every output made durable before its rename


def snapshot(out: Path) -> dict[str, bytes]:
    """Every file under an output folder, by relative path; a PDF by its text (LibreOffice stamps each one); the
    record by its rows (its file's bytes depend on the order of its writes, its log comes and goes)."""
    files = {}
    for path in sorted(out.rglob("*")):
        if path.is_file() and not path.name.endswith(("-wal", "-shm")):
            relative = path.relative_to(out).as_posix()
            files[relative] = pdf_text(path) if path.suffix == ".pdf" else rows(path) if relative == DATABASE else path.read_bytes()
    return files


def rows(database: Path) -> bytes:
    with contextlib.closing(sqlite3.connect(database)) as db:
        return repr(sorted(db.execute("SELECT * FROM built"))).encode()


def pdf_text(path: Path) -> bytes:
    from pypdf import PdfReader

    return "\f".join(page.extract_text() for page in PdfReader(path).pages).encode()


def comparable(files: dict[str, bytes]) -> dict[str, bytes]:
    """The snapshot with the record's PDF hashes left out (the PDF differs by its time stamp)."""
    files = dict(files)
    files.pop(DATABASE, None)
    return files


def recorded(out: Path) -> dict[str, dict[str, str | None]]:
    """The outputs the record vouches for, by township, without the PDFs'."""
    with Store(out) as store:
        names = [name for (name,) in store.db.execute("SELECT name FROM built")]
        built = {name: store.built(name) for name in names}
    return {name: {k: v for k, v in b.outputs.items() if not k.endswith(".pdf")} for name, b in built.items() if b}


def vouched(out: Path) -> None:
    """Every output the record vouches for is the one it recorded."""
    with Store(out) as store:
        for (name,) in store.db.execute("SELECT name FROM built").fetchall():
            built = store.built(name)
            assert built is not None
            for output, digest in built.outputs.items():
                assert output_digest(out / output) == digest, output


def perfgen_build(sources: Path, out: Path, *prefix: str, options: tuple[str, ...] = ("--draft",)) -> subprocess.CompletedProcess[str]:
    # no .pyc renamed into place while we count renames, nor a commit of the per-user cache (perfgen/cache.py,
    # outside the output folder) among the syncs: its folder cannot be made under a file
    blocked = sources.parent / "no-cache"
    blocked.touch()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "XDG_CACHE_HOME": str(blocked)}
    command = [*prefix, sys.executable, "-m", "perfgen", "build", *options, str(sources), "-o", str(out)]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)


def edit(sources: Path) -> None:
    """A change in every township, so that every one of them is written again."""
    for document in sources.glob("*/文档.yaml"):
        text = document.read_text(encoding="utf-8")
        document.write_text(text.replace("单位名称: ", "单位名称: 新", 1), encoding="utf-8")


def kill_before_each(calls: str, tmp_path: Path, townships: tuple[str, ...], options: tuple[str, ...]) -> int:
    """Kill a build (edited sources) before each of its system ``calls`` in turn; check both builds after it. Returns the count."""
    strace = require_tool("strace")
    original, edited = tmp_path / "original", tmp_path / "edited"
    for name in townships:
        shutil.copytree(PROJECTS / name, original / name)
    shutil.copytree(original, edited)
    edit(edited)
    clean = {}
    for label, sources in (("original", original), ("edited", edited)):
        assert perfgen_build(sources, tmp_path / f"clean-{label}", options=options).returncode == 0
        clean[label] = comparable(snapshot(tmp_path / f"clean-{label}"))
        clean[f"{label} record"] = recorded(tmp_path / f"clean-{label}")

    kill_points = 0
    while True:
        kill_points += 1
        sources = tmp_path / f"sources-{kill_points}"
        out = tmp_path / f"out-{kill_points}"
        shutil.copytree(original, sources)
        shutil.copytree(tmp_path / "clean-original", out)
        edit(sources)
        trap = [strace, "-qq", "-o", os.devnull, "-e", f"trace={calls}", "-e", f"inject={calls}:signal=SIGKILL:when={kill_points}"]
        killed = perfgen_build(sources, out, *trap, options=options)
        if killed.returncode == 0:  # the build made fewer renames than this: every one has been tried
            return kill_points - 1
        assert killed.returncode in (-9, 137), killed.stderr
        kept = tmp_path / f"kept-{kill_points}"
        shutil.copytree(out, kept)

        # the edit reverted: exactly the clean build of the original sources, nothing left over
        shutil.rmtree(sources)
        shutil.copytree(original, sources)
        assert perfgen_build(sources, out, options=options).returncode == 0
        assert comparable(snapshot(out)) == clean["original"], f"kill point {kill_points}"
        assert recorded(out) == clean["original record"], f"kill point {kill_points}"
        vouched(out)
        # the edit kept: exactly the clean build of the edited sources
        shutil.rmtree(sources)
        shutil.copytree(edited, sources)
        assert perfgen_build(sources, kept, options=options).returncode == 0
        assert comparable(snapshot(kept)) == clean["edited"], f"kill point {kill_points}"
        assert recorded(kept) == clean["edited record"], f"kill point {kill_points}"
        vouched(kept)


@pytest.mark.slow
def test_a_build_killed_before_any_rename_leaves_outputs_the_record_can_vouch_for(tmp_path: Path) -> None:
    # two documents: two renames, each a kill point (the record is a database: no rename)
    assert kill_before_each(RENAMES, tmp_path, TOWNSHIPS, ("--draft",)) == 2


@pytest.mark.slow
def test_a_build_killed_at_each_transaction_boundary_leaves_outputs_the_record_can_vouch_for(tmp_path: Path) -> None:
    # the record's commits (forget both townships; record each) and each output's own syncs, each a kill point
    assert kill_before_each(SYNCS, tmp_path, TOWNSHIPS, ("--draft",)) >= 3


@pytest.mark.libreoffice
def test_a_build_with_pdf_and_previews_killed_before_any_rename_is_as_safe(tmp_path: Path) -> None:
    require_tool("soffice")
    require_tool("pdftoppm")
    # the document, the PDF, the preview folder
    assert kill_before_each(RENAMES, tmp_path, TOWNSHIPS[:1], ("--pdf", "--preview")) == 3


def test_leftovers_of_a_killed_write_are_removed_by_the_next_build(tmp_path: Path) -> None:
    out = tmp_path / "build"
    build([PROJECTS / TOWNSHIPS[0]], draft(out))
    before = snapshot(out)
    (out / f".{TOWNSHIPS[0]}.docx.k3j4h5.tmp").write_bytes(b"half a document")
    (out / OLD_MANIFEST).write_bytes(b"{}")  # the record of an older perfgen: gone with the first build
    (out / "preview" / f".{TOWNSHIPS[0]}.x1y2.tmp").mkdir(parents=True)
    (out / "他人的文件.tmp").write_bytes(b"not ours")  # not named like ours: kept
    [result] = build([PROJECTS / TOWNSHIPS[0]], draft(out))
    assert result.skipped
    assert snapshot(out) == {**before, "他人的文件.tmp": b"not ours"}
    assert [p.name for p in (out / "preview").iterdir()] == []


def test_an_output_changed_since_it_was_built_is_built_again(tmp_path: Path) -> None:
    out = tmp_path / "build"
    [first] = build([PROJECTS / TOWNSHIPS[0]], draft(out))
    built = first.output.read_bytes()
    first.output.write_bytes(b"not the document perfgen built")
    [again] = build([PROJECTS / TOWNSHIPS[0]], draft(out))
    assert not again.skipped and again.output.read_bytes() == built


def test_a_second_build_into_the_same_folder_waits_and_says_so(tmp_path: Path) -> None:
    out = tmp_path / "build"
    out.mkdir()
    said = f"另一个 perfgen（进程 {os.getpid()}）正在向 build 生成文档，等它完成后继续……"
    errors = tmp_path / "stderr.txt"
    with OutputLock(out), errors.open("w", encoding="utf-8") as stream:
        assert (out / LOCK).read_text(encoding="ascii").strip() == str(os.getpid())
        waiting = subprocess.Popen(
            [sys.executable, "-m", "perfgen", "build", "--draft", str(PROJECTS / TOWNSHIPS[0]), "-o", "build"],
            stdout=subprocess.PIPE, stderr=stream, text=True, cwd=tmp_path,
        )
        # polled, not slept: it says so while we hold the lock, then keeps waiting (a build takes less than this)
        deadline = time.monotonic() + 300
        while said not in errors.read_text(encoding="utf-8") and waiting.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert said in errors.read_text(encoding="utf-8"), errors.read_text(encoding="utf-8")
        time.sleep(1.5)
        assert waiting.poll() is None  # still waiting for us
        assert not list(out.glob("*.docx"))
    stdout, _ = waiting.communicate(timeout=300)
    assert waiting.returncode == 0, errors.read_text(encoding="utf-8")
    assert "已生成" in stdout
    assert not (out / LOCK).exists()


def test_a_lock_left_by_a_killed_build_is_taken_over(tmp_path: Path) -> None:
    out = tmp_path / "build"
    out.mkdir()
    (out / LOCK).write_text("999999\n", encoding="ascii")  # its process is gone, and so is its lock
    [result] = build([PROJECTS / TOWNSHIPS[0]], draft(out))
    assert result.ok and not (out / LOCK).exists()


@pytest.mark.slow
def test_builds_into_one_folder_at_once_lose_no_entry(tmp_path: Path) -> None:
    out = tmp_path / "build"
    names = (*TOWNSHIPS, "怀来县官厅镇-2024")
    logs = [tmp_path / f"{name}.log" for name in names]
    runs = []
    for name, log in zip(names, logs):
        with log.open("w", encoding="utf-8") as stream:  # not a pipe: a waiting reader would hold up the writer
            command = [sys.executable, "-m", "perfgen", "build", "--draft", "-j", "1", str(PROJECTS / name), "-o", str(out)]
            runs.append(subprocess.Popen(command, stdout=stream, stderr=subprocess.STDOUT))
    for run, log in zip(runs, logs):
        assert run.wait(timeout=600) == 0, log.read_text(encoding="utf-8")
    assert sorted(recorded(out)) == sorted((*TOWNSHIPS, "怀来县官厅镇-2024"))
    assert sorted(p.name for p in out.iterdir()) == sorted([DATABASE, *(f"{n}.docx" for n in (*TOWNSHIPS, "怀来县官厅镇-2024"))])
