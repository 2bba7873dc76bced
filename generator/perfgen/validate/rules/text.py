"""Rules on text anywhere in the sources."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from perfgen.load.yamlfile import Path_, YamlFile
from perfgen.model import Document, Place, Project
from perfgen.problems import ERROR
from perfgen.validate.rules import Finding, Rule, register

# what templates and budget systems leave for a clerk to replace
PLACEHOLDER = re.compile(r"目标内容\s*\d*|指标内容\s*\d*|[XxＸｘ×╳]{2,}|…{2,}|\.{3,}|。{3,}")


def strings(value: Any, path: Path_ = ()) -> list[tuple[Path_, str]]:
    """Every text of a file's data, with its path: rules on text read all fields alike."""
    found: list[tuple[Path_, str]] = []
    _collect(value, path, found)
    return found


def _collect(value: Any, path: Path_, found: list[tuple[Path_, str]]) -> None:
    # a plain recursion into one list: nested generators cost a frame per level for every text
    if isinstance(value, str):
        found.append((path, value))
    elif isinstance(value, dict):
        for key, item in value.items():
            _collect(item, (*path, key), found)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _collect(item, (*path, index), found)


def _placeholders(file: YamlFile) -> Iterator[Finding]:
    search = PLACEHOLDER.search
    for path, text in strings(file.data):
        match = search(text)
        if match:
            yield Finding(Place(file, path), f"“{match.group()}”是模板中的占位文字：请换成实际内容")


def placeholder(project: Project) -> Iterator[Finding]:
    yield from _placeholders(project.file)
    for index, goal in enumerate(project.goals):
        if not goal.strip():
            yield Finding(project.place("goals", index), "绩效目标是空的：请写出目标，或删掉这一项")


def placeholder_in_document(document: Document) -> Iterator[Finding]:
    yield from _placeholders(document.file)


register(
    Rule(
        "placeholder",
        ERROR,
        "没有遗留的模板占位文字（目标内容1、XX、××、……）或空的绩效目标，文档.yaml 和项目文件都检查",
        project=placeholder,
        document=placeholder_in_document,
    )
)
