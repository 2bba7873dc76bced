"""``perfgen new``: a new township folder, or next year's folder rolled over from last year's.

A new folder has 文档.yaml and one example project whose texts are placeholders
("××…") that ``perfgen validate`` reports until the clerk writes the real ones.
Rolling over (``--from``) advances the year where it names the budget year and
marks every project for review (rule ``rollover-review``); amounts are kept.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from perfgen.errors import PerfgenError
from perfgen.form import DEFAULT_FRAME, FRAMES, THREE_CLASS
from perfgen.importer.write import check_target, write_folder, write_township
from perfgen.load.township import DOCUMENT_FILE, Sources, load_township
from perfgen.load.yamlfile import YamlFile, parse_yaml, read_text
from perfgen.paths import display_path
from perfgen.problems import sort_key
from perfgen.repo.editor import MODELINE_PREFIX, modeline, modeline_root
from perfgen.review.fmt import canonical_text, schema_for
from perfgen.write.tree import Written

EXAMPLE = "项目/示例项目.yaml"
REVIEW_NOTE = "从{old}年结转：请核对预算数、资金支出计划和指标值，改好后删除这一行"


def _row(name: str, description: str, value: str) -> dict[str, str]:
    return {"三级指标": name, "绩效指标描述": description, "指标值": value, "指标值确定依据": "年度工作计划"}


def example_project(year: int, frame: str = DEFAULT_FRAME) -> dict[str, Any]:
    """A complete project whose texts are placeholders: ``validate`` reports only those.

    In the four-class frame (指标体系: 四类) the cost row is a 一级 of its own, first in the table.
    """
    cost = {"二级指标": "成本指标" if frame == THREE_CLASS else "经济成本指标", "指标": [_row("××成本", "××：写出成本控制在多少", "××万元")]}
    output = [
        {"二级指标": "数量指标", "指标": [_row("××数量", "××：写出指标的含义", "××个")]},
        {"二级指标": "时效指标", "指标": [_row("××完成时间", "××：写出完成的期限", f"{year}年12月31日前")]},
    ]
    indicators: dict[str, Any] = {"产出指标": [*output, cost]} if frame == THREE_CLASS else {"成本指标": [cost], "产出指标": output}
    indicators["效益指标"] = [{"二级指标": "社会效益指标", "指标": [_row("××效果", "××：写出项目的效果", "得到提升")]}]
    indicators["满意度指标"] = [
        {"二级指标": "服务对象满意度指标", "指标": [_row("××满意度", "××：写出谁对什么满意", "≥95%")]}
    ]
    return {
        "项目编码": f"000000{year % 100:02d}P000000000001",
        "项目名称": "××项目",
        "预算数": 10.0,
        "财政资金": 10.0,
        "其他资金": 0.0,
        "资金用途": "××：写出资金的用途",
        "资金支出计划": {"3月底": 25, "6月底": 50, "10月底": 75, "12月底": 100},
        "绩效目标": ["××：写出项目的绩效目标"],
        "绩效指标": indicators,
    }


# ---------------------------------------------------------- what a clerk types

# full-width digits (typed with the input method on) and the Chinese digits of a year written out (二〇二五)
DIGITS = str.maketrans("０１２３４５６７８９〇零一二三四五六七八九", "012345678900123456789")
FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
MONEY_UNITS = ("万元", "元")


def year_of_folder(folder: Path) -> int | None:
    """The year a folder named like 某某镇-2025 is for."""
    match = re.search(r"-(\d{4})$", folder.name.translate(DIGITS))
    return int(match.group(1)) if match and 2000 <= int(match.group(1)) <= 2100 else None


def read_year(text: str) -> int | None:
    """A year as typed: 2025, ２０２５ or 二〇二五 (and 2025年); None when it is not one."""
    answer = text.strip().removesuffix("年").strip().translate(DIGITS)
    return int(answer) if re.fullmatch(r"\d{4}", answer) and 2000 <= int(answer) <= 2100 else None


def year_problem(text: str) -> str:
    return f"“{text.strip()}”不是年度：请输入 2000～2100 之间的四位数字年份，如 2025"


def read_code(text: str) -> str | None:
    """A unit code as typed (full-width digits accepted), or None when it is not all digits."""
    answer = text.strip().strip("'\"‘’“”").translate(FULL_WIDTH_DIGITS)
    return answer if re.fullmatch(r"[0-9]+", answer) else None


def code_problem(text: str) -> str:
    return f"单位编码“{text.strip()}”应全是数字，例如 816001"


def money_unit_problem(text: str) -> str:
    return f"金额单位“{text.strip()}”应为 万元 或 元"


def new_township(
    folder: Path, name: str, code: str, year: int, money_unit: str, force: bool = False, frame: str = DEFAULT_FRAME
) -> Written:
    """Write a new township folder: 文档.yaml and the example project, in the indicator frame asked for."""
    if read_code(code) is None:
        raise PerfgenError(code_problem(code))
    code = read_code(code) or code
    if money_unit.strip() not in MONEY_UNITS:
        raise PerfgenError(money_unit_problem(money_unit))
    money_unit = money_unit.strip()
    if not 2000 <= year <= 2100:
        raise PerfgenError(f"年度 {year} 不在 2000～2100 之间")
    if frame not in FRAMES:
        raise PerfgenError(f"指标体系“{frame}”应为 {' 或 '.join(FRAMES)}")
    document: dict[str, Any] = {"单位编码": code, "单位名称": name, "年度": year, "金额单位": money_unit}
    if frame != DEFAULT_FRAME:
        document["指标体系"] = frame
    document |= {
        "封面": {"单位": name, "草案": True},
        "第一部分": {
            key: {"编号": "1.", "条目": [f"××：写出本单位的{key}"]} for key in ("总体绩效目标", "分项绩效目标", "工作保障措施")
        },
    }
    return write_township(folder, document, [example_project(year, frame)], force, names=[EXAMPLE])


# ------------------------------------------------------------ rolling over


def _advance(text: str, old: int, new: int) -> str:
    """The old year, where it stands as a year, replaced by the new one."""
    return re.sub(rf"(?<!\d){old}(?!\d)", str(new), text)


DATE = re.compile(r"(?<!\d)(\d{4})(?=\s*(?:年\s*\d{1,2}\s*月|[-./]\d{1,2}[-./]\d{1,2}))")


def _advance_dates(text: str, old: int, new: int) -> str:
    return DATE.sub(lambda m: str(new) if int(m.group(1)) == old else m.group(1), text)


def _map_strings(value: Any, change: Any) -> Any:
    """Apply ``change`` to every string inside ``value`` (a ruamel map or list), in place."""
    if isinstance(value, dict):
        for key in list(value):
            value[key] = _map_strings(value[key], change)
        return value
    if isinstance(value, list):
        for i, item in enumerate(value):
            value[i] = _map_strings(item, change)
        return value
    if isinstance(value, str):
        changed = change(value)
        return value if changed == value else changed
    return value


def roll_document(data: Any, old: int, new: int) -> None:
    data["年度"] = new
    data["结转自"] = old  # rule rollover-review points at every mention of the old year left in the texts
    data.setdefault("封面", {})["草案"] = True
    _map_strings(data.get("第一部分"), lambda text: _advance(text, old, new))


def roll_project(data: Any, old: int, new: int) -> None:
    code = data.get("项目编码")
    if isinstance(code, str) and len(code) >= 8 and code[6:8] == f"{old % 100:02d}":
        data["项目编码"] = code[:6] + f"{new % 100:02d}" + code[8:]
    for key in ("资金用途", "绩效目标"):
        if key in data:
            data[key] = _map_strings(data[key], lambda text: _advance_dates(text, old, new))
    for groups in (data.get("绩效指标") or {}).values():
        for group in groups or []:
            # a 时效指标's whole text moves a year; elsewhere only the dates in it
            advance = _advance if group.get("二级指标") == "时效指标" else _advance_dates
            for row in group.get("指标") or []:
                _map_strings(row, lambda text, advance=advance: advance(text, old, new))
    data.insert(0, "待核对", REVIEW_NOTE.format(old=old))  # a ruamel map; the key goes first


def _rewrite(file: YamlFile, target: Path, root: Path, change: Callable[[Any], None]) -> str:
    """The rolled-over text of a source file that passed the checks, read as the loader read it."""
    text, problems = read_text(file.path, file.display)
    again = parse_yaml(text, file.path, file.display)[0] if text is not None and not problems else None
    if text is None or again is None or again.data != file.data:
        raise PerfgenError(f"{file.display}：文件在结转过程中被改动，未写入任何文件：请再运行一次")
    kind = schema_for(target)
    try:
        yaml = YAML()
        data = yaml.load(canonical_text(text, kind, file.data))  # fmt's form first: tabs in texts made safe
        change(data)
        out = io.StringIO()
        yaml.dump(data, out)
        lines = out.getvalue().split("\n")
        head = modeline(target, root)
        lines = [head] + lines[1:] if lines and lines[0].startswith(MODELINE_PREFIX) else [head, *lines]
        result = canonical_text("\n".join(lines), kind)
    except Exception as exc:  # noqa: BLE001 - a text ruamel cannot handle: named, never a traceback
        raise PerfgenError(
            f"{file.display}：无法结转这个文件（{type(exc).__name__}），未写入任何文件：请把此文件报告给维护人员"
        ) from None
    if parse_yaml(result, target, file.display)[1]:
        raise PerfgenError(f"{file.display}：结转后的内容读不回来，未写入任何文件：请把此文件报告给维护人员")
    return result


def _next_name(source: Path) -> str:
    """The year the folder name ends with, plus one ("某镇-2024" -> "2025"), or "下一年度"."""
    found = re.search(r"(\d{4})$", source.resolve().name)
    return str(int(found.group(1)) + 1) if found else "下一年度"


def checked_sources(source: Path) -> Sources:
    """The township's files as ``validate`` reads them; PerfgenError listing every problem of form (file:line) otherwise.

    The loader refuses what lies outside the township (``../``, absolute paths, links out), special
    files, and files too large, too deep, with aliases or not UTF-8; the schema refuses wrong types.
    """
    from perfgen.validate.schema import check

    sources, problems = load_township(source)
    if sources.document is not None:
        problems += check(sources.document, "document")
    for file in sources.projects:
        problems += check(file, "project")
    blocking = sorted((p for p in problems if p.blocking), key=sort_key)
    if blocking or sources.document is None:
        lines = "\n".join(p.text() for p in blocking)
        raise PerfgenError(
            f"{display_path(source)} 有 {len(blocking)} 个格式错误，未结转，未写入任何文件：请先改正"
            f"（perfgen validate {display_path(source)} 列出同样的问题）：\n{lines}"
        )
    return sources


def roll_over(source: Path, folder: Path, force: bool = False) -> tuple[int, Written]:
    """Write next year's folder from last year's: returns the new year and what was written.

    Only what ``validate`` accepts is rolled over; anything else is refused with the loader's messages.
    """
    if not os.path.lexists(source / DOCUMENT_FILE):  # a link there is the loader's to refuse, by its message
        raise PerfgenError(f"{display_path(source)}：不是单位文件夹（其中没有 {DOCUMENT_FILE}）")
    if folder.resolve() == source.resolve():
        raise PerfgenError(f"{display_path(folder)} 就是去年的文件夹，未改动：结转要写到一个新的文件夹，如 …-{_next_name(source)}")
    check_target(folder, force)
    sources = checked_sources(source)
    document = sources.document
    assert document is not None
    year = document.data["年度"]
    new = year + 1
    root = modeline_root(folder)
    files = {DOCUMENT_FILE: _rewrite(document, folder / DOCUMENT_FILE, root, lambda d: roll_document(d, year, new))}
    for file in sources.projects:
        name = file.path.relative_to(source).as_posix()
        files[name] = _rewrite(file, folder / name, root, lambda d: roll_project(d, year, new))
    return new, write_folder(folder, files, force)
