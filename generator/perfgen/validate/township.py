"""Validate all sources of a township: each file against its schema, then the domain rules."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from perfgen.load.township import Township, load_township
from perfgen.problems import Problem
from perfgen.validate.rules import ProjectCheck, check_rules
from perfgen.validate.schema import check


def validate_township(township: Township) -> list[Problem]:
    """Schema problems of every file, and rule problems of the files that pass the schema."""
    problems: list[Problem] = []
    document = township.document
    year = unit = None
    if document is not None:
        found = list(check(document, "document"))
        problems += found
        if found:
            document = None  # rules read only files the schema accepts
        else:
            year, unit = document.data["年度"], document.data["金额单位"]
    projects = []
    for project in township.projects:
        found = list(check(project, "project"))
        problems += found
        if not found:
            projects.append(ProjectCheck(project, year, unit))
    problems += check_rules(document, projects)

    names = {p.display: p.data.get("项目名称") for p in township.projects}
    return [
        replace(p, township=township.name, project=names.get(p.file) if isinstance(names.get(p.file), str) else "")
        for p in problems
    ]


def check_township(folder: Path) -> tuple[Township, list[Problem]]:
    """Read a township and return it with every problem: of its files' form, schema and rules."""
    township, problems = load_township(folder)
    return township, problems + validate_township(township)
