"""The fixed labels of the standard form, shared by rendering, the rules and the diff."""

from __future__ import annotations

# 资金支出计划（%）: the cumulative checkpoints, in order
MONTHS = ("3月底", "6月底", "10月底", "12月底")

# 第一部分: source key -> heading
SECTIONS = (("总体绩效目标", "一、总体绩效目标"), ("分项绩效目标", "二、分项绩效目标"), ("工作保障措施", "三、工作保障措施"))

# 第一部分: the numbering styles of its items (编号), by the prefix of item 1
DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 -> 一, 12 -> 十二, 20 -> 二十, 101 -> 一百零一, 110 -> 一百一十, 10010 -> 一万零一十: any count of items."""
    if n < 0:
        return "负" + chinese_number(-n)
    if n < 10:
        return DIGITS[n]
    if n < 10_000:
        return _below_ten_thousand(n, leading=True)
    high, low = divmod(n, 10_000)
    text = chinese_number(high) + "万"
    if low:
        text += ("零" if low < 1000 else "") + _below_ten_thousand(low, leading=False)
    return text


def _below_ten_thousand(n: int, leading: bool) -> str:
    """1 to 9999; a run of zeros inside is one 零, and a leading 一十 is 十 (12 -> 十二, but 112 -> 一百一十二)."""
    parts: list[str] = []
    zero = False
    for value, unit in ((n // 1000, "千"), (n // 100 % 10, "百"), (n // 10 % 10, "十"), (n % 10, "")):
        if value == 0:
            zero = bool(parts)
            continue
        if zero:
            parts.append("零")
            zero = False
        parts.append(unit if unit == "十" and value == 1 and leading and not parts else DIGITS[value] + unit)
    return "".join(parts)


def typed_number(text: str, n: int) -> str | None:
    """The number a clerk typed at the start of item ``n`` ("1." "1、" "（一）" "一、" "(1)"), which the document numbers itself.

    Only item ``n``'s own number counts: "2024年…" or "1.5万元…" start with a number but not a numbering.
    """
    import re  # the one caller is a rule: the loader of every command need not compile this

    numbers = rf"(?:{n}|[{chr(0xFF10 + n)}]|{chinese_number(n)})" if n < 10 else rf"(?:{n}|{chinese_number(n)})"
    match = re.match(rf"\s*(?:[（(]\s*{numbers}\s*[）)]|{numbers}\s*(?:[.．、，,）)](?![0-9０-９])))\s*", text)
    return match.group() if match and match.end() < len(text.rstrip()) else None


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


# 指标体系: the indicator frames a document may declare in 文档.yaml, each 一级 with its 二级, in table order.
# 三类 is the frame of the samples (and the default); 四类 follows the Ministry of Finance's 2021 guideline
# on core project indicators (财预〔2021〕101号), where cost is a 一级 of its own.
THREE_CLASS = "三类"
FOUR_CLASS = "四类"
DEFAULT_FRAME = THREE_CLASS
FRAMES: dict[str, dict[str, tuple[str, ...]]] = {
    THREE_CLASS: {
        "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
        "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
        "满意度指标": ("服务对象满意度指标",),
    },
    FOUR_CLASS: {
        "成本指标": ("经济成本指标", "社会成本指标", "生态环境成本指标"),
        "产出指标": ("数量指标", "质量指标", "时效指标"),
        "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
        "满意度指标": ("服务对象满意度指标",),
    },
}
# where each frame keeps the rows that state a cost in money (一级, 二级): amounts, not percentages
MONEY_COST = {THREE_CLASS: ("产出指标", "成本指标"), FOUR_CLASS: ("成本指标", "经济成本指标")}
