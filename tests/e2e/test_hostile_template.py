"""A county's --template cannot run code; a broken or hostile one stops the build with a message, no traceback."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import PROJECTS, draft
from fake_templates import billion_laughs, edited_template, with_paragraph, zip_bomb

from perfgen.build import build

TOWNSHIP = PROJECTS / "文安县机床市场管委会-2022"


def test_a_tag_that_reaches_python_internals_runs_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    tag = "{{ cycler.__init__.__globals__.os.system('touch ran') }}"
    template = edited_template(tmp_path / "hostile.docx", document=with_paragraph(tag))
    [result] = build([TOWNSHIP], draft(tmp_path / "out", template=template))
    assert not (tmp_path / "ran").exists()
    assert not result.ok and not (tmp_path / "out").exists()
    assert result.error == (
        f"模板 hostile.docx 中的标记“{tag}”试图访问程序内部，为安全起见已停止，未生成文档。"
        "模板中只能使用数据中的名称，例如 {{ 单位名称 }}：请删除这个标记后重试"
    )


def test_a_hostile_tag_in_the_footer_is_stopped_too(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    template = edited_template(tmp_path / "hostile.docx")
    # the footer holds the page number field: put the tag beside it
    with zipfile.ZipFile(template) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    footer = next(name for name in parts if name.startswith("word/footer"))
    tag = f"{{{{ lipsum.__globals__.os.popen('touch {marker}').read() }}}}".encode()
    parts[footer] = parts[footer].replace(b"</w:ftr>", b"<w:p><w:r><w:t>" + tag + b"</w:t></w:r></w:p></w:ftr>")
    with zipfile.ZipFile(template, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    [result] = build([TOWNSHIP], draft(tmp_path / "out", template=template))
    assert not marker.exists()
    assert "试图访问程序内部，为安全起见已停止" in result.error


def test_a_tag_that_cannot_be_computed_fails_its_township(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    template = edited_template(tmp_path / "t.docx", document=with_paragraph("{{ 年度 / 0 }}"))
    [result] = build([TOWNSHIP], draft(tmp_path / "out", template=template))
    assert result.error == "模板 t.docx 中有无法计算的标记（ZeroDivisionError）：请检查模板中的 {{ … }} 和 {% … %}"


def perfgen_build(template: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "perfgen", "build", str(TOWNSHIP), "--draft", "-o", "out", "--template", str(template)],
        cwd=cwd, capture_output=True, text=True, timeout=120,
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda path: zip_bomb(path, megabytes=120), "解压后超过 100 MB（疑似“压缩炸弹”），已停止读取"),
        (lambda path: edited_template(path, document=billion_laughs), "含有 DTD 或实体声明"),
        (lambda path: edited_template(path, document=lambda xml: xml[:-40]), "行不是完好的 XML"),
        (lambda path: path.write_bytes(b"PK\x03\x04 broken") and path, "文件已损坏或不是 .docx"),
    ],
    ids=["zip-bomb", "entity-bomb", "broken-xml", "broken-zip"],
)
def test_the_command_refuses_a_bad_template_before_building(tmp_path: Path, make, message: str) -> None:
    run = perfgen_build(make(tmp_path / "模板.docx"), tmp_path)
    assert run.returncode == 1
    assert run.stderr.startswith("错误：模板 模板.docx 不是有效的 Word 文档（.docx）：")
    assert message in run.stderr and "Traceback" not in run.stderr + run.stdout
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_the_command_reports_a_hostile_tag_without_a_traceback(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    tag = f"{{{{ cycler.__init__.__globals__.os.system('touch {marker}') }}}}"
    run = perfgen_build(edited_template(tmp_path / "t.docx", document=with_paragraph(tag)), tmp_path)
    assert run.returncode == 1 and not marker.exists()
    assert "试图访问程序内部，为安全起见已停止" in run.stderr and "Traceback" not in run.stderr + run.stdout
