"""Reading one YAML file: exact numbers, positions of values and keys, hygiene problems."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from perfgen.load.yamlfile import read_yaml
from perfgen.problems import Severity


def read(tmp_path: Path, text: str | bytes):
    path = tmp_path / "a.yaml"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return read_yaml(path, "a.yaml")


def rules(problems) -> list[tuple[str, int, int]]:
    return [(p.rule, p.line, p.column) for p in problems]


def test_amounts_are_exact_decimals_and_text_stays_text(tmp_path: Path) -> None:
    source, problems = read(tmp_path, "预算数: 0.10\n年度: 2024\n日期: 2024-12-31\n草案: true\n空:\n")
    assert problems == []
    assert source.data == {"预算数": Decimal("0.10"), "年度": 2024, "日期": "2024-12-31", "草案": True, "空": None}
    assert str(source.data["预算数"]) == "0.10"


def test_positions_of_values_and_keys(tmp_path: Path) -> None:
    source, _ = read(tmp_path, "a:\n  b:\n    - x\n    - 值: y\n")
    assert source.position(("a", "b", 1, "值")) == (4, 10)
    assert source.position(("a", "b", 1, "值"), key=True) == (4, 7)
    assert source.position(("a", "b", 0)) == (3, 7)
    assert source.position(("a", "missing")) == (2, 3)  # nearest parent


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    source, problems = read(tmp_path, "\ufeff键: 值\n".encode())
    assert problems == [] and source.data == {"键": "值"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\na: 2\n", [("yaml-duplicate-key", 2, 1)]),
        ("a: &x 1\nb: *x\n", [("yaml-alias", 1, 4), ("yaml-alias", 2, 4)]),
        ("a: !money 1\n", [("yaml-tag", 1, 4)]),
        ("a:\n\tb: 1\n", [("yaml-tab", 2, 1)]),
        ("a: b: c\n", [("yaml-syntax", 1, 5)]),
        ("- a\n", [("yaml-top-level", 1, 1)]),
        ("\n# 注释\n", [("yaml-empty", 1, 1)]),
        # libyaml refuses a lone surrogate escape while parsing; without it the text check would
        ("a: \"x\\ud800\"\n", [("yaml-syntax", 1, 8)] if yaml.__with_libyaml__ else [("text-control-char", 1, 4)]),
        ("a: x\x0cy\n", [("text-control-char", 1, 5)]),
        # an escape in a double-quoted value or key makes the character only when parsed
        ('a: "x\\vy"\n', [("text-control-char", 1, 4)]),
        ('"k\\x0b": 1\n', [("text-control-char", 1, 1)]),
    ],
)
def test_hygiene_problems_are_placed(tmp_path: Path, text: str, expected: list) -> None:
    _, problems = read(tmp_path, text)
    assert rules(problems) == expected
    assert all(p.severity is Severity.ERROR and p.blocking for p in problems)


def test_gbk_file_is_named_as_such(tmp_path: Path) -> None:
    source, problems = read(tmp_path, "名称: 官厅镇\n".encode("gbk"))
    assert source is None
    assert rules(problems) == [("yaml-encoding", 1, 1)]
    assert "GBK" in problems[0].message and "UTF-8" in problems[0].message


def test_the_texts_listed_while_loading_are_every_text_of_the_data_in_order(tmp_path: Path) -> None:
    from conftest import PROJECTS

    from perfgen.load.yamlfile import collect_strings

    text = "a: x\nb:\n  - 'y'\n  - {c: z, d: 1, e: null, f: \"w\\n\"}\nc: !custom v\ng: 1.5\nh: [p, [q, r]]\na: dup\n"
    files = [tmp_path / "t.yaml", *sorted(PROJECTS.rglob("*.yaml"))]
    files[0].write_text(text, encoding="utf-8")
    for path in files:
        source, _ = read_yaml(path, path.name)
        assert source is not None
        found: list = []
        collect_strings(source.data, (), found)
        assert source.strings() == found, path


@pytest.mark.parametrize(
    "text", ['"a\\uff1ab": 1\n', '"\\u3000项目名称": x\n', "项目名称： x\nb: 1\n", "\u3000项目名称: x\n"]
)
def test_odd_keys_are_found_also_when_written_as_escapes(tmp_path: Path, text: str) -> None:
    source, problems = read(tmp_path, text)
    # a slip found before parsing may leave the mended data to check on; it stops a build all the same
    assert [(p.rule, p.blocking) for p in problems] == [("yaml-syntax", True)]
    assert source is None or source.data == {"项目名称": "x", **({"b": 1} if "b:" in text else {})}
