"""Hostile and careless input through the commands: no hang, no traceback, nothing read from outside, one output each."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
from docx.oxml.ns import qn
from lxml import etree
import pytest
from conftest import CASES, PROJECTS, draft

from perfgen.build import build
from perfgen.docxtext import docx_to_text
from perfgen.errors import PerfgenError

SMALL = "文安县机床市场管委会-2022"
PROJECT = "项目/专项办公经费.yaml"


def perfgen(*args: str, cwd: Path, timeout: float = 120, user: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [*(user or []), sys.executable, "-m", "perfgen", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout)


def no_traceback(run: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in run.stdout + run.stderr
    assert "内部错误" not in run.stdout + run.stderr


def small(tmp_path: Path, name: str = SMALL) -> Path:
    folder = tmp_path / "projects" / name
    shutil.copytree(PROJECTS / SMALL, folder)
    return folder


def set_line(path: Path, key: str, value: str) -> None:
    """Replace the line ``key: …`` of a source file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    [index] = [i for i, line in enumerate(lines) if line.startswith(f"{key}: ")]
    lines[index] = f"{key}: {value}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("command", [["validate"], ["build", "--draft"], ["fmt"], ["fmt", "--check"]])
def test_an_alias_bomb_is_refused_at_once_by_every_command(tmp_path: Path, command: list[str]) -> None:
    shutil.copytree(CASES / "invalid" / "别名炸弹", tmp_path / "projects" / "别名炸弹")
    run = perfgen(*command, cwd=tmp_path, timeout=30)  # expanded, it would not end in an hour
    assert run.returncode == 1
    assert "[yaml-alias] 不支持别名（*名称）：请把内容直接写出来" in run.stdout + run.stderr
    no_traceback(run)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
@pytest.mark.parametrize("command", [["validate"], ["build", "--draft"], ["fmt"]])
def test_a_fifo_named_like_a_project_file_does_not_hang(tmp_path: Path, command: list[str]) -> None:
    folder = small(tmp_path)
    project = folder / PROJECT
    project.unlink()
    os.mkfifo(project)
    run = perfgen(*command, cwd=tmp_path, timeout=60)
    assert run.returncode == 1
    assert "不是普通文件" in run.stdout + run.stderr
    no_traceback(run)


def unprivileged() -> list[str]:
    """How to run a command so that file permissions apply: as is, or as root without the power to ignore them."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_an_unreadable_file_or_folder_fails_its_township_alone(tmp_path: Path) -> None:
    user = unprivileged()
    for name in ("a-file", "b-folder", "c-good"):
        small(tmp_path, name)
    (tmp_path / "projects" / "a-file" / PROJECT).chmod(0)
    (tmp_path / "projects" / "b-folder" / "项目").chmod(0)
    try:
        validate = perfgen("validate", cwd=tmp_path, user=user)
        built = perfgen("build", "--draft", cwd=tmp_path, user=user)
    finally:
        (tmp_path / "projects" / "b-folder" / "项目").chmod(0o755)
    for run in (validate, built):
        assert run.returncode == 1
        no_traceback(run)
    assert f"projects/a-file/{PROJECT}:1:1: 错误 [file-read] 无法读取文件：没有读写权限" in validate.stdout
    assert f"projects/b-folder/{PROJECT}:1:1: 错误 [file-read] 无法读取文件：没有读写权限" in validate.stdout
    assert "[3/3] c-good：已生成 build/c-good.docx" in built.stdout
    assert built.stdout.splitlines()[-1].startswith("完成：生成 1 个文档，跳过 0 个（未变），2 个失败；共 ")


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("预算数", "1" * 5000, "[number-range] 数字“111111111111111111111111111111…（共 5000 个字符）”超出范围"),
        ("预算数", "1" * 27, "[number-range] 数字“111111111111111111111111111”超出范围"),
        ("预算数", "1.0e+400", "[number-range] 数字“1.0e+400”超出范围"),
        ("预算数", ".nan", "[number-range] “.nan”不是普通数字"),
        ("资金用途", "[" * 400 + "]" * 400, "[yaml-depth] 嵌套超过 40 层"),
        ("资金用途", "很长" * 5_000_000, "[file-size] 文件有 28.6 MB，超过了 4 MB"),
        ("资金用途", "很长" * 10_001, "[text-length] 这段文字有 20002 个字符"),
    ],
    ids=["5000-digits", "27-digits", "1e400", "nan", "400-brackets", "10MB-text", "long-text"],
)
def test_hostile_values_fail_their_township_alone_with_a_message(tmp_path: Path, key: str, value: str, message: str) -> None:
    bad = small(tmp_path, "a-bad")
    small(tmp_path, "b-good")
    set_line(bad / PROJECT, key, value)
    results = build([tmp_path / "projects"], draft(tmp_path / "build"))
    assert [(r.name, r.ok) for r in results] == [("a-bad", False), ("b-good", True)]
    texts = [p.text() for p in results[0].problems]
    assert any(f"a-bad/{PROJECT}:" in text and message in text for text in texts), texts
    assert results[0].error.startswith("源文件有 ")


def test_a_unit_name_longer_than_word_allows_is_cut_in_the_properties(tmp_path: Path) -> None:
    folder = small(tmp_path)
    long_name = "很长的单位名称" * 50
    set_line(folder / "文档.yaml", "单位名称", long_name)
    [result] = build([folder], draft(tmp_path / "build"))
    assert result.ok, result.error
    props = docx.Document(str(result.output)).core_properties
    assert props.author == long_name[:255] and len(props.title) == 255


def test_line_breaks_of_every_kind_become_word_line_breaks(tmp_path: Path) -> None:
    folder = small(tmp_path)
    set_line(folder / PROJECT, "资金用途", '"甲\\r乙\\u2028丙\\r\\n丁"')
    [result] = build([folder], draft(tmp_path / "build"))
    assert result.ok, result.error
    with zipfile.ZipFile(result.output) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    assert "\r" not in xml and "\u2028" not in xml and "&#13;" not in xml
    texts = [t.text or "" for t in etree.fromstring(xml.encode()).iter(qn("w:t"))]
    assert not any(c in text for text in texts for c in "\r\n\u2028")  # no raw line break inside a w:t
    assert "甲\n乙\n丙\n丁" in docx_to_text(result.output)  # each a w:br, which perfgen text shows as a line break


def test_two_townships_with_one_folder_name_are_refused_before_building(tmp_path: Path) -> None:
    shutil.copytree(PROJECTS / SMALL, tmp_path / "a" / "T")
    shutil.copytree(PROJECTS / SMALL, tmp_path / "b" / "T")
    with pytest.raises(PerfgenError) as refused:
        build([tmp_path / "a" / "T", tmp_path / "b" / "T"], draft(tmp_path / "out"))
    assert "a/T" in str(refused.value) and "b/T" in str(refused.value) and "T.docx" in str(refused.value)
    assert not (tmp_path / "out").exists()
    run = perfgen("build", "--draft", "a/T", "b/T", cwd=tmp_path)
    assert run.returncode == 1 and run.stderr.startswith("错误：单位文件夹重名：a/T、b/T 同名，都会生成 build/T.docx")
    no_traceback(run)


def test_building_the_current_folder_names_the_document_after_it(tmp_path: Path) -> None:
    folder = small(tmp_path)
    run = perfgen("build", "--draft", ".", "-o", "../../out", cwd=folder)
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")) == [f"{SMALL}.docx"]


def test_a_build_never_opens_a_file_outside_the_township(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text((PROJECTS / SMALL / PROJECT).read_text(encoding="utf-8"), encoding="utf-8")
    folder = small(tmp_path)
    (folder / PROJECT).unlink()
    (folder / PROJECT).symlink_to(secret)  # listed in 项目清单, but a link out
    opened: list[Path] = []
    real_open = io.open

    def spy(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(file, (str, os.PathLike)):
            opened.append(Path(file).resolve())
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", spy)
    monkeypatch.setattr("io.open", spy)
    [result] = build([folder], draft(tmp_path / "build", jobs=1))
    assert not result.ok
    assert [p.rule for p in result.problems if p.blocking] == ["path-outside"]
    assert opened and secret.resolve() not in opened
