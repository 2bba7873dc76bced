"""Rules on what the texts say: a use of funds, a description or a target that only restates
another field, and indicator rows copied from a project of another line of work.

Each rule aims at precision over recall: it reports only what a county reviewer
would mark in every case, and leaves doubtful texts alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from perfgen.model import Indicator, Project
from perfgen.problems import WARNING
from perfgen.validate.rules import Finding, rule
from perfgen.validate.rules.indicators import GENERIC, stem

# sentences of 资金用途 that only restate the amounts: 预算数2万元。其中：财政资金2万元。
_AMOUNT_SENTENCE = re.compile(r"^(?:预算数|其中|财政资金|其他资金)")
_USED_FOR = re.compile(r"^(?:主要)?用于(?:支付|发放)?")
# the budget system's document number that prefixes some project names: 官厅镇怀财字【2024】7号
_DOCUMENT_NUMBER = re.compile(r"^.*?字[【\[〔（(]\d{4}[】\]〕）)]\d+号")
# what a few characters added to a project name may be: 经费, 资金, 支出
ADDED = 2


def letters(text: str) -> str:
    """The text without spaces and punctuation: Chinese characters, letters and digits."""
    return re.sub(r"[\W_]", "", text)


def plain(text: str) -> str:
    """The text as compared for equality: without edge spaces and closing punctuation."""
    return text.strip().rstrip("。．.；;，,、").strip()


def _within(short: str, long: str) -> bool:
    """Whether every character of ``short`` appears in ``long``, in order."""
    rest = iter(long)
    return all(char in rest for char in short)


def purpose_core(purpose: str) -> str:
    """What 资金用途 says beyond the amounts and a leading 用于."""
    sentences = [part.strip() for part in re.split(r"[。；;]", purpose)]
    said = "。".join(part for part in sentences if part and not _AMOUNT_SENTENCE.match(part))
    return letters(_USED_FOR.sub("", said))


def only_the_name(purpose: str, name: str) -> bool:
    """Whether a use of funds is the project name, or the name with a few characters left out or added."""
    said = purpose_core(purpose)
    whole = letters(name)
    core = letters(_DOCUMENT_NUMBER.sub("", name))
    if len(said) < 2:
        return False
    return _within(said, whole) or (_within(core, said) and len(said) - len(core) <= ADDED)


@rule("purpose-is-name", WARNING, "资金用途不只是重复项目名称")
def purpose_is_name(project: Project) -> Iterator[Finding]:
    if only_the_name(project.purpose, project.name):
        yield Finding(
            project.place("purpose"),
            f"资金用途“{project.purpose}”只是重复了项目名称：请写明资金具体用在哪里、给谁、多大范围"
            "（如发放的对象和人数、购置的物品、实施的村街）",
        )


@rule("description-is-name", WARNING, "绩效指标描述不照抄三级指标名称或指标类别名称")
def description_is_name(project: Project) -> Iterator[Finding]:
    for row in project.rows:
        description = plain(row.description)
        if not description:
            continue
        if description == plain(row.name):
            yield Finding(
                row.place("description"),
                f"绩效指标描述与三级指标“{row.name}”相同：请说明这个指标衡量什么、怎样计算，例如“足额发放的人数占应发放人数的比例”",
            )
        elif stem(description) in GENERIC:
            yield Finding(
                row.place("description"),
                f"绩效指标描述“{row.description}”只是指标类别的名称：请说明这个指标衡量什么、怎样计算",
            )


@rule("value-is-description", WARNING, "指标值不照抄绩效指标描述，写出可以衡量的目标")
def value_is_description(project: Project) -> Iterator[Finding]:
    for row in project.rows:
        value = plain(row.value)
        if value and value == plain(row.description):
            yield Finding(
                row.place("value"),
                f"指标值“{row.value}”与绩效指标描述相同：指标值应是可以衡量的目标，如“≥95%”“21个”“2024年12月31日前完成”",
            )


# Lines of work an indicator can belong to: the terms that mark a row as belonging to it, then the
# further words that, in a project's name, use of funds or goals, make such a row plausible there.
# A row marked for a line of work in a project that names none of those words, and that shares no
# word with the project's name and use of funds, was copied from a project of that line of work.
# The related words are broad on purpose (single characters such as 农 or 水): a doubtful row is left alone.
DOMAINS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "粮食和农业生产": (
        ("粮食", "耕地", "灌溉", "农产品", "农作物", "养殖", "农业"),
        ("农", "粮", "耕", "田", "种", "养", "畜", "牧", "渔", "灌", "土地"),
    ),
    "社会保险": (("社保", "征缴", "参保", "医保"), ("保险", "养老", "医疗", "社会保障", "人力资源")),
    "税收征管": (("发票", "税源"), ("税", "财政", "票据")),
    "审计": (("审计通知", "被审计", "审计建议", "审计整改", "审计发现"), ("审计",)),
    "对外贸易": (("贸易", "经贸", "出口", "出访", "外贸"), ("商务", "招商", "投资", "市场", "企业", "开放", "展会")),
    "车辆牌照": (("牌照",), ("车", "交通", "公安", "运输")),
    "水运": (("水运", "航道", "港口"), ("交通", "运输", "船", "码头")),
    "水利": (
        ("再生水", "河势", "防洪", "防汛", "河道", "水利", "节水", "水资源"),
        ("水", "河", "汛", "渠", "堤", "洪", "涝", "旱", "环境", "整治"),
    ),
    "学校教育": (("学校", "教师", "学生"), ("教", "学", "校", "幼", "儿童", "青少年")),
    "科研": (("科研", "试验区"), ("科", "研", "技术", "试验", "改革")),
    "棚户区改造": (("棚改", "棚户区"), ("拆迁", "征地", "住房", "安置", "房屋")),
    "社会治安综合治理": (("综治",), ("治安", "维稳", "稳定", "信访", "调解", "矛盾", "平安", "公安", "政法", "执法")),
    "案件办理": (
        ("案例办理", "案件"),
        ("执法", "司法", "法院", "检察", "公安", "派出所", "法律", "调解", "纠纷", "综治", "信访", "违法"),
    ),
    "人才选拔": (("人才",), ("干部", "招聘", "培训", "教育", "人事", "招录")),
}
# two-character words any project may share with any indicator: they do not tie a row to a project
COMMON_WORDS = frozenset(
    "工作 经费 资金 项目 专项 费用 支出 补助 补贴 保障 完成 开展 服务 管理 建设 发展 提高 提升 改善 情况 数量 "
    "指标 年度 及时 正常 运转 满意 意度 群众 社会 经济 效益 质量 成本 预算 控制 目标 用于 主要 其中 财政 万元".split()
)


def _words(text: str) -> set[str]:
    """The two-character runs of the Chinese text, less the common words."""
    runs = re.findall(r"[\u4e00-\u9fff]+", text)
    return {run[i : i + 2] for run in runs for i in range(len(run) - 1)} - COMMON_WORDS


_ANY_TERM = re.compile("|".join(re.escape(term) for terms, _ in DOMAINS.values() for term in terms))


def copied_from(project: Project, row: Indicator) -> str | None:
    """The line of work a row belongs to when it cannot belong to this project, else None."""
    text = row.name + row.description
    if not _ANY_TERM.search(text):  # most rows: one search instead of a scan per domain
        return None
    domains = [domain for domain, (terms, _) in DOMAINS.items() if any(term in text for term in terms)]
    if not domains:
        return None
    context = "".join((project.name, project.purpose, *project.goals))
    for domain in domains:
        terms, related = DOMAINS[domain]
        if any(word in context for word in (*terms, *related)):
            return None
    if _words(text) & _words(project.name + project.purpose):
        return None
    return domains[0]


@rule("indicator-copied", WARNING, "指标属于本项目的工作，不是从其他行业的项目复制来的")
def indicator_copied(project: Project) -> Iterator[Finding]:
    for row in project.rows:
        domain = copied_from(project, row)
        if domain:
            yield Finding(
                row.place("indicator"),
                f"指标“{row.name}”属于{domain}方面的工作，与本项目的名称、资金用途和绩效目标无关：是否从别的项目复制而来？"
                "请换成衡量本项目产出和效果的指标",
            )
