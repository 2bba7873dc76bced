"""Validate all sources of a township: each file against its schema."""

from __future__ import annotations

from dataclasses import replace

from perfgen.load.township import Township
from perfgen.problems import Problem
from perfgen.validate.schema import check


def validate_township(township: Township) -> list[Problem]:
    problems: list[Problem] = []
    if township.document is not None:
        problems += [replace(p, township=township.name) for p in check(township.document, "document")]
    for project in township.projects:
        name = project.data.get("项目名称")
        label = name if isinstance(name, str) else ""
        problems += [replace(p, township=township.name, project=label) for p in check(project, "project")]
    return problems
