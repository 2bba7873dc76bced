"""The schemas are valid draft 2020-12 and explain every key in Chinese."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import CASES, ROOT
from jsonschema import Draft202012Validator

from perfgen.load.yamlfile import read_yaml
from perfgen.validate.schema import fast_validator, is_valid, validator

SCHEMAS = sorted((ROOT / "schemas").glob("*.schema.json"))
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def properties(schema: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every property schema (and additionalProperties schema) with its path."""
    if isinstance(schema, dict):
        for key, sub in schema.get("properties", {}).items():
            yield f"{path}/{key}", sub
        if isinstance(schema.get("additionalProperties"), dict):
            yield f"{path}/*", schema["additionalProperties"]
        for key, sub in schema.items():
            yield from properties(sub, f"{path}/{key}")
    elif isinstance(schema, list):
        for i, sub in enumerate(schema):
            yield from properties(sub, f"{path}/{i}")


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_schema_is_valid_2020_12(path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_every_key_has_a_chinese_title_and_description(path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    found = list(properties(schema))
    assert len(found) > 10
    for where, sub in found:
        assert CHINESE.search(sub.get("title", "")), f"{where}: title"
        assert CHINESE.search(sub.get("description", "")), f"{where}: description"


def _sources():
    from conftest import PROJECTS

    cases = CASES
    return sorted(PROJECTS.rglob("*.yaml")) + sorted(cases.rglob("*.yaml"))


def test_fast_and_explaining_validators_agree() -> None:
    """jsonschema-rs answers yes/no for speed; jsonschema explains. They must never disagree."""
    checked = 0
    for path in _sources():
        source, _ = read_yaml(path, "x")
        if source is None:
            continue
        name = "document" if path.name == "文档.yaml" else "project"
        assert fast_validator(name) is not None
        assert is_valid(source.data, name) == validator(name).is_valid(source.data), path
        checked += 1
    assert checked > 80
