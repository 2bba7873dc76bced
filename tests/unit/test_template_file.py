"""A template is untrusted input: broken or hostile packages are refused with a message, before anything reads them."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import jinja2
import pytest
from fake_templates import billion_laughs, declare_size, edited_template, zip_bomb

from perfgen.errors import TemplateError
from perfgen.render import template_file
from perfgen.render.docx import DocxRenderer, make_environment
from perfgen.render.template_file import read_template


def refusal(path: Path) -> str:
    with pytest.raises(TemplateError) as caught:
        DocxRenderer(path)
    return str(caught.value)


def test_the_standard_template_passes(tmp_path: Path) -> None:
    copy = edited_template(tmp_path / "copy.docx")
    assert read_template(copy) == copy.read_bytes()


def test_a_file_that_is_no_zip(tmp_path: Path) -> None:
    fake = tmp_path / "fake.docx"
    fake.write_text("这不是 Word 文档")
    assert refusal(fake).endswith("不是有效的 Word 文档（.docx）：文件已损坏或不是 .docx。请在 Word 中重新“另存为”.docx 后再试")  # noqa: E501


def test_a_truncated_template(tmp_path: Path) -> None:
    whole = edited_template(tmp_path / "whole.docx").read_bytes()
    cut = tmp_path / "cut.docx"
    cut.write_bytes(whole[: len(whole) // 2])
    assert "文件已损坏或不是 .docx" in refusal(cut)


def test_a_template_without_its_body(tmp_path: Path) -> None:
    headless = edited_template(tmp_path / "t.docx", drop=("word/document.xml",))
    assert "缺少正文部件 word/document.xml" in refusal(headless)


def test_a_template_whose_body_is_broken_xml(tmp_path: Path) -> None:
    broken = edited_template(tmp_path / "t.docx", document=lambda xml: xml[: len(xml) // 2])
    message = refusal(broken)
    assert "部件 word/document.xml 第 " in message and "行不是完好的 XML" in message


def test_a_template_without_the_parts_python_docx_needs(tmp_path: Path) -> None:
    # a sound zip of sound XML, but no [Content_Types].xml: python-docx cannot open it
    untyped = edited_template(tmp_path / "t.docx", drop=("[Content_Types].xml",))
    assert "不是有效的 Word 文档（.docx）" in refusal(untyped)


def test_a_part_with_a_bad_checksum(tmp_path: Path) -> None:
    template = edited_template(tmp_path / "t.docx")
    data = bytearray(template.read_bytes())
    with zipfile.ZipFile(template) as archive:
        info = archive.getinfo("word/document.xml")
    data[info.header_offset + 30 + len(info.filename) + 10] ^= 0xFF  # a byte of the packed body
    template.write_bytes(bytes(data))
    assert "部件 word/document.xml 已损坏" in refusal(template)


def test_an_entity_bomb_is_refused_before_it_expands(tmp_path: Path) -> None:
    bomb = edited_template(tmp_path / "lol.docx", document=billion_laughs)
    assert "部件 word/document.xml 含有 DTD 或实体声明（<!DOCTYPE …>），Word 文档不允许这样写" in refusal(bomb)


def test_an_entity_bomb_in_utf16_is_refused(tmp_path: Path) -> None:
    def utf16(xml: bytes) -> bytes:
        text = billion_laughs(xml).decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
        return text.encode("utf-16")

    assert "含有 DTD 或实体声明" in refusal(edited_template(tmp_path / "lol16.docx", document=utf16))


def test_a_zip_bomb_is_refused_from_its_declared_sizes(tmp_path: Path) -> None:
    bomb = zip_bomb(tmp_path / "bomb.docx", megabytes=template_file.MAX_UNPACKED_BYTES // (1024 * 1024) + 20)
    assert bomb.stat().st_size < 1024 * 1024
    assert "解压后超过 100 MB（疑似“压缩炸弹”），已停止读取" in refusal(bomb)


def test_a_zip_that_understates_its_sizes_is_not_read_past_them(tmp_path: Path) -> None:
    # the zip claims 1 KB for a part that unpacks to 20 MB: reading stops at the claim and the part is refused
    liar = declare_size(zip_bomb(tmp_path / "liar.docx", megabytes=20), "word/media/image1.png", 1024)
    assert "部件 word/media/image1.png 已损坏" in refusal(liar)


def test_a_zip_that_claims_huge_sizes(tmp_path: Path) -> None:
    claim = declare_size(edited_template(tmp_path / "claim.docx"), "word/document.xml", 0xFFFFFFF0)
    assert "疑似“压缩炸弹”" in refusal(claim)


def test_what_is_unpacked_is_counted_whatever_the_zip_declares(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    template = zip_bomb(tmp_path / "bomb.docx", megabytes=3)
    monkeypatch.setattr(template_file, "MAX_UNPACKED_BYTES", 2 * 1024 * 1024)
    assert "疑似“压缩炸弹”" in refusal(template)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_not_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "模板.docx"
    os.mkfifo(fifo)
    assert refusal(fifo).endswith("不是普通文件：请指定一个 .docx 文件")


def test_a_folder_is_no_template(tmp_path: Path) -> None:
    assert "不是普通文件" in refusal(tmp_path)


def test_a_huge_file_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    template = edited_template(tmp_path / "t.docx")
    monkeypatch.setattr(template_file, "MAX_FILE_BYTES", 1000)
    assert "超过上限" in refusal(template)


@pytest.mark.parametrize(
    "tag",
    [
        "{{ cycler.__init__.__globals__.os.system('true') }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ 年度.__class__ }}",
        "{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
        "{{ 项目.append(1) }}",
        "{{ 'x' * 1000000000 }}",
        "{{ 9 ** 999999999 }}",
    ],
)
def test_the_sandbox_stops_tags_that_reach_internals(tag: str) -> None:
    with pytest.raises(jinja2.sandbox.SecurityError):
        make_environment().from_string(tag).render({"年度": 2024, "项目": []})


def test_the_sandbox_keeps_what_templates_do() -> None:
    source = "{% for p in 项目 %}{{ p.名称 }}{{ p.计划['3月底'] }}{% if not loop.last %}、{% endif %}{% endfor %}"
    source += "{{ 'A & <B>' }}"
    data = {"项目": [{"名称": "甲", "计划": {"3月底": 25}}, {"名称": "乙_{{x}}", "计划": {"3月底": 50}}]}
    assert make_environment().from_string(source).render(data) == "甲25、乙&#95;{{x}}50A &amp; &lt;B&gt;"
