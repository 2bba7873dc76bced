"""The two indicator frames (指标体系): one table in perfgen.form, the schemas' enums, the model and the rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from perfgen.form import DEFAULT_FRAME, FOUR_CLASS, FRAMES, MONEY_COST, THREE_CLASS
from perfgen.load.yamlfile import parse_yaml
from perfgen.model import document_from, project_from
from perfgen.resources import load_schema
from perfgen.review.fmt import canonical_text
from perfgen.validate.rules.indicators import coverage, hierarchy
from perfgen.validate.schema import is_valid

DOCUMENT = """\
单位编码: '123001'
单位名称: 测试镇人民政府
年度: 2024
金额单位: 万元
{frame}第一部分:
  总体绩效目标: {{条目: [目标。]}}
  分项绩效目标: {{条目: [目标。]}}
  工作保障措施: {{条目: [措施。]}}
项目清单: [项目/a.yaml]
"""

PROJECT = """\
项目编码: 13000024P00000000001A
项目名称: ' 办公经费 '
预算数: 10
财政资金: 10
资金用途: '　用于购置办公用品 '
资金支出计划: {3月底: 25, 6月底: 50, 10月底: 75, 12月底: 100}
绩效目标: ['保障运转 ']
绩效指标:
  产出指标:
    - 二级指标: '时效指标 '
      指标:
        - {三级指标: ' 完成时间', 绩效指标描述: '按时完成 ', 指标值: ' 2024年12月31日前完成', 指标值确定依据: ' 计划 '}
  效益指标:
    - 二级指标: 社会效益指标
      指标:
        - {三级指标: 运转, 绩效指标描述: 保障运转, 指标值: 得到保障, 指标值确定依据: 计划}
  '满意度指标 ':
    - 二级指标: 服务对象满意度指标
      指标:
        - {三级指标: 满意率, 绩效指标描述: 群众满意的比例, 指标值: ≥95%, 指标值确定依据: 问卷}
"""


def load(text: str, name: str = "x.yaml"):
    file, problems = parse_yaml(text, Path(name), name)
    assert problems == [] and file is not None
    return file


def test_schema_enums_are_the_union_of_both_frames() -> None:
    """The project schema offers every 一级 and 二级 of both frames; the document schema names the frames."""
    project = load_schema("project")
    level1 = set(project["properties"]["绩效指标"]["properties"])
    level2 = set(project["$defs"]["level2"]["properties"]["二级指标"]["anyOf"][0]["enum"])
    assert level1 == {name for table in FRAMES.values() for name in table}
    assert level2 == {name for table in FRAMES.values() for names in table.values() for name in names}
    frame = load_schema("document")["properties"]["指标体系"]
    assert (frame["enum"], frame["default"]) == (list(FRAMES), DEFAULT_FRAME)
    assert all(MONEY_COST[name][1] in FRAMES[name][MONEY_COST[name][0]] for name in FRAMES)


@pytest.mark.parametrize(("line", "valid"), [("", True), ("指标体系: 三类\n", True), ("指标体系: 四类\n", True), ("指标体系: 五类\n", False)])
def test_document_schema_accepts_the_two_frames(line: str, valid: bool) -> None:
    assert is_valid(load(DOCUMENT.format(frame=line)).data, "document") is valid


@pytest.mark.parametrize(("line", "frame"), [("", THREE_CLASS), ("指标体系: 四类\n", FOUR_CLASS)])
def test_the_document_gives_its_frame_to_each_project(line: str, frame: str) -> None:
    document = document_from(load(DOCUMENT.format(frame=line), "文档.yaml"))
    assert document.frame == frame
    assert project_from(load(PROJECT), document).frame == frame
    assert project_from(load(PROJECT)).frame == DEFAULT_FRAME


def test_the_model_keeps_texts_without_edge_spaces() -> None:
    project = project_from(load(PROJECT))
    assert (project.name, project.purpose, project.goals) == ("办公经费", "用于购置办公用品", ("保障运转",))
    first = project.rows[0]
    assert (first.level2, first.name, first.description, first.value, first.basis) == (
        "时效指标", "完成时间", "按时完成", "2024年12月31日前完成", "计划"
    )
    assert [level.name for level in project.levels] == ["产出指标", "效益指标", "满意度指标"]
    # a rule comparing names sees through the spaces: the hierarchy is right and nothing is missing
    assert list(hierarchy(project)) == [] and list(coverage(project)) == []
    # places still point at the keys as written
    assert project.place(*project.levels[2].path, key=True).position() == (17, 3)


def test_the_same_table_under_the_other_frame() -> None:
    """A three-class table in a four-class document: cost must be a 一级 there."""
    document = document_from(load(DOCUMENT.format(frame="指标体系: 四类\n"), "文档.yaml"))
    text = PROJECT.replace("二级指标: '时效指标 '", "二级指标: 成本指标")
    messages = [finding.message for finding in hierarchy(project_from(load(text), document))]
    assert messages == [
        "二级指标“成本指标”不属于产出指标：产出指标下可用数量指标、质量指标、时效指标；"
        "四类指标体系中“成本指标”是一级指标，请把这些行移到一级指标“成本指标”下"
    ]


def test_fmt_puts_cost_first_in_a_four_class_table() -> None:
    """perfgen fmt orders 一级 as the schema lists them: 成本, 产出, 效益, 满意度."""
    text = "绩效指标:\n  产出指标: []\n  满意度指标: []\n  成本指标: []\n  效益指标: []\n"
    assert canonical_text(text, "project") == "绩效指标:\n  成本指标: []\n  产出指标: []\n  效益指标: []\n  满意度指标: []\n"


def test_fmt_places_a_key_by_its_name_without_edge_spaces() -> None:
    """A stray space in '产出指标 ' must not move the group to the end of the table (text-edge-space reports it)."""
    text = "绩效指标:\n  满意度指标: []\n  '产出指标 ': []\n  效益指标: []\n"
    assert canonical_text(text, "project") == "绩效指标:\n  '产出指标 ': []\n  效益指标: []\n  满意度指标: []\n"
