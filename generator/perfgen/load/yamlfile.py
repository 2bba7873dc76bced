"""Read one YAML source file into plain data, remembering where every value stands.

Everything a clerk can get wrong in a file is returned as a Problem with its
line and column, never raised: encoding, tabs, syntax, duplicate keys,
anchors and aliases, custom tags, characters Word cannot hold, an empty file
or a top level that is not a mapping. Decimal numbers load as Decimal so
that amounts keep their exact value.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from perfgen.problems import Problem, form_problem

Path_ = tuple[str | int, ...]

# XML 1.0 forbids these; \x0b is what Word's manual line break becomes when pasted
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")

STRING = "tag:yaml.org,2002:str"
STANDARD_TAGS = {
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}

# PyYAML's messages, in the words a clerk understands
SYNTAX_HINTS = {
    "mapping values are not allowed here": "这里不能出现“键: 值”。常见原因：上一行的冒号后面缺空格，或本行缩进不对",
    "could not find expected ':'": "缺少“: ”。每个键后面要有冒号和一个空格；请检查本行和上一行",
    "while scanning a tag": "“!”开头表示 YAML 标记，不支持；以“!”开头的文字请加引号",
    "did not find expected key": "缩进不对齐，或者列表项“- ”与键混在同一层",
    "did not find expected '-' indicator": "列表项缩进不一致：同一列表的“- ”要对齐",
    "found character that cannot start any token": "出现了不能作为开头的字符；以 @、`、% 开头的文字请加引号",
    "found unexpected end of stream": "文件在引号或括号闭合之前就结束了",
    "found undefined alias": "使用了未定义的别名（*）",
    "expected <block end>, but found '-'": "列表项“- ”的缩进不对",
    "expected <block end>, but found '<scalar>'": "缩进不对，或者文字里的冒号、井号需要加引号",
    "while scanning a quoted scalar": "引号没有配对",
    "found invalid Unicode character escape code": "双引号文字中有无效的 Unicode 转义（如不成对的 \\ud800，复制粘贴时损坏的文字）：请重新输入这几个字",
    "found unknown escape character": "双引号文字中有无效的反斜杠转义；改用单引号",
    "expected alphabetic or numeric character": "“&”或“*”后面要跟名称；文字以它们开头时请加引号",
}


@dataclass
class YamlFile:
    """A parsed source file: its data and the position of every key and value."""

    path: Path
    display: str  # the name shown in messages (relative to where perfgen runs)
    data: Any
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Line and column of the value at ``path``, or of its nearest parent."""
        if key and path in self.keys:
            return self.keys[path]
        for end in range(len(path), -1, -1):
            if path[:end] in self.values:
                return self.values[path[:end]]
        return (1, 1)


def _problem(display: str, line: int, column: int, rule: str, message: str) -> Problem:
    return form_problem(display, line, column, rule, message)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def describe_char(char: str) -> str:
    if char == "\x0b":
        return "Word 的手动换行符（垂直制表符 U+000B），请删掉后直接换行"
    if "\ud800" <= char <= "\udfff":
        return f"不成对的代理字符 U+{ord(char):04X}（复制粘贴时损坏的文字），请重新输入这几个字"
    return f"控制字符 U+{ord(char):04X}（Word 文档不能容纳），请删掉"


if yaml.__with_libyaml__:  # libyaml scans and parses in C, several times faster
    from yaml.cyaml import CParser as _Parser

    def _init_parser(loader: Any, stream: str) -> None:
        _Parser.__init__(loader, stream)

else:  # pragma: no cover - PyYAML built without libyaml
    class _Parser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):  # type: ignore[no-redef]
        pass

    def _init_parser(loader: Any, stream: str) -> None:
        yaml.reader.Reader.__init__(loader, stream)
        yaml.scanner.Scanner.__init__(loader)
        yaml.parser.Parser.__init__(loader)


class _Loader(yaml.composer.Composer, _Parser, yaml.resolver.Resolver):
    """Compose nodes in Python over the parser's events, recording every anchor and alias as a problem."""

    def __init__(self, stream: str) -> None:
        _init_parser(self, stream)
        yaml.resolver.Resolver.__init__(self)
        yaml.composer.Composer.__init__(self)
        self.problems: list[tuple[yaml.Mark, str, str]] = []

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        # reported, then composed as usual, so that the data is complete and checks go on
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            self.problems.append((event.start_mark, "yaml-alias", "不支持别名（*名称）：请把内容直接写出来"))
        elif getattr(event, "anchor", None):
            self.problems.append((event.start_mark, "yaml-alias", "不支持锚点（&名称）：请删掉“&”及其名称"))
        return super().compose_node(parent, index)


if yaml.__with_libyaml__:

    class _CLoader(_Parser, yaml.resolver.Resolver):  # type: ignore[misc,valid-type]
        """libyaml composes the nodes as well, in C: for a text without '&' and '*', which has no anchor or alias."""

        def __init__(self, stream: str) -> None:
            _init_parser(self, stream)
            yaml.resolver.Resolver.__init__(self)
            self.problems: list[tuple[yaml.Mark, str, str]] = []

else:  # pragma: no cover
    _CLoader = None  # type: ignore[assignment,misc]


def _loader(text: str) -> Any:
    if _CLoader is not None and "&" not in text and "*" not in text:
        return _CLoader(text)
    return _Loader(text)


# only its resolver and scalar constructors are used, which keep no state
_SCALARS = yaml.SafeLoader("")


class _Builder:
    """Turn composed nodes into plain data, with positions and problems."""

    def __init__(self, display: str, escapes: bool = True) -> None:
        self.display = display
        # parse_yaml refuses a text with forbidden characters before building: a scalar can only hold
        # one through an escape ("\v") of a double-quoted string, so without a backslash none is looked for
        self.escapes = escapes
        self.values: dict[Path_, tuple[int, int]] = {}
        self.keys: dict[Path_, tuple[int, int]] = {}
        self.problems: list[Problem] = []

    def add(self, mark: yaml.Mark, rule: str, message: str) -> None:
        self.problems.append(_problem(self.display, mark.line + 1, mark.column + 1, rule, message))

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if node.tag not in STANDARD_TAGS:
            self.add(node.start_mark, "yaml-tag", f"不支持自定义标记“{node.tag}”：请删掉它")
            # go on as if the tag were not there, so later checks see the value
            if isinstance(node, yaml.ScalarNode):
                tag = _SCALARS.resolve(yaml.ScalarNode, node.value, (True, False))
                node = yaml.ScalarNode(tag, node.value, node.start_mark, node.end_mark, node.style)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.add(key_node.start_mark, "yaml-syntax", "键必须是简单的文字")
                continue
            key = str(self._scalar(key_node, path))
            if key in result:
                first = self.keys[(*path, key)]
                self.add(
                    key_node.start_mark,
                    "yaml-duplicate-key",
                    f"键“{key}”重复（第 {first[0]} 行已有）：后一个会覆盖前一个，请合并或删掉一个",
                )
                continue
            self.keys[(*path, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, (*path, key))
        return result

    def _scalar(self, node: yaml.ScalarNode, path: Path_) -> Any:
        if node.tag == STRING:  # most values: the tag's name is not needed
            text = node.value
            if self.escapes:
                self._check_text(node)
            return text
        tag = node.tag.rsplit(":", 1)[-1]
        if tag == "float":
            try:
                return Decimal(node.value.replace("_", ""))
            except InvalidOperation:
                return node.value
        if tag == "int":
            return _SCALARS.construct_yaml_int(node)
        if tag == "bool":
            return _SCALARS.construct_yaml_bool(node)
        if tag == "null":
            return None
        # timestamps stay text: a date in an indicator is words, not a value
        if self.escapes:
            self._check_text(node)
        return node.value

    def _check_text(self, node: yaml.ScalarNode) -> None:
        match = FORBIDDEN.search(node.value)
        if match:
            self.add(node.start_mark, "text-control-char", f"文字中含有{describe_char(match.group())}")


def read_yaml(path: Path, display: str) -> tuple[YamlFile | None, list[Problem]]:
    """Parse ``path``; the file is None when it cannot be used at all."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [_problem(display, 1, 1, "file-read", f"无法读取文件：{exc.strerror}")]
    if raw.startswith(codecs.BOM_UTF8):  # Notepad writes one; it is harmless
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            _problem(
                display,
                line,
                column,
                "yaml-encoding",
                "文件不是 UTF-8 编码（可能是 GBK）。请在编辑器中选择“另存为”，编码选 UTF-8 后保存",
            )
        ]
    return parse_yaml(text, path, display)


def parse_yaml(text: str, path: Path, display: str) -> tuple[YamlFile | None, list[Problem]]:
    """Parse the text of a source file (see read_yaml)."""
    if not text.strip() or all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        return None, [_problem(display, 1, 1, "yaml-empty", "文件是空的：请填写内容，或删掉这个文件")]

    problems = []
    for match in FORBIDDEN.finditer(text):
        line, column = _line_col(text, match.start())
        problems.append(_problem(display, line, column, "text-control-char", f"文件中含有{describe_char(match.group())}"))
    for number, line in enumerate(text.splitlines(), 1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            problems.append(
                _problem(display, number, indent.index("\t") + 1, "yaml-tab", "缩进中有制表符（Tab）：YAML 只能用空格缩进")
            )
    if problems:
        return None, problems

    loader = _loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        hint = next((v for k, v in SYNTAX_HINTS.items() if k in f"{exc.context} {exc.problem}"), None)
        message = f"YAML 格式错误：{hint}" if hint else f"YAML 格式错误（{exc.problem}）"
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return None, [_problem(display, line, column, "yaml-syntax", message)]
    finally:
        loader.dispose()

    builder = _Builder(display, escapes="\\" in text)
    for mark, rule, message in loader.problems:
        builder.add(mark, rule, message)
    data = builder.build(node, ()) if node is not None else None
    problems = builder.problems
    if not isinstance(data, dict):
        problems.append(_problem(display, 1, 1, "yaml-top-level", "文件的最外层应当是“键: 值”的形式，而不是列表或单独的文字"))
        return None, problems
    return YamlFile(path, display, data, builder.values, builder.keys), problems
