"""Turn validated source data into the values the Word template shows.

Everything the template prints is prepared here as text: amounts with two
decimals, percentages, the numbering of part 1 and of goals, TOC entries and
their bookmarks, and the indicator rows flattened from the 一级 -> 二级 -> 三级
hierarchy. The template decides only where and how it looks.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from perfgen.form import MONTHS, SECTIONS
from perfgen.load.township import Township

PART_ONE = "第一部分　部门整体绩效目标"
PART_TWO = "第二部分　预算项目绩效目标"
DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 -> 一, 12 -> 十二, 20 -> 二十, 35 -> 三十五 (up to 99)."""
    tens, units = divmod(n, 10)
    if n < 10:
        return DIGITS[n]
    head = "" if tens == 1 else DIGITS[tens]
    return head + "十" + (DIGITS[units] if units else "")


def number_prefix(style: str, n: int) -> str:
    """The prefix of item ``n`` in a numbering style of 第一部分."""
    return {
        "无": "",
        "1、": f"{n}、",
        "1.": f"{n}.",
        "（一）": f"（{chinese_number(n)}）",
        "一、": f"{chinese_number(n)}、",
        "•": "• ",
    }[style]


def amount(value: Decimal | int, *, blank_zero: bool = False) -> str:
    """Two decimals as in the published tables; more decimals are shown, never rounded away."""
    value = Decimal(value)
    if blank_zero and value == 0:
        return ""
    if value == value.quantize(Decimal("0.01")):
        return f"{value:.2f}"
    return format(value.normalize(), "f")


def percent(value: Decimal | int) -> str:
    text = format(Decimal(value).normalize(), "f")
    return f"{text}%"


def _paragraph(text: str, title: bool = False) -> dict[str, Any]:
    return {"文字": text, "标题": title}


def section_paragraphs(section: dict[str, Any]) -> list[dict[str, Any]]:
    """The paragraphs of a 第一部分 section; a titled item's title is a sub-heading."""
    style = section.get("编号", "无")
    paragraphs = [_paragraph(text) for text in section.get("引言", [])]
    for n, item in enumerate(section["条目"], 1):
        prefix = number_prefix(style, n)
        if isinstance(item, str):
            paragraphs.append(_paragraph(prefix + item))
        else:
            paragraphs += [
                _paragraph(prefix + item["标题"], title=True),
                _paragraph("绩效目标：" + item["绩效目标"]),
                _paragraph("绩效指标：" + item["绩效指标"]),
            ]
    return paragraphs


def indicator_rows(indicators: dict[str, list[dict[str, Any]]]) -> tuple[list[dict[str, str]], list[int]]:
    """The table rows in order, and how many rows each 一级 group spans (for merging)."""
    rows: list[dict[str, str]] = []
    spans: list[int] = []
    for level1, groups in indicators.items():
        start = len(rows)
        for group in groups:
            for row in group["指标"]:
                rows.append(
                    {
                        "一级": level1 if len(rows) == start else "",
                        "二级": group["二级指标"],
                        "三级": row["三级指标"],
                        "描述": row["绩效指标描述"],
                        "指标值": row["指标值"],
                        "依据": row["指标值确定依据"],
                    }
                )
        spans.append(len(rows) - start)
    return rows, spans


class _Bookmarks:
    """Names for the TOC's bookmarks, in document order (Word's hidden _Toc form)."""

    def __init__(self) -> None:
        self.count = 0

    def next(self) -> str:
        self.count += 1
        return f"_Toc{self.count:09d}"


def heading(title: str, bookmarks: _Bookmarks) -> dict[str, str]:
    # 页码 stays empty until LibreOffice has laid the document out (or Word updates the TOC)
    return {"标题": title, "书签": bookmarks.next(), "页码": ""}


def project_view(n: int, data: dict[str, Any], bookmarks: _Bookmarks) -> dict[str, Any]:
    rows, spans = indicator_rows(data["绩效指标"])
    return {
        **heading(f"{n}.{data['项目名称']}绩效目标表", bookmarks),
        "项目编码": data["项目编码"],
        "项目名称": data["项目名称"],
        "预算数": amount(data["预算数"]),
        "财政资金": amount(data["财政资金"], blank_zero=True),
        "其他资金": amount(data.get("其他资金", 0), blank_zero=True),
        "资金用途": data["资金用途"],
        "资金支出计划": {month: percent(data["资金支出计划"][month]) for month in MONTHS},
        "绩效目标": [f"{i}.{goal}" for i, goal in enumerate(data["绩效目标"], 1)],
        "指标行": rows,
        "一级跨行": spans,
    }


def make_context(township: Township) -> dict[str, Any]:
    """The template's values for a township whose sources passed the schema."""
    assert township.document is not None
    doc = township.document.data
    cover = doc.get("封面", {})
    bookmarks = _Bookmarks()
    part_one = heading(PART_ONE, bookmarks)
    sections = [
        {**heading(title, bookmarks), "段落": section_paragraphs(doc["第一部分"][key])} for key, title in SECTIONS
    ]
    part_two = heading(PART_TWO, bookmarks)
    projects = [project_view(n, project.data, bookmarks) for n, project in enumerate(township.projects, 1)]
    return {
        "单位编码": doc["单位编码"],
        "单位名称": doc["单位名称"],
        "年度": doc["年度"],
        "金额单位": doc["金额单位"],
        "封面": {
            "单位": cover.get("单位") or doc["单位名称"],
            "草案": bool(cover.get("草案", False)),
            "编制单位": cover.get("编制单位", ""),
            "审核单位": cover.get("审核单位", ""),
        },
        "目录": {"第一部分": part_one, "第二部分": part_two},
        "第一部分": sections,
        "项目": projects,
    }


def _toc(context: dict[str, Any]) -> list[dict[str, Any]]:
    """The headings of the TOC, in document order."""
    return [context["目录"]["第一部分"], *context["第一部分"], context["目录"]["第二部分"], *context["项目"]]


def toc_headings(context: dict[str, Any]) -> list[str]:
    return [heading["标题"] for heading in _toc(context)]


def page_numbers(context: dict[str, Any]) -> list[int]:
    return [int(heading["页码"]) for heading in _toc(context)]


def set_page_numbers(context: dict[str, Any], numbers: list[int]) -> None:
    for heading, number in zip(_toc(context), numbers, strict=True):
        heading["页码"] = str(number)
