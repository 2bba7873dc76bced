"""Check a source file against its JSON Schema; every violation becomes a Problem.

The schemas in schemas/ are the one definition of the source format. Each
error is placed at the offending value (or, for an unknown key, at the key)
and explained in Chinese with the field's own title.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

from perfgen.load.yamlfile import YamlFile
from perfgen.problems import Problem, form_problem
from perfgen.resources import load_schema

TYPE_NAMES = {
    "string": "文字",
    "number": "数字",
    "integer": "整数",
    "boolean": "true 或 false",
    "object": "“键: 值”形式的内容",
    "array": "列表（每项以“- ”开头）",
    "null": "空值",
}


@lru_cache(maxsize=None)
def validator(name: str) -> Draft202012Validator:
    """The validator that explains errors, for schemas/<name>.schema.json, built once per process.

    jsonschema is imported only here: valid files never need it.
    """
    from jsonschema import Draft202012Validator

    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@lru_cache(maxsize=None)
def fast_validator(name: str) -> Any:
    """A compiled validator that only says yes or no, 30 times faster (jsonschema-rs), or None."""
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - the dependency is declared; this keeps perfgen usable without it
        return None
    return jsonschema_rs.validator_for(load_schema(name))


def _plain(value: Any) -> Any:
    """The data as JSON types (Decimal -> float) for jsonschema-rs; the schema bounds no decimals."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, Decimal):
        return float(value)
    return value


def is_valid(data: Any, schema: str) -> bool:
    fast = fast_validator(schema)
    if fast is not None:
        return bool(fast.is_valid(_plain(data)))
    return validator(schema).is_valid(data)


def _kind(value: Any, typed: str) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float, Decimal)):
        return f"数字 {typed}"
    if isinstance(value, str):
        return f"文字“{value}”"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "“键: 值”形式的内容"
    return "空值"


def _field(error: ValidationError) -> str:
    """How the message names the value: “预算数”, or “绩效目标”第 2 项 for a list item."""
    path = list(error.absolute_path)
    item = f"第 {path.pop() + 1} 项" if path and isinstance(path[-1], int) else ""
    keys = [part for part in path if isinstance(part, str)]
    return f"“{keys[-1]}”{item}" if keys else "文件"


def _title(schema: dict[str, Any], key: str) -> str:
    title = schema.get("properties", {}).get(key, {}).get("title")
    return f"（{title}）" if title and title != key else ""


def _message(error: ValidationError, source: YamlFile) -> str:
    """Explain one validation error in Chinese; a value is quoted as the clerk typed it."""
    kind, schema, value, field = error.validator, error.schema, error.instance, _field(error)
    typed = source.as_typed(tuple(error.absolute_path), value)
    if kind == "required":
        missing = ast.literal_eval(error.message.split(" is a required property")[0])
        return f"缺少“{missing}”{_title(schema, missing)}：请补上这一项"
    if kind == "type":
        expected = schema["type"]
        wanted = TYPE_NAMES.get(expected, expected)
        tip = "；数字形式的文字请加引号，如 '100'" if expected == "string" and not isinstance(value, (dict, list)) else ""
        return f"{field}应为{wanted}，现在是{_kind(value, typed)}{tip}"
    if kind == "enum":
        choices = "、".join(str(c) for c in schema["enum"])
        return f"{field}的值“{typed}”不在可选范围内。可选：{choices}"
    if kind == "pattern":
        return f"{field}的格式不对（“{typed}”）：{schema.get('description', '')}"
    if kind == "minLength":
        return f"{field}不能为空"
    if kind == "minItems":
        return f"{field}至少要有 {schema['minItems']} 项"
    if kind == "minProperties":
        return f"{field}不能为空"
    if kind == "minimum":
        return f"{field}不能小于 {schema['minimum']}（现在是 {typed}）"
    if kind == "maximum":
        return f"{field}不能大于 {schema['maximum']}（现在是 {typed}）"
    return f"{field}：{error.message}"


def _leaf(error: ValidationError) -> ValidationError:
    """For anyOf/oneOf, the branch error that says most about what went wrong."""
    from jsonschema.exceptions import best_match

    while error.context:
        error = best_match(error.context)
    return error


def check(source: YamlFile, schema: str) -> Iterator[Problem]:
    """Every schema violation in ``source`` against schemas/<schema>.schema.json."""
    if is_valid(source.data, schema):  # most files are valid: the fast check is all they need
        return
    for error in validator(schema).iter_errors(source.data):
        error = _leaf(error)
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties":
            yield from _unknown_keys(source, error, path)
            continue
        line, column = source.position(path)
        yield form_problem(source.display, line, column, "schema", _message(error, source))


def _unknown_keys(source: YamlFile, error: ValidationError, path: tuple[str | int, ...]) -> Iterator[Problem]:
    """One problem per unknown key, placed at the key."""
    known = list(error.schema.get("properties", {}))
    for key in error.instance:
        if key not in known:
            line, column = source.position((*path, key), key=True)
            message = f"不认识的键“{key}”：请检查拼写。这里可用的键有：{'、'.join(known)}"
            yield form_problem(source.display, line, column, "schema", message)
