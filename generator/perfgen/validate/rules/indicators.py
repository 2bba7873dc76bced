"""Rules on the structure of the indicator table, in the indicator frame the document declares (form.FRAMES)."""

from __future__ import annotations

from collections.abc import Iterator

from perfgen.form import FRAMES
from perfgen.model import Place, Project
from perfgen.problems import ERROR, WARNING
from perfgen.validate.rules import Finding, rule

# cost has a rule of its own (output-coverage): in the three-class frame it is a 二级 under 产出指标
COST = "成本指标"


def _either(names: list[str]) -> str:
    """The names as a choice: 产出指标、效益指标或满意度指标."""
    return names[0] if len(names) == 1 else f"{'、'.join(names[:-1])}或{names[-1]}"


def _level1_hint(name: str, frame: str) -> str:
    """For a 一级 of the other frame: how to declare that frame."""
    for other, table in FRAMES.items():
        if other != frame and name in table:
            return f"；{name}是{other}指标体系的一级指标，使用{other}指标体系时在 文档.yaml 中写“指标体系: {other}”"
    return ""


def _level2_hint(name: str, frame: str) -> str:
    """For a 二级 in the wrong place: where it belongs in this frame, or which frame it belongs to."""
    if name in FRAMES[frame]:
        return f"；{frame}指标体系中“{name}”是一级指标，请把这些行移到一级指标“{name}”下"
    for level1, names in FRAMES[frame].items():
        if name in names:
            return f"；“{name}”属于{level1}，请把这些行移到一级指标“{level1}”下"
    for other, table in FRAMES.items():
        if other != frame and any(name in names for names in table.values()):
            return f"；“{name}”是{other}指标体系的二级指标，使用{other}指标体系时在 文档.yaml 中写“指标体系: {other}”"
    return ""


@rule("indicator-hierarchy", ERROR, "一级、二级指标的搭配来自文档声明的指标体系（三类或四类）的标准表")
def hierarchy(project: Project) -> Iterator[Finding]:
    table = FRAMES[project.frame]
    for level in project.levels:
        if level.name not in table:
            yield Finding(
                project.place(*level.path, key=True),
                f"一级指标“{level.name}”不在标准表中：应为{_either(list(table))}{_level1_hint(level.name, project.frame)}",
            )
            continue
        allowed = table[level.name]
        for group in level.groups:
            if group.level2 not in allowed:
                yield Finding(
                    project.place(*group.path, "level2"),
                    f"二级指标“{group.level2}”不属于{level.name}：{level.name}下可用{'、'.join(allowed)}"
                    + _level2_hint(group.level2, project.frame),
                )


@rule("indicator-coverage", WARNING, "有产出、效益和满意度指标各至少一条（成本指标见 output-coverage）")
def coverage(project: Project) -> Iterator[Finding]:
    table = FRAMES[project.frame]
    present = {row.level1 for row in project.rows}
    missing = [name for name in table if name != COST and name not in present]
    if missing:
        classes = [name.removesuffix("指标") for name in table]
        yield Finding(
            project.place("indicators", key=True),
            f"缺少{'、'.join(missing)}：绩效指标表应包含{'、'.join(classes[:-1])}和{classes[-1]}{project.frame}指标",
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


def stem(name: str) -> str:
    return name.removesuffix("指标")


# the category names of both frames: a 三级 name or a description that is one of them says nothing
GENERIC = {stem(name) for table in FRAMES.values() for level1, names in table.items() for name in (level1, *names)}


@rule("indicator-generic", WARNING, "三级指标有具体名称，不照抄二级指标的名称")
def generic(project: Project) -> Iterator[Finding]:
    for row in project.rows:
        if stem(row.name) == stem(row.level2) or stem(row.name) in GENERIC:
            yield Finding(
                row.place("indicator"), f"三级指标“{row.name}”只是指标类别的名称：请写出具体衡量什么，如“足额发放率”"
            )


@rule("basis-empty", WARNING, "每行都写了指标值确定依据")
def basis_empty(project: Project) -> Iterator[Finding]:
    for row in project.rows:
        if not row.basis.strip():
            yield Finding(row.place("basis"), "指标值确定依据为空：请写明指标值的来源，如“年度工作计划”")


def _output_tips(project: Project) -> dict[str, str]:
    """What a missing 时效 or 成本 row should state, with examples from the project."""
    deadline = f"{project.year}年12月31日前完成" if project.year else "12月31日前完成"
    return {
        "时效指标": f"何时完成或拨付（如“资金拨付及时率 ≥95%”“{deadline}”）",
        COST: f"成本控制在多少（如“≤{project.budget.text()}{project.budget.unit}”）",
    }


@rule("output-coverage", WARNING, "产出指标中有时效指标；有成本指标（三类：产出指标下的二级指标；四类：一级指标）")
def output_coverage(project: Project) -> Iterator[Finding]:
    table = FRAMES[project.frame]
    tips = _output_tips(project)
    output = next((level for level in project.levels if level.name == "产出指标"), None)
    if output is not None:  # no 产出指标 at all: indicator-coverage says so
        present = {group.level2 for group in output.groups}
        missing = [name for name in ("时效指标", COST) if name in table["产出指标"] and name not in present]
        if missing:
            yield Finding(
                project.place(*output.path, key=True),
                f"产出指标中没有{'和'.join(missing)}：请写明{'，以及'.join(tips[name] for name in missing)}",
            )
    if COST in table and all(level.name != COST for level in project.levels):
        yield Finding(
            project.place("indicators", key=True),
            f"没有成本指标：{project.frame}指标体系中成本指标是一级指标，请至少写一行经济成本指标，写明{tips[COST]}",
        )
