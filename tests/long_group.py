"""A small township whose first project has a 一级 group taller than a page: 文安 with that project's
产出指标 written out four times (20 rows). Keep-together cannot hold such a group on one page: the
layout splits it, and a build with a PDF repeats its label on the continuation page."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import yaml
from conftest import PROJECTS

SOURCE = PROJECTS / "文安县机床市场管委会-2022"
PROJECT = "项目/专项办公经费.yaml"
COPIES = 4


def long_group_township(target: Path) -> Path:
    """The township, written at ``target`` (its folder name is the township's)."""
    shutil.copytree(SOURCE, target)
    path = target / PROJECT
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    group = data["绩效指标"]["产出指标"]
    data["绩效指标"]["产出指标"] = [copy.deepcopy(item) for _ in range(COPIES) for item in group]  # no YAML aliases
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target
