"""Explain a YAML syntax error to a clerk: in Chinese, at the line of the mistake, with what to do.

libyaml reports where it noticed trouble, often the line after the mistake,
in English. Here the text around that place is read again to find what a
clerk typed: a full-width colon or space, a no-break space pasted from a web
page, a value starting with a character YAML reserves, a key indented one
space too far, a quote that does not close. Every message names the line and
says what to write instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

# spaces that look like a space but are not one to YAML
ODD_SPACES = {
    "\u3000": "全角空格",
    "\u00a0": "不换行空格（从网页或 Word 复制来的空格）",
    "\u2002": "特殊空格（U+2002）",
    "\u2003": "特殊空格（U+2003）",
    "\u2009": "特殊空格（U+2009）",
    "\u200b": "看不见的零宽空格（U+200B）",
    "\u202f": "特殊空格（U+202F）",
    "\ufeff": "看不见的零宽空格（U+FEFF）",
}
FULL_WIDTH_QUOTES = {"‘": "'", "’": "'", "“": '"', "”": '"', "＇": "'", "＂": '"'}
# characters that YAML reads as syntax when a value starts with them
INDICATORS = {
    ">": "折叠文字标记",
    "|": "保留换行文字标记",
    "!": "类型标记",
    "%": "指令标记",
    "@": "保留字符",
    "`": "保留字符",
    "&": "锚点标记",
    "*": "别名标记",
    "[": "列表括号",
    "{": "映射括号",
}

MONTH_KEY = re.compile(r"\d{1,2}月底")


@dataclass(frozen=True)
class Explained:
    """A syntax error placed at the mistake (line and column from 1), with its Chinese message."""

    line: int
    column: int
    message: str


@cache  # the schemas do not change while perfgen runs: walked once
def _schema_properties() -> tuple[tuple[str, Any], ...]:
    """Every key the schemas define, with its definition (a key defined in several places comes several times)."""
    from perfgen.resources import load_schema

    found: list[tuple[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            properties = node.get("properties")
            if isinstance(properties, dict):
                found.extend(properties.items())
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for name in ("document", "project"):
        walk(load_schema(name))
    return tuple(found)


@cache  # asked for every line that has a full-width colon: made once
def known_keys() -> frozenset[str]:
    """Every key the schemas define: a word before a full-width colon that is one of them is a key."""
    return frozenset(key for key, _ in _schema_properties())


def _is_key(word: str) -> bool:
    return word in known_keys() or bool(MONTH_KEY.fullmatch(word))


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _quoted(value: str) -> str:
    """``value`` in single quotes, as YAML reads it back."""
    return "'" + value.replace("'", "''") + "'"


def _content(line: str) -> tuple[int, str]:
    """Column (from 0) where a line's key or item starts, after indentation and "- ", and the rest."""
    start = _indent(line)
    while line.startswith("- ", start):
        start += 2
        start += _indent(line[start:])
    return start, line[start:]


# -- what a clerk typed, found on one line


def _full_width_colon(number: int, line: str) -> Explained | None:
    """A key followed by "：" (typed with a Chinese input method) instead of ": "."""
    start, rest = _content(line)
    head = rest.split("#", 1)[0]
    position = head.find("：")
    if position <= 0:
        return None
    word = head[:position].strip()
    ascii_colon = re.search(r":(\s|$)", head[:position])
    if ascii_colon or not word or len(word) > 20 or any(c in word for c in "'\"“”‘’"):
        return None
    # a list item may be text with a colon in it ("- 政府运行：…"); only a known key makes it a key
    if line[:start].strip() and not _is_key(word):
        return None
    value = head[position + 1 :].strip()
    fixed = f"{word}: {value}" if value else f"{word}:"
    return Explained(
        number,
        start + position + 1,
        f"第 {number} 行用了全角冒号“：”，请改为英文冒号加一个空格：{fixed}",
    )


def _odd_space(number: int, line: str) -> Explained | None:
    """A full-width or no-break space where YAML needs a plain one: indentation, after ":" or "-"."""
    lead = len(line) - len(line.lstrip(" " + "".join(ODD_SPACES)))
    for column, char in enumerate(line[:lead]):
        if char in ODD_SPACES:
            return Explained(
                number,
                column + 1,
                f"第 {number} 行的缩进里有{ODD_SPACES[char]}：缩进只能用英文空格，请删掉它，改为英文空格并与同一层的键对齐",
            )
    for match in re.finditer(r"[:\-]([" + "".join(ODD_SPACES) + "])", line):
        before = line[: match.start()]
        if match.group()[0] == "-" and before.strip():
            continue  # a dash inside text
        if match.group()[0] == ":" and (re.search(r":\s", before) or "'" in before or '"' in before):
            continue  # a colon inside the value
        char = match.group(1)
        mark = "冒号" if match.group()[0] == ":" else "“-”"
        return Explained(
            number,
            match.start() + 2,
            f"第 {number} 行{mark}后面是{ODD_SPACES[char]}：请改为英文空格（在英文输入法下按空格键）",
        )
    return None


def _colon_without_space(number: int, line: str) -> Explained | None:
    """``预算数:10``: a key and its value need a space after the colon."""
    start, rest = _content(line)
    match = re.match(r"([^\s:#'\"]+):(\S.*)$", rest)
    if match and _is_key(match.group(1)) and not re.search(r":\s", rest):
        key, value = match.groups()
        return Explained(
            number,
            start + len(key) + 1,
            f"第 {number} 行的冒号后面缺少空格：请在英文冒号后加一个空格，写成 {key}: {value}",
        )
    return None


def _typed_mistake(number: int, line: str) -> Explained | None:
    for find in (_odd_space, _full_width_colon, _colon_without_space):
        found = find(number, line)
        if found:
            return found
    return None


def _scan(lines: list[str], first: int, last: int) -> Explained | None:
    """The mistake a clerk typed on lines ``first``..``last`` (from 1), nearest to ``last`` first."""
    for number in range(min(last, len(lines)), max(first, 1) - 1, -1):
        found = _typed_mistake(number, lines[number - 1])
        if found:
            return found
    return None


# -- every slip of a file, before parsing

# what a keyboard or a clipboard puts where YAML needs something else: a file without any is not scanned
SLIP_CHARS = re.compile("[：\t０-９，‘’“”＇＂" + "".join(ODD_SPACES) + ">|%@`!&*]")
FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９．", "0123456789.")
BLOCK_HEADER = re.compile(r"[|>](?:[1-9][+-]?|[+-][1-9]?)?(?:\s+#.*)?\s*$")
# a key (or "- " items, then a key) at the start of a line: the key, then ":" or "：" after optional odd spaces
KEY_AT = re.compile(r"([^\s:：#'\"“”‘’\[\]{},][^:：#]*?)([" + "".join(ODD_SPACES) + r"]*)([:：])")
QUOTE_PAIRS = {"‘": "’", "“": "”", "＇": "＇", "＂": "＂"}
_ODD = "".join(ODD_SPACES)
# the lines that may hold a slip, each kind found by its own pattern over the whole text (one pattern of
# alternatives is tried at every position, several times slower); the other lines are only followed for
# block and quoted texts (most lines of a file: "键: 值" with an ASCII colon and a value that starts plainly)
CANDIDATES = [
    re.compile(rf"^[ ]*[\t{_ODD}]|[:-][{_ODD}]|[{_ODD}][:：]", re.MULTILINE),  # tabs and odd spaces where YAML looks
    re.compile(r"^[ \t\-]*[^\s:：#'\"][^:：#\n]{0,24}?：", re.MULTILINE),  # a full-width colon after what may be a key
    re.compile(r"[:-] +[>|%@`!&*‘“＇＂]"),  # a value starting with an indicator or a full-width quote
    re.compile(r"[０-９]|: +[+-]?[0-9]+[,，]"),  # full-width digits; a number with a comma
]
# where a line's value starts: after the indentation, "- " and "键: "
VALUE_START = re.compile(r"[ \t]*(?:-[ \t]+)*(?:[^\s#'\"][^:#]*?:(?:[ \t]+|$))?")


@dataclass(frozen=True)
class Slip:
    """What a clerk's keyboard or clipboard put in a line, and its fix when the fix is mechanical.

    ``fix`` replaces the columns ``start``..``end`` (from 0) of the line; None when only the clerk can
    choose (a Tab among spaces, a comma that may be a decimal point).
    """

    line: int
    column: int
    rule: str
    message: str
    fix: tuple[int, int, str] | None
    label: str = ""  # what the fix does, as ``perfgen fmt --fix`` lists it
    asks: bool = False  # only a question for the clerk (72，30): the YAML reads, the schema check says what is wrong


@cache  # asked for every value typed: made once
def typed_keys() -> tuple[frozenset[str], frozenset[str]]:
    """The keys whose value is a number, and those whose value is a code of digits (单位编码, 项目编码)."""
    properties = [(key, value) for key, value in _schema_properties() if isinstance(value, dict)]
    numbers = {key for key, value in properties if value.get("type") in ("number", "integer")}
    codes = {key for key, value in properties if value.get("type") == "string" and "0-9" in str(value.get("pattern", ""))}
    return frozenset(numbers), frozenset(codes)


def _value_end(value: str) -> int:
    """Where a plain value ends: at a comment (" #") or the end of the line, trailing spaces left out."""
    comment = re.search(r"\s#", value)
    return len(value[: comment.start() if comment else len(value)].rstrip(" \t"))


def ambiguous_comma(text: str) -> str | None:
    """Why a number with a comma cannot be read for sure ("72，30": 7230 or 72.30?), or None."""
    value = text.strip()
    if not re.fullmatch(r"[+-]?[0-9０-９]+([,，][0-9０-９]+)+([.．][0-9０-９]*)?", value):
        return None
    groups = re.split("[,，]", value.split(".")[0].split("．")[0])
    if "，" not in value and all(len(group) == 3 for group in groups[1:]):
        return None  # 1,000.00: thousands, as an accountant writes them
    digits = value.translate(FULL_WIDTH_DIGITS)
    whole = re.sub("[,，]", "", digits)
    point = re.sub("[,，]", ".", digits, count=1).replace(",", "").replace("，", "") if "." not in digits else None
    meant = f"如果逗号分隔的是千位，请写成 {whole}" + (f"；如果逗号是小数点，请写成 {point}" if point else "")
    return f"“{text.strip()}”中的逗号意思不明确：{meant}（金额只写数字，不写逗号）"


def _quote_slip(number: int, at: int, key: str, value: str) -> Slip | None:
    """A code or number wrapped in full-width quotes: ‘123001’."""
    if len(value) < 3 or value[0] not in QUOTE_PAIRS or value[-1] not in QUOTE_PAIRS.values():
        return None
    inner = value[1:-1].translate(FULL_WIDTH_DIGITS)
    if not re.fullmatch(r"[0-9A-Za-z.]+", inner):
        return None
    fixed = "'" + inner + "'"
    return Slip(
        number, at + 1, "yaml-syntax",
        f"第 {number} 行用了全角引号“{value[0]}{value[-1]}”：请改为英文单引号，写成 {key}{fixed}",
        (at, at + len(value), fixed), f"全角引号改为英文单引号：{key}{fixed}",
    )


def _value_slips(number: int, at: int, key: str, value: str, name: str | None) -> list[Slip]:
    """Slips in the value that starts at column ``at`` (from 0): ``key`` is what stands before it ("预算数: ", "- ")."""
    value = value[: _value_end(value)]
    if not value:
        return []
    quoted = _quote_slip(number, at, key, value)
    if quoted:
        return [quoted]
    first, second = value[0], value[1:2]
    reserved = (
        first in "%@`"
        or (first in "|>" and not BLOCK_HEADER.match(value))
        or (first in "!&*" and second != "" and not (second.isascii() and (second.isalpha() or second in "<!")))
    )
    if reserved:
        fixed = _quoted(value)
        return [Slip(
            number, at + 1, "yaml-syntax",
            f"第 {number} 行的值以“{first}”开头，YAML 会把它当作{INDICATORS.get(first, '特殊符号')}：请给整个值加英文单引号，写成 {key}{fixed}",
            (at, at + len(value), fixed), f"以“{first}”开头的值加上英文单引号：{key}{fixed}",
        )]
    numbers, codes = typed_keys()
    if name in numbers or name in codes or (name and MONTH_KEY.fullmatch(name)):
        comma = ambiguous_comma(value) if name not in codes else None
        if comma:
            return [Slip(number, at + 1, "yaml-syntax", f"第 {number} 行{comma}", None, asks=True)]
        if re.search("[０-９]", value):
            plain = value.translate(FULL_WIDTH_DIGITS)
            if name in codes and re.fullmatch(r"'?[0-9A-Za-z]+'?", plain):
                fixed = "'" + plain.strip("'") + "'"
            elif re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", plain):
                fixed = plain
            else:
                return []
            return [Slip(
                number, at + 1, "yaml-syntax",
                f"第 {number} 行的“{value}”用了全角数字：请在英文输入法下输入半角数字，写成 {key}{fixed}",
                (at, at + len(value), fixed), f"全角数字改为半角数字：{key}{fixed}",
            )]
    return []


def _indent_slips(number: int, line: str, tabs_only: bool) -> list[Slip]:
    """Tabs and odd spaces in a line's indentation, where a key or a list item follows."""
    lead = len(line) - len(line.lstrip(" \t" + "".join(ODD_SPACES)))
    rest = line[lead:]
    looks_structural = rest.startswith(("- ", "-\t")) or rest == "-" or KEY_AT.match(rest) is not None
    found: list[Slip] = []
    # one slip for each run of the same character: "　　" is one mistake, typed twice
    for match in re.finditer(r"(\t+)|([" + "".join(ODD_SPACES) + "])\\2*", line[:lead]):
        column, run = match.start(), match.group()
        if match.group(1):
            fix = (column, match.end(), "  " * len(run)) if tabs_only else None
            how = "，请改为英文空格（每个 Tab 改为 2 个空格）" if tabs_only else "，请改为英文空格并与同一层的键对齐"
            found.append(Slip(number, column + 1, "yaml-tab", f"缩进中有制表符（Tab）：YAML 只能用空格缩进{how}", fix, "缩进中的制表符（Tab）改为 2 个空格"))
        elif looks_structural:
            spaces = ("  " if run[0] == "\u3000" else " ") * len(run)
            found.append(Slip(
                number, column + 1, "yaml-syntax",
                f"第 {number} 行的缩进里有{ODD_SPACES[run[0]]}：缩进只能用英文空格，请删掉它，改为英文空格并与同一层的键对齐",
                (column, match.end(), spaces), f"缩进中的{ODD_SPACES[run[0]]}改为英文空格",
            ))
    return found


def _line_slips(number: int, line: str, previous: str | None, tabs_only: bool) -> tuple[list[Slip], str | None]:
    """Every slip on one line outside a block text, and where its value starts ("|" opens a block) as the rest."""
    found = _indent_slips(number, line, tabs_only)
    start = len(line) - len(line.lstrip(" \t" + "".join(ODD_SPACES)))
    # list items: "- " (or "-" and an odd space) before the content
    while line.startswith("-", start) and line[start + 1 : start + 2] in (" ", "\t", *ODD_SPACES):
        space = line[start + 1]
        if space in ODD_SPACES:
            found.append(Slip(
                number, start + 2, "yaml-syntax",
                f"第 {number} 行“-”后面是{ODD_SPACES[space]}：请改为英文空格（在英文输入法下按空格键）",
                (start + 1, start + 2, " "), f"“-”后面的{ODD_SPACES[space]}改为英文空格",
            ))
        start += 2
        start += len(line[start:]) - len(line[start:].lstrip(" \t" + "".join(ODD_SPACES)))
    rest = line[start:]
    key = KEY_AT.match(rest)
    if rest.startswith(("'", '"', "#")) or key is None or (key.group(3) == ":" and not re.match(r"[:：]([\s" + "".join(ODD_SPACES) + "]|$)", rest[key.end(3) - 1 :])):
        if key is None and start > _indent(line) and rest:  # a list item's value
            return found + _value_slips(number, start, "- ", rest, None), rest
        return found, rest
    word, spaces, colon = key.group(1), key.group(2), key.group(3)
    word_end = start + key.end(1)
    name = word.strip()
    if colon == "：":
        in_item = start > _indent(line)
        sibling = previous is not None and _indent(line) <= _indent(previous) and KEY_AT.match(_content(previous)[1])
        if len(name) > 20 or re.search(r":\s", name) or not (
            _is_key(name) or (not in_item and (_indent(line) == 0 or sibling))
        ):
            return found, rest
    if spaces:
        found.append(Slip(
            number, word_end + 1, "yaml-syntax",
            f"第 {number} 行“{name}”后面有{ODD_SPACES[spaces[0]]}：请删掉它，让冒号紧跟在键后面，写成 {name}:",
            (word_end, word_end + len(spaces), ""), f"删掉“{name}”后面的{ODD_SPACES[spaces[0]]}",
        ))
    colon_at = start + key.start(3)
    after = line[colon_at + 1 :]
    gap = len(after) - len(after.lstrip(" \t" + "".join(ODD_SPACES)))
    value_at = colon_at + 1 + gap
    value = line[value_at:]
    if colon == "：":
        shown = value[: _value_end(value)]
        fixed = f"{name}: {shown}" if shown else f"{name}:"
        replacement = ": " if value else ":"
        found.append(Slip(
            number, colon_at + 1, "yaml-syntax",
            f"第 {number} 行用了全角冒号“：”，请改为英文冒号加一个空格：{fixed}",
            (colon_at, value_at, replacement), f"全角冒号“：”改为英文冒号加空格：{fixed}",
        ))
    elif gap and after[0] in ODD_SPACES:
        found.append(Slip(
            number, colon_at + 2, "yaml-syntax",
            f"第 {number} 行冒号后面是{ODD_SPACES[after[0]]}：请改为英文空格（在英文输入法下按空格键）",
            (colon_at + 1, value_at, " " if value else ""), f"冒号后面的{ODD_SPACES[after[0]]}改为英文空格",
        ))
    if value and not value.startswith(("'", '"', "#")):
        found += _value_slips(number, value_at, f"{name}: ", value, name)
    return found, value


def slips(text: str) -> list[Slip]:
    """Every slip of a clerk's keyboard or clipboard in ``text``, line by line, before YAML reads it.

    Lines inside a block text (after ``|`` or ``>``) and inside a quoted text that runs over lines
    are text, and are left alone.
    """
    if not SLIP_CHARS.search(text):
        return []
    odd = "\t" in text or any(space in text for space in ODD_SPACES)
    starts = [match.start() for pattern in CANDIDATES[0 if odd else 1 :] for match in pattern.finditer(text)]
    candidates = {text.count("\n", 0, start) + 1 for start in starts}
    if not candidates:
        return []
    lines = text.split("\n")
    indents = [line[: len(line) - len(line.lstrip(" \t"))] for line in lines if line.strip()]
    tabs_only = all(set(indent) <= {"\t"} for indent in indents)
    found: list[Slip] = []
    block: int | None = None  # the indentation of the line that opened a block text
    quote: str | None = None  # the quote a text running over lines waits for
    previous: str | None = None
    for number, line in enumerate(lines, 1):
        line = line.removesuffix("\r")  # Notepad's line ends: the fixes stop before them, and mend keeps them
        stripped = line.strip(" \t" + "".join(ODD_SPACES))
        if block is not None:
            if not stripped or _indent(line) > block:
                continue
            block = None
        if quote is not None:
            rest = line.replace("''", "") if quote == "'" else re.sub(r"\\.", "", line)
            if quote in rest:
                quote = None
            continue
        if not stripped or stripped.startswith("#"):
            continue
        if number in candidates:
            on_line, value = _line_slips(number, line, previous, tabs_only)
            found += on_line
        else:
            start = VALUE_START.match(line)  # it matches every line: all of it is optional
            value = line[start.end() :] if start else line
        value = (value or "").strip()
        if BLOCK_HEADER.match(value):
            block = _indent(line)
        elif value[:1] in ("'", '"') and _unclosed_on(line) is not None:
            quote = value[0]
        previous = line
    return found


def mend(text: str, found: list[Slip] | None = None) -> str:
    """``text`` with every mechanical fix of its slips made; the clerk's choices are left as they are."""
    found = slips(text) if found is None else found
    lines = text.split("\n")
    for slip in sorted((s for s in found if s.fix), key=lambda s: (s.line, s.fix[0]), reverse=True):  # type: ignore[index]
        start, end, replacement = slip.fix  # type: ignore[misc]
        line = lines[slip.line - 1]
        lines[slip.line - 1] = line[:start] + replacement + line[end:]
    return "\n".join(lines)


# -- what libyaml saw


def _indicator(number: int, column: int, lines: list[str]) -> Explained:
    """A value starting with a character YAML reserves: it must be quoted."""
    line = lines[number - 1] if number <= len(lines) else ""
    start = column - 1
    value = line[start:].rstrip()
    char = value[:1] or "?"
    key_part = line[:start].rstrip()
    name = INDICATORS.get(char, "特殊符号")
    if key_part.endswith(":"):
        fixed = f"{key_part.strip()} {_quoted(value)}"
    elif key_part.strip() == "-":
        fixed = f"- {_quoted(value)}"
    else:
        fixed = _quoted(value)
    return Explained(
        number,
        column,
        f"第 {number} 行的值以“{char}”开头，YAML 会把它当作{name}：请给整个值加英文单引号，写成 {fixed}",
    )


def _previous_content_line(lines: list[str], number: int) -> int | None:
    for previous in range(number - 1, 0, -1):
        text = lines[previous - 1].strip()
        if text and not text.startswith("#"):
            return previous
    return None


def _extra_indent(lines: list[str], number: int) -> Explained | None:
    """A key indented further than the key above it, which already has its value."""
    line = lines[number - 1]
    previous = _previous_content_line(lines, number)
    if previous is None:
        return None
    above = lines[previous - 1]
    extra = _indent(line) - _indent(above)
    above_start, above_rest = _content(above)
    has_value = re.search(r":\s+\S", above_rest) is not None or ":" not in above_rest
    if extra <= 0 or not has_value or above_start != _indent(above):
        return None
    short = _short_first_key(lines, number)
    if short:
        return short
    key = _content(line)[1].split(":", 1)[0].strip()
    above_key = above_rest.split(":", 1)[0].strip()
    return Explained(
        number,
        _indent(line) + 1,
        f"第 {number} 行比上一行多缩进了 {extra} 个空格：“{key}”和上一行的“{above_key}”是同一层，"
        f"请删掉 {extra} 个空格，让它们左边对齐",
    )


def _unclosed_quote(number: int, column: int, lines: list[str]) -> Explained:
    line = lines[number - 1] if number <= len(lines) else ""
    quote = line[column - 1 : column] or "'"
    rest = line[column:]
    for char, ascii_quote in FULL_WIDTH_QUOTES.items():
        if char in rest and ascii_quote == quote:
            return Explained(
                number,
                column + rest.index(char) + 1,
                f"第 {number} 行的引号没有配对：开头是英文引号“{quote}”，结尾用了全角引号“{char}”，请把结尾改为英文引号“{quote}”",
            )
    inner = "文字中间的单引号要写两次（''）" if quote == "'" else "文字中间的双引号前要加“\\”，或改用单引号"
    return Explained(
        number, column, f"第 {number} 行从这里开始的引号“{quote}”没有配对：请在这段文字末尾补上“{quote}”；{inner}"
    )


def _short_first_key(lines: list[str], number: int) -> Explained | None:
    """The key above ``number`` opens its block one space short of the usual two: it is the mistake, not this line."""
    previous = _previous_content_line(lines, number)
    if previous is None:
        return None
    above = lines[previous - 1]
    parent = _previous_content_line(lines, previous)
    if parent is None or not lines[parent - 1].rstrip().endswith(":"):
        return None
    base = _indent(lines[parent - 1])
    if _indent(lines[number - 1]) - base != 2 or not 0 < _indent(above) - base < 2:
        return None
    short = 2 - (_indent(above) - base)
    key = _content(above)[1].split(":", 1)[0].strip()
    return Explained(
        previous,
        _indent(above) + 1,
        f"第 {previous} 行比同一层的下一行少缩进了 {short} 个空格：请在“{key}”前面补上 {short} 个空格，让同一层的键左边对齐",
    )


def _unclosed_on(line: str) -> int | None:
    """Column (from 1) of a value's opening quote that its own line does not close, or None."""
    match = re.match(r"""^\s*(?:- )*(?:[^\s#'"][^#'"]*?:\s+)?(['"])""", line)
    if not match:
        return None
    quote, start = match.group(1), match.end(1)
    rest = line[start:]
    closed = rest.replace("''", "").count("'") > 0 if quote == "'" else re.search(r'(?<!\\)"', rest) is not None
    return None if closed else start


def _open_quote(lines: list[str], line: int, column: int) -> Explained | None:
    """The line whose quote was left open, when the error comes where a later quote closed it."""
    if line > len(lines) or not any(q in lines[line - 1][: column - 1] for q in "'\""):
        return None
    for number in range(line - 1, 0, -1):
        start = _unclosed_on(lines[number - 1])
        if start is not None:
            return _unclosed_quote(number, start, lines)
    return None


def _key_levels(lines: list[str], first: int, number: int) -> list[int]:
    levels = {_indent(lines[n - 1]) for n in range(max(first, 1), number) if lines[n - 1].strip()}
    return sorted(levels)


def explain(text: str, problem: str, context: str | None, problem_at: tuple[int, int] | None,
            context_at: tuple[int, int] | None) -> Explained:
    """The clerk's mistake behind one libyaml error (positions are line and column from 1)."""
    lines = text.split("\n")
    line, column = problem_at or context_at or (1, 1)
    context = context or ""
    near = context_at[0] if context_at else max(1, line - 2)

    # a quote left open runs on over the next lines, until a quote further down closes it
    opened = _open_quote(lines, *(context_at or (line, column))) or _open_quote(lines, line, column)
    if opened:
        return opened

    # a value that starts with a reserved character: the same fix whatever libyaml said
    if "block scalar" in context or "tag" in context:
        at = context_at or (line, column)
        return _indicator(at[0], at[1], lines)
    if problem == "found character that cannot start any token" or problem.startswith("found undefined alias") or (
        "anchor" in context or "alias" in context
    ):
        at = context_at if ("anchor" in context or "alias" in context) and context_at else (line, column)
        typed = _scan(lines, at[0], at[0])
        return typed or _indicator(at[0], at[1], lines)

    if "quoted scalar" in context and context_at:
        if "escape" in problem or "hexdecimal" in problem:
            return Explained(
                line,
                column,
                f"第 {line} 行双引号里的“\\”后面不是有效的转义：请把双引号改为单引号，或把“\\”写成“\\\\”",
            )
        typed = _scan(lines, context_at[0], context_at[0])
        return typed or _unclosed_quote(context_at[0], context_at[1], lines)

    if "flow" in context and context_at:
        opening = lines[context_at[0] - 1][context_at[1] - 1 : context_at[1]] if context_at[0] <= len(lines) else "["
        closing = "]" if opening == "[" else "}"
        return Explained(
            context_at[0],
            context_at[1],
            f"第 {context_at[0]} 行的值以“{opening}”开头，但没有配对的“{closing}”：如果这是文字，"
            f"请给整个值加英文单引号，如 '{opening}…{closing}'",
        )

    # everything else is about keys, colons and indentation: first what the clerk may have typed
    typed = _scan(lines, near - (0 if context_at else 1), line)
    if typed:
        return typed

    if problem == "could not find expected ':'" and context_at:
        number = context_at[0]
        word = lines[number - 1].strip() if number <= len(lines) else ""
        return Explained(
            number,
            context_at[1],
            f"第 {number} 行“{word}”不是“键: 值”的写法：键后面要有英文冒号和一个空格；"
            "如果这一行是上一行文字的接续，请把它接到上一行末尾",
        )
    if problem == "mapping values are not allowed in this context":
        extra = _extra_indent(lines, line) if line <= len(lines) else None
        if extra:
            return extra
        current = lines[line - 1] if line <= len(lines) else ""
        if len(re.findall(r":(\s|$)", current)) > 1:
            return Explained(
                line,
                column,
                f"第 {line} 行有两个“: ”：值里面的冒号后面有空格时，请给整个值加英文单引号，"
                "或把值里的冒号改为中文冒号“：”",
            )
        return Explained(
            line,
            column,
            f"第 {line} 行这里不能写“键: 值”：请检查这一行的缩进是否与同一层的键对齐，以及上一行是否写完整",
        )
    if problem == "did not find expected key":
        current = lines[line - 1] if line <= len(lines) else ""
        if current[column - 1 : column] == "-":
            return Explained(
                line,
                column,
                f"第 {line} 行的列表项“- ”放错了位置：列表要写在某个键下面，比这个键多缩进 2 个空格",
            )
        if column - 1 > _indent(current):
            return Explained(
                line,
                column,
                f"第 {line} 行的引号后面还有文字：请把整个值都放在一对引号里面",
            )
        short = _short_first_key(lines, line)
        if short:
            return short
        levels = "、".join(str(n) for n in _key_levels(lines, near, line))
        return Explained(
            line,
            column,
            f"第 {line} 行缩进了 {_indent(current)} 个空格，和上面的键对不齐：同一层的键要左边对齐"
            f"（上面各行缩进 {levels} 个空格）",
        )
    if problem == "did not find expected '-' indicator":
        return Explained(
            line,
            column,
            f"第 {line} 行和上面的列表项“- ”对齐，却不是列表项：如果它属于上一个列表项，请再缩进 2 个空格；"
            "如果是新的一项，请在前面加“- ”",
        )
    if problem == "block sequence entries are not allowed in this context":
        return Explained(
            line,
            column,
            f"第 {line} 行的“- ”不能写在冒号后面：列表要另起一行，每项以“- ”开头并比键多缩进 2 个空格；"
            "如果“-”是文字的开头，请给整个值加英文单引号",
        )
    if "another document" in problem:
        return Explained(line, column, f"第 {line} 行的“---”把文件分成了两份：一个文件只能有一份内容，请删掉这一行")
    if "document start" in problem:
        top = _previous_content_line(lines, line)
        while top is not None and (earlier := _previous_content_line(lines, top)) is not None:
            top = earlier
        if top is not None and _indent(lines[top - 1]) > 0:
            spaces = _indent(lines[top - 1])
            return Explained(
                top,
                spaces + 1,
                f"第 {top} 行缩进了 {spaces} 个空格：最外层的键不能缩进，请删掉行首的 {spaces} 个空格",
            )
        return Explained(
            line, column, f"第 {line} 行的写法不对：文件中只能有“键: 值”，请删掉以“%”开头的行或“...”这样的行"
        )
    return Explained(
        line,
        column,
        f"第 {line} 行附近的写法不符合 YAML 格式：请检查这一行和上一行的冒号（英文冒号加空格）、"
        "缩进（英文空格对齐）和引号（成对的英文引号）",
    )


def odd_key(key: str, line: int) -> str | None:
    """Why a key that parsed is a typing mistake: it holds a full-width colon or starts with an odd space."""
    if key[:1] in ODD_SPACES:
        word = key.strip("".join(ODD_SPACES) + " ")
        return f"第 {line} 行的缩进里有{ODD_SPACES[key[0]]}（在“{word}”前面）：缩进只能用英文空格，请删掉它，改为英文空格并与同一层的键对齐"
    if "：" in key:
        word, _, value = key.partition("：")
        return f"第 {line} 行用了全角冒号“：”，请改为英文冒号加一个空格：{word.strip()}: {value.strip()}".rstrip()
    return None


def alias(text: str, line: int, column: int, message: str) -> str:
    """An alias where a value starts: most likely a text starting with "*", to be quoted."""
    lines = text.split("\n")
    current = lines[line - 1] if line <= len(lines) else ""
    before = current[: column - 1].rstrip()
    if before.endswith(":") or before.strip() == "-":
        explained = _indicator(line, column, lines).message
        return f"{explained}；如果它是别名（*名称），YAML 别名不支持，请把内容直接写出来"
    return message
