"""Write templates/standard.docx, the standard layout of a 部门预算绩效文本.

The .docx is what perfgen renders; this script is its readable source, so a
change to the layout shows in review as a change of XML here. Run it after
editing and commit both (a test checks they agree):

    python templates/make_standard.py

A county that wants another look copies standard.docx, restyles it in Word
(styles 正文, 标题 1/2, 项目标题, 表格文字, 目录 1/2, table style 绩效表格 …)
and builds with ``perfgen build --template their.docx``. The docxtpl tags
({{ … }}, {%p … %}, {%tr … %}) must stay in place.

Measures follow GB/T 9704-2012: A4, margins 3.7/3.5/2.8/2.6 cm, body
仿宋_GB2312 三号, headings 黑体, cover title 方正小标宋简体 二号.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

OUT = Path(__file__).with_name("standard.docx")

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# twips (1/1440 inch); A4 and GB/T 9704 margins
PAGE_W, PAGE_H = 11906, 16838
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 2098, 1984, 1587, 1474
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT  # 8845 = 15.6 cm

# project table: a label column, then the cells of the rows to its right, placed by their
# edges (twips from the label column): the code and name row, the budget row (three labels
# and their amounts, wide enough for ten digits), and the four equal months of the plan
CODE_ROW = [3720, 5160, 7440]
BUDGET_ROW = [960, 2400, 3720, 5160, 6120, 7440]
PLAN_ROW = [1860, 3720, 5580, 7440]
EDGES = sorted(set(CODE_ROW + BUDGET_ROW + PLAN_ROW))
PROJECT_GRID = [1405] + [b - a for a, b in zip([0] + EDGES, EDGES)]
# indicator table: 一级 二级 三级 描述 指标值 依据
# widths let every fixed label sit on one line or break without leaving a character alone
# (满意度指标 and 可持续影响指标 whole, 服务对象满意度指标 as 7 + 2, 指标值确定依据 whole)
INDICATOR_GRID = [1180, 1600, 1420, 1745, 1300, 1600]
UNIT_GRID = [6000, TEXT_W - 6000]
# 0.25 pt less between the body's characters (w:spacing is in twentieths of a point); styles
# outside the body's grid set it back to 0
CONDENSED = '<w:spacing w:val="-5"/>'
PLAIN = '<w:spacing w:val="0"/>'
assert sum(PROJECT_GRID) == sum(INDICATOR_GRID) == sum(UNIT_GRID) == TEXT_W


def fonts(east_asia: str, latin: str = "Times New Roman") -> str:
    return (
        f'<w:rFonts w:ascii="{latin}" w:eastAsia="{east_asia}" w:hAnsi="{latin}" '
        f'w:cs="{latin}" w:hint="eastAsia"/>'
    )


# ------------------------------------------------------------------ body


def run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def para(text: str = "", style: str | None = None, ppr: str = "", inner: str | None = None) -> str:
    props = (f'<w:pStyle w:val="{style}"/>' if style else "") + ppr
    ppr_xml = f"<w:pPr>{props}</w:pPr>" if props else ""
    body = inner if inner is not None else (run(text) if text else "")
    return f"<w:p>{ppr_xml}{body}</w:p>"


def tag(text: str) -> str:
    """A paragraph that holds only a docxtpl paragraph-level tag."""
    return para(text)


def cell(paras: str, width: int, span: int = 1, vmerge: str | None = None) -> str:
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if vmerge == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif vmerge == "continue":
        props += "<w:vMerge/>"
    props += '<w:vAlign w:val="center"/>'
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{paras}</w:tc>"


def row(cells: list[str], header: bool = False) -> str:
    props = "<w:cantSplit/>" + ("<w:tblHeader/>" if header else "")
    return f"<w:tr><w:trPr>{props}</w:trPr>{''.join(cells)}</w:tr>"


def table(grid: list[int], rows: list[str], style: str = "PerfTable") -> str:
    cols = "".join(f'<w:gridCol w:w="{w}"/>' for w in grid)
    return (
        f'<w:tbl><w:tblPr><w:tblStyle w:val="{style}"/><w:tblW w:w="{sum(grid)}" w:type="dxa"/>'
        '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/><w:tblLook w:val="0000"/></w:tblPr>'
        f"<w:tblGrid>{cols}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )


def spanned(grid: list[int], start: int, span: int) -> int:
    return sum(grid[start : start + span])


def cells_between(edges: list[int]) -> list[tuple[int, int]]:
    """(first grid column, span) of the cells right of the label column, ending at ``edges``."""
    found, start = [], 1
    for left, right in zip([0] + edges, edges):
        span = EDGES.index(right) - (EDGES.index(left) if left else -1)
        found.append((start, span))
        start += span
    return found


def tcell(text: str, grid: list[int], start: int, span: int = 1, style: str = "TableText", vmerge: str | None = None) -> str:
    return cell(para(text, style), spanned(grid, start, span), span, vmerge)


_bookmark_ids = iter(range(1000))


def heading(style: str, title: str, bookmark: str, ppr: str = "") -> str:
    """A heading with a bookmark for its TOC entry (loops repeat the id; perfgen renumbers)."""
    number = next(_bookmark_ids)
    inner = (
        f'<w:bookmarkStart w:id="{number}" w:name="{{{{ {bookmark} }}}}"/>'
        f"{run('{{ ' + title + ' }}')}"
        f'<w:bookmarkEnd w:id="{number}"/>'
    )
    return para(style=style, ppr=ppr, inner=inner)


def toc_entry(style: str, title: str, bookmark: str, page: str, field_begin: bool = False) -> str:
    begin = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-2" \\h \\z \\u </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        if field_begin
        else ""
    )
    link = (
        f'<w:hyperlink w:anchor="{{{{ {bookmark} }}}}" w:history="1">'
        f"{run('{{ ' + title + ' }}')}"
        "<w:r><w:tab/></w:r>"
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> PAGEREF {{{{ {bookmark} }}}} \\h </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"{run('{{ ' + page + ' }}')}"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        "</w:hyperlink>"
    )
    return para(style=style, inner=begin + link)


def cover() -> list[str]:
    return [
        para("{{ 封面.单位 }}", "CoverUnit"),
        para("{{ 年度 }}年部门预算绩效文本", "CoverTitle"),
        tag("{%p if 封面.草案 %}"),
        para("（草案）", "CoverDraft"),
        tag("{%p endif %}"),
        tag("{%p if 封面.编制单位 %}"),
        para("{{ 封面.编制单位 }}编制", "CoverOrgFirst"),
        tag("{%p endif %}"),
        tag("{%p if 封面.审核单位 %}"),
        para("{{ 封面.审核单位 }}审核", "CoverOrg"),
        tag("{%p endif %}"),
    ]


def contents() -> list[str]:
    return [
        para("目  录", "TOCHeading"),
        toc_entry("TOC1", "目录.第一部分.标题", "目录.第一部分.书签", "目录.第一部分.页码", field_begin=True),
        tag("{%p for s in 第一部分 %}"),
        toc_entry("TOC2", "s.标题", "s.书签", "s.页码"),
        tag("{%p endfor %}"),
        toc_entry("TOC1", "目录.第二部分.标题", "目录.第二部分.书签", "目录.第二部分.页码"),
        tag("{%p for p in 项目 %}"),
        toc_entry("TOC2", "p.标题", "p.书签", "p.页码"),
        tag("{%p endfor %}"),
        para(inner='<w:r><w:fldChar w:fldCharType="end"/></w:r>'),
    ]


def part_one() -> list[str]:
    return [
        heading("Heading1", "目录.第一部分.标题", "目录.第一部分.书签"),
        tag("{%p for s in 第一部分 %}"),
        heading("Heading2", "s.标题", "s.书签"),
        tag("{%p for item in s.段落 %}"),
        tag("{%p if item.标题 %}"),
        para("{{ item.文字 }}", "ItemTitle"),
        tag("{%p else %}"),
        para("{{ item.文字 }}"),
        tag("{%p endif %}"),
        tag("{%p endfor %}"),
        tag("{%p endfor %}"),
    ]


def project_tables() -> list[str]:
    g = PROJECT_GRID
    unit = table(
        UNIT_GRID,
        [
            row(
                [
                    cell(para("{{ 单位编码 }}{{ 单位名称 }}", "UnitLeft"), UNIT_GRID[0]),
                    cell(para("单位：{{ 金额单位 }}", "UnitRight"), UNIT_GRID[1]),
                ]
            )
        ],
        style="PlainTable",
    )
    amounts = [("预算数", "p.预算数"), ("其中：财政资金", "p.财政资金"), ("其他资金", "p.其他资金")]
    budget_cells = [tcell("预算规模及资金用途", g, 0, vmerge="restart")]
    budget = cells_between(BUDGET_ROW)
    for i, (label, value) in enumerate(amounts):
        budget_cells.append(tcell(label, g, *budget[2 * i]))
        budget_cells.append(tcell("{{ " + value + " }}", g, *budget[2 * i + 1]))
    code, plan, right = cells_between(CODE_ROW), cells_between(PLAN_ROW), len(g) - 1
    months = ["3月底", "6月底", "10月底", "12月底"]
    goals = tag("{%p for goal in p.绩效目标 %}") + para("{{ goal }}", "TableTextLeft") + tag("{%p endfor %}")
    project = table(
        g,
        [
            row(
                [
                    tcell("项目编码", g, 0),
                    tcell("{{ p.项目编码 }}", g, *code[0]),
                    tcell("项目名称", g, *code[1]),
                    tcell("{{ p.项目名称 }}", g, *code[2]),
                ]
            ),
            row(budget_cells),
            row([tcell("", g, 0, vmerge="continue"), tcell("{{ p.资金用途 }}", g, 1, right, "TableTextLeft")]),
            row([tcell("资金支出计划（%）", g, 0, vmerge="restart")] + [tcell(m, g, *plan[i]) for i, m in enumerate(months)]),
            row(
                [tcell("", g, 0, vmerge="continue")]
                + [tcell("{{ p.资金支出计划['" + m + "'] }}", g, *plan[i]) for i, m in enumerate(months)]
            ),
            row([tcell("绩效目标", g, 0), cell(goals, spanned(g, 1, right), right)]),
        ],
    )
    ig = INDICATOR_GRID
    heads = ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]
    keys = ["一级", "二级", "三级", "描述", "指标值", "依据"]
    # The 一级 cells are merged vertically after rendering, from the data's groups
    # (docxtpl's {% vm %} writes vMerge out of schema order and knows one loop only).
    indicators = table(
        ig,
        [
            row([tcell(h, ig, i, style="TableHead") for i, h in enumerate(heads)], header=True),
            row([cell(para("{%tr for r in p.指标行 %}", "TableText"), ig[0], 6)]),
            row(
                [
                    tcell("{{ r." + k + " }}", ig, i, style="TableTextLeft" if k in ("描述", "依据") else "TableText")
                    for i, k in enumerate(keys)
                ]
            ),
            row([cell(para("{%tr endfor %}", "TableText"), ig[0], 6)]),
        ],
    )
    return [unit, project, para(style="TableGap"), indicators]


def part_two() -> list[str]:
    return [
        heading("Heading1", "目录.第二部分.标题", "目录.第二部分.书签", ppr="<w:pageBreakBefore/>"),
        tag("{%p for p in 项目 %}"),
        heading("ProjectTitle", "p.标题", "p.书签"),
        *project_tables(),
        tag("{%p endfor %}"),
        # ends the body, so that Word need not add a full-height paragraph after the last table
        para(style="DocumentEnd"),
    ]


def section(footer: bool, last: bool = False) -> str:
    # odd pages: page number on the right; even pages: on the left (GB/T 9704)
    refs = (
        '<w:footerReference w:type="even" r:id="rIdFooterEven"/><w:footerReference w:type="default" r:id="rIdFooter"/>'
        if footer
        else ""
    )
    props = (
        f"{refs}<w:type w:val=\"nextPage\"/>"
        f'<w:pgSz w:w="{PAGE_W}" w:h="{PAGE_H}"/>'
        f'<w:pgMar w:top="{MARGIN_TOP}" w:right="{MARGIN_RIGHT}" w:bottom="{MARGIN_BOTTOM}" '
        f'w:left="{MARGIN_LEFT}" w:header="851" w:footer="1418" w:gutter="0"/>'
        + ('<w:pgNumType w:fmt="decimal" w:start="1"/>' if footer else "")
        + '<w:cols w:space="425"/><w:docGrid w:type="lines" w:linePitch="579"/>'
    )
    if last:
        return f"<w:sectPr>{props}</w:sectPr>"
    return para(ppr=f"<w:sectPr>{props}</w:sectPr>")


def document_xml() -> str:
    body = [
        *cover(),
        *contents(),
        section(footer=False),  # cover and 目录: no page numbers
        *part_one(),
        *part_two(),
        section(footer=True, last=True),
    ]
    return (
        XML_HEAD + f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>{"".join(body)}</w:body></w:document>'
    )


# ------------------------------------------------------------------ styles


def pstyle(style_id: str, name: str, ppr: str, rpr: str, based: str | None = "Normal", extra: str = "") -> str:
    based_xml = f'<w:basedOn w:val="{based}"/>' if based else ""
    return (
        f'<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{name}"/>{based_xml}'
        f'<w:next w:val="Normal"/>{extra}<w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>'
    )


def styles_xml() -> str:
    body_font = fonts("仿宋_GB2312")
    hei = fonts("黑体")
    song = fonts("方正小标宋简体")
    table_font = fonts("宋体")
    kai = fonts("楷体_GB2312")
    center = '<w:jc w:val="center"/>'
    # text outside the body's lines (tables, TOC, the line above a table) is not snapped to the
    # document grid: a 10.5 pt line would take a whole 28.95 pt grid line
    off_grid = '<w:snapToGrid w:val="0"/>'
    # TOC: 小四 on 17 pt lines, so that up to 25 projects fit one page; a wrapped entry hangs
    # under its text, and its leader and number end the last line
    toc_spacing = '<w:spacing w:before="0" w:after="0" w:line="340" w:lineRule="exact"/>'
    table_spacing = f'{off_grid}<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
    styles = [
        '<w:docDefaults><w:rPrDefault><w:rPr>'
        + body_font
        + '<w:kern w:val="2"/><w:sz w:val="32"/><w:szCs w:val="32"/>'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>',
        # 正文: 仿宋_GB2312 三号 on GB/T 9704's grid of 22 lines x 28 characters: fixed 28.95 pt lines,
        # characters condensed by 0.25 pt (28 x 15.75 pt fill the 442 pt line), first line indented two characters
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
        '<w:pPr><w:widowControl w:val="0"/><w:spacing w:line="579" w:lineRule="exact"/>'
        '<w:ind w:firstLineChars="200" w:firstLine="640"/><w:jc w:val="both"/></w:pPr>'
        f'<w:rPr>{body_font}{CONDENSED}<w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>',
        pstyle(
            "Heading1",
            "heading 1",
            '<w:keepNext/><w:keepLines/><w:spacing w:before="480" w:after="480" w:line="240" w:lineRule="auto"/>'
            f'<w:ind w:firstLineChars="0" w:firstLine="0"/>{center}<w:outlineLvl w:val="0"/>',
            f'{hei}{PLAIN}<w:sz w:val="44"/><w:szCs w:val="44"/>',
        ),
        pstyle(
            "Heading2",
            "heading 2",
            '<w:keepNext/><w:keepLines/><w:outlineLvl w:val="1"/>',
            f"{hei}",
        ),
        pstyle(
            "Heading3",
            "heading 3",
            '<w:keepNext/><w:keepLines/><w:outlineLvl w:val="2"/>',
            f"{kai}",
        ),
        # 项目标题: each project's table starts on a new page, title kept with its table
        pstyle(
            "ProjectTitle",
            "项目标题",
            '<w:keepNext/><w:keepLines/><w:pageBreakBefore/>'
            f'{off_grid}<w:spacing w:before="0" w:after="200" w:line="240" w:lineRule="auto"/>'
            f'<w:ind w:firstLineChars="0" w:firstLine="0"/>{center}<w:outlineLvl w:val="1"/>',
            f'{song}{PLAIN}<w:sz w:val="32"/><w:szCs w:val="32"/>',
            based="Heading2",
        ),
        pstyle(
            "CoverUnit",
            "封面单位",
            f'<w:spacing w:before="2400" w:after="240" w:line="240" w:lineRule="auto"/><w:ind w:firstLineChars="0" w:firstLine="0"/>{center}',
            f'{song}{PLAIN}<w:sz w:val="44"/><w:szCs w:val="44"/>',
        ),
        pstyle(
            "CoverTitle",
            "封面标题",
            f'<w:spacing w:before="240" w:after="240" w:line="240" w:lineRule="auto"/><w:ind w:firstLineChars="0" w:firstLine="0"/>{center}',
            f'{song}{PLAIN}<w:sz w:val="44"/><w:szCs w:val="44"/>',
        ),
        pstyle(
            "CoverDraft",
            "封面草案",
            f'<w:spacing w:before="120" w:line="240" w:lineRule="auto"/><w:ind w:firstLineChars="0" w:firstLine="0"/>{center}',
            f'{kai}{PLAIN}<w:sz w:val="32"/><w:szCs w:val="32"/>',
        ),
        pstyle(
            "CoverOrgFirst",
            "封面编制单位",
            f'<w:spacing w:before="4200" w:after="120" w:line="240" w:lineRule="auto"/><w:ind w:firstLineChars="0" w:firstLine="0"/>{center}',
            f'{kai}{PLAIN}<w:sz w:val="32"/><w:szCs w:val="32"/>',
        ),
        pstyle(
            "CoverOrg",
            "封面审核单位",
            f'<w:spacing w:before="120" w:after="120" w:line="240" w:lineRule="auto"/><w:ind w:firstLineChars="0" w:firstLine="0"/>{center}',
            f'{kai}{PLAIN}<w:sz w:val="32"/><w:szCs w:val="32"/>',
        ),
        pstyle(
            "TOCHeading",
            "目录标题",
            f'<w:pageBreakBefore/>{off_grid}<w:spacing w:before="0" w:after="240" w:line="240" w:lineRule="auto"/>'
            f'<w:ind w:firstLineChars="0" w:firstLine="0"/>{center}',
            f'{hei}{PLAIN}<w:sz w:val="44"/><w:szCs w:val="44"/>',
        ),
        pstyle(
            "TOC1",
            "toc 1",
            f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_W}"/></w:tabs>{off_grid}'
            f'{toc_spacing}<w:ind w:left="0" w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="left"/>',
            f'{hei}{PLAIN}<w:sz w:val="24"/><w:szCs w:val="24"/>',
        ),
        pstyle(
            "TOC2",
            "toc 2",
            f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_W}"/></w:tabs>{off_grid}'
            f'{toc_spacing}<w:ind w:left="960" w:hanging="480" w:firstLineChars="0"/><w:jc w:val="left"/>',
            f'{PLAIN}<w:sz w:val="24"/><w:szCs w:val="24"/>',
        ),
        pstyle(
            "TableText",
            "表格文字",
            f'{table_spacing}<w:ind w:firstLineChars="0" w:firstLine="0"/>{center}',
            f'{table_font}{PLAIN}<w:sz w:val="21"/><w:szCs w:val="21"/>',
        ),
        pstyle(
            "TableTextLeft",
            "表格文字（左对齐）",
            '<w:jc w:val="left"/>',
            "",
            based="TableText",
        ),
        pstyle(
            "TableTextRight",
            "表格文字（右对齐）",
            '<w:jc w:val="right"/>',
            "",
            based="TableText",
        ),
        pstyle(
            "TableHead",
            "表头文字",
            "",
            f"{hei}",
            based="TableText",
        ),
        pstyle(
            "TableGap",
            "表间空行",
            f'{off_grid}<w:spacing w:before="0" w:after="0" w:line="120" w:lineRule="exact"/><w:ind w:firstLineChars="0" w:firstLine="0"/>',
            '<w:sz w:val="12"/><w:szCs w:val="12"/>',
        ),
        # page numbers: 4号 宋体, one character in from the outer edge
        pstyle(
            "FooterOdd",
            "页码（单页）",
            f'{off_grid}<w:spacing w:line="240" w:lineRule="auto"/><w:ind w:right="280" w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="right"/>',
            f'{fonts("宋体", latin="宋体")}{PLAIN}<w:sz w:val="28"/><w:szCs w:val="28"/>',
        ),
        pstyle(
            "FooterEven",
            "页码（双页）",
            '<w:ind w:left="280" w:right="0" w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="left"/>',
            "",
            based="FooterOdd",
        ),
        # 条目标题: a titled item of 第一部分 (“（一）提高保障能力”), a 楷体 sub-heading
        pstyle("ItemTitle", "条目标题", "<w:keepNext/>", f"{kai}"),
        # the line above each project table; kept with the table
        pstyle("UnitLeft", "表头单位", "<w:keepNext/>", "", based="TableTextLeft"),
        pstyle("UnitRight", "表头金额单位", "<w:keepNext/>", "", based="TableTextRight"),
        pstyle(
            "DocumentEnd",
            "文末",
            f'{off_grid}<w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/><w:ind w:firstLineChars="0" w:firstLine="0"/>',
            '<w:sz w:val="2"/><w:szCs w:val="2"/>',
        ),
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>',
        '<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/>'
        '<w:basedOn w:val="DefaultParagraphFont"/></w:style>',
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
        '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>',
        # 绩效表格: the bordered tables of a project
        '<w:style w:type="table" w:styleId="PerfTable"><w:name w:val="绩效表格"/><w:basedOn w:val="TableNormal"/>'
        '<w:uiPriority w:val="59"/><w:qFormat/><w:tblPr><w:tblBorders>'
        + "".join(
            f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        + '</w:tblBorders><w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="57" w:type="dxa"/>'
        '<w:bottom w:w="28" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>',
        # 无框表格: the line above each project table (unit and money unit)
        '<w:style w:type="table" w:styleId="PlainTable"><w:name w:val="无框表格"/><w:basedOn w:val="TableNormal"/>'
        '<w:uiPriority w:val="59"/><w:tblPr><w:tblCellMar><w:left w:w="0" w:type="dxa"/>'
        '<w:right w:w="0" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>',
    ]
    return XML_HEAD + f'<w:styles xmlns:w="{W_NS}">{"".join(styles)}</w:styles>'


def footer_xml(style: str) -> str:
    page = (
        '<w:r><w:t xml:space="preserve">— </w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        "<w:r><w:t>1</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        '<w:r><w:t xml:space="preserve"> —</w:t></w:r>'
    )
    return XML_HEAD + f'<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}">{para(style=style, inner=page)}</w:ftr>'


def settings_xml() -> str:
    # perfgen adds w:updateFields when it could not fill in the TOC's page numbers
    return (
        XML_HEAD + f'<w:settings xmlns:w="{W_NS}"><w:zoom w:percent="100"/>'
        '<w:defaultTabStop w:val="420"/><w:evenAndOddHeaders/><w:characterSpacingControl w:val="compressPunctuation"/>'
        '<w:compat><w:compatSetting w:name="compatibilityMode" '
        'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>'
    )


def font_table_xml() -> str:
    """The fonts the styles name, with what Word and WPS should use where one is missing.

    仿宋_GB2312, 楷体_GB2312 and 方正小标宋简体 are not on a stock Windows: w:altName names the face
    Windows ships (仿宋, 楷体, 宋体), and the panose and charset lead a substitution to a face of
    the same kind.
    """
    faces = [
        # name, altName, panose, family, pitch
        ("Times New Roman", None, "02020603050405020304", "roman", "variable"),
        ("宋体", "SimSun", "02010600030101010101", "auto", "variable"),
        ("黑体", "SimHei", "02010609060101010101", "modern", "fixed"),
        ("仿宋_GB2312", "仿宋", "02010609030101010101", "modern", "fixed"),
        ("楷体_GB2312", "楷体", "02010609030101010101", "modern", "fixed"),
        ("方正小标宋简体", "宋体", "02000000000000000000", "auto", "variable"),
    ]
    items = ""
    for name, alt, panose, family, pitch in faces:
        charset = "00" if name == "Times New Roman" else "86"
        items += (
            f'<w:font w:name="{name}">'
            + (f'<w:altName w:val="{alt}"/>' if alt else "")
            + f'<w:panose1 w:val="{panose}"/><w:charset w:val="{charset}"/>'
            f'<w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>'
        )
    return XML_HEAD + f'<w:fonts xmlns:w="{W_NS}">{items}</w:fonts>'


CONTENT_TYPES = (
    XML_HEAD
    + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
    '<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>'
    '<Override PartName="/word/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>'
    '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
    '<Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)

PACKAGE_RELS = (
    XML_HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)

DOCUMENT_RELS = (
    XML_HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    '<Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>'
    '<Relationship Id="rIdFonts" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>'
    '<Relationship Id="rIdTheme" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme" Target="theme/theme1.xml"/>'
    '<Relationship Id="rIdFooter" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>'
    '<Relationship Id="rIdFooterEven" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/>'
    "</Relationships>"
)

# perfgen sets title and author from the data after rendering.
CORE = (
    XML_HEAD + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>部门预算绩效文本</dc:title>"
    "<dc:creator>perfgen</dc:creator><cp:lastModifiedBy>perfgen</cp:lastModifiedBy>"
    "<cp:revision>1</cp:revision><dc:language>zh-CN</dc:language></cp:coreProperties>"
)

APP = (
    XML_HEAD + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>perfgen</Application></Properties>"
)


def theme_xml() -> str:
    """A minimal theme: Word requires one. Its fonts match the styles, which name fonts directly."""
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    colors = "".join(
        f'<a:{name}><a:srgbClr val="{value}"/></a:{name}>'
        for name, value in (
            ("dk2", "44546A"), ("lt2", "E7E6E6"), ("accent1", "4472C4"), ("accent2", "ED7D31"),
            ("accent3", "A5A5A5"), ("accent4", "FFC000"), ("accent5", "5B9BD5"), ("accent6", "70AD47"),
            ("hlink", "0563C1"), ("folHlink", "954F72"),
        )
    )
    fill = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
    line = f'<a:ln w="6350">{fill}</a:ln>'
    return (
        XML_HEAD + f'<a:theme xmlns:a="{a}" name="perfgen"><a:themeElements>'
        '<a:clrScheme name="perfgen"><a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1>'
        f'<a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>{colors}</a:clrScheme>'
        '<a:fontScheme name="perfgen">'
        '<a:majorFont><a:latin typeface="Times New Roman"/><a:ea typeface="黑体"/><a:cs typeface="Times New Roman"/></a:majorFont>'
        '<a:minorFont><a:latin typeface="Times New Roman"/><a:ea typeface="仿宋_GB2312"/><a:cs typeface="Times New Roman"/></a:minorFont>'
        '</a:fontScheme><a:fmtScheme name="perfgen">'
        f"<a:fillStyleLst>{fill * 3}</a:fillStyleLst>"
        f"<a:lnStyleLst>{line * 3}</a:lnStyleLst>"
        f"<a:effectStyleLst>{'<a:effectStyle><a:effectLst/></a:effectStyle>' * 3}</a:effectStyleLst>"
        f"<a:bgFillStyleLst>{fill * 3}</a:bgFillStyleLst>"
        "</a:fmtScheme></a:themeElements></a:theme>"
    )


def parts() -> dict[str, str]:
    return {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": PACKAGE_RELS,
        "docProps/app.xml": APP,
        "docProps/core.xml": CORE,
        "word/_rels/document.xml.rels": DOCUMENT_RELS,
        "word/document.xml": document_xml(),
        "word/fontTable.xml": font_table_xml(),
        "word/footer1.xml": footer_xml("FooterOdd"),
        "word/footer2.xml": footer_xml("FooterEven"),
        "word/settings.xml": settings_xml(),
        "word/styles.xml": styles_xml(),
        "word/theme/theme1.xml": theme_xml(),
    }


def write(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts().items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text.encode("utf-8"))


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
