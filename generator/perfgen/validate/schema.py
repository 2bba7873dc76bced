"""Check a source file against its JSON Schema; every violation becomes a Problem.

The schemas in schemas/ are the one definition of the source format. Each
error is placed at the offending value (or, for an unknown key, at the key)
and explained in Chinese with the field's own title.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from decimal import Decimal
from functools import cache
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


@cache  # building the validator parses and checks the schema: once per process
def validator(name: str) -> Draft202012Validator:
    """The validator that explains errors, for schemas/<name>.schema.json, built once per process.

    jsonschema is imported only here: valid files never need it.
    """
    from jsonschema import Draft202012Validator

    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@cache  # compiling a schema costs milliseconds; every file of a run is checked against the same two
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
        try:  # recent jsonschema-rs reads Decimal exactly, as the explaining validator does
            return bool(fast.is_valid(data))
        except (TypeError, ValueError):  # older ones take JSON types only
            return bool(fast.is_valid(_plain(data)))
    return validator(schema).is_valid(data)


def _kind(value: Any, typed: str | None = None) -> str:
    """The value as the clerk typed it, with what YAML made of it."""
    if isinstance(value, bool):
        return f"true/false 值 {typed or str(value).lower()}"
    if isinstance(value, (int, float, Decimal)):
        return f"数字 {typed or value}"
    if isinstance(value, str):
        return f"文字“{value}”"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "“键: 值”形式的内容"
    return "空值"


def _key(error: ValidationError) -> str | None:
    path = [part for part in error.absolute_path if isinstance(part, str)]
    return path[-1] if path else None


def _field(error: ValidationError) -> str:
    """How the message names the value: “预算数”, or “绩效目标”第 2 项 for a list item."""
    path = list(error.absolute_path)
    last = path[-1] if path else None
    item = ""
    if isinstance(last, int):
        path.pop()
        item = f"第 {last + 1} 项"
    keys = [part for part in path if isinstance(part, str)]
    return f"“{keys[-1]}”{item}" if keys else "文件"


def _title(schema: Mapping[str, Any], key: str) -> str:
    title = schema.get("properties", {}).get(key, {}).get("title")
    return f"（{title}）" if title and title != key else ""


FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９．", "0123456789.")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def _number_fix(text: str, schema: Mapping[str, Any]) -> tuple[str, str] | None:
    """What to change in a text that was meant as a number, and the number: (说明, 数字)."""
    steps = []
    value = text.strip()
    if value[:1] + value[-1:] in ("''", '""', "‘’", "“”"):
        value = value[1:-1].strip()
        steps.append("去掉引号")
    if value != value.translate(FULL_WIDTH_DIGITS):
        value = value.translate(FULL_WIDTH_DIGITS)
        steps.append("数字改用英文半角")
    for unit in ("万元", "元", "万"):
        if value.endswith(unit) and NUMBER.fullmatch(value[: -len(unit)].replace(",", "").replace("，", "").strip()):
            value = value[: -len(unit)].strip()
            steps.append("金额只写数字，单位写在 文档.yaml 的 金额单位")
            break
    if value.endswith(("%", "％")):
        value = value[:-1].strip()
        steps.append("去掉“%”（这里的数字就是百分数）")
    if "," in value or "，" in value:
        value = value.replace(",", "").replace("，", "")
        steps.append("去掉逗号")
    if not steps or not NUMBER.fullmatch(value):
        return None
    return "、".join(steps), value


def _schema(error: ValidationError) -> Mapping[str, Any]:
    """The schema the error is about: every one in schemas/ that can fail is an object, not true/false."""
    return error.schema if isinstance(error.schema, Mapping) else {}


def _given(error: ValidationError) -> Mapping[str, Any]:
    """The object an additionalProperties error is about (its keys are the YAML's keys)."""
    return error.instance if isinstance(error.instance, Mapping) else {}


def _type_message(error: ValidationError, typed: str | None) -> str:
    schema, value, field, key = _schema(error), error.instance, _field(error), _key(error)
    expected = schema["type"]
    wanted = TYPE_NAMES.get(expected, expected) if isinstance(expected, str) else "、".join(TYPE_NAMES.get(t, t) for t in expected)
    head = f"{field}应为{' ' if wanted[:1].isascii() else ''}{wanted}，现在是{_kind(value, typed)}"
    write = f"{key}: " if key and not isinstance(error.absolute_path[-1] if error.absolute_path else None, int) else "- "
    if expected in ("number", "integer") and isinstance(value, str):
        from perfgen.load.syntax import ambiguous_comma

        comma = ambiguous_comma(value.strip().strip("'\"‘’“”"))
        if comma:  # 72，30: 7230 or 72.30? a guess could be a hundred times too much
            return f"{head}：{comma}"
        fix = _number_fix(value, schema)
        if fix:
            return f"{head}：{fix[0]}，请写成 {write}{fix[1]}"
    if expected == "string" and not isinstance(value, (dict, list)) and value is not None:
        shown = typed or (str(value).lower() if isinstance(value, bool) else str(value))
        return f"{head}：请加英文单引号，写成 {write}'{shown}'（不加引号时 YAML 把它当作{'true/false' if isinstance(value, bool) else '数字'}）"
    if expected == "boolean" and isinstance(value, str):
        meant = {"yes": "true", "y": "true", "on": "true", "是": "true", "no": "false", "n": "false", "off": "false", "否": "false"}
        if value.strip().lower() in meant:
            return f"{head}：请写成 {write}{meant[value.strip().lower()]}（只能写 true 或 false）"
    if expected == "array" and isinstance(value, dict):
        return f"{head}：列表的每一项另起一行，以“- ”开头，比{field}多缩进 2 个空格"
    if expected == "object" and not isinstance(value, dict):
        return f"{head}：请在{field}下面另起一行，多缩进 2 个空格，写出其中的“键: 值”"
    description = schema.get("description") if expected in ("number", "integer", "string", "boolean") else None
    return f"{head}：{description}" if description else head


def _nearest(word: str, choices: list[str]) -> str | None:
    """The choice a misspelt ``word`` most likely meant."""
    import difflib

    found = difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
    return found[0] if found else None


def _full_width_quotes(value: Any) -> str:
    if isinstance(value, str) and len(value) > 1 and value[0] in "‘“＇＂" and value[-1] in "’”＇＂":
        return f"：用了全角引号“{value[0]}{value[-1]}”，请改为英文单引号，写成 '{value[1:-1]}'"
    return ""


def _message(error: ValidationError, typed: str | None = None) -> str:
    """Explain one validation error in Chinese, with what to write instead."""
    kind, schema, value, field = error.validator, _schema(error), error.instance, _field(error)
    if kind == "required":
        missing = ast.literal_eval(error.message.split(" is a required property")[0])
        return f"缺少“{missing}”{_title(schema, missing)}：请补上这一项"
    if kind == "type":
        return _type_message(error, typed)
    if kind == "enum":
        choices = [str(c) for c in schema["enum"]]
        near = _nearest(str(value), choices)
        hint = f"：是不是“{near}”？" if near else "。"
        return f"{field}的值“{typed or value}”不在可选范围内{hint}可选：{'、'.join(choices)}"
    if kind == "pattern":
        quotes = _full_width_quotes(value)
        if quotes:
            return f"{field}的格式不对（“{value}”）{quotes}"
        return f"{field}的格式不对（“{value}”）：{schema.get('description', '')}"
    if kind == "minLength":
        return f"{field}不能为空：请填写内容"
    if kind == "minItems":
        return f"{field}至少要有 {schema['minItems']} 项"
    if kind == "minProperties":
        return f"{field}不能为空：请填写内容"
    if kind == "minimum":
        return f"{field}不能小于 {schema['minimum']}（现在是 {typed or value}）"
    if kind == "maximum":
        return f"{field}不能大于 {schema['maximum']}（现在是 {typed or value}）"
    description = schema.get("description")
    return f"{field}的写法不对：{description}" if description else f"{field}的写法不对"


def _leaf(error: ValidationError) -> ValidationError:
    """For anyOf/oneOf, the branch error that says most about what went wrong."""
    from jsonschema.exceptions import best_match

    while error.context:
        error = best_match(error.context)
    return error


def _typed(source: YamlFile, path: tuple[str | int, ...]) -> str | None:
    """The value at ``path`` as the clerk typed it, where the loader kept it."""
    return source.typed.get(path)


def check(source: YamlFile, schema: str) -> Iterator[Problem]:
    """Every schema violation in ``source`` against schemas/<schema>.schema.json, one message per mistake."""
    if is_valid(source.data, schema):  # most files are valid: the fast check is all they need
        return
    errors = [_leaf(error) for error in validator(schema).iter_errors(source.data)]
    # a misspelt key is one mistake: not "missing 项目名称" and "unknown 项目名" apart
    missing: dict[tuple[str | int, ...], list[str]] = {}
    for error in errors:
        if error.validator == "required":
            name = ast.literal_eval(error.message.split(" is a required property")[0])
            missing.setdefault(tuple(error.absolute_path), []).append(name)
    meant: dict[tuple[tuple[str | int, ...], str], str] = {}  # (path, unknown key) -> the missing key it stands for
    for error in errors:
        if error.validator == "additionalProperties":
            path = tuple(error.absolute_path)
            known = list(_schema(error).get("properties", {}))
            for key in _given(error):
                if key not in known and missing.get(path):
                    near = _nearest(key, missing[path])
                    if near:
                        missing[path].remove(near)
                        meant[(path, key)] = near
    for error in errors:
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties":
            yield from _unknown_keys(source, error, path, meant)
            continue
        if error.validator == "required":
            name = ast.literal_eval(error.message.split(" is a required property")[0])
            if name not in missing.get(path, []):
                continue  # reported at the misspelt key
        line, column = source.position(path)
        yield form_problem(source.display, line, column, "schema", _message(error, _typed(source, path)))


def _unknown_keys(
    source: YamlFile,
    error: ValidationError,
    path: tuple[str | int, ...],
    meant: dict[tuple[tuple[str | int, ...], str], str],
) -> Iterator[Problem]:
    """One problem per unknown key, placed at the key, with the key it most likely stands for."""
    known, given = list(_schema(error).get("properties", {})), _given(error)
    for key in given:
        if key in known:
            continue
        line, column = source.position((*path, key), key=True)
        near = meant.get((path, key)) or _nearest(key, [k for k in known if k not in given])
        if near:
            message = f"不认识的键“{key}”：是不是“{near}”？请改为“{near}”"
        else:
            message = f"不认识的键“{key}”：请检查拼写。这里可用的键有：{'、'.join(known)}"
        yield form_problem(source.display, line, column, "schema", message)
