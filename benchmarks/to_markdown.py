"""The content of a township as Markdown, for pandoc to convert: the same text perfgen renders."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "generator"))

from perfgen.validate.township import check_township  # noqa: E402
from perfgen.render.context import make_context  # noqa: E402


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def township_markdown(folder: Path) -> str:
    c = make_context(check_township(folder).township)
    lines = [f"% {c['封面']['单位']} {c['年度']}年部门预算绩效文本", ""]
    lines += ["# 第一部分　部门整体绩效目标", ""]
    for section in c["第一部分"]:
        lines += [f"## {section['标题']}", ""]
        lines += [f"{p['文字']}\n" for p in section["段落"]]
    lines += ["# 第二部分　预算项目绩效目标", ""]
    for p in c["项目"]:
        plan = p["资金支出计划"]
        lines += [
            f"## {p['标题']}", "",
            f"{c['单位编码']}{c['单位名称']}　单位：{c['金额单位']}", "",
            "| 项目 | 内容 |", "|---|---|",
            f"| 项目编码 | {p['项目编码']} |",
            f"| 项目名称 | {_cell(p['项目名称'])} |",
            f"| 预算数 | {p['预算数']} |",
            f"| 其中：财政资金 | {p['财政资金']} |",
            f"| 其他资金 | {p['其他资金']} |",
            f"| 资金用途 | {_cell(p['资金用途'])} |",
            f"| 资金支出计划（%） | 3月底 {plan['3月底']}，6月底 {plan['6月底']}，10月底 {plan['10月底']}，12月底 {plan['12月底']} |",
            f"| 绩效目标 | {_cell(' '.join(p['绩效目标']))} |", "",
            "| 一级指标 | 二级指标 | 三级指标 | 绩效指标描述 | 指标值 | 指标值确定依据 |",
            "|---|---|---|---|---|---|",
        ]
        lines += [
            "| " + " | ".join(_cell(r[k]) for k in ("一级", "二级", "三级", "描述", "指标值", "依据")) + " |"
            for r in p["指标行"]
        ]
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(township_markdown(Path(sys.argv[1])))
