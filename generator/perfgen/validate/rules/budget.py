"""Rules on the budget and the spending plan."""

from __future__ import annotations

from collections.abc import Iterator

from perfgen.form import MONTHS
from perfgen.problems import ERROR, WARNING
from perfgen.validate.rules import Finding, ProjectCheck, rule



@rule("budget-sum", ERROR, "预算数等于财政资金与其他资金之和（精确到分）")
def budget_sum(project: ProjectCheck) -> Iterator[Finding]:
    data = project.data
    total, fiscal, other = data["预算数"], data["财政资金"], data.get("其他资金", 0)
    if total != fiscal + other:
        yield ("预算数",), f"预算数 {total} 不等于财政资金 {fiscal} 与其他资金 {other} 之和 {fiscal + other}：请核对金额"


@rule("plan-range", ERROR, "资金支出计划的每个百分比在 0 到 100 之间")
def plan_range(project: ProjectCheck) -> Iterator[Finding]:
    for month in MONTHS:
        value = project.data["资金支出计划"][month]
        if not 0 <= value <= 100:
            yield ("资金支出计划", month), f"{month}的支出进度 {value}% 不在 0 到 100 之间"


@rule("plan-order", ERROR, "支出进度是累计数：3月底 ≤ 6月底 ≤ 10月底 ≤ 12月底")
def plan_order(project: ProjectCheck) -> Iterator[Finding]:
    plan = project.data["资金支出计划"]
    for before, month in zip(MONTHS, MONTHS[1:]):
        if plan[month] < plan[before]:
            yield (
                ("资金支出计划", month),
                f"{month}的累计进度 {plan[month]}% 小于{before}的 {plan[before]}%：支出计划应写累计百分比",
            )


@rule("plan-final", WARNING, "12月底的累计支出进度为 100%")
def plan_final(project: ProjectCheck) -> Iterator[Finding]:
    final = project.data["资金支出计划"]["12月底"]
    if final != 100:
        yield ("资金支出计划", "12月底"), f"12月底的累计支出进度是 {final}%，通常应为 100%"
