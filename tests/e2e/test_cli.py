"""The perfgen command as a clerk runs it: defaults, progress lines, exit codes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from conftest import PROJECTS, perfgen, require_tool
from docx.oxml.ns import qn



def test_build_without_arguments_builds_every_township_under_projects(tmp_path: Path) -> None:
    shutil.copytree(PROJECTS, tmp_path / "projects")
    run = perfgen("build", "--draft", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    built = sorted(p.name for p in (tmp_path / "build").iterdir() if not p.name.startswith("."))
    assert built == sorted(f"{p.name}.docx" for p in PROJECTS.iterdir())
    lines = run.stdout.splitlines()
    # the counts of the checks' findings are tested on case folders (test_build_output.py)
    assert lines[0].startswith("[1/4] 丰润区泉河头镇-2022：已生成 build/丰润区泉河头镇-2022.docx（10 个项目，目录页码待更新）；检查发现 ")
    assert lines[-1].startswith("完成：生成 4 个文档，跳过 0 个（未变），0 个失败；共 ")


def test_build_reports_the_failing_township_and_exits_1(tmp_path: Path) -> None:
    shutil.copytree(PROJECTS / "怀来县官厅镇-2024", tmp_path / "projects" / "怀来县官厅镇-2024")
    shutil.copytree(PROJECTS / "卢龙县石门镇-2023", tmp_path / "projects" / "卢龙县石门镇-2023")
    bad = tmp_path / "projects" / "卢龙县石门镇-2023" / "项目" / "执法经费.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("项目名称:", "项目名:"), encoding="utf-8")
    run = perfgen("build", "--draft", "projects", "-o", "out", cwd=tmp_path)
    assert run.returncode == 1
    assert "[1/2] 卢龙县石门镇-2023：失败。源文件有 1 个格式错误，未生成文档" in run.stderr
    assert "projects/卢龙县石门镇-2023/项目/执法经费.yaml:3:1: 错误 [schema] 不认识的键“项目名”" in run.stderr
    assert "[2/2] 怀来县官厅镇-2024：已生成 out/怀来县官厅镇-2024.docx（23 个项目，目录页码待更新）" in run.stdout
    assert run.stdout.splitlines()[-1].startswith("完成：生成 1 个文档，跳过 0 个（未变），1 个失败；共 ")


def test_a_path_that_is_no_township_is_an_error(tmp_path: Path) -> None:
    run = perfgen("build", "没有这个文件夹", cwd=tmp_path)
    assert run.returncode == 1
    assert run.stderr.strip() == "错误：没有这个文件夹：路径不存在"
    assert not (tmp_path / "build").exists()


def test_a_missing_template_is_an_error(tmp_path: Path) -> None:
    shutil.copytree(PROJECTS / "文安县机床市场管委会-2022", tmp_path / "projects" / "文安县机床市场管委会-2022")
    run = perfgen("build", "--template", "无.docx", cwd=tmp_path)
    assert run.returncode == 1
    assert run.stderr.startswith("错误：无法读取模板 无.docx：")


def test_version_and_help(tmp_path: Path) -> None:
    assert perfgen("--version", cwd=tmp_path).stdout.startswith("perfgen ")
    help_text = perfgen("build", "--help", cwd=tmp_path).stdout
    assert "生成绩效文本" in help_text


@pytest.mark.slow
def test_without_libreoffice_the_toc_waits_for_word(tmp_path: Path) -> None:
    """The one run of the real console command, in its own process (the others run in-process)."""
    shutil.copytree(PROJECTS / "文安县机床市场管委会-2022", tmp_path / "projects" / "a")
    shutil.copytree(PROJECTS / "丰润区泉河头镇-2022", tmp_path / "projects" / "b")
    env = {**os.environ, "PERFGEN_SOFFICE": str(tmp_path / "no-soffice")}
    run = subprocess.run([sys.executable, "-m", "perfgen", "build"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stderr.count("没有找到 LibreOffice") == 1
    assert "libreoffice-writer-nogui" in run.stderr
    assert "（3 个项目，目录页码待更新）" in run.stdout
    settings = docx.Document(str(tmp_path / "build" / "a.docx")).settings.element
    assert settings.find(qn("w:updateFields")).get(qn("w:val")) == "true"

    pdf = subprocess.run(
        [sys.executable, "-m", "perfgen", "build", "--pdf", "-o", "out"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert pdf.returncode == 1
    assert pdf.stderr.startswith("错误：生成 PDF 或预览需要 LibreOffice") and "libreoffice-writer-nogui" in pdf.stderr
    assert not (tmp_path / "out").exists()


A4_INCHES = 210 / 25.4


def _png_width(png: Path) -> int:
    return int.from_bytes(png.read_bytes()[16:20], "big")  # IHDR's width


@pytest.mark.libreoffice
def test_pdf_and_preview(tmp_path: Path) -> None:
    require_tool("soffice")
    require_tool("pdftoppm")
    shutil.copytree(PROJECTS / "文安县机床市场管委会-2022", tmp_path / "projects" / "文安县机床市场管委会-2022")
    run = perfgen("build", "--pdf", "--preview", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    name = "文安县机床市场管委会-2022"
    assert (tmp_path / "build" / f"{name}.pdf").read_bytes().startswith(b"%PDF")
    pages = sorted((tmp_path / "build" / "preview" / name).glob("page-*.png"))
    assert len(pages) > 5 and pages[0].read_bytes().startswith(b"\x89PNG")
    assert _png_width(pages[0]) == pytest.approx(A4_INCHES * 110, abs=1)  # readable by default
    assert f"build/{name}.pdf、{len(pages)} 页预览（3 个项目）" in run.stdout

    preview_only = perfgen("build", "--preview", "--dpi", "50", "-o", "p", cwd=tmp_path)
    assert preview_only.returncode == 0, preview_only.stderr
    assert _png_width(tmp_path / "p" / "preview" / name / pages[0].name) == pytest.approx(A4_INCHES * 50, abs=1)
    assert not (tmp_path / "p" / f"{name}.pdf").exists()
    assert list((tmp_path / "p" / "preview" / name).glob("page-*.png"))
