"""perfgen validate on the samples and cases: pinned reports, the reference defects, exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import CASES, FIXTURES, PROJECTS, ROOT, Expected, documentation, draft, perfgen

from perfgen.build import build
from perfgen.validate.rules import RULES
from perfgen.validate.run import validate




def test_samples_report_is_pinned(expected: Expected) -> None:
    run = perfgen("validate", "projects", cwd=ROOT)
    assert run.returncode == 1  # the published placeholders are errors
    expected(FIXTURES / "validate-samples.txt", run.stdout)


def test_samples_report_each_reference_defect_and_no_false_error() -> None:
    problems = validate([PROJECTS]).problems
    found = {(p.rule, p.township, p.project) for p in problems}
    expected = {
        # placeholder goals "1.目标内容1"
        ("placeholder", "怀来县官厅镇-2024", "官厅镇怀财字【2024】7号防火经费"),
        ("placeholder", "卢龙县石门镇-2023", "征地和拆迁补偿支出"),
        ("placeholder", "丰润区泉河头镇-2022", "2021年乡镇财政体制经费"),
        # described as 2022年12月31日前完成, valued 2022年1月31日前完成
        ("deadline-plan", "丰润区泉河头镇-2022", "白各庄山体崩塌紧急排险资金"),
        # ≥95百分比 beside ≥95%
        ("value-unit-style", "丰润区泉河头镇-2022", "财政所经费"),
        # a 500000.00 元 project capped at ≤102.11万元
        ("cost-over-budget", "文安县机床市场管委会-2022", "李村支渠小王东桥重建工程"),
        # the same indicator row repeated
        ("duplicate-indicator", "丰润区泉河头镇-2022", "财政所经费"),
        ("duplicate-indicator", "文安县机床市场管委会-2022", "李村支渠小王东桥重建工程"),
        # a 2020 date in a 2022 document; a table without 满意度指标
        ("deadline-year", "文安县机床市场管委会-2022", "李村支渠小王东桥重建工程"),
        ("indicator-coverage", "卢龙县石门镇-2023", "石门镇日常工作经费"),
        # 防火经费 measured by 新增粮食产能
        ("indicator-copied", "怀来县官厅镇-2024", "官厅镇怀财字【2024】7号防火经费"),
        # the cover's 卢龙县财政（厅/局）: a choice of the template left in place
        ("placeholder", "卢龙县石门镇-2023", ""),
    }
    assert expected <= found
    errors = [p for p in problems if p.is_error]
    assert {p.rule for p in errors} == {"placeholder"}
    assert sorted(p.message for p in errors) == sorted(
        ["“目标内容1”是模板中的占位文字：请换成实际内容"] * 12
        + ["“（厅/局）”是模板中留给填写人选择的文字：请只保留实际的一项，去掉括号和斜线"]
    )


def test_json_report_is_pinned(expected: Expected) -> None:
    run = perfgen("validate", "--format", "json", "编码区划", "占位文字", cwd=CASES / "invalid")
    assert run.returncode == 1
    expected.json(FIXTURES / "validate-cases.json", run.stdout)
    first = json.loads(run.stdout)[0]
    assert list(first) == [
        "file", "line", "column", "severity", "severity_label", "blocking", "rule", "message", "township", "project"
    ]
    # stable codes for machines, the label for people; rule findings do not block a build
    assert (first["severity"], first["severity_label"], first["blocking"]) == ("error", "错误", False)


def test_exit_codes_and_strict(tmp_path: Path) -> None:
    clean = perfgen("validate", "最小单位", cwd=CASES / "valid")
    assert (clean.returncode, clean.stdout) == (0, "共检查 2 个文件：0 个错误，0 个警告。\n")
    warned = perfgen("validate", "年底进度不足", cwd=CASES / "invalid")
    assert warned.returncode == 0
    assert warned.stdout.splitlines()[-1] == "共检查 2 个文件：0 个错误，1 个警告。"
    assert perfgen("validate", "--strict", "年底进度不足", cwd=CASES / "invalid").returncode == 1
    missing = perfgen("validate", "无此单位", cwd=tmp_path)
    assert (missing.returncode, missing.stderr.strip()) == (1, "错误：无此单位：路径不存在")


def test_build_shows_rule_findings_and_still_builds(tmp_path: Path) -> None:
    [result] = build([PROJECTS / "卢龙县石门镇-2023"], draft(tmp_path))
    assert result.ok
    assert {p.rule for p in result.problems} == {
        "placeholder", "indicator-coverage", "indicator-generic", "purpose-is-name", "description-is-name", "indicator-copied"
    }


def test_build_strict_stops_on_any_finding(tmp_path: Path) -> None:
    [result] = build([CASES / "invalid" / "年底进度不足"], draft(tmp_path, strict=True))
    assert not result.ok and result.error == "检查发现 1 个问题（--strict），未生成文档"
    [clean] = build([CASES / "valid" / "最小单位"], draft(tmp_path, strict=True))
    assert clean.ok


def test_the_documentation_lists_every_rule_with_its_severity() -> None:
    # wherever the rule table goes, it is whole in one document
    tables = {
        name: dict(re.findall(r"^\| `([a-z-]+)` \| (错误|警告) \|", text, flags=re.MULTILINE))
        for name, text in documentation().items()
    }
    [(name, table)] = [(name, table) for name, table in tables.items() if table]
    assert table == {rule.id: rule.severity.label for rule in RULES.values()}, name


def test_every_rule_and_hygiene_check_has_an_invalid_case() -> None:
    rules = set()
    for expected in (CASES / "invalid").glob("*/expected.txt"):
        rules |= set(re.findall(r"\[([a-z-]+)\]", expected.read_text(encoding="utf-8")))
    hygiene = {"yaml-syntax", "yaml-encoding", "yaml-tab", "yaml-duplicate-key", "yaml-alias", "yaml-tag",
               "yaml-empty", "yaml-top-level", "text-control-char", "schema", "project-list"}
    assert set(RULES) | hygiene <= rules
