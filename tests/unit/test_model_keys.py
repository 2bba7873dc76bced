"""model.py names the source keys it reads once, in _KEYS: no other string of Chinese in its code reads a mapping."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import perfgen.model

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def test_the_keys_model_reads_are_named_in_keys_only() -> None:
    tree = ast.parse(Path(perfgen.model.__file__).read_text(encoding="utf-8"))
    keys = next(node for node in tree.body if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "_KEYS")
    named = {id(node) for node in ast.walk(keys)}
    spelled = []
    for node in ast.walk(tree):
        # a subscript or .get() with a Chinese string reads a raw mapping by a key spelled out of _KEYS
        key = None
        if isinstance(node, ast.Subscript):
            key = node.slice
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" and node.args:
            key = node.args[0]
        if isinstance(key, ast.Constant) and isinstance(key.value, str) and CHINESE.search(key.value) and id(key) not in named:
            spelled.append((key.lineno, key.value))
    assert spelled == []
