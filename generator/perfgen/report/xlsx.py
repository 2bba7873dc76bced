"""报表.xlsx: the county in the flat tables reviewers open in Excel (单位, 项目, 指标: one row per indicator)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from perfgen.form import MONTHS
from perfgen.report.collect import County

UNITS = ("单位", "单位名称", "单位编码", "年度", "金额单位", "项目数", "预算总额", "预算总额（万元）", "错误", "警告",
         "无法读取的文件")
PROJECTS = ("单位", "项目编码", "项目名称", "预算数", "财政资金", "其他资金", "资金用途", *(f"支出进度{m}" for m in MONTHS), "绩效目标")
INDICATORS = ("单位", "项目编码", "项目名称", "预算数", "一级", "二级", "三级", "描述", "指标值", "依据")
AMOUNT = "#,##0.00"


def _sheet(
    book: Any, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]], amounts: Sequence[str],
    footer: Sequence[Any] = (),
) -> None:
    """A sheet with a bold, frozen header row, a filter on every column and amounts in number format;
    ``footer``, a bold last row, stays outside the filter (sorting leaves it last)."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title)
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            # a text such as "=HYPERLINK(…)" from a source file stays text: Excel must never run it as a formula
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(sheet.max_row, 1)}"
    if footer:
        sheet.append(list(footer))
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    for index, name in enumerate(header, 1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = 14 if name in amounts or len(name) <= 4 else 24
        if name in amounts:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = AMOUNT


def workbook(county: County) -> bytes:
    """The workbook's bytes: numbers are numbers (Excel sums them), texts as in the sources."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.worksheets[0])  # the empty sheet a new workbook starts with
    units, projects, indicators = [], [], []
    for entry in county.townships:
        township = entry.township
        document = township.document
        errors, warnings = entry.counts
        units.append(
            (entry.name, document.unit_name if document else "", document.unit_code if document else "", township.year,
             township.unit, len(township.projects), township.total.value, entry.total_in_wan, errors, warnings,
             # a township with such files has fewer projects and a smaller total than its sources hold
             "\n".join(entry.unreadable))
        )
        for project in township.projects:
            projects.append(
                (entry.name, project.code, project.name, project.budget.value, project.fiscal.value, project.other.value,
                 project.purpose, *(project.plan[m] for m in MONTHS), "\n".join(project.goals))
            )
            for row in project.rows:
                indicators.append(
                    (entry.name, project.code, project.name, project.budget.value, row.level1, row.level2, row.name,
                     row.description, row.value, row.basis)
                )
    # the county's row: 预算总额 stays blank (the townships' 金额单位 differ), 预算总额（万元） adds them up
    totals = [sum(column) for column in zip(*(entry.counts for entry in county.townships))] or [0, 0]
    county_row = ("全县合计", "", "", "", "万元", sum(len(e.township.projects) for e in county.townships), None,
                  county.total.value, *totals, "\n".join(county.total.notes))
    _sheet(book, "单位", UNITS, units, ("预算总额", "预算总额（万元）"), county_row)
    _sheet(book, "项目", PROJECTS, projects, ("预算数", "财政资金", "其他资金"))
    _sheet(book, "指标", INDICATORS, indicators, ("预算数",))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
