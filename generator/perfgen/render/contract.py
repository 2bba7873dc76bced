"""What a Word template must hold for perfgen to fill it: ``perfgen template check``.

A county restyles the standard template in Word, WPS or LibreOffice. Whatever it
changes, the template must keep: the styles of the TOC's levels, the tags that
place the data, the TOC field, and the rows of the indicator table. The check
reads the template, lists what is missing or broken in words its editor can act
on, and renders an example township with it, as a build would.
"""

from __future__ import annotations

import io
import re
import tempfile
from pathlib import Path
from typing import Any

import docx
from docx.document import Document

from perfgen.errors import PerfgenError, TemplateError
from perfgen.render.fixups import indicator_tables, merge_level1
from perfgen.render.ns import qn
from perfgen.render.toc import make_toc, outline_levels, toc_field, toc_style_ids

# (the data a tag must name, as the standard template writes it; what it shows)
REQUIRED_TAGS = [
    ("封面.单位", "封面上的单位名称"),
    ("年度", "年度"),
    ("for s in 第一部分", "第一部分各节的循环 {%p for s in 第一部分 %}"),
    ("s.标题", "第一部分各节的标题"),
    ("for item in s.段落", "各节段落的循环 {%p for item in s.段落 %}"),
    ("item.文字", "第一部分的段落文字"),
    ("for p in 项目", "项目的循环 {%p for p in 项目 %}"),
    ("p.标题", "项目标题（如“1.××绩效目标表”）"),
    ("单位编码", "表上方的单位编码"),
    ("单位名称", "表上方的单位名称"),
    ("金额单位", "表上方的金额单位"),
    ("p.项目编码", "项目编码"),
    ("p.项目名称", "项目名称"),
    ("p.预算数", "预算数"),
    ("p.财政资金", "财政资金"),
    ("p.其他资金", "其他资金"),
    ("p.资金用途", "资金用途"),
    ("p.资金支出计划['3月底']", "3月底的支出进度"),
    ("p.资金支出计划['6月底']", "6月底的支出进度"),
    ("p.资金支出计划['10月底']", "10月底的支出进度"),
    ("p.资金支出计划['12月底']", "12月底的支出进度"),
    ("p.绩效目标", "绩效目标的循环 {%p for goal in p.绩效目标 %}"),
    ("for r in p.指标行", "指标行的循环 {%tr for r in p.指标行 %}"),
    ("r.一级", "一级指标"),
    ("r.二级", "二级指标"),
    ("r.三级", "三级指标"),
    ("r.描述", "绩效指标描述"),
    ("r.指标值", "指标值"),
    ("r.依据", "指标值确定依据"),
]
TOC_STYLES = {0: "“toc 1”（目录 1）", 1: "“toc 2”（目录 2）"}
TAG = re.compile(r"\{\{(.*?)\}\}|\{%-?\s*(?:p|tr|tc|r)?\s(.*?)-?%\}")


def _squeeze(text: str) -> str:
    return re.sub(r"\s", "", text).replace('"', "'").replace("“", "'").replace("”", "'").replace("‘", "'").replace("’", "'")


def template_tags(document: Document) -> list[str]:
    """The tags of the template, as written (paragraph by paragraph: a tag may span runs)."""
    found = []
    parts = [document.element.body]
    for paragraph in (p for part in parts for p in part.iter(qn("w:p"))):
        text = "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
        found += [(m[1] if m[1] is not None else m[2]).strip() for m in TAG.finditer(text)]
    return found


def _missing_styles(document: Document) -> list[str]:
    """Styles the template's paragraphs, runs and tables use but does not define."""
    defined = {s.get(qn("w:styleId")) for s in document.styles.element.iter(qn("w:style"))}
    problems = []
    for tag, kind in (("w:pStyle", "段落"), ("w:rStyle", "字符"), ("w:tblStyle", "表格")):
        used = sorted({e.get(qn("w:val")) for e in document.element.body.iter(qn(tag))} - defined)
        problems += [f"模板使用了{kind}样式“{name}”，但样式表中没有它：请在 Word 的“样式”中恢复或重新设置这些段落的样式" for name in used]
    return problems


def _example_context() -> dict[str, Any]:
    """The data of the example township ``perfgen new`` writes: one project, every field filled."""
    from perfgen.render.context import make_context
    from perfgen.scaffold import new_township
    from perfgen.validate.township import check_township

    with tempfile.TemporaryDirectory(prefix="perfgen-check-") as folder:
        township = Path(folder) / "示例镇-2025"
        new_township(township, "示例镇人民政府", "000000", 2025, "万元")
        checked = check_township(township)
        assert checked.township is not None
        return make_context(checked.township)


def _rendered_problems(path: Path) -> list[str]:
    """Render the example township as a build would; what goes wrong."""
    from perfgen.render.docx import DocxRenderer

    context = _example_context()
    try:
        rendered = DocxRenderer(path).render(context)
        merge_level1(rendered, [project["一级跨行"] for project in context["项目"]])
        titles = make_toc(rendered)
    except TemplateError as exc:
        return [f"用示例数据生成时出错：{exc}"]
    problems = []
    wanted = [section["标题"] for section in context["第一部分"]] + [project["标题"] for project in context["项目"]]
    absent = [title for title in wanted if title not in titles]
    if toc_field(rendered) is not None and absent:
        problems.append(
            f"这些标题不会列入目录：{'、'.join(absent)}。它们所在段落的样式（如“项目标题”“标题 2”）"
            "需要大纲级别，并在目录域的级别之内（标准模板为 1–2 级）"
        )
    if len(indicator_tables(rendered)) != len(context["项目"]):
        problems.append("没有找到绩效指标表：指标表的第一格应为“一级指标”")
    return problems


def check_template(path: Path) -> list[str]:
    """Everything a template lacks for perfgen, as messages for its editor; empty when it is fine."""
    from perfgen.render.template_file import read_template

    try:
        data = read_template(path)
        document = docx.Document(io.BytesIO(data))
    except PerfgenError as exc:
        return [str(exc)]
    except Exception:  # python-docx has no single error for a package it cannot read
        return ["无法读取模板：它不是有效的 Word 文档"]

    problems = _missing_styles(document)
    field = toc_field(document)
    if field is None:
        problems.append("模板中没有目录域：请在“目录”标题下用 Word 的“引用 → 目录”插入一个目录（perfgen 生成时填写条目）")
    else:
        levels = outline_levels(field.instruction)
        styles = toc_style_ids(document)
        for level, name in TOC_STYLES.items():
            if level in levels and level not in styles:
                problems.append(f"模板缺少目录样式{name}：目录第 {level + 1} 级的条目要用它，请在 Word 的“样式”中恢复")
    tags = {_squeeze(tag) for tag in template_tags(document)}
    for needed, meaning in REQUIRED_TAGS:
        if not any(_squeeze(needed) in tag for tag in tags):
            problems.append(f"模板缺少标记 {needed}（{meaning}）：请从标准模板 templates/standard.docx 中复制回来")
    if not problems:
        problems += _rendered_problems(path)
    return problems
