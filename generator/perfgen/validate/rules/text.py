"""Rules on text anywhere in the sources."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from perfgen.load.yamlfile import Path_, YamlFile, collect_strings
from perfgen.model import Document, Place, Project
from perfgen.problems import ERROR, WARNING
from perfgen.validate.rules import Finding, Rule, register

# what templates and budget systems leave for a clerk to replace
PLACEHOLDER = re.compile(r"目标内容\s*\d*|指标内容\s*\d*|[XxＸｘ×╳]{2,}|[*＊]{3,}|…{2,}|\.{3,}|。{3,}")
# a choice the template leaves to the clerk: 卢龙县财政（厅/局）, （镇/乡）. Only names of offices and
# places are alternatives here, so that units such as （次/年） or （元/人） are not taken for one.
_OFFICE = r"(?:[省市县区乡镇村街厅局委办处科室所站]{1,2}|社区|街道|部门|单位)"
CHOICE = re.compile(rf"[（(]\s*{_OFFICE}(?:\s*[/／]\s*{_OFFICE})+\s*[）)]")


def strings(value: Any, path: Path_ = ()) -> list[tuple[Path_, str]]:
    """Every text of a file's data, with its path: rules on text read all fields alike."""
    found: list[tuple[Path_, str]] = []
    collect_strings(value, path, found)
    return found


def _placeholders(file: YamlFile) -> Iterator[Finding]:
    search = PLACEHOLDER.search
    for path, text in file.strings():
        match = search(text)
        if match:
            yield Finding(Place(file, path), f"“{match.group()}”是模板中的占位文字：请换成实际内容")
        choice = CHOICE.search(text)
        if choice:
            yield Finding(Place(file, path), f"“{choice.group()}”是模板中留给填写人选择的文字：请只保留实际的一项，去掉括号和斜线")


def placeholder_code(code: str) -> str | None:
    """Why a 单位编码 or 项目编码 is a stand-in (all zeros where the budget system puts the region or the number), or None."""
    serial = code.partition("P")[2]
    if re.fullmatch(r"0+", code):
        return "全是 0"
    if re.match(r"0{6}", code):
        return "前 6 位（区划）全是 0"
    if re.fullmatch(r"\d{8}P\d{12}", code) and re.fullmatch(r"0+1?", serial):
        return "“P”后面的 12 位全是 0"
    return None


def placeholder(project: Project) -> Iterator[Finding]:
    yield from _placeholders(project.file)
    zeros = placeholder_code(project.code)
    if zeros:
        yield Finding(project.place("code"), f"项目编码“{project.code}”{zeros}：这是占位的编码，请换成预算系统中本项目的编码")
    for index, goal in enumerate(project.goals):
        if not goal.strip():
            yield Finding(project.place("goals", index), "绩效目标是空的：请写出目标，或删掉这一项")


def placeholder_in_document(document: Document) -> Iterator[Finding]:
    yield from _placeholders(document.file)
    if placeholder_code(document.unit_code):
        yield Finding(
            document.place("unit_code"), f"单位编码“{document.unit_code}”全是 0：这是占位的编码，请换成本单位在预算系统中的编码"
        )


register(
    Rule(
        "placeholder",
        ERROR,
        "没有遗留的模板占位文字（目标内容1、XX、××、***、……）、待选择的文字（（厅/局）、（镇/乡））或空的绩效目标，文档.yaml 和项目文件都检查",
        project=placeholder,
        document=placeholder_in_document,
    )
)


def edges(text: str) -> str:
    """Where a text has spaces at its edges: 开头, 末尾, 开头和末尾, or "" (line breaks at the edges do not count)."""
    if not text[:1].isspace() and not text[-1:].isspace():  # most texts: strip() would take nothing
        return ""
    inner = text.strip("\r\n")
    ends = [name for name, trimmed in (("开头", inner.lstrip()), ("末尾", inner.rstrip())) if trimmed != inner]
    return "和".join(ends)


def _field(path: Path_) -> str:
    names = [part for part in path if isinstance(part, str)]
    return names[-1] if names else "文件"


def _edge_spaces(file: YamlFile) -> Iterator[Finding]:
    for path in file.keys:  # every key of the file, in order, with its path
        key = path[-1]
        assert isinstance(key, str)
        where = edges(key)
        if where:
            yield Finding(Place(file, path, key=True), f"键“{key.strip()}”的{where}有空格：请删去这些空格")
    for path, text in file.strings():
        where = edges(text)
        if where:
            yield Finding(
                Place(file, path),
                f"“{_field(path)}”的文字“{text.strip()}”{where}有空格：请删去这些空格（看不见的空格会让相同的文字被当作不同）",
            )


def edge_space(project: Project) -> Iterator[Finding]:
    yield from _edge_spaces(project.file)


def edge_space_in_document(document: Document) -> Iterator[Finding]:
    yield from _edge_spaces(document.file)


register(
    Rule(
        "text-edge-space",
        WARNING,
        "文字和键的开头、末尾没有空格（各条规则都按去掉空格后的文字检查）",
        project=edge_space,
        document=edge_space_in_document,
    )
)
