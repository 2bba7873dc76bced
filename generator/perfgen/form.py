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
