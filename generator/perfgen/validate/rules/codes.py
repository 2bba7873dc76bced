"""Rules on 项目编码: its form, its year digits, the region shared by a township."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from perfgen.model import Project
from perfgen.problems import ERROR, WARNING
from perfgen.validate.rules import Finding, rule

CODE = re.compile(r"^\d{8}P[0-9A-Z]{12}$")


@rule("code-format", WARNING, "项目编码为 8 位数字、字母 P 和 12 位数字或大写字母")
def code_format(project: Project) -> Iterator[Finding]:
    if not CODE.match(project.code):
        yield Finding(
            project.place("code"),
            f"项目编码“{project.code}”的格式不常见：应为 8 位数字 + P + 12 位数字或大写字母（共 21 位），如 13073024P00888510015C",
        )


@rule("code-year", ERROR, "项目编码的第 7、8 位等于文档年度的后两位")
def code_year(project: Project) -> Iterator[Finding]:
    code = project.code
    if project.year is None or not re.match(r"^\d{8}", code):
        return
    expected = f"{project.year % 100:02d}"
    if code[6:8] != expected:
        yield Finding(
            project.place("code"),
            f"项目编码第 7、8 位是“{code[6:8]}”，与年度 {project.year} 不符（应为“{expected}”）：是否沿用了往年的项目？",
        )


@rule("code-region", WARNING, "同一单位各项目编码的前 6 位（区划）相同", scope="township")
def code_region(projects: list[Project]) -> Iterator[Finding]:
    regions = Counter(p.code[:6] for p in projects if re.match(r"^\d{6}", p.code))
    if len(regions) < 2:
        return
    common, _ = regions.most_common(1)[0]
    for project in projects:
        region = project.code[:6]
        if re.match(r"^\d{6}$", region) and region != common:
            yield Finding(project.place("code"), f"项目编码前 6 位“{region}”与本单位其他项目的“{common}”不同：请核对编码")


@rule("code-duplicate", ERROR, "同一单位中每个项目编码只用一次（两个项目同一编码时两处都报告）", scope="township")
def code_duplicate(projects: list[Project]) -> Iterator[Finding]:
    by_code: dict[str, list[Project]] = {}
    for project in projects:
        by_code.setdefault(project.code, []).append(project)
    for code, sharing in by_code.items():
        if len(sharing) < 2:
            continue
        for project in sharing:
            others = "、".join(f"“{other.name}”（{other.file.path.name}）" for other in sharing if other is not project)
            yield Finding(
                project.place("code"),
                f"项目编码“{code}”在本单位中重复：项目{others}也用它。复制项目文件后请改成新项目自己的编码",
            )

