"""The fixed labels of the standard form, shared by rendering, the rules and the diff."""

from __future__ import annotations

# 资金支出计划（%）: the cumulative checkpoints, in order
MONTHS = ("3月底", "6月底", "10月底", "12月底")

# 第一部分: source key -> heading
SECTIONS = (("总体绩效目标", "一、总体绩效目标"), ("分项绩效目标", "二、分项绩效目标"), ("工作保障措施", "三、工作保障措施"))

# 第一部分: the numbering styles of its items (编号), by the prefix of item 1
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
