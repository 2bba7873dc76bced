"""The pull-request comment: whole when it fits, a per-township summary under the limit when not."""

from __future__ import annotations

from decimal import Decimal

from perfgen.problems import ERROR, WARNING, Problem
from perfgen.review.comment import LIMIT, pr_comment
from perfgen.review.diff import Item, TownshipChange


def changes(townships: int, items: int) -> list[TownshipChange]:
    return [
        TownshipChange(f"某镇{n} 2025年", f"某镇{n}-2025", "万元", Decimal("100.00"), Decimal("112.00"),
                       [Item(f"修改项目：项目{i}", ["预算数：1.00 -> 2.00 万元（+1.00）" * 5]) for i in range(items)])
        for n in range(townships)
    ]


PROBLEMS = [
    Problem("projects/某镇0-2025/项目/a.yaml", 3, 5, ERROR, "placeholder", "“目标内容1”是模板中的占位文字", township="某镇0-2025"),
    Problem("projects/某镇1-2025/项目/b.yaml", 9, 1, WARNING, "code-format", "编码格式不常见", township="某镇1-2025"),
]


def test_a_comment_that_fits_holds_the_diff_the_new_problems_and_the_link() -> None:
    text = pr_comment(changes(2, 2), PROBLEMS, 7, "main", "https://forge.example/run/1")
    assert text.startswith("## perfgen：内容变化\n\n### 某镇0 2025年（`某镇0-2025`）\n\n预算总额：100.00 -> 112.00 万元（+12.00）\n")
    assert "## perfgen：这次改动带来的问题\n\n与 `main` 相比，新增 1 个错误，1 个警告：\n\n" in text
    assert "- `projects/某镇0-2025/项目/a.yaml:3` 错误 [placeholder] “目标内容1”是模板中的占位文字\n" in text
    assert "另有 7 个问题在 `main` 时已经存在" in text
    assert text.endswith("[本次运行的附件](https://forge.example/run/1)\n")


def test_a_comment_that_would_not_fit_is_a_summary_per_township_under_the_limit() -> None:
    big = changes(300, 40)
    text = pr_comment(big, PROBLEMS, 0, "main", "https://forge.example/run/1")
    assert len(text) < LIMIT
    assert text.startswith("## perfgen：内容变化和新问题（汇总）\n")
    assert "| 某镇0-2025 | 100.00 -> 112.00 万元（+12.00） | 40 | 1 | 0 |\n" in text
    assert "| 某镇1-2025 | 100.00 -> 112.00 万元（+12.00） | 40 | 0 | 1 |\n" in text
    assert text.endswith("[本次运行的附件](https://forge.example/run/1)\n")
    # a county so large that even the summary does not fit says how many townships it leaves out
    huge = pr_comment(changes(3000, 1), [], 0, "main", None)
    assert len(huge) < LIMIT and "| ……另有 " in huge


def test_html_a_clerk_typed_is_shown_not_rendered() -> None:
    change = TownshipChange("某镇 2025年", "某镇-2025", "万元", Decimal(1), Decimal(2), [Item('新增项目：<img src="http://example.org/x.png">')])
    problem = Problem("a.yaml", 1, 1, ERROR, "placeholder", "“<b>××</b>”是占位文字", township="某镇-2025")
    text = pr_comment([change], [problem], 0, "main")
    assert "<img" not in text and "<b>" not in text
    assert "- 新增项目：&lt;img src=\"http://example.org/x.png\">\n" in text and "“&lt;b>××&lt;/b>”是占位文字" in text
