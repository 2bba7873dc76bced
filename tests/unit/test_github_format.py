"""validate --format github: one workflow command per problem, values escaped as the runners expect."""

from __future__ import annotations

from perfgen.problems import ERROR, WARNING, Problem, format_github


def test_each_problem_is_one_annotation_in_file_order() -> None:
    problems = [
        Problem("projects/乙镇,2025/项目/b.yaml", 3, 1, WARNING, "plan-final", "12月底为 90%：应为 100%"),
        Problem("projects/甲镇-2025/项目/a.yaml", 12, 5, ERROR, "placeholder", "第一行\n第二行: 见说明"),
    ]
    assert format_github(problems) == (
        "::warning file=projects/乙镇%2C2025/项目/b.yaml,line=3,col=1,title=perfgen [plan-final]::12月底为 90%25：应为 100%25\n"
        "::error file=projects/甲镇-2025/项目/a.yaml,line=12,col=5,title=perfgen [placeholder]::第一行%0A第二行: 见说明"
    )


def test_no_problems_no_annotations() -> None:
    assert format_github([]) == ""
