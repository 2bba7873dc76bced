"""``perfgen fmt``: rewrite source files in one canonical form, so that diffs show only content.

The canonical form: keys in the order of the schema, two-space indentation
with list items indented under their key, quotes only where YAML needs them,
amounts with two decimals (more decimals are kept as written), and texts that
contain line breaks as literal blocks (``|``). Comments, including the
``# yaml-language-server`` line, stay where they were.

A file that does not parse is left alone; every rewrite is checked to load to
the same data as before and is written atomically.
"""

from __future__ import annotations

import difflib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.compat import ordereddict
from ruamel.yaml.scalarfloat import ScalarFloat
from ruamel.yaml.scalarstring import LiteralScalarString

from perfgen.load.township import DOCUMENT_FILE, find_townships, is_township
from perfgen.paths import display_path
from perfgen.load.yamlfile import parse_yaml, read_yaml
from perfgen.model import amount_text
from perfgen.problems import Problem, form_problem
from perfgen.resources import load_schema
from perfgen.write.atomic import write_atomic


@dataclass
class FormatResult:
    path: Path
    changed: bool = False
    problems: list[Problem] = field(default_factory=list)
    diff: str = ""  # unified diff of the file to its canonical form, when changed

    @property
    def display(self) -> str:
        return display_path(self.path)


def _yaml() -> YAML:
    yaml = YAML()  # round-trip: keeps comments
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 1_000_000  # never fold a long line
    yaml.allow_unicode = True
    return yaml


def schema_for(path: Path) -> str:
    return "document" if path.name == DOCUMENT_FILE else "project"


class _Canonical:
    """Bring one loaded file into canonical form, guided by its schema."""

    def __init__(self, root_schema: dict[str, Any]) -> None:
        self.root = root_schema

    def _resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            node = self.root["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        return node

    def _object_branch(self, node: dict[str, Any]) -> dict[str, Any]:
        node = self._resolve(node)
        for branch in node.get("anyOf", []):
            branch = self._resolve(branch)
            if branch.get("type") == "object":
                return branch
        return node

    def apply(self, value: Any, node: dict[str, Any]) -> Any:
        node = self._resolve(node)
        if isinstance(value, CommentedMap):
            node = self._object_branch(node)
            properties = node.get("properties", {})
            extra = node.get("additionalProperties")
            order = [key for key in properties if key in value] + [key for key in value if key not in properties]
            for key in order:
                value.move_to_end(key)
            value.fa.set_block_style()
            for key in order:
                child = properties.get(key, extra if isinstance(extra, dict) else {})
                # past CommentedMap.__setitem__, which would keep the old scalar style
                ordereddict.__setitem__(value, key, self.apply(value[key], child))
            return value
        if isinstance(value, CommentedSeq):
            items = node.get("items", {})
            value.fa.set_block_style()
            for index, item in enumerate(value):
                list.__setitem__(value, index, self.apply(item, items))
            return value
        if isinstance(value, str):
            return LiteralScalarString(value) if "\n" in value else str(value)
        if node.get("x-amount") and isinstance(value, (int, float)) and not isinstance(value, bool):
            return _amount(value)
        return value


def _amount(value: int | float) -> ScalarFloat:
    """An amount written as the document shows it (two decimals, or as written when it has more)."""
    exact = Decimal(str(value))
    text = amount_text(exact)
    return ScalarFloat(float(exact), width=len(text), prec=text.index("."), m_lead0=0)


def canonical_text(text: str, schema: str) -> str:
    """The canonical form of a source file's text."""
    yaml = _yaml()
    data = yaml.load(text)
    data = _Canonical(load_schema(schema)).apply(data, load_schema(schema))
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def source_files(paths: list[Path]) -> Iterator[Path]:
    """The YAML sources named by ``paths``: files, township folders, or folders of townships.

    A named file outside any township folder (a CI or pre-commit file) is not a source and is skipped.
    """
    for path in paths:
        if path.is_file():
            if any(is_township(folder) for folder in path.resolve().parents):
                yield path
        else:
            for township in find_townships([path])[0]:
                yield from sorted(township.rglob("*.yaml"))


def format_file(path: Path, check: bool) -> FormatResult:
    result = FormatResult(path)
    before, problems = read_yaml(path, result.display)
    if before is None or problems:
        result.problems = problems + [
            form_problem(result.display, 1, 1, "fmt", "文件有格式错误，未改动：请先按上面的提示修改")
        ]
        return result
    text = path.read_text(encoding="utf-8-sig")
    canonical = canonical_text(text, schema_for(path))
    if canonical == text:
        return result
    result.changed = True
    result.diff = "".join(
        difflib.unified_diff(
            text.splitlines(keepends=True), canonical.splitlines(keepends=True), f"{result.display}（原文）", f"{result.display}（整理后）"
        )
    )
    if check:
        return result
    after, _ = parse_yaml(canonical, path, result.display)
    if after is None or after.data != before.data:  # never change meaning
        result.problems = [form_problem(result.display, 1, 1, "fmt", "整理后的内容与原文不一致，未改动：请把此文件报告给维护人员")]
        return result
    write_atomic(path, canonical.encode("utf-8"))
    return result


def format_paths(paths: list[Path], check: bool = False) -> list[FormatResult]:
    return [format_file(path, check) for path in source_files(paths)]
