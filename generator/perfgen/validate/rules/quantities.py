"""The quantity a 指标值 states and the dates it names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal


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
