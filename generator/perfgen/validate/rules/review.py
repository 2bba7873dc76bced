"""Rules on a township rolled over from last year by ``perfgen new --from``."""

from __future__ import annotations

from collections.abc import Iterator

from perfgen.model import Project
from perfgen.problems import WARNING
from perfgen.validate.rules import Finding, rule


@rule("rollover-review", WARNING, "从上一年度结转的项目已经核对：核对后删除“待核对”一行")
def rollover_review(project: Project) -> Iterator[Finding]:
    if project.review is not None:
        yield Finding(
            project.place("review", key=True),
            "本项目从上一年度结转，金额和指标还没有核对：请核对预算数、资金支出计划和指标值，改好后删除“待核对”这一行",
        )
