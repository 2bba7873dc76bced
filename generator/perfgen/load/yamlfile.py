"""Read one YAML source file into plain data, remembering where every value stands.

Everything a clerk can get wrong in a file is returned as a Problem with its
line and column, never raised: encoding, tabs, syntax, duplicate keys,
anchors and aliases, custom tags, characters Word cannot hold, an empty file
or a top level that is not a mapping, and input too large or too deep to be
a source file.

Scalars resolve by the YAML 1.2 core schema, as clerks read them: ``0777``
is 777, ``1:30`` and ``yes`` are text. Decimal numbers load as Decimal so
that amounts keep their exact value; numbers beyond what a budget holds are
refused, and every number's text as typed is kept for messages.

An alias is refused where it stands, before anything is expanded: a file of
nested aliases costs nothing to reject.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

import yaml

from perfgen.load.syntax import ODD_SPACES, Slip, alias, explain, mend, odd_key, slips
from perfgen.errors import system_reason
from perfgen.problems import Problem, form_problem

Path_ = tuple[str | int, ...]

# XML 1.0 forbids these, and YAML the C1 controls (U+0080-U+009F but U+0085); \x0b is what Word's manual
# line break becomes when pasted
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]")

STRING = "tag:yaml.org,2002:str"
MAPPING = "tag:yaml.org,2002:map"
SEQUENCE = "tag:yaml.org,2002:seq"

# limits on what a source file can be: far above any real one, far below what would hang a build
MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 40  # levels of nested lists and mappings
MAX_TEXT = 20_000  # characters in one text
MAX_NUMBER = Decimal(10) ** 12  # an amount of a township budget, in 元
MAX_DECIMALS = 6

# the spaces, "- " and "? " that start each line (lines split at \n only, as ^ does)
BLOCK_STARTS = re.compile(r"^[ ?-]*", re.MULTILINE)

# line breaks other than \n that editors and copy-paste produce; in Word they are line breaks too
LINE_BREAKS = re.compile("\r\n|[\r\x85\u2028\u2029]")

STANDARD_TAGS = {
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}

@dataclass
class YamlFile:
    """A parsed source file: its data and the position of every key and value."""

    path: Path
    display: str  # the name shown in messages (relative to where perfgen runs)
    data: Any
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    typed: dict[Path_, str] = field(default_factory=dict)  # numbers and true/false/null as written
    _strings: list[tuple[Path_, str]] | None = field(default=None, init=False, repr=False, compare=False)

    def strings(self) -> list[tuple[Path_, str]]:
        """Every text of the data with its path, in order; listed once, as several rules read them all."""
        if self._strings is None:
            self._strings = []
            collect_strings(self.data, (), self._strings)
        return self._strings

    def as_typed(self, path: Path_, value: Any) -> str:
        """The value at ``path`` as the clerk wrote it (016017, not 16017), for messages."""
        return self.typed.get(path, str(value))

    def position(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Line and column of the value at ``path``, or of its nearest parent."""
        if key and path in self.keys:
            return self.keys[path]
        for end in range(len(path), -1, -1):
            if path[:end] in self.values:
                return self.values[path[:end]]
        return (1, 1)


def collect_strings(value: Any, path: Path_, found: list[tuple[Path_, str]]) -> None:
    """Append every text in ``value`` to ``found``, with its path."""
    # a plain recursion into one list: nested generators cost a frame per level for every text
    if isinstance(value, str):
        found.append((path, value))
    elif isinstance(value, dict):
        for key, item in value.items():
            collect_strings(item, (*path, key), found)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            collect_strings(item, (*path, index), found)


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


class CoreResolver(yaml.resolver.BaseResolver):
    """The YAML 1.2 core schema: no octal 0777, no base 60, no yes/no/on/off, no timestamps."""

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        """BaseResolver.resolve, shortened for a resolver without path or wildcard resolvers: it runs for every node."""
        if kind is yaml.ScalarNode:
            if implicit[0]:  # plain: a number, true/false or null by its first character and pattern
                tag: str
                for tag, pattern in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if pattern.match(value):
                        return tag
            return STRING
        return MAPPING if kind is yaml.MappingNode else SEQUENCE


for _tag, _pattern, _first in (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+.0123456789",
    ),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
):
    CoreResolver.add_implicit_resolver("tag:yaml.org,2002:" + _tag, re.compile(_pattern), list(_first))
# what the shortened resolve leaves out must not be there
assert None not in CoreResolver.yaml_implicit_resolvers and not CoreResolver.yaml_path_resolvers


class _Mark(Protocol):
    """A place in the text (counted from 0), as PyYAML and libyaml both mark it."""

    line: int
    column: int


class Refused(Exception):
    """The composer stops: the rest of the file would cost too much or mean something else."""

    def __init__(self, mark: _Mark, rule: str, message: str) -> None:
        super().__init__(message)
        self.mark, self.rule, self.message = mark, rule, message


if yaml.__with_libyaml__:  # libyaml scans and parses in C, several times faster
    from yaml._yaml import CParser as _Parser  # what yaml.cyaml's loaders are built on

    def _init_parser(loader: Any, stream: str) -> None:
        _Parser.__init__(loader, stream)

else:  # pragma: no cover - PyYAML built without libyaml
    class _Parser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):  # type: ignore[no-redef]
        pass

    def _init_parser(loader: Any, stream: str) -> None:
        yaml.reader.Reader.__init__(loader, stream)
        yaml.scanner.Scanner.__init__(loader)
        yaml.parser.Parser.__init__(loader)


class _Loader(yaml.composer.Composer, _Parser, CoreResolver):
    """Compose nodes in Python over the parser's events; anchors are reported, aliases and depth stop it."""

    def __init__(self, stream: str) -> None:
        _init_parser(self, stream)
        CoreResolver.__init__(self)
        yaml.composer.Composer.__init__(self)
        self.problems: list[tuple[_Mark, str, str]] = []
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()
        assert event is not None and event.start_mark is not None  # asked for while events remain, all marked
        if isinstance(event, yaml.AliasEvent):
            # expanding it could cost exponential time and memory (an "alias bomb"): stop here
            raise Refused(event.start_mark, "yaml-alias", "不支持别名（*名称）：请把内容直接写出来；如果“*”是文字的开头，请给整个值加英文单引号")
        if getattr(event, "anchor", None):
            self.problems.append((event.start_mark, "yaml-alias", "不支持锚点（&名称）：请删掉“&”及其名称；如果“&”是文字的开头，请给整个值加英文单引号"))
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise Refused(
                event.start_mark, "yaml-depth", f"嵌套超过 {MAX_DEPTH} 层：请检查缩进和括号是否配对（源文件不会有这么多层）"
            )
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


if yaml.__with_libyaml__:

    class _CLoader(_Parser, CoreResolver):
        """libyaml composes the nodes as well, in C: for a text without '&' and '*', which has no anchor or alias.

        Its composer recurses in C without a limit (100,000 nested brackets crash the process), so it
        is used only for texts whose nesting is bounded well below MAX_DEPTH (see ``_depth_bound``).
        """

        def __init__(self, stream: str) -> None:
            _init_parser(self, stream)
            CoreResolver.__init__(self)
            self.problems: list[tuple[_Mark, str, str]] = []

else:  # pragma: no cover
    _CLoader = None  # type: ignore[assignment,misc]


def _loader(text: str, depth_bound: int) -> Any:
    if _CLoader is not None and "&" not in text and "*" not in text and depth_bound <= MAX_DEPTH:
        return _CLoader(text)
    return _Loader(text)


_RESOLVER = CoreResolver()


def _shown(text: str) -> str:
    """A number as typed, cut when it is too long to read."""
    return text if len(text) <= 40 else f"{text[:30]}…（共 {len(text)} 个字符）"


def _number_problem(text: str) -> tuple[str, str] | None:
    """Why a YAML number cannot be an amount, percentage or year (rule, message), or None."""
    if text.lstrip("+-").lower() in (".nan", ".inf"):
        return "number-range", f"“{text}”不是普通数字（YAML 的无穷大或非数值）：请写成数字，如 67.54；要写文字请加引号"
    too_large = "number-range", f"数字“{_shown(text)}”超出范围：数字的绝对值不能超过 10 的 12 次方（一万亿）"
    if text[:2] in ("0o", "0x"):  # exact in any length: the base is a power of two
        return too_large if int(text[2:], 8 if text[1] == "o" else 16) > MAX_NUMBER else None
    try:
        value = Decimal(text)  # exact: no context rounds a conversion from text
    except ArithmeticError:
        return too_large
    if value.adjusted() > 12 or value.copy_abs() > MAX_NUMBER:
        return too_large
    sign, numerals, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    while numerals and numerals[-1] == 0 and exponent < 0:  # 1.500 has one decimal
        numerals, exponent = numerals[:-1], exponent + 1
    if exponent < -MAX_DECIMALS:
        return "number-precision", f"数字“{_shown(text)}”的小数超过 {MAX_DECIMALS} 位：请四舍五入到 {MAX_DECIMALS} 位以内"
    return None


class _Builder:
    """Turn composed nodes into plain data, with positions and problems."""

    def __init__(self, display: str, escapes: bool = True, breaks: bool = True) -> None:
        self.display = display
        # parse_yaml refuses a text with forbidden characters before building: a scalar can only hold
        # one through an escape ("\v") of a double-quoted string, so without a backslash none is looked for
        self.escapes = escapes
        self.breaks = breaks  # whether a text may hold a line break other than \n
        self.values: dict[Path_, tuple[int, int]] = {}
        self.keys: dict[Path_, tuple[int, int]] = {}
        self.typed: dict[Path_, str] = {}
        self.problems: list[Problem] = []
        self.numbers_refused = False
        self.strings: list[tuple[Path_, str]] = []  # every text of the data with its path, in order

    def add(self, mark: _Mark, rule: str, message: str) -> None:
        self.problems.append(_problem(self.display, mark.line + 1, mark.column + 1, rule, message))

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if node.tag not in STANDARD_TAGS:
            self.add(node.start_mark, "yaml-tag", f"不支持自定义标记“{node.tag}”：请删掉它；如果“!”是文字的开头，请给整个值加英文单引号")
            # go on as if the tag were not there, so later checks see the value
            if isinstance(node, yaml.ScalarNode):
                tag = _RESOLVER.resolve(yaml.ScalarNode, node.value, (True, False))
                node = yaml.ScalarNode(tag, node.value, node.start_mark, node.end_mark, node.style)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self._value(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)  # the third kind of node
        return self._scalar(node, path)

    def _value(self, node: yaml.Node, path: Path_) -> Any:
        """``build``, with a short way for a text (most values): this runs for every value of every file."""
        if node.tag == STRING and type(node) is yaml.ScalarNode:
            mark = node.start_mark
            self.values[path] = (mark.line + 1, mark.column + 1)
            text = self._text(node)
            self.strings.append((path, text))
            return text
        return self.build(node, path)

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.add(key_node.start_mark, "yaml-syntax", "键必须是简单的文字")
                continue
            key = self._text(key_node)  # a key is its text as written: 0777 stays 0777
            if key in result:
                first = self.keys[path + (key,)]  # not (*path, key): mypy reads a starred subscript as 3.11 syntax
                self.add(
                    key_node.start_mark,
                    "yaml-duplicate-key",
                    f"键“{key}”重复（第 {first[0]} 行已有）：后一个会覆盖前一个，请合并或删掉一个",
                )
                continue
            child = (*path, key)
            mark = key_node.start_mark
            self.keys[child] = (mark.line + 1, mark.column + 1)
            result[key] = self._value(value_node, child)
        return result

    def _scalar(self, node: yaml.ScalarNode, path: Path_) -> Any:
        value = self._scalar_value(node, path)
        if isinstance(value, str):
            self.strings.append((path, value))
        return value

    def _scalar_value(self, node: yaml.ScalarNode, path: Path_) -> Any:
        if node.tag == STRING:  # most values: the tag's name is not needed
            return self._text(node)
        tag = node.tag.rsplit(":", 1)[-1]
        text = node.value
        if tag in ("int", "float", "bool", "null"):
            self.typed[path] = text
        if tag in ("int", "float"):
            refused = _number_problem(text)
            if refused:
                self.add(node.start_mark, *refused)
                self.numbers_refused = True
                return text
            if text.startswith(("0o", "0x")):
                return int(text[2:], 8 if text[1] == "o" else 16)
            return int(text) if tag == "int" else Decimal(text)
        if tag == "bool":
            return text.lower() == "true"
        if tag == "null":
            return None
        return self._text(node)

    def _text(self, node: yaml.ScalarNode) -> str:
        text = node.value
        if len(text) > MAX_TEXT:
            self.add(
                node.start_mark, "text-length", f"这段文字有 {len(text)} 个字符，超过了 {MAX_TEXT} 个：请检查是否误粘贴了整篇内容"
            )
        if self.escapes:
            match = FORBIDDEN.search(text)
            if match:
                self.add(node.start_mark, "text-control-char", f"文字中含有{describe_char(match.group())}")
        # \r (old Mac, or a "\r" escape), U+2028 and the like are line breaks, as \n is
        return LINE_BREAKS.sub("\n", text) if self.breaks else text


def read_yaml(path: Path, display: str) -> tuple[YamlFile | None, list[Problem]]:
    """Parse ``path``; the file is None when it cannot be used at all.

    A FIFO, a device or a folder is refused before it is opened (reading it could hang), and so
    is a file too large to be a source.
    """
    text, problems = read_text(path, display)
    if text is None:
        return None, problems
    return parse_yaml(text, path, display)


def read_text(path: Path, display: str) -> tuple[str | None, list[Problem]]:
    """The text of a source file as ``read_yaml`` reads it (a regular file, not too large, UTF-8), or why not."""
    raw = b""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            return None, [_problem(display, 1, 1, "file-read", "这不是普通文件（可能是文件夹、管道或设备），无法作为源文件读取")]
        if info.st_size <= MAX_FILE_BYTES:
            with open(path, "rb") as stream:
                raw = stream.read(MAX_FILE_BYTES + 1)  # no more, should it have grown since
    except OSError as exc:
        return None, [_problem(display, 1, 1, "file-read", f"无法读取文件：{system_reason(exc)}")]
    if info.st_size > MAX_FILE_BYTES or len(raw) > MAX_FILE_BYTES:
        size = max(info.st_size, len(raw)) / 1024 / 1024
        limit = MAX_FILE_BYTES // 1024 // 1024
        message = f"文件有 {size:.1f} MB，超过了 {limit} MB：源文件不会这么大，请检查是否放错了文件"
        return None, [_problem(display, 1, 1, "file-size", message)]
    if raw.startswith(codecs.BOM_UTF8):  # Notepad writes one; it is harmless
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        return raw.decode("utf-8"), []
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


def _may_hold_odd_keys(text: str) -> bool:
    """Whether any key can be one odd_key explains: one with a full-width colon or starting with an odd space.

    A key's characters stand in the text as they are, but for an escape ("\\u3000") of a double-quoted one.
    """
    return "：" in text or "\\" in text or any(space in text for space in ODD_SPACES)


def _with_slips(typed: list[Slip], text: str, path: Path, display: str) -> tuple[YamlFile | None, list[Problem]]:
    """Every slip, then what the file with the mechanical ones mended still holds, on the other lines.

    The mended text is read on, so that one run names every mistake; a line with a slip gets no second
    message, which would guess at a cause already named. When every slip has its mechanical fix and the
    mended text reads cleanly, its data is returned (the slips stay errors that stop a build), so that
    the checks of content run too.
    """
    problems = [_problem(display, s.line, s.column, s.rule, s.message) for s in typed]
    mended, further = parse_yaml(mend(text, typed), path, display, scan=False)
    marked = {s.line for s in typed}
    problems += [p for p in further if p.line not in marked]
    usable = mended is not None and not further and all(s.fix for s in typed)
    return (mended if usable else None), problems


def parse_yaml(text: str, path: Path, display: str, scan: bool = True) -> tuple[YamlFile | None, list[Problem]]:
    """Parse the text of a source file (see read_yaml); ``scan``: look for a clerk's slips first (see syntax.slips)."""
    if not text.strip() or all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        return None, [_problem(display, 1, 1, "yaml-empty", "文件是空的：请填写内容，或删掉这个文件")]

    problems = []
    for match in FORBIDDEN.finditer(text):
        line, column = _line_col(text, match.start())
        problems.append(_problem(display, line, column, "text-control-char", f"文件中含有{describe_char(match.group())}"))
    if problems:
        return None, problems
    typed = [slip for slip in slips(text) if not slip.asks] if scan else []
    if typed:
        return _with_slips(typed, text, path, display)

    # the rightmost column where a block collection can start
    deepest = max(map(len, BLOCK_STARTS.findall(text)))

    # a block collection starts right of its parent, or (a list under a key) in its column: at most two
    # levels per column; flow collections add one level per bracket
    depth_bound = 2 * (deepest + 1) + text.count("[") + text.count("{") + 1
    loader = _loader(text, depth_bound)
    try:
        node = loader.get_single_node()
    except Refused as exc:
        problems = [_problem(display, m.line + 1, m.column + 1, rule, message) for m, rule, message in loader.problems]
        message = exc.message
        if exc.rule == "yaml-alias":  # "指标值: *90" is a text to quote far more often than an alias
            message = alias(text, exc.mark.line + 1, exc.mark.column + 1, message)
        return None, problems + [_problem(display, exc.mark.line + 1, exc.mark.column + 1, exc.rule, message)]
    except yaml.MarkedYAMLError as exc:
        def at(mark: _Mark | None) -> tuple[int, int] | None:
            return (mark.line + 1, mark.column + 1) if mark else None

        found = explain(text, exc.problem or "", exc.context, at(exc.problem_mark), at(exc.context_mark))
        return None, [_problem(display, found.line, found.column, "yaml-syntax", found.message)]
    except yaml.reader.ReaderError as exc:  # a character libyaml refuses (C1 controls): name it
        line, column = _line_col(text, exc.position)
        char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
        return None, [_problem(display, line, column, "text-control-char", f"文件中含有{describe_char(char)}")]
    except yaml.YAMLError as exc:  # anything else libyaml refuses: still a problem, never a traceback
        line, column = _line_col(text, getattr(exc, "position", 0) or 0)
        return None, [_problem(display, line, column, "yaml-syntax", f"YAML 格式错误（{exc}）")]
    finally:
        loader.dispose()

    builder = _Builder(display, escapes="\\" in text, breaks="\\" in text or LINE_BREAKS.search(text) is not None)
    for mark, rule, message in loader.problems:
        builder.add(mark, rule, message)
    data = builder.build(node, ()) if node is not None else None
    problems = builder.problems
    # keys that parsed but hold what a clerk typed by mistake: the file means something else than it says
    mistyped = [
        _problem(display, *builder.keys[path], "yaml-syntax", odd)
        for path in (builder.keys if _may_hold_odd_keys(text) else ())
        if isinstance(path[-1], str) and (odd := odd_key(path[-1], builder.keys[path][0]))
    ]
    if mistyped:
        return None, mistyped
    if not isinstance(data, dict):
        problems.append(_problem(display, 1, 1, "yaml-top-level", "文件的最外层应当是“键: 值”的形式，而不是列表或单独的文字"))
        return None, problems
    if builder.numbers_refused:  # no check or build may compute with them
        return None, problems
    source = YamlFile(path, display, data, builder.values, builder.keys, builder.typed)
    source._strings = builder.strings  # listed as they were built: the same as collect_strings finds
    return source, problems
