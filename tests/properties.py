"""Random townships and source files for the property tests and the longer campaign (benchmarks/campaign.py).

The townships have random Unicode in every text field and random valid amounts;
the files for fmt have random keys, values and quoting styles, including the
scalars YAML 1.1 and 1.2 read differently.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from perfgen.build import build
from perfgen.docxtext import docx_to_text
from perfgen.load.yamlfile import FORBIDDEN, LINE_BREAKS, MAX_DECIMALS, read_yaml
from perfgen.review.fmt import format_file


MONTHS = ("3月底", "6月底", "10月底", "12月底")
# any character a source may hold: not those XML forbids (the loader reports them), but \t, \r, U+2028 and the like
characters = st.characters(codec="utf-8", exclude_categories=("Cs",)).filter(lambda c: not FORBIDDEN.match(c))
texts = st.text(characters, min_size=1, max_size=24).filter(lambda text: text.strip() != "")


@st.composite
def amounts(draw: st.DrawFn, high: int = 5 * 10**11) -> Decimal:
    """A valid amount: up to ``high``, up to six decimals."""
    places = draw(st.integers(0, MAX_DECIMALS))
    units = draw(st.integers(0, high * 10**places))
    return Decimal(units).scaleb(-places)


def quoted(text: str) -> str:
    """A YAML double-quoted scalar holding exactly ``text``."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(c if c.isprintable() and c not in "\u2028\u2029\x85\ufeff" else f"\\U{ord(c):08x}" for c in escaped)
    return f'"{escaped}"'


def flow(value: Any) -> str:
    """A value in YAML flow style: mappings, lists, double-quoted texts, plain numbers."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{quoted(key)}: {flow(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow(item) for item in value) + "]"
    if isinstance(value, str):
        return quoted(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def write_source(path: Path, data: dict[str, Any]) -> None:
    """A source file: one top-level key a line, each value in flow style."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{quoted(key)}: {flow(value)}\n" for key, value in data.items()), encoding="utf-8")


@st.composite
def townships(draw: st.DrawFn) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """文档.yaml and one or two projects, random wherever the schema allows any text."""

    def section(titled: bool) -> dict[str, Any]:
        if titled:
            items = [{"标题": draw(texts), "绩效目标": draw(texts), "绩效指标": draw(texts)}]
        else:
            items = draw(st.lists(texts, min_size=1, max_size=2))
        return {"编号": draw(st.sampled_from(["无", "1、", "1.", "（一）", "一、", "•"])), "引言": [draw(texts)], "条目": items}

    projects = []
    for number in range(draw(st.integers(1, 2))):
        fiscal, other = draw(amounts()), draw(amounts())
        plan = sorted(draw(st.lists(amounts(high=100), min_size=4, max_size=4)))

        def row() -> dict[str, str]:
            return {"三级指标": draw(texts), "绩效指标描述": draw(texts), "指标值": draw(texts), "指标值确定依据": draw(texts)}

        projects.append({
            "项目编码": f"13000024P{number:012d}",
            "项目名称": draw(texts),
            "预算数": fiscal + other,
            "财政资金": fiscal,
            "其他资金": other,
            "资金用途": draw(texts),
            "资金支出计划": dict(zip(MONTHS, plan)),
            "绩效目标": draw(st.lists(texts, min_size=1, max_size=2)),
            "绩效指标": {
                "产出指标": [{"二级指标": "数量指标", "指标": [row()]}],
                "效益指标": [{"二级指标": "社会效益指标", "指标": [row()]}],
                "满意度指标": [{"二级指标": "服务对象满意度指标", "指标": [row()]}],
            },
        })
    document = {
        "单位编码": "123001",
        "单位名称": draw(texts),
        "年度": 2024,
        "金额单位": draw(st.sampled_from(["万元", "元"])),
        "封面": {"单位": draw(texts), "编制单位": draw(texts), "审核单位": draw(texts)},
        "第一部分": {"总体绩效目标": section(False), "分项绩效目标": section(True), "工作保障措施": section(False)},
        "项目清单": [f"项目/{n}.yaml" for n in range(len(projects))],
    }
    return document, projects


# fields whose value is not printed as it is written: a numbering style, the file list, codes and units
UNPRINTED = {"编号", "项目清单", "单位编码", "金额单位", "项目编码"}


def text_values(value: Any) -> list[str]:
    """Every text in a source's data that the document prints, keys aside."""
    if isinstance(value, dict):
        return [text for key, item in value.items() if key not in UNPRINTED for text in text_values(item)]
    if isinstance(value, list):
        return [text for item in value for text in text_values(item)]
    return [value] if isinstance(value, str) else []


def check_build(root: Path, township: tuple[dict[str, Any], list[dict[str, Any]]]) -> None:
    """Build a random township twice: it builds, every value is in its text, the two are byte-identical."""
    from perfgen.model import amount_text

    document, projects = township
    if root.exists():
        shutil.rmtree(root)
    folder = root / "乡镇"
    write_source(folder / "文档.yaml", document)
    for number, project in enumerate(projects):
        write_source(folder / "项目" / f"{number}.yaml", project)
    first, second = (build([folder], _draft(root / out))[0] for out in ("a", "b"))
    assert first.ok, (first.error, [p.text() for p in first.problems if p.blocking])
    data = first.output.read_bytes()
    assert second.output.read_bytes() == data  # reproducible
    text = docx_to_text(data)
    for value in text_values(document) + [t for p in projects for t in text_values(p)]:
        # a project's texts are printed without their edge spaces (perfgen.model)
        assert LINE_BREAKS.sub("\n", value).strip() in text, value
    for project in projects:
        for key in ("预算数", "财政资金", "其他资金"):
            # the fund columns leave a zero blank, as the published tables do
            assert amount_text(project[key], blank_zero=key != "预算数") in text, (key, project[key])


def _draft(out: Path) -> Any:
    from perfgen.build import Options

    return Options(out_dir=out, draft=True, jobs=1)


# -- random source files for fmt

TRICKY = [
    "yes", "No", "on", "OFF", "12:30", "1:30", "0777", "016017", "01e3", "1e3", "1_000", "0o17", "0x1F", ".5", "1.",
    "-0", "~", "null", "Null", "true", "False", "2024-01-01", "+1", "a #b", "a: b", "- a", "@x", "`x", "%x", "!x",
    "{a}", "[a]", "'", '"', "|", ">", "? x", "a\tb", "x ", " x", "\u00a0", "1.0e+3", "≥95%", "100%", "#",
]
PROJECT_KEYS = ["项目编码", "项目名称", "预算数", "财政资金", "其他资金", "资金用途", "绩效目标", "自定义"]
plain_safe = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=12)


@st.composite
def scalars(draw: st.DrawFn) -> str:
    """A scalar as a clerk might type it: plain, single- or double-quoted, a literal block, or a number."""
    style = draw(st.sampled_from(["plain", "single", "double", "literal", "number"]))
    if style == "number":
        return format(draw(amounts(high=10**6)), "f")
    if style == "literal":
        lines = draw(st.lists(plain_safe.filter(lambda t: t.strip() == t and "\t" not in t), min_size=1, max_size=3))
        return "|\n" + "".join(f"    {line}\n" for line in lines).rstrip("\n")
    text = draw(st.one_of(st.sampled_from(TRICKY), plain_safe, texts))
    if style == "plain":
        return text
    if style == "single":
        return "'" + text.replace("'", "''") + "'" if "\n" not in text else quoted(text)
    return quoted(text)


@st.composite
def source_texts(draw: st.DrawFn) -> str:
    """A project file's text: random known and unknown keys, values of every style, comments."""
    lines = []
    for key in draw(st.lists(st.sampled_from(PROJECT_KEYS), min_size=1, max_size=6, unique=True)):
        if draw(st.booleans()):
            lines.append(f"# {draw(plain_safe)}")
        if key == "绩效目标":
            lines.append(f"{key}:")
            lines += [f"  - {draw(scalars())}" for _ in range(draw(st.integers(1, 3)))]
        else:
            lines.append(f"{key}: {draw(scalars())}")
    return "\n".join(lines) + "\n"


def check_fmt(folder: Path, text: str) -> bool:
    """fmt on a file perfgen reads: the same data, fmt(fmt(x)) = fmt(x), no refusal. False when perfgen refuses the file."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "文档.yaml").write_text("单位名称: 测试\n", encoding="utf-8")
    path = folder / "项目" / "a.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    before, problems = read_yaml(path, "a.yaml")
    if before is None or problems:
        return False
    first = format_file(path, check=False)
    assert first.problems == [], [p.message for p in first.problems]
    after, problems = read_yaml(path, "a.yaml")
    assert problems == [] and after is not None and after.data == before.data
    once = path.read_text(encoding="utf-8")
    second = format_file(path, check=False)
    assert (second.changed, second.problems) == (False, [])
    assert path.read_text(encoding="utf-8") == once
    return True


# -- comments in every place YAML allows one, for fmt


@st.composite
def commented_texts(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A project file with comments wherever the YAML grammar allows one, and the comments' texts.

    Each comment is a unique marker ("# 注释3 …"), so that a test can look for each one in fmt's output.
    """
    markers: list[str] = []

    def comment(gap: str | None = None) -> str:
        """A comment, after a gap of spaces (or a tab) that YAML requires before "#"."""
        text = f"# 注释{len(markers)} {draw(plain_safe.filter(lambda t: t.strip() == t and '#' not in t and t.isprintable()))}"
        markers.append(text)
        return (gap if gap is not None else draw(st.sampled_from([" ", "  ", "\t", "   "]))) + text

    def maybe(gap: str | None = None) -> str:
        return comment(gap) if draw(st.booleans()) else ""

    def own_line(indent: int) -> list[str]:
        return [" " * draw(st.integers(0, indent + 2)) + comment("")] if draw(st.booleans()) else []

    word = plain_safe.filter(lambda t: t.strip() == t and t.isprintable() and not set(t) & set("#:'\"[]{},&*!|>%@`?-\t"))
    lines: list[str] = own_line(0)
    if draw(st.booleans()):
        lines.append("---" + maybe())
    block = draw(st.sampled_from(["|", "|-", "|+", ">", ">-"]))
    places = draw(st.lists(st.sampled_from(["plain", "quoted", "number", "block", "mapping", "flow-map", "list", "flow-list"]), min_size=1, max_size=6, unique=True))
    keys = iter(["项目名称", "资金用途", "待核对", "自定义"])
    for place in places:
        lines += own_line(0)
        if place == "plain":
            lines.append(f"{next(keys)}: {draw(word)}{maybe()}")
        elif place == "quoted":
            lines.append(f"{next(keys)}: '{draw(word)}'{maybe()}")
        elif place == "number":
            lines.append(f"预算数: {format(draw(amounts(high=10**4)), 'f')}{maybe()}")
        elif place == "block":
            lines.append(f"{next(keys)}: {block}{comment()}")
            lines += own_line(0) if block.startswith(">") else []
            lines += [f"  {draw(word)}" for _ in range(draw(st.integers(1, 2)))]
        elif place == "mapping":
            lines.append(f"资金支出计划:{maybe()}")
            for month, value in zip(MONTHS, (25, 50, 75, 100)):
                lines += own_line(2)
                lines.append(f"  {month}: {value}{maybe()}")
        elif place == "flow-map":
            lines.append(f"资金支出计划: {{3月底: 25,{comment()}")
            lines.append(f"  6月底: 50, 10月底: 75,{maybe()}")
            lines.append(f"  12月底: 100}}{maybe()}")
        elif place == "list":
            lines.append(f"绩效目标:{maybe()}")
            for _ in range(draw(st.integers(1, 3))):
                lines += own_line(2)
                if draw(st.booleans()):
                    lines.append(f"  - {draw(word)}{maybe()}")
                else:
                    lines.append(f"  - {block}{comment()}")
                    lines.append(f"    {draw(word)}")
        else:
            lines.append(f"绩效目标: [{draw(word)},{comment()}")
            lines.append(f"  {draw(word)}]{maybe()}")
    if draw(st.booleans()):
        lines.append("..." + maybe())
        lines.append(comment(""))
    lines += own_line(0)
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"])), markers


def check_fmt_comments(folder: Path, text: str, markers: list[str]) -> bool:
    """fmt keeps every comment of a file it formats, or leaves the file as it was with its reason. False when perfgen refuses the file."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "文档.yaml").write_text("单位名称: 测试\n", encoding="utf-8")
    path = folder / "项目" / "a.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    before, problems = read_yaml(path, "a.yaml")
    if before is None or problems:
        return False
    result = format_file(path, check=False)
    after = path.read_bytes().decode("utf-8")
    if result.problems:
        assert after == text and [p.rule for p in result.problems] == ["fmt"], [p.message for p in result.problems]
        assert "未改动" in result.problems[0].message
        return True
    lost = [marker for marker in markers if marker not in after]
    assert not lost, (lost, after)
    again, _ = read_yaml(path, "a.yaml")
    assert again is not None and again.data == before.data
    return True


# ------------------------------------------------------------------ diff: random edits of a township


def base_township(case: Path) -> tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]:
    """A township to edit: the case's 文档.yaml and three projects made from its first (files and their data, in list order)."""
    document = read_yaml(case / "文档.yaml", "文档.yaml")[0].data
    project = read_yaml(case / document["项目清单"][0], "x")[0].data
    files = []
    for n, name in enumerate(("办公经费", "会议经费", "培训经费")):
        data = {**project, "项目编码": f"13000024P0000000000{n}A", "项目名称": name}
        files.append((f"项目/{name}.yaml", data))
    return {key: value for key, value in document.items() if key != "项目清单"}, files


short = st.text(alphabet="甲乙丙丁戊", min_size=1, max_size=3)  # few letters: an edit often writes the value already there
PROJECT_EDITS = (
    "项目编码", "项目名称", "预算数", "财政资金", "其他资金", "资金用途", "资金支出计划", "绩效目标", "三级指标", "绩效指标描述", "指标值",
    "指标值确定依据",
)
operations = st.one_of(
    st.tuples(st.just("edit"), st.integers(0, 9), st.sampled_from(PROJECT_EDITS), short, st.integers(0, 100)),
    st.tuples(st.just("document"), st.sampled_from(["单位名称", "总体绩效目标", "编制单位"]), short),
    st.tuples(st.just("add"), st.integers(0, 9), short),
    st.tuples(st.just("remove"), st.integers(0, 9)),
    st.tuples(st.just("copy"), st.integers(0, 9)),
    st.tuples(st.just("rename"), st.integers(0, 9), short),
    st.tuples(st.just("swap"), st.integers(0, 9), st.integers(0, 9)),
    st.tuples(st.just("groups"), st.integers(0, 9)),  # a project's first two 二级 groups of 产出指标 swapped
)


def edited(township: tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]], changes: list[tuple[Any, ...]]) -> tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]:
    """The township after ``changes`` (each a drawn operation), as a new value."""
    import copy

    document, files = copy.deepcopy(township)
    for serial, change in enumerate(changes):  # the serial keeps new file names apart
        kind, rest = change[0], change[1:]
        at = rest[0] % len(files) if isinstance(rest[0], int) else 0
        if kind == "edit":
            _, key, text, number = rest
            data = files[at][1]
            if key == "项目编码":
                data[key] = f"13000024P0000000000{number % 10}A"
            elif key in ("预算数", "财政资金", "其他资金"):
                data[key] = Decimal(number).scaleb(-1)
            elif key == "资金支出计划":
                data[key] = {**data[key], MONTHS[number % 3]: Decimal(number % 26)}  # before the 100 of 12月底
            elif key == "绩效目标":
                data[key] = [text]
            elif key in ("项目名称", "资金用途"):
                data[key] = text
            else:
                row = data["绩效指标"]["产出指标"][0]["指标"][0]
                data["绩效指标"] = {**data["绩效指标"], "产出指标": [{**data["绩效指标"]["产出指标"][0], "指标": [{**row, key: text}]}, *data["绩效指标"]["产出指标"][1:]]}
        elif kind == "document":
            key, text = rest
            if key == "单位名称":
                document[key] = text
            elif key == "编制单位":
                document["封面"] = {**document.get("封面", {}), key: text}
            else:
                document["第一部分"][key]["条目"] = [text]
        elif kind == "add":
            number, name = rest
            files.append((f"项目/新{serial}{name}.yaml", {**files[at][1], "项目编码": f"13000024P0000000009{number}A", "项目名称": name}))
        elif kind == "remove" and len(files) > 1:
            files.pop(at)
        elif kind == "copy":
            files.append((f"项目/副本{serial}.yaml", copy.deepcopy(files[at][1])))
        elif kind == "rename":
            files[at] = (f"项目/{rest[1]}{serial}.yaml", files[at][1])
        elif kind == "swap":
            other = rest[1] % len(files)
            files[at], files[other] = files[other], files[at]
        elif kind == "groups":
            data = files[at][1]
            first, second, *others = data["绩效指标"]["产出指标"]
            data["绩效指标"] = {**data["绩效指标"], "产出指标": [second, first, *others]}
    return document, files


def write_township(folder: Path, township: tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]) -> None:
    document, files = township
    write_source(folder / "文档.yaml", {**document, "项目清单": [file for file, _ in files]})
    for file, data in files:
        write_source(folder / file, data)


def content(township: tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]) -> tuple[Any, ...]:
    """What the document shows: everything but the files' names."""
    document, files = township
    return (document, [data for _, data in files])
