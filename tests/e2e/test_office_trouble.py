"""LibreOffice's trouble never withholds the .docx, and LibreOffice never outlives perfgen.

A fake soffice (and a fake Python with the UNO bridge, for trouble in the middle of a conversion)
exits 1, hangs, writes garbage or crashes: the .docx is delivered with its TOC left for Word to
update, the build warns once, and no process or temporary folder is left behind.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import PROJECTS, require_tool, require_uno_bridge
from fake_office import fake_soffice, fake_uno_python, logged_pids, processes_naming, running

from perfgen.build import BuildResult, Listener, Options, build
from perfgen.office.supervisor import layout_timeout, seconds_text

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the fakes and /proc are Linux's")

TOWNSHIP = PROJECTS / "文安县机床市场管委会-2022"
WARNING = "警告：LibreOffice 排版失败："


def settle(condition: Callable[[], bool], seconds: float = 10) -> bool:
    """Whether condition holds, waiting a little for the kernel to finish what was started."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


class FakeOffice:
    """A fake LibreOffice for in-process builds, with a private temporary folder to check."""

    def __init__(self, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.folder = folder
        self.scratch = folder / "tmp"
        self.scratch.mkdir()
        self.log = folder / "pids"
        self.monkeypatch = monkeypatch
        monkeypatch.setattr(tempfile, "tempdir", str(self.scratch))
        monkeypatch.setenv("TMPDIR", str(self.scratch))
        monkeypatch.setenv("FAKE_LOG", str(self.log))
        monkeypatch.setenv("PERFGEN_SOFFICE", str(fake_soffice(folder / "bin")))
        monkeypatch.setenv("PERFGEN_OFFICE_TIMEOUT", "1")  # timeouts of 1 to 3 seconds for the small sample
        self.notices: list[str] = []

    def use(self, mode: str, bridge: str) -> None:
        """bridge: "none" (the command line), "fake" (a fake UNO worker) or "real" (Debian's python3-uno)."""
        self.monkeypatch.setenv("FAKE_MODE", mode)
        if bridge == "none":
            self.monkeypatch.setenv("PERFGEN_UNO_PYTHON", "")
        elif bridge == "fake":
            self.monkeypatch.setenv("PERFGEN_UNO_PYTHON", str(fake_uno_python(self.folder / "bin")))
        else:
            self.monkeypatch.setenv("PERFGEN_UNO_PYTHON", require_uno_bridge(os.environ["PERFGEN_SOFFICE"]))

    def build(self, out: Path, **options: object) -> BuildResult:
        notices = self.notices

        class Heard(Listener):
            def notice(self, text: str) -> None:
                notices.append(text)

        [result] = build([TOWNSHIP], Options(out_dir=out, **options), Heard())
        return result

    def warnings(self) -> list[str]:
        return [notice for notice in self.notices if notice.startswith("警告")]

    def assert_nothing_left(self) -> None:
        started = logged_pids(self.log)
        assert started, "the fake LibreOffice never ran"
        assert settle(lambda: not any(running(pid) for pid in started)), "a LibreOffice process outlived the build"
        assert settle(lambda: not any(self.scratch.iterdir())), sorted(p.name for p in self.scratch.iterdir())


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeOffice:
    return FakeOffice(tmp_path, monkeypatch)


def assert_toc_left_for_word(docx: Path) -> None:
    with zipfile.ZipFile(docx) as archive:
        assert b'<w:updateFields w:val="true"/>' in archive.read("word/settings.xml")


CASES = [
    # (fake, bridge, cause named in the warning)
    ("fail", "none", "LibreOffice 意外退出（退出码 1），没有生成 PDF：soffice: cannot open display"),
    ("killed", "none", "LibreOffice 被终止（信号 SIGKILL），没有生成 PDF"),
    ("hang", "none", "LibreOffice 排版超过 {command_line}仍未完成，已终止"),
    ("garbage", "none", "LibreOffice 生成的 PDF 无法读取（文件开头为 b'not a pdf\\n'）"),
    ("fail", "real", "LibreOffice 意外退出（退出码 1），没有生成 PDF：soffice: cannot open display"),
    ("hang", "real", "LibreOffice 启动超过 2.0 秒仍未完成，已终止"),
    ("hang", "fake", "LibreOffice 排版超过 {layout}仍未完成，已终止"),
    ("garbage", "fake", "LibreOffice 的转换程序答非所问：页码为 ['garbage']"),
    ("crash", "fake", "LibreOffice 被终止（信号 SIGKILL）"),
    ("fail", "fake", "LibreOffice 无法排版文档：IOException: cannot load"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("mode", "bridge", "cause"), CASES, ids=[f"{m}-{b}" for m, b, _ in CASES])
def test_the_docx_is_delivered_whatever_libreoffice_does(
    office: FakeOffice, tmp_path: Path, mode: str, bridge: str, cause: str
) -> None:
    office.use(mode, bridge)
    result = office.build(tmp_path / "out")
    assert result.ok and result.output is not None and result.output.is_file()
    # the layout's timeout grows with the document (the base of 1 s once more per SIZE_UNIT of body)
    layout = layout_timeout(result.output.read_bytes(), 1)
    cause = cause.format(command_line=seconds_text(2 + layout), layout=seconds_text(layout))
    assert not result.paginated and result.office_trouble.startswith(cause)
    assert_toc_left_for_word(result.output)
    [warning] = office.warnings()
    assert warning == (
        f"{WARNING}{result.office_trouble}。"
        "文安县机床市场管委会-2022 的 .docx 照常生成，目录页码留待在 Word 中打开时更新。"
    )
    office.assert_nothing_left()


@pytest.mark.slow
def test_with_pdf_asked_for_the_docx_comes_without_it(office: FakeOffice, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    stale = out / "文安县机床市场管委会-2022.pdf"
    stale.write_bytes(b"%PDF- from an earlier build")
    office.use("fail", "none")
    result = office.build(out, pdf=True)
    assert result.ok and result.pdf is None and result.missing == ["PDF"]
    assert not stale.exists()  # not left beside a .docx it no longer matches
    assert office.warnings()[0].endswith("目录页码留待在 Word 中打开时更新；没有生成 PDF。")
    office.assert_nothing_left()


@pytest.mark.slow
def test_a_build_short_of_its_layout_is_redone_next_time(office: FakeOffice, tmp_path: Path) -> None:
    office.use("fail", "none")
    first = office.build(tmp_path / "out")
    second = office.build(tmp_path / "out")
    assert first.office_trouble and not second.skipped and second.office_trouble
    assert len(office.warnings()) == 2  # once per build


@pytest.mark.slow
def test_the_command_warns_once_and_succeeds(tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {
        **os.environ, "TMPDIR": str(scratch), "FAKE_LOG": str(tmp_path / "pids"), "FAKE_MODE": "fail",
        "PERFGEN_SOFFICE": str(fake_soffice(tmp_path / "bin")), "PERFGEN_UNO_PYTHON": "",
    }
    for name in ("丰润区泉河头镇-2022", "文安县机床市场管委会-2022"):
        shutil.copytree(PROJECTS / name, tmp_path / "projects" / name)
    run = subprocess.run(
        [sys.executable, "-m", "perfgen", "build", "projects", "-o", "out"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert run.stderr.count(WARNING) == 1
    assert "丰润区泉河头镇-2022、文安县机床市场管委会-2022 的 .docx 照常生成" in run.stderr
    assert "Traceback" not in run.stderr
    assert sorted(p.name for p in (tmp_path / "out").glob("*.docx")) == [
        "丰润区泉河头镇-2022.docx", "文安县机床市场管委会-2022.docx"
    ]
    assert list(scratch.iterdir()) == []


@pytest.mark.slow
def test_the_command_fails_when_the_pdf_asked_for_is_missing(tmp_path: Path) -> None:
    env = {
        **os.environ, "TMPDIR": str(tmp_path), "FAKE_LOG": str(tmp_path / "pids"), "FAKE_MODE": "garbage",
        "PERFGEN_SOFFICE": str(fake_soffice(tmp_path / "bin")), "PERFGEN_UNO_PYTHON": "",
    }
    run = subprocess.run(
        [sys.executable, "-m", "perfgen", "build", str(TOWNSHIP), "-o", "out", "--pdf"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 1
    lines = run.stdout.splitlines()
    assert lines[0].startswith(
        "[1/1] 文安县机床市场管委会-2022：已生成 out/文安县机床市场管委会-2022.docx"
        "（3 个项目，目录页码待更新，未生成 PDF：LibreOffice 出错，见警告）；检查发现 0 个错误，"
    )
    assert lines[-1].startswith("完成：生成 1 个文档，1 个没有生成 PDF 或预览，跳过 0 个（未变），0 个失败；共 0 个错误，")
    assert run.stderr.count(WARNING) == 1 and not (tmp_path / "out" / "文安县机床市场管委会-2022.pdf").exists()


def kill_perfgen_during_layout(
    tmp_path: Path, env: dict[str, str], started: Callable[[], bool], how: signal.Signals = signal.SIGKILL
) -> Path:
    """Run a build, kill it once LibreOffice is at work, and give back the temporary folder it used."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    with (tmp_path / "stderr").open("w") as stderr:
        perfgen = subprocess.Popen(
            [sys.executable, "-m", "perfgen", "build", str(TOWNSHIP), "-o", str(tmp_path / "out")],
            env={**os.environ, **env, "TMPDIR": str(scratch)},
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            # a test run started in the background has SIGINT ignored, and the child would inherit that: Ctrl-C restored
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        try:
            assert settle(started, 120), "LibreOffice did not start"
        finally:
            perfgen.send_signal(how)
            perfgen.wait(timeout=60)
            print("perfgen ended with", perfgen.returncode, file=stderr, flush=True)
    return scratch


@pytest.mark.slow
@pytest.mark.parametrize(
    ("bridge", "how"),
    [("none", signal.SIGKILL), ("fake", signal.SIGKILL), ("none", signal.SIGINT), ("fake", signal.SIGTERM)],
    ids=["command-line-SIGKILL", "uno-SIGKILL", "command-line-ctrl-c", "uno-SIGTERM"],
)
def test_a_killed_perfgen_leaves_no_libreoffice_and_no_folder(tmp_path: Path, bridge: str, how: signal.Signals) -> None:
    log = tmp_path / "pids"
    env = {
        "FAKE_LOG": str(log), "FAKE_MODE": "hang", "PERFGEN_SOFFICE": str(fake_soffice(tmp_path / "bin")),
        "PERFGEN_UNO_PYTHON": str(fake_uno_python(tmp_path / "bin")) if bridge == "fake" else "",
    }
    # the hanging fake has started its child (the command line), or the fake worker its conversion
    scratch = kill_perfgen_during_layout(tmp_path, env, lambda: len(logged_pids(log)) >= 2, how)
    assert settle(lambda: not any(running(pid) for pid in logged_pids(log))), (tmp_path / "stderr").read_text()
    assert settle(lambda: not any(scratch.iterdir())), sorted(p.name for p in scratch.iterdir())


@pytest.mark.slow
@pytest.mark.libreoffice
def test_a_killed_perfgen_leaves_no_real_libreoffice(tmp_path: Path) -> None:
    require_tool("soffice")
    scratch_text = str(tmp_path / "tmp")
    scratch = kill_perfgen_during_layout(tmp_path, {}, lambda: any(
        b"soffice.bin" in Path(f"/proc/{pid}/cmdline").read_bytes() for pid in processes_naming(scratch_text)
    ))
    assert settle(lambda: not processes_naming(scratch_text)), "soffice.bin outlived perfgen"
    assert settle(lambda: not any(scratch.iterdir())), sorted(p.name for p in scratch.iterdir())



@pytest.mark.slow
@pytest.mark.parametrize("mode", ["hang", "fail"])
def test_importing_a_doc_leaves_no_libreoffice_either(office: FakeOffice, tmp_path: Path, mode: str) -> None:
    from perfgen.errors import PerfgenError
    from perfgen.importer.office import convert_to_docx

    office.use(mode, "none")
    source = tmp_path / "去年.doc"
    source.write_bytes(b"\xd0\xcf\x11\xe0 an old Word file")
    with pytest.raises(PerfgenError) as caught:
        convert_to_docx(source)
    cause = "LibreOffice 转换超过 2.0 秒仍未完成，已终止" if mode == "hang" else "LibreOffice 意外退出（退出码 1）"
    assert f"转换成 .docx：{cause}" in str(caught.value)
    office.assert_nothing_left()
