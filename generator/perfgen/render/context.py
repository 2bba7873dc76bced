"""Turn validated source data into the values the Word template shows.

Everything the template prints is prepared here as text: amounts with two
decimals, percentages, the numbering of part 1, of goals and of project titles,
and the indicator rows flattened from the 一级 -> 二级 -> 三级 hierarchy. The
template decides only where and how it looks; the TOC is made from the rendered
headings (render/toc.py).
"""

from __future__ import annotations

from typing import Any

from perfgen.form import MONTHS
from perfgen.model import Project, Section, Township, percent_text

def section_paragraphs(section: Section) -> list[dict[str, Any]]:
    """The paragraphs of a 第一部分 section; a titled item's title is a sub-heading."""
    return [{"文字": p.text, "标题": p.title} for p in section.paragraphs()]


def indicator_rows(project: Project) -> list[dict[str, str]]:
    """The table rows in order; the 一级 name only on the first row of its group (the cells are merged)."""
    rows = []
    for level in project.levels:
        for n, row in enumerate(level.rows):
            rows.append(
                {
                    "一级": level.name if n == 0 else "",
                    "二级": row.level2,
                    "三级": row.name,
                    "描述": row.description,
                    "指标值": row.value,
                    "依据": row.basis,
                }
            )
    return rows


def project_view(n: int, project: Project) -> dict[str, Any]:
    return {
        "标题": f"{n}.{project.name}绩效目标表",
        "项目编码": project.code,
        "项目名称": project.name,
        "预算数": project.budget.text(),
        "财政资金": project.fiscal.text(blank_zero=True),
        "其他资金": project.other.text(blank_zero=True),
        "资金用途": project.purpose,
        "资金支出计划": {month: percent_text(project.plan[month]) for month in MONTHS},
        "绩效目标": [f"{i}.{goal}" for i, goal in enumerate(project.goals, 1)],
        "指标行": indicator_rows(project),
        "一级跨行": project.spans,
    }


def make_context(township: Township) -> dict[str, Any]:
    """The template's values for a township whose sources passed the schema."""
    document = township.document
    assert document is not None
    cover = document.cover
    sections = [{"标题": section.title, "段落": section_paragraphs(section)} for section in document.sections]
    projects = [project_view(n, project) for n, project in enumerate(township.projects, 1)]
    return {
        "单位编码": document.unit_code,
        "单位名称": document.unit_name,
        "年度": document.year,
        "金额单位": document.unit,
        "封面": {
            "单位": cover.unit,
            "草案": cover.draft,
            "编制单位": cover.compiler,
            "审核单位": cover.reviewer,
        },
        "第一部分": sections,
        "项目": projects,
    }
