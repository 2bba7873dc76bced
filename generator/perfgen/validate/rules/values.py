"""Rules on 指标值: its form, percentages, kind, cost and deadlines."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from perfgen.form import MONEY_COST, MONTHS
from perfgen.problems import ERROR, WARNING
from perfgen.model import Indicator, Place, Project
from perfgen.validate.rules import Finding, rule
from perfgen.validate.rules.quantities import DATE, quantity

COUNT_SUFFIXES = ("数量", "人数", "个数", "次数")
# rates that should fall: "≥" on them asks for more of what nobody wants
FALLING_RATES = ("损耗率", "事故率", "发生率", "投诉率", "差错率", "失误率", "违规率", "返工率", "死亡率", "流失率", "误差率")
YUAN = {"元": Decimal(1), "万元": Decimal(10000)}
CHECKPOINTS = (3, 6, 10, 12)


def states_cost(project: Project, row: Indicator) -> bool:
    """Whether a row states a cost in money in the project's frame (三类: 产出/成本指标; 四类: 成本/经济成本指标)."""
    return (row.level1, row.level2) == MONEY_COST[project.frame]


@rule("value-format", WARNING, "指标值为定性文字，或“符号+数字+单位”（符号为 ≥ ≤ > < = 之一）；数字不能没有单位")
def value_format(project: Project) -> Iterator[Finding]:
    for row in project.rows:
        value = row.value.strip()
        amount = quantity(value)
        if amount is not None and not amount.unit:
            yield Finding(row.place("value"), f"指标值“{value}”只有数字没有单位：请写上单位，如“{value}个”“{value}%”")
        elif re.match(r"^(>=|<=|=>|=<|＞|＜|＝|≧|≦)", value):
            yield Finding(row.place("value"), f"指标值“{value}”的比较符号不规范：请用 ≥ ≤ > < = 之一，如“≥95%”")
        elif re.match(r"^[≥≤><=]", value) and amount is None:
            yield Finding(row.place("value"), f"指标值“{value}”的符号后面应是数字和单位，如“≥95%”")


@rule("value-percent", ERROR, "百分比不超过 100%")
def value_percent(project: Project) -> Iterator[Finding]:
    for row in project.rows:
        amount = quantity(row.value)
        if amount is not None and amount.is_percent and amount.number > 100:
            yield Finding(row.place("value"), f"指标值“{row.value}”超过了 100%")


@rule("value-unit-style", WARNING, "百分数写作“%”，而不是“百分比”")
def value_unit_style(project: Project) -> Iterator[Finding]:
    for row in project.rows:
        amount = quantity(row.value)
        if amount is not None and amount.unit.startswith("百分比"):
            suggestion = f"{amount.sign}{amount.number}%{amount.unit.removeprefix('百分比')}"
            yield Finding(row.place("value"), f"指标值“{row.value}”把“百分比”当作单位：建议写作“{suggestion}”")


@rule("value-kind", WARNING, "指标值的类型与指标相符：成本（金额）、数量类指标不用百分比，越低越好的比率不用 ≥")
def value_kind(project: Project) -> Iterator[Finding]:
    for row in project.rows:
        amount = quantity(row.value)
        if amount is None:
            continue
        if amount.is_percent and states_cost(project, row):
            yield Finding(row.place("value"), f"成本指标“{row.name}”的指标值是百分比“{row.value}”：成本指标应写金额，如“≤2.00万元”")
        elif amount.is_percent and row.name.endswith(COUNT_SUFFIXES):
            yield Finding(row.place("value"), f"“{row.name}”是数量，指标值却是百分比“{row.value}”：请写数量和单位，或改写三级指标")
        elif amount.sign in ("≥", ">") and any(rate in row.name for rate in FALLING_RATES):
            yield Finding(row.place("value"), f"“{row.name}”越低越好，指标值却是“{row.value}”：应使用 ≤ 或 <")


@rule("cost-over-budget", WARNING, "成本指标中的金额（元或万元）不超过项目预算数")
def cost_over_budget(project: Project) -> Iterator[Finding]:
    unit = project.budget.unit
    if unit not in YUAN:
        return
    budget = project.budget.value * YUAN[unit]
    for row in project.rows:
        amount = quantity(row.value)
        if not states_cost(project, row) or amount is None or amount.unit not in YUAN:
            continue
        cost = amount.number * YUAN[amount.unit]
        if cost > budget:
            yield Finding(row.place("value"), (
                f"成本指标“{row.value}”超过了项目预算数 {project.place('budget').typed(project.budget.value)}{unit}："
                "请核对金额和单位"
            ))


def _deadline_fields(row: Indicator) -> Iterator[tuple[Place, str]]:
    for attribute, text in (("indicator", row.name), ("description", row.description), ("value", row.value)):
        yield row.place(attribute), text


@rule("deadline-year", WARNING, "时效指标中的日期（某年某月某日）在文档年度内")
def deadline_year(project: Project) -> Iterator[Finding]:
    if project.year is None:
        return
    for row in project.rows:
        if row.level2 != "时效指标":
            continue
        for place, text in _deadline_fields(row):
            for date in DATE.finditer(text):
                if int(date["year"]) != project.year:
                    yield Finding(place, f"时效指标中的日期“{date.group()}”不在{project.year}年度：是否沿用了往年的文字？")


@rule("deadline-plan", WARNING, "时效指标的完成期限不早于资金支出计划仍在增长的最后一个时段")
def deadline_plan(project: Project) -> Iterator[Finding]:
    plan = [project.plan[m] for m in MONTHS]
    growing = [start for start, before, after in zip((0, *CHECKPOINTS), (Decimal(0), *plan), plan) if after > before]
    if project.year is None or not growing:
        return
    last_start = growing[-1]  # the plan still grows after the end of this month
    for row in project.rows:
        if row.level2 != "时效指标":
            continue
        for date in DATE.finditer(row.value):
            if int(date["year"]) == project.year and int(date["month"]) <= last_start:
                yield Finding(row.place("value"), (
                    f"完成期限“{date.group()}”早于资金支出：支出计划在{last_start}月底以后仍在增加，请核对期限或支出计划"
                ))
