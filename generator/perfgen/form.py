"""The fixed labels of the standard form, shared by rendering, the rules and the diff."""

from __future__ import annotations

# 资金支出计划（%）: the cumulative checkpoints, in order
MONTHS = ("3月底", "6月底", "10月底", "12月底")

# 第一部分: source key -> heading
SECTIONS = (("总体绩效目标", "一、总体绩效目标"), ("分项绩效目标", "二、分项绩效目标"), ("工作保障措施", "三、工作保障措施"))
