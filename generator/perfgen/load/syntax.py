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
from functools import lru_cache
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


@lru_cache(maxsize=None)
def known_keys() -> frozenset[str]:
    """Every key the schemas define: a word before a full-width colon that is one of them is a key."""
    from perfgen.resources import load_schema

    keys: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            properties = node.get("properties")
            if isinstance(properties, dict):
                keys.update(properties)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for name in ("document", "project"):
        walk(load_schema(name))
    return frozenset(keys)


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
        first = _previous_content_line(lines, line)
        while first is not None and (earlier := _previous_content_line(lines, first)) is not None:
            first = earlier
        if first is not None and _indent(lines[first - 1]) > 0:
            extra = _indent(lines[first - 1])
            return Explained(
                first,
                extra + 1,
                f"第 {first} 行缩进了 {extra} 个空格：最外层的键不能缩进，请删掉行首的 {extra} 个空格",
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
