"""The indicator table of a project as rows, and the quantity a 指标值 states."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from perfgen.load.yamlfile import Path_

STANDARD = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
}


@dataclass(frozen=True)
class Row:
    level1: str
    level2: str
    name: str  # 三级指标
    description: str
    value: str
    basis: str
    path: Path_  # of the row mapping; fields are path + (key,)
    group_path: Path_  # of its 二级 group


def rows(project: dict[str, Any]) -> Iterator[Row]:
    for level1, groups in project["绩效指标"].items():
        for g, group in enumerate(groups):
            for r, row in enumerate(group["指标"]):
                yield Row(
                    level1,
                    group["二级指标"],
                    row["三级指标"],
                    row["绩效指标描述"],
                    row["指标值"],
                    row["指标值确定依据"],
                    ("绩效指标", level1, g, "指标", r),
                    ("绩效指标", level1, g),
                )


@dataclass(frozen=True)
class Quantity:
    """``≥95%`` is Quantity("≥", Decimal("95"), "%")."""

    sign: str
    number: Decimal
    unit: str

    @property
    def is_percent(self) -> bool:
        return self.unit.startswith(("%", "％", "百分比"))


QUANTITY = re.compile(r"^\s*(?P<sign>[≥≤><=]?)\s*(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>.*?)\s*$", re.DOTALL)


def quantity(value: str) -> Quantity | None:
    """The quantity a value states, or None for qualitative text."""
    match = QUANTITY.match(value)
    if not match:
        return None
    return Quantity(match["sign"], Decimal(match["number"]), match["unit"])


DATE = re.compile(r"(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月(?:\s*(?P<day>\d{1,2})\s*日)?")
