"""Rules on the budget and the spending plan."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from perfgen.form import MONTHS
from perfgen.model import Project
from perfgen.problems import ERROR, WARNING
from perfgen.validate.rules import Finding, rule
from perfgen.validate.rules.values import YUAN

# "预算数300万元", "其中：财政资金 29.53 万元": an amount the 资金用途 text states, with its label
_STATED = re.compile(r"(预算数|财政资金|其他资金)[为是：:]?\s*(\d+(?:\.\d+)?)\s*(万元|元)")


@rule("budget-sum", ERROR, "预算数等于财政资金与其他资金之和（精确到分）")
def budget_sum(project: Project) -> Iterator[Finding]:
    total, fiscal, other = project.budget.value, project.fiscal.value, project.other.value
    if total != fiscal + other:
        typed = {name: project.place(name).typed(value) for name, value in (("budget", total), ("fiscal", fiscal), ("other", other))}
        yield Finding(
            project.place("budget"),
            f"预算数 {typed['budget']} 不等于财政资金 {typed['fiscal']} 与其他资金 {typed['other']} 之和 {fiscal + other}：请核对金额",
        )


@rule("plan-range", ERROR, "资金支出计划的每个百分比在 0 到 100 之间")
def plan_range(project: Project) -> Iterator[Finding]:
    for month in MONTHS:
        value = project.plan[month]
        if not 0 <= value <= 100:
            place = project.place("plan", month)
            yield Finding(place, f"{month}的支出进度 {place.typed(value)}% 不在 0 到 100 之间")


@rule("plan-order", ERROR, "支出进度是累计数：3月底 ≤ 6月底 ≤ 10月底 ≤ 12月底")
def plan_order(project: Project) -> Iterator[Finding]:
    plan = project.plan
    typed = {month: project.place("plan", month).typed(plan[month]) for month in MONTHS}
    for before, month in zip(MONTHS, MONTHS[1:]):
        if plan[month] < plan[before]:
            yield Finding(
                project.place("plan", month),
                f"{month}的累计进度 {typed[month]}% 小于{before}的 {typed[before]}%：支出计划应写累计百分比",
            )


@rule("plan-final", WARNING, "12月底的累计支出进度为 100%")
def plan_final(project: Project) -> Iterator[Finding]:
    final = project.plan["12月底"]
    if final != 100 and 0 <= final <= 100:  # outside 0-100, plan-range has said all there is to say about this cell
        place = project.place("plan", "12月底")
        yield Finding(place, f"12月底的累计支出进度是 {place.typed(final)}%，通常应为 100%")


@rule("purpose-amount", WARNING, "资金用途中写出的预算数、财政资金、其他资金与项目的金额相同")
def purpose_amount(project: Project) -> Iterator[Finding]:
    unit = project.budget.unit
    if unit not in YUAN:
        return
    amounts = {"预算数": ("budget", project.budget.value), "财政资金": ("fiscal", project.fiscal.value),
               "其他资金": ("other", project.other.value)}
    for match in _STATED.finditer(project.purpose):
        label, number, stated = match.groups()
        name, value = amounts[label]
        if Decimal(number) * YUAN[stated] != value * YUAN[unit]:
            yield Finding(
                project.place("purpose"),
                f"资金用途写的“{match.group(0)}”与{label} {project.place(name).typed(value)}{unit} 不符："
                "改了金额后，请把资金用途中的文字一并改过来",
            )
