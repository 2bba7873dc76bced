"""Where lines break: widths measured per character, words kept whole, no line of one character.

Two uses. ``wrap`` foresees where an office suite breaks a paragraph (greedily, at
the places line-breaking rules allow: between CJK characters, never inside a Latin
word or number, never before a closing sign or after an opening one), to find a
table cell whose last line would hold one character or whose break falls inside a
word. ``balanced`` chooses the breaks of a title or TOC entry itself: as few lines
as fit, each of at least ``MIN_LINE`` characters, as even as the words allow, never
inside a word of the field (``WORDS``), a number with its unit, or brackets.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import unicodedata
from collections.abc import Callable, Sequence

# Times New Roman's advance widths, in thousandths of an em, for ' ' to '~' (Liberation Serif, its
# stand-in, has the same metrics): Latin text and digits of the template are set in it.
_LATIN = (
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500, 500, 500, 500,
    500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722,
    611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469, 500, 333, 444,
    500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722,
    500, 500, 444, 480, 200, 480, 541,
)

AMBIGUOUS_LATIN = 0.549  # ≤ ≥ ± in Times New Roman
AUTOSPACE = 0.2  # ems between Latin and CJK, as measured in LibreOffice's PDFs
MIN_LINE = 4  # characters on any line of a title or TOC entry
IN_BRACKETS = 40.0  # a break inside a long bracketed group costs as much as lines 6 ems apart
UNKNOWN_EDGE = 12.0  # a break between two characters not known to end words costs as much as lines 3.5 ems apart

# words of the field that a line never splits (longest first where one holds another)
WORDS = tuple(sorted({
    "绩效目标表", "满意度", "满意率", "可持续", "百分比", "平方米", "办公经费", "经费", "资金", "项目", "工程", "建设",
    "补助", "补贴", "维修", "维护", "改造", "办公", "运转", "运行", "保障", "村级", "人员", "工资", "追加", "服务",
    "对象", "管理", "设备", "购置", "环境", "整治", "治理", "卫生", "安全", "生产", "支出", "预算", "成本", "完成",
    "按时", "质量", "数量", "效益", "社会", "经济", "生态", "影响", "群众", "万元", "年度", "工作", "正常", "控制",
    "防汛", "防火", "应急", "物资", "道路", "硬化", "排水", "水沟", "垃圾", "清运", "绿化", "亮化", "农村", "村庄",
    "街道", "公益", "事业", "农民", "补偿", "占地", "统计", "党建", "组织", "活动", "培训", "宣传", "专项", "政府", "采购",
    "合格", "验收", "覆盖", "指标", "目标", "计划", "合同", "规定", "时间", "范围", "以内", "以上", "以下", "提升",
    "提高", "改善", "居民", "村民", "干部", "村干部", "报酬", "修建", "排水沟", "办公室", "机关", "开展", "及时",
    "到位", "发放", "足额", "缴纳", "幸福感", "获得感", "安全感", "增强", "集体", "竣工", "资源", "开发", "利用",
    "现状", "掌握", "推介", "出口", "增长", "标准", "保险", "养老", "税源", "审计", "通知书", "送达", "社区",
    "工作者", "行政村", "个数", "水平", "完成率", "合格率", "及时率", "到位率", "覆盖率", "发放率", "开展率",
    "及时性", "准确性", "知晓率", "使用率", "达标率",
}, key=len, reverse=True))

_OPENING = set("（([【《“‘〔{")
_SIGNS = set("≤≥＜＞<>±～~")
_CLOSING = set("）)]】》”’〕}，。、；：？！,.;:?!%％")
_UNITS = "万元|万/元|万|元|个|次|人|户|天|日|月|年|%|％|米|公里|千米|平方米|立方米|项|台|座|处|份|小时|分钟|件|吨|亩|批|期|篇|场|辆|棵|株|套"
# spans a line never splits: a Latin word or number with its sign and unit, a day or month of a date
_ATOMS = re.compile(
    rf"[≤≥＜＞<>±～~]?[0-9A-Za-z][0-9A-Za-z.,/:+\-×]*(?:{_UNITS})?(?:/(?:{_UNITS}))?"
)


def char_width(char: str, before: str = "\u4e00") -> float:
    """The width of one character in ems, after ``before``: a sign such as ≤ is set in the CJK face
    (full width) after CJK text, and in the Latin face at a paragraph's start or after Latin."""
    code = ord(char)
    if 0x20 <= code <= 0x7E:
        return _LATIN[code - 0x20] / 1000
    kind = unicodedata.east_asian_width(char)
    if kind == "A":
        return 1.0 if unicodedata.east_asian_width(before) in "WF" else AMBIGUOUS_LATIN
    return 1.0 if kind in "WF" else 0.5


def advances(text: str) -> list[float]:
    """Each character's width in ems, with the space before it that the suites put between Latin and CJK."""
    found = []
    for i, char in enumerate(text):
        before = text[i - 1] if i else (text[1] if len(text) > 1 and not text[1].isascii() else "a")
        found.append(char_width(char, before) + (gap(text[i - 1], char) if i else 0.0))
    return found


def _ideograph(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def gap(before: str, after: str) -> float:
    """The space the suites put between a Latin letter or digit and a CJK ideograph (Word's autoSpaceDE/DN)."""
    latin = before.isascii() and before.isalnum(), after.isascii() and after.isalnum()
    return AUTOSPACE if (latin[0] and _ideograph(after)) or (latin[1] and _ideograph(before)) else 0.0


def width(text: str) -> float:
    return sum(advances(text))


def _piece_widths(text: str) -> Callable[[int, int], float]:
    """``width(text[start:end])`` for any piece of ``text`` at the cost of a subtraction: a title's every
    possible line is measured (the pieces are many, and each ``width`` would measure it anew)."""
    full = advances(text)
    before = list(itertools.accumulate(full, initial=0.0))

    def piece(start: int, end: int) -> float:
        # the piece's first character has no gap before it, and its face is judged as width() judges it
        follower = text[start + 1] if end - start > 1 and not text[start + 1].isascii() else "a"
        return before[end] - before[start] - full[start] + char_width(text[start], follower)

    return piece


def _atoms(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _ATOMS.finditer(text)]


def _words(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    taken = [False] * len(text)
    for word in WORDS:
        start = text.find(word)
        while start != -1:
            end = start + len(word)
            if not any(taken[start:end]):
                spans.append((start, end))
                for i in range(start, end):
                    taken[i] = True
            start = text.find(word, end)
    return spans


def _brackets(text: str) -> list[tuple[int, int]]:
    """Bracketed groups, brackets included."""
    spans, stack = [], []
    for i, char in enumerate(text):
        if char in "（([【《〔":
            stack.append(i)
        elif char in "）)]】》〕" and stack:
            spans.append((stack.pop(), i + 1))
    return spans


def _rule_breaks(text: str) -> list[bool]:
    """``breaks[i]``: whether line-breaking rules allow a break before ``text[i]`` (0 < i < len)."""
    allowed = [0 < i < len(text) for i in range(len(text) + 1)]
    for i in range(1, len(text)):
        before, after = text[i - 1], text[i]
        if after in _CLOSING or before in _OPENING or before in _SIGNS:
            allowed[i] = False
        elif before in _CLOSING and after.isascii() and after.isalnum():
            allowed[i] = False  # LibreOffice keeps 【2024】7 together (and breaks 7|号)
        elif before == "-" and i > 1 and text[i - 2].isascii() and text[i - 2].isalnum() and after.isascii() and after.isalnum():
            pass  # LibreOffice breaks after a hyphen inside a Latin word or number: 5-|4M
        elif before.isascii() and after.isascii() and not before.isspace() and not after.isspace():
            allowed[i] = False  # inside a Latin word or number
    return allowed


def _edges(text: str) -> set[int]:
    """Places where a break falls between words: word, number and bracket edges, after punctuation, before 及/和."""
    edges = {len(text)}
    for start, end in _atoms(text) + _words(text) + _brackets(text):
        edges.update((start, end))
    for i in range(1, len(text)):
        if text[i - 1] in _CLOSING or text[i] in "及和与暨" or text[i - 1].isascii() != text[i].isascii():
            edges.add(i)
    return edges


@functools.lru_cache(maxsize=1 << 14)
def protected(text: str) -> tuple[bool, ...]:
    """``inside[i]``: a break before ``text[i]`` would split a word, a number with its unit or a date's part."""
    inside = [False] * (len(text) + 1)
    for start, end in _atoms(text) + _words(text):
        for i in range(start + 1, end):
            inside[i] = text[i - 1] != "/"  # 万元/ | 公里: a compound unit may break after its slash
    return tuple(inside)


@functools.lru_cache(maxsize=1 << 14)
def _measured(text: str) -> tuple[tuple[bool, ...], tuple[float, ...], tuple[float, ...], tuple[bool, ...]]:
    """What ``wrap`` needs of a text whatever the line and spacing, worked out once per text (a cell is
    wrapped at many widths and spacings while its table's columns are balanced): where a break is
    allowed, each character's advance, the gap before it when it starts a line, whether it is spaced
    from the next (the same script follows)."""
    widths = advances(text)
    starts = tuple(gap(text[i - 1], text[i]) if i else 0.0 for i in range(len(text)))
    same = tuple(i + 1 < len(text) and text[i].isascii() == text[i + 1].isascii() for i in range(len(text)))
    return tuple(_rule_breaks(text)), tuple(widths), starts, same


def text_width(text: str) -> float:
    """``width``, from what ``wrap`` keeps of the text: the width of its one line, however wide the line."""
    return math.fsum(_measured(text)[1])


def breaks_allowed(text: str) -> tuple[bool, ...]:
    """``allowed[i]``: whether line-breaking rules allow a break before ``text[i]`` (0 < i < len)."""
    return _measured(text)[0]


def wrap(text: str, line: float, spacing: float = 0.0, first: float | None = None) -> list[str]:
    """The lines an office suite makes of ``text`` on lines ``line`` ems wide (the first ``first``),
    each character ``spacing`` ems further from the next of its script (negative: condensed; a line's
    last character needs only its own width)."""
    return wrap_span(text, line, spacing, first)[0]


def wrap_span(text: str, line: float, spacing: float = 0.0, first: float | None = None) -> tuple[list[str], float, float]:
    """``wrap``'s lines, and the spacings (low, high) between which they are the same: a search over spacings
    (``cells.fitting_spacing``) skips every spacing strictly inside, which would only make these lines again."""
    allowed, widths, starts, same = _measured(text)
    lines: list[str] = []
    start, used, last_break = 0, 0.0, None
    # used == base + spaced * spacing: each test of a line's overflow flips at one spacing, kept as a bound
    base, spaced, low, high = 0.0, 0, -math.inf, math.inf
    limit = line if first is None else first
    i = 0
    while i < len(text):
        w = widths[i] - (starts[i] if i == start else 0.0)
        if i > start:
            over = used + w > limit + 1e-6
            if spaced:
                flip = (limit + 1e-6 - base - w) / spaced
                if over:
                    low = max(low, flip)
                else:
                    high = min(high, flip)
            if over:
                cut = i if allowed[i] or last_break is None or last_break <= start else last_break
                lines.append(text[start:cut])
                start, used, last_break, limit = cut, 0.0, None, line
                base, spaced = 0.0, 0
                i = cut
                continue
        if allowed[i] and i > start:
            last_break = i
        # the suites space a character from the next of its own script only (LibreOffice's text portions)
        used += w + (spacing if same[i] else 0.0)
        base += w
        spaced += same[i]
        i += 1
    lines.append(text[start:])
    return lines, low, high


# the same text is wrapped again at the same width: its row's height, each move of its table's columns,
# each refresh of perfgen serve's 分页预览
@functools.lru_cache(maxsize=1 << 14)
def wrapped(text: str, line: float, spacing: float = 0.0) -> tuple[str, ...]:
    """``wrap``'s lines, kept for the next time they are asked for."""
    return tuple(wrap(text, line, spacing))


def breaks_badly(text: str, lines: Sequence[str]) -> bool:
    """Whether these lines leave one character alone on the last line or split a word."""
    if len(lines) < 2:
        return False
    if len(lines[-1].strip()) == 1:
        return True
    inside = protected(text)
    at = 0
    for piece in lines[:-1]:
        at += len(piece)
        if inside[at]:
            return True
    return False


def balanced(text: str, first: float, rest: float, last_reserve: float = 0.0) -> list[str]:
    """``text`` in as few lines as fit, the first ``first`` ems wide, the others ``rest``, the last also
    holding ``last_reserve`` ems more; each line at least MIN_LINE characters, breaks at the places rules allow
    and outside words, numbers and brackets, the lines as even as they can be. One line when no such breaking exists.
    """
    return list(_balanced(text, first, rest, last_reserve))


@functools.lru_cache(maxsize=4096)  # the same titles come again in each TOC and each render of perfgen serve
def _balanced(text: str, first: float, rest: float, last_reserve: float) -> tuple[str, ...]:
    if width(text) + last_reserve <= first:
        return (text,)
    allowed = breaks_allowed(text)
    inside = list(protected(text))  # a copy: brackets are added to it
    in_brackets = [False] * (len(text) + 1)
    for start, end in _brackets(text):
        for i in range(start + 1, end):
            # a short bracketed group stays whole; a long one breaks inside only where nothing else does well
            inside[i] = inside[i] or end - start <= 12
            in_brackets[i] = True
    points = [i for i in range(1, len(text)) if allowed[i] and not inside[i]]
    points = [0, *points, len(text)]
    n = len(text)
    edges = _edges(text)
    # best[(point, lines)] = (cost, path); the cost, the squares of what each line leaves free, is least
    # when the lines are even (their total is fixed); a break before 绩效目标表 is welcome
    best: dict[tuple[int, int], tuple[float, list[int]]] = {(0, 0): (0.0, [0])}
    line_width = _piece_widths(text)
    for j in range(1, len(points)):
        end = points[j]
        for (i, count), (cost, path) in list(best.items()):
            start = points[i]
            if i >= j or end - start < MIN_LINE:
                continue
            limit = first if count == 0 else rest
            w = line_width(start, end) + (last_reserve if end == n else 0.0)
            if w > limit:
                continue
            bonus = (-1.0 if text.startswith("绩效目标表", end) else 0.0) + (0.0 if end in edges else UNKNOWN_EDGE)
            bonus += IN_BRACKETS if in_brackets[end] else 0.0
            candidate = (cost + (rest - w) ** 2 + bonus, [*path, end])
            key = (j, count + 1)
            if key not in best or candidate[0] < best[key][0]:
                best[key] = candidate
    ends = sorted((count, cost, path) for (j, count), (cost, path) in best.items() if j == len(points) - 1)
    if not ends:
        return (text,)
    path = ends[0][2]
    return tuple(text[a:b] for a, b in zip(path, path[1:]))
