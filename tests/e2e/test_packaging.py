"""A broken template fails loudly, and an installed wheel works anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import PROJECTS, ROOT, draft

from perfgen.build import build
from perfgen.errors import TemplateError
from perfgen.render.docx import DocxRenderer


def test_template_typo_fails_loudly(tmp_path: Path) -> None:
    source = ROOT / "templates" / "standard.docx"
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(broken, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "word/document.xml":
                data = data.replace("p.项目编码".encode(), "p.项目编号".encode())
            dst.writestr(name, data)
    [result] = build([PROJECTS / "文安县机床市场管委会-2022"], draft(tmp_path / "out", template=broken))
    assert not result.ok
    assert "使用了数据中没有的名称" in result.error and "项目编号" in result.error
    assert not (tmp_path / "out").exists()


def test_a_file_that_is_not_docx_is_a_template_error(tmp_path: Path) -> None:
    fake = tmp_path / "fake.docx"
    fake.write_text("not a zip")
    with pytest.raises(TemplateError, match="不是有效的 Word 文档"):
        DocxRenderer(fake)


@pytest.mark.slow
def test_installed_wheel_carries_template_and_schemas(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"), str(ROOT)],
        check=True,
        timeout=600,
    )
    [wheel] = (tmp_path / "dist").glob("perfgen-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "perfgen/templates/standard.docx" in names
    assert {"perfgen/schemas/document.schema.json", "perfgen/schemas/project.schema.json"} <= set(names)
    assert {"perfgen/ci/perfgen-pull-request.yml", "perfgen/pre-commit-hooks.yaml"} <= set(names)  # for perfgen init

    # install it on its own path, with the test environment's dependencies, and build away from the checkout
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)], check=True)
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    where = subprocess.run(
        [sys.executable, "-c", "from perfgen import resources; print(resources.standard_template())"],
        cwd=work, env=env, capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(site)
    run = subprocess.run(
        [sys.executable, "-m", "perfgen", "build", str(PROJECTS / "文安县机床市场管委会-2022")],
        cwd=work, env=env, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert (work / "build" / "文安县机床市场管委会-2022.docx").is_file()
    init = subprocess.run(
        [sys.executable, "-m", "perfgen", "init", "sources"], cwd=work, env=env, capture_output=True, text=True, timeout=300
    )
    assert init.returncode == 0, init.stderr
    assert (work / "sources" / ".github" / "workflows" / "perfgen.yml").read_bytes() == (
        ROOT / "examples" / "ci" / "perfgen-pull-request.yml"
    ).read_bytes()
    assert "repo: local" in (work / "sources" / ".pre-commit-config.yaml").read_text(encoding="utf-8")
