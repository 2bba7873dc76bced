"""Rules on the structure of the indicator table."""

from __future__ import annotations

from collections.abc import Iterator

from perfgen.model import Place, Project
from perfgen.problems import ERROR, WARNING
from perfgen.validate.rules import Finding, rule
from perfgen.validate.rules.quantities import STANDARD


@rule("indicator-hierarchy", ERROR, "一级、二级指标的搭配来自标准表（产出/效益/满意度及其下属二级指标）")
def hierarchy(project: Project) -> Iterator[Finding]:
    for level in project.levels:
        if level.name not in STANDARD:
            yield Finding(
                project.place(*level.path, key=True),
                f"一级指标“{level.name}”不在标准表中：应为产出指标、效益指标或满意度指标",
            )
            continue
        allowed = STANDARD[level.name]
        for group in level.groups:
            if group.level2 not in allowed:
                yield Finding(
                    project.place(*group.path, "level2"),
                    f"二级指标“{group.level2}”不属于{level.name}：{level.name}下可用{'、'.join(allowed)}",
                )


@rule("indicator-coverage", WARNING, "至少有一条产出指标、一条效益指标和一条满意度指标")
def coverage(project: Project) -> Iterator[Finding]:
    present = {row.level1 for row in project.rows}
    missing = [name for name in STANDARD if name not in present]
    if missing:
        yield Finding(
            project.place("indicators", key=True),
            f"缺少{'、'.join(missing)}：绩效指标表应包含产出、效益和满意度三类指标",
        )


@rule("duplicate-indicator", WARNING, "同一项目中没有三级指标、描述和指标值都相同的重复行")
def duplicates(project: Project) -> Iterator[Finding]:
    seen: dict[tuple[str, str, str], Place] = {}
    for row in project.rows:
        key = (row.name, row.description, row.value)
        if key in seen:
            line = seen[key].position()[0]
            yield Finding(row.place("indicator"), f"与第 {line} 行的指标重复（三级指标、描述和指标值都相同）：请删掉或改写一行")
        else:
            seen[key] = row.place("indicator")


def _stem(name: str) -> str:
    return name.removesuffix("指标")


GENERIC = {_stem(name) for level1, names in STANDARD.items() for name in (level1, *names)}


@rule("indicator-generic", WARNING, "三级指标有具体名称，不照抄二级指标的名称")
def generic(project: Project) -> Iterator[Finding]:
    for row in project.rows:
        if _stem(row.name) == _stem(row.level2) or _stem(row.name) in GENERIC:
            yield Finding(
                row.place("indicator"), f"三级指标“{row.name}”只是指标类别的名称：请写出具体衡量什么，如“足额发放率”"
            )


@rule("basis-empty", WARNING, "每行都写了指标值确定依据")
def basis_empty(project: Project) -> Iterator[Finding]:
    for row in project.rows:
        if not row.basis.strip():
            yield Finding(row.place("basis"), "指标值确定依据为空：请写明指标值的来源，如“年度工作计划”")
