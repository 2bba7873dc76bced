"""``perfgen fmt``: rewrite source files in one canonical form, so that diffs show only content.

The canonical form: keys in the order of the schema, two-space indentation
with list items indented under their key, quotes only where YAML needs them,
amounts with two decimals (more decimals are kept as written), and texts that
contain line breaks as literal blocks (``|``). Comments, including the
``# yaml-language-server`` line, stay where they were.

Scalars are read by the YAML 1.2 core schema, as ``perfgen validate`` reads
them (``'yes'`` and ``'12:30'`` are text either way, so their quotes go);
\r, U+2028 and the like inside a text become plain line breaks, as in the
document.

fmt is total: a file that does not load is left alone with one reason, never
a traceback. Every rewrite is checked to load to the same data as before and
to be its own canonical form (formatting it again changes nothing), and is
written atomically; a file that would fail either check is left alone.
"""

from __future__ import annotations

import bisect
import difflib
import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.compat import ordereddict
from ruamel.yaml.scalarfloat import ScalarFloat
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString, SingleQuotedScalarString

from perfgen.errors import OutputError
from perfgen.load.syntax import ODD_SPACES, QUOTE_PAIRS, mend, slips
from perfgen.load.township import DOCUMENT_FILE, find_townships, inside, is_township, township_of
from perfgen.load.yamlfile import LINE_BREAKS, YamlFile, parse_yaml, read_yaml
from perfgen.paths import display_path
from perfgen.model import amount_text
from perfgen.problems import Problem, form_problem
from perfgen.resources import load_schema
from perfgen.write.tree import Tree


@dataclass
class FormatResult:
    path: Path
    changed: bool = False
    problems: list[Problem] = field(default_factory=list)
    diff: str = ""  # unified diff of the file to its canonical form, when changed
    fixes: list[str] = field(default_factory=list)  # the slips mended (--fix), each "file:line:column：what"

    @property
    def display(self) -> str:
        return display_path(self.path)


def _yaml() -> YAML:
    yaml = YAML()  # round-trip: keeps comments
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 1_000_000  # never fold a long line
    yaml.allow_unicode = True
    return yaml


def schema_for(path: Path) -> str:
    return "document" if path.name == DOCUMENT_FILE else "project"


class _Canonical:
    """Bring one loaded file into canonical form, guided by its schema."""

    def __init__(self, root_schema: dict[str, Any], stand_in: str | None = None) -> None:
        self.root = root_schema
        self.stand_in = stand_in  # what tabs inside values were swapped for (see _tabs_swapped)

    def _resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            node = self.root["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        return node

    def _object_branch(self, node: dict[str, Any]) -> dict[str, Any]:
        node = self._resolve(node)
        for branch in node.get("anyOf", []):
            branch = self._resolve(branch)
            if branch.get("type") == "object":
                return branch
        return node

    def apply(self, value: Any, node: dict[str, Any], exact: Any = None) -> Any:
        """``value`` (as ruamel loaded it) in canonical form; ``exact`` is the same value as perfgen loads it."""
        node = self._resolve(node)
        if isinstance(value, CommentedMap):
            node = self._object_branch(node)
            properties = node.get("properties", {})
            extra = node.get("additionalProperties")
            # a key is placed by its name without edge spaces: '产出指标 ' keeps its place in the table
            def known(key: Any) -> str | None:
                name = key.strip() if isinstance(key, str) else key
                return name if name in properties else None

            rank = {name: n for n, name in enumerate(properties)}
            order = sorted((key for key in value if known(key)), key=lambda key: rank[known(key)])
            order += [key for key in value if not known(key)]
            for key in order:
                value.move_to_end(key)
            value.fa.set_block_style()
            for key in order:
                child = properties.get(known(key), extra if isinstance(extra, dict) else {})
                inner = exact.get(str(key)) if isinstance(exact, dict) else None
                # past CommentedMap.__setitem__, which would keep the old scalar style
                ordereddict.__setitem__(value, key, self.apply(value[key], child, inner))
            return value
        if isinstance(value, CommentedSeq):
            items = node.get("items", {})
            value.fa.set_block_style()
            for index, item in enumerate(value):
                inner = exact[index] if isinstance(exact, list) and index < len(exact) else None
                list.__setitem__(value, index, self.apply(item, items, inner))
            return value
        if isinstance(exact, str) and not isinstance(value, str):
            value = exact  # ruamel reads "1_000" as a number, perfgen (YAML 1.2 core) as text: text it stays
        if isinstance(value, str):
            value = str(value).replace(self.stand_in, "\t") if self.stand_in else str(value)
            value = LINE_BREAKS.sub("\n", value)  # as the loader and the document read it
            if "\t" in value:  # plain, a tab at the end would be lost; in a literal block, one at a line's start is indentation
                return DoubleQuotedScalarString(value)
            if "\n" in value:
                return LiteralScalarString(value)
            # a text the clerk quoted that, plain, the line scan would take for a keyboard slip ('０１', '“甲”', '\u3000甲')
            return SingleQuotedScalarString(value) if _reads_as_slip(value) else value
        if node.get("x-amount") and isinstance(value, (int, float)) and not isinstance(value, bool):
            # the loader's Decimal, not ruamel's float: 999999999999.123456 has more digits than a float
            return _amount(exact if isinstance(exact, (int, Decimal)) and not isinstance(exact, bool) else value)
        return value


def _reads_as_slip(text: str) -> bool:
    """Whether ``text``, written plain, holds what the line scan reports: full-width digits, or a full-width quote or odd space first."""
    return bool(re.search("[０-９]", text)) or text[:1] in QUOTE_PAIRS or text[:1] in ODD_SPACES


def _amount(value: int | float | Decimal) -> ScalarFloat:
    """An amount written as the document shows it (two decimals, or as written when it has more)."""
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    text = amount_text(exact)
    return _ExactFloat(text)


class _ExactFloat(ScalarFloat):
    """A float that ruamel writes as the given text, digit for digit."""

    exact_text: str

    def __new__(cls, text: str) -> _ExactFloat:
        number: _ExactFloat = super().__new__(cls, float(text), width=len(text), prec=text.index("."), m_lead0=0)
        number.exact_text = text
        return number


def _represent_exact(representer: Any, data: _ExactFloat) -> Any:
    return representer.represent_scalar("tag:yaml.org,2002:float", data.exact_text)


# ruamel reads a tab inside a plain text as the end of a token (libyaml, and so perfgen, accept it): the tab
# is swapped for a private-use character the file does not hold while ruamel reads; a text with a tab is
# written double-quoted ("\t"), and a comment gets its tab back
STAND_INS = range(0x10FFFD, 0x10F000, -1)


def _tabs_swapped(text: str, stand_in: str) -> str:
    """``text`` with each tab inside a value or a comment swapped for ``stand_in``, and each other tab (a separator) for a space."""
    spans = _scalar_spans(text)
    starts = [start for start, _ in spans]  # in order, not overlapping
    in_comments = _comment_spans(text, _scalar_spans(text, headers=False))
    chars = list(text)
    for index, char in enumerate(chars):
        if char == "\t":
            at = bisect.bisect_right(starts, index) - 1
            in_value = at >= 0 and index < spans[at][1]
            in_comment = any(start < index < end for _, start, end in in_comments)
            chars[index] = stand_in if in_value or in_comment else " "
    return "".join(chars)


def _scalar_spans(text: str, headers: bool = True) -> list[tuple[int, int]]:
    """Where each scalar of ``text`` stands (start and end offsets), in order, as libyaml scans it.

    Without ``headers``, a block text starts on the line after its header ("|-  # 注释"), whose comment
    is not part of the text.
    """
    import yaml as pyyaml  # libyaml's scanner: the same reading as perfgen's loader

    loader = getattr(pyyaml, "CSafeLoader", pyyaml.SafeLoader)
    spans = []
    for token in pyyaml.scan(text, Loader=loader):
        if isinstance(token, pyyaml.ScalarToken):
            start, end = token.start_mark.index, token.end_mark.index
            if not headers and token.style in ("|", ">"):
                start = min(end, text.find("\n", start) + 1 or end)
            spans.append((start, end))
    return spans


def _comment_spans(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """Line (from 1), start and end offsets of every comment: a "#" outside the scalars ``spans``, after a space or at a line's start."""
    starts = [start for start, _ in spans]
    found = []
    offset = 0
    for number, line in enumerate(text.split("\n"), 1):
        for match in re.finditer("(?:^|(?<=[ \t]))#", line):
            index = offset + match.start()
            at = bisect.bisect_right(starts, index) - 1
            if at < 0 or index >= spans[at][1]:
                found.append((number, index, offset + len(line)))
                break  # the rest of the line is the comment
        offset += len(line) + 1
    return found


def comments(text: str) -> list[tuple[int, str]]:
    """Every comment of ``text``: its line (from 1) and its text from "#"."""
    return [(number, text[start:end].rstrip()) for number, start, end in _comment_spans(text, _scalar_spans(text, headers=False))]


def _lost_comments(before: str, after: str) -> list[tuple[int, str]]:
    """The comments of ``before`` that ``after`` does not hold, with their lines."""
    kept = Counter(comment for _, comment in comments(after))
    lost = []
    for number, comment in comments(before):
        if kept[comment]:
            kept[comment] -= 1
        else:
            lost.append((number, comment))
    return lost


def canonical_text(text: str, schema: str, exact: Any = None) -> str:
    """The canonical form of a source file's text; ``exact`` is its data as perfgen loads it."""
    yaml = _yaml()
    yaml.representer.add_representer(_ExactFloat, _represent_exact)
    stand_in = next((chr(c) for c in STAND_INS if chr(c) not in text), None) if "\t" in text else None
    data = yaml.load(_tabs_swapped(text, stand_in) if stand_in else text)
    _explicit_key_comments(data)
    data = _Canonical(load_schema(schema), stand_in).apply(data, load_schema(schema), exact)
    out = io.StringIO()
    yaml.dump(data, out)
    result = out.getvalue()
    return result.replace(stand_in, "\t") if stand_in else result


def _explicit_key_comments(data: Any) -> None:
    """Move a comment written after an explicit key (``? x``) to after its value.

    ruamel keeps it between the key and its colon, and would write it there (``x`` / ``# 注释`` / ``:``),
    which reads back as other data; fmt writes every key plainly (``x:``), so the comment follows the entry.
    """
    if isinstance(data, CommentedMap):
        for key, value in data.items():
            slots = data.ca.items.get(key)
            if slots and slots[0] is not None and slots[2] is None:
                slots[0], slots[2] = None, slots[0]
            _explicit_key_comments(value)
    elif isinstance(data, CommentedSeq):
        for item in data:
            _explicit_key_comments(item)


def source_files(paths: list[Path]) -> Iterator[Path]:
    """The YAML sources named by ``paths``: files, township folders, or folders of townships.

    A named file outside any township folder (a CI or pre-commit file) is not a source and is skipped.
    """
    for path in paths:
        if path.is_file():
            if any(is_township(folder) for folder in path.resolve().parents):
                yield path
        else:
            for township in find_townships([path])[0]:
                yield from sorted(township.rglob("*.yaml"))


def _refusal(result: FormatResult, message: str) -> FormatResult:
    result.changed = False
    result.problems = [form_problem(result.display, 1, 1, "fmt", message)]
    return result


def _slips_mended(result: FormatResult, text: str) -> str:
    """``text`` with the slips that have a mechanical fix mended (``perfgen fmt --fix``); the others become questions."""
    found = slips(text)
    for slip in found:
        if slip.fix:
            result.fixes.append(f"{result.display}:{slip.line}:{slip.column}：{slip.label}")
        else:
            result.problems.append(form_problem(result.display, slip.line, slip.column, "fmt", f"{slip.message}（没有自动改正：请自己决定）"))
    return mend(text, found)


def _schema_line_mended(path: Path, text: str) -> str:
    """``text`` with its first line ``# yaml-language-server: $schema=…`` pointing where the schema is, when it points nowhere.

    A sample copied into a county's repository keeps ``../../schemas/…``, which is not there: the editor
    would check nothing. A line pointing to a schema that exists, or to an address, is left as written.
    """
    from perfgen.repo.editor import MODELINE_PREFIX, modeline

    first, newline, rest = text.partition("\n")
    target = first[len(MODELINE_PREFIX) :].strip() if first.startswith(MODELINE_PREFIX) else ""
    if not target or "://" in target or (path.parent / target).is_file():
        return text
    mended = modeline(path)
    schema = mended[len(MODELINE_PREFIX) :]
    if "://" in schema or not (path.parent / schema).is_file():
        return text  # no schema in this repository either (perfgen init copies them): nothing better to point to
    return mended + newline + rest


def _numbers_removed(result: FormatResult, text: str, before: YamlFile) -> tuple[str, YamlFile]:
    """``text`` without the numbers typed by hand before goals and items where a whole list is so numbered (--fix)."""
    import copy

    from perfgen.validate.rules.numbering import hand_numbers

    lines = text.split("\n")
    expected = copy.deepcopy(before.data)
    removed = []
    for found in hand_numbers(before.data):
        line, column = before.values.get(found.path, (0, 0))
        if not found.whole_list or not line:
            continue
        start = column - 1 + (lines[line - 1][column - 1 : column] in ("'", '"'))
        if not lines[line - 1].startswith(found.number, start):
            continue  # a block text, or a text the number does not start on its line: the clerk's to mend
        lines[line - 1] = lines[line - 1][:start] + lines[line - 1][start + len(found.number) :]
        parent = expected
        for part in found.path[:-1]:
            parent = parent[part]
        parent[found.path[-1]] = parent[found.path[-1]][len(found.number) :]
        removed.append(f"{result.display}:{line}:{column}：删掉{found.what()}开头手打的编号“{found.number.strip()}”（文档会自动编号）")
    if not removed:
        return text, before
    mended = "\n".join(lines)
    after, problems = parse_yaml(mended, result.path, result.display)
    if after is None or problems or after.data != expected:
        return text, before  # never a guess: the numbers stay, the rule keeps reporting them
    result.fixes += removed
    return mended, after


def format_file(path: Path, check: bool, fix: bool = False) -> FormatResult:
    """Bring one file into canonical form (or, with ``check``, only say whether it is); never raises for its content.

    With ``fix``, a clerk's slips that have one mechanical fix (see syntax.slips) are mended first; those that
    ask for the clerk's choice are listed as questions, and the file keeps them.
    """
    result = FormatResult(path)
    township = township_of(path)
    if township is not None and not inside(township, path):
        return _refusal(result, "这是指向单位文件夹之外的链接，未读取，未改动：请换成真正的文件")
    before, problems = read_yaml(path, result.display)
    original = text = ""
    if fix and all(p.rule in ("yaml-syntax", "yaml-tab") for p in problems) and (problems or before is not None):
        original = path.read_text(encoding="utf-8-sig")
        text = _slips_mended(result, original)
        if text != original:
            before, problems = parse_yaml(text, path, result.display)
            if before is None or problems:  # what is left is the clerk's to mend: the mechanical part is written
                asked = {p.line for p in result.problems}
                result.problems += [p for p in problems if p.line not in asked] + [form_problem(
                    result.display, 1, 1, "fmt",
                    "只改正了能自动改正的输入错误，格式没有整理：请按本文件的其他提示修改后，再运行 perfgen fmt",
                )]
                return _written(result, original, text, check)
    if before is None or problems:
        hint = "（运行 perfgen fmt --fix 可以改正其中全角冒号、全角空格等输入错误）" if not fix and any(
            p.rule in ("yaml-syntax", "yaml-tab") for p in problems) else ""
        result.problems = problems + [
            form_problem(result.display, 1, 1, "fmt", f"文件有格式错误，未改动：请先按本文件的其他提示修改{hint}")
        ]
        return result
    try:
        original = original or path.read_text(encoding="utf-8-sig")
        text = _schema_line_mended(path, text or original)
        if fix:
            text, before = _numbers_removed(result, text, before)
        canonical = _verified(canonical_text(text, schema_for(path), before.data), text, before, path, result.display)
    except _Unsafe as exc:
        return _refusal(result, str(exc))
    except Exception:  # ruamel cannot read or write what libyaml accepted: leave the file as it is
        return _refusal(result, "无法整理这个文件（整理程序出错），未改动：内容照常可用，请把此文件报告给维护人员")
    return _written(result, original, canonical, check)


def _written(result: FormatResult, text: str, new: str, check: bool) -> FormatResult:
    """Write ``new`` in place of ``text`` (unless ``check``), noting the change and its diff."""
    if new == text:
        return result
    result.changed = True
    result.diff = "".join(
        difflib.unified_diff(
            text.splitlines(keepends=True), new.splitlines(keepends=True), f"{result.display}（原文）", f"{result.display}（整理后）"
        )
    )
    if check:
        return result
    try:
        _write(result.path, township_of(result.path), new.encode("utf-8"))
    except OutputError as exc:  # a hard link, a read-only file: left as it was
        result.changed = False
        result.problems.append(form_problem(result.display, 1, 1, "fmt", str(exc)))
    return result


def _write(path: Path, township: Path | None, data: bytes) -> None:
    """Write through the one door: a link inside the township keeps being a link, its file is written; hard links are refused."""
    real = path.resolve()
    root = township.resolve() if township is not None else real.parent
    Tree(root).write(real.relative_to(root).as_posix(), data)


class _Unsafe(Exception):
    """A canonical form that must not be written: the message says why."""


def _verified(canonical: str, text: str, before: YamlFile, path: Path, display: str) -> str:
    """``canonical`` when it loads to the same data, keeps every comment of ``text`` and is its own canonical form; else _Unsafe."""
    after, _ = parse_yaml(canonical, path, display, scan=False)  # ruamel wrote it: no slip of a keyboard to look for
    if after is None or after.data != before.data:  # never change meaning
        raise _Unsafe("整理后的内容与原文不一致，未改动：请把此文件报告给维护人员")
    lost = _lost_comments(text, canonical)
    if lost:  # ruamel drops a comment in some places (after a block header "|-", inside brackets, after "...")
        number, comment = lost[0]
        more = f"等 {len(lost)} 条注释" if len(lost) > 1 else "的注释"
        lines = text.split("\n")
        end = next((n for n in range(number - 1, 0, -1) if lines[n - 1].rstrip() == "..."), None)
        how = f"请删掉第 {end} 行的“...”" if end else "请把注释移到单独的一行"
        raise _Unsafe(
            f"整理会丢掉第 {number} 行“{comment}”{more}（写在这种位置的注释无法保留），未改动：{how}，再运行 perfgen fmt"
        )
    if canonical_text(canonical, schema_for(path), after.data) != canonical:  # fmt(fmt(x)) must be fmt(x)
        raise _Unsafe("整理结果不稳定（再整理一次还会变化），未改动：请把此文件报告给维护人员")
    return canonical


def format_paths(paths: list[Path], check: bool = False, fix: bool = False) -> list[FormatResult]:
    return [format_file(path, check, fix) for path in source_files(paths)]
