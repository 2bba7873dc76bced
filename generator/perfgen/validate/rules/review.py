"""Rules on a township rolled over from last year by ``perfgen new --from``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from perfgen.load.yamlfile import Path_, YamlFile
from perfgen.model import Document, Place, Project
from perfgen.problems import WARNING
from perfgen.validate.rules import Finding, Rule, register

KEEP = "保留年份"  # a comment on a line that keeps last year's number on purpose
NOTE = re.compile(r"从\s*(\d{4})\s*年结转")  # the 待核对 note of perfgen new --from, before 文档.yaml had 结转自
# a year in the brackets of a document number (怀财字【2024】7号) is meant
NUMBERED = "【〔[［"
CLOSING = "】〕]］"


def _rolled_from(project: Project) -> int | None:
    if project.rolled_from is not None:
        return project.rolled_from
    found = NOTE.search(project.review or "")
    return int(found.group(1)) if found else None


@lru_cache(maxsize=256)
def _lines(path: Path, stamp: float) -> tuple[str, ...]:
    try:
        return tuple(path.read_text(encoding="utf-8-sig").splitlines())
    except (OSError, UnicodeDecodeError):
        return ()


def _kept(file: YamlFile, line: int) -> bool:
    """Whether the clerk marked the line (a comment with 保留年份) as meaning last year."""
    try:
        stamp = file.path.stat().st_mtime
    except OSError:
        return False
    lines = _lines(file.path, stamp)
    if not 0 < line <= len(lines):
        return False
    text = lines[line - 1]
    return "#" in text and KEEP in text[text.index("#") :]


def _mentions(text: str, year: int) -> bool:
    """Whether ``text`` names ``year`` other than in a document number's brackets."""
    for match in re.finditer(rf"(?<!\d){year}(?!\d)", text):
        before, after = text[match.start() - 1 : match.start()], text[match.end() : match.end() + 1]
        if before and after and before in NUMBERED and after == CLOSING[NUMBERED.index(before)]:
            continue
        return True
    return False


def _old_years(file: YamlFile, strings: list[tuple[Path_, str]], old: int, new: int | None) -> Iterator[Finding]:
    for path, text in strings:
        if not _mentions(text, old):
            continue
        place = Place(file, path)
        if _kept(file, place.position()[0]):
            continue
        now = f" {new} 年" if new else "本年度"
        excerpt = text if len(text) <= 30 else text[:28] + "…"
        yield Finding(
            place,
            f"“{excerpt}”中仍是上一年度 {old}：本单位从 {old} 年结转，请改为{now}的内容；"
            f"确实指 {old} 年时，在这一行末尾加注释“# {KEEP}”（文号写在方括号中，如【{old}】7号，不提示）",
        )


def rollover_review(project: Project) -> Iterator[Finding]:
    if project.review is not None:
        yield Finding(
            project.place("review", key=True),
            "本项目从上一年度结转，金额和指标还没有核对：请核对预算数、资金支出计划和指标值，改好后删除“待核对”这一行",
        )
    old = _rolled_from(project)
    if old is not None:
        strings = [(path, text) for path, text in project.file.strings() if path[:1] != ("待核对",)]
        yield from _old_years(project.file, strings, old, project.year)


def rollover_review_in_document(document: Document) -> Iterator[Finding]:
    if document.rolled_from is not None:
        strings = [(path, text) for path, text in document.file.strings() if path[:1] == ("第一部分",)]
        yield from _old_years(document.file, strings, document.rolled_from, document.year)


register(
    Rule(
        "rollover-review",
        WARNING,
        "从上一年度结转（perfgen new --from）的项目已核对（核对后删除“待核对”一行），项目和第一部分的文字中不再有上一年度",
        project=rollover_review,
        document=rollover_review_in_document,
    )
)
