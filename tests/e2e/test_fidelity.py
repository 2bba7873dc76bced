"""Each sample township, built, matches its published reference document field by field."""

from __future__ import annotations

from pathlib import Path

import pytest
import reference_text
from conftest import FIXTURES, SAMPLES, draft

from perfgen.build import build
from perfgen.docxtext import docx_to_text

FIELDS = ("title", "unit_line", "money_unit", "code", "name", "budget", "fiscal", "other", "use", "plan", "goals")
PDF_SAMPLE = "卢龙县石门镇-2023"


def reference_of(name: str) -> reference_text.Document:
    return reference_text.parse((FIXTURES / "reference" / SAMPLES[name]).read_text(encoding="utf-8"))


def project_mismatches(reference: reference_text.Document, ours: reference_text.Document) -> list[str]:
    """Every field of part 2 that differs, as 'project title: field'."""
    if len(ours.projects) != len(reference.projects):
        return [f"{len(ours.projects)} projects instead of {len(reference.projects)}"]
    found = []
    for want, got in zip(reference.projects, ours.projects):
        for field in FIELDS:
            if getattr(got, field) != getattr(want, field):
                found.append(f"{want.title}: {field}: {getattr(got, field)!r} != {getattr(want, field)!r}")
        if got.indicators != want.indicators:
            found.append(f"{want.title}: indicator rows")
        if got.level1_groups != want.level1_groups:
            found.append(f"{want.title}: 一级 groups {got.level1_groups} != {want.level1_groups}")
    return found


@pytest.mark.parametrize("name", SAMPLES)
def test_projects_match_reference(name: str, built_samples: dict[str, Path]) -> None:
    ours = reference_text.parse_word(docx_to_text(built_samples[name]))
    assert project_mismatches(reference_of(name), ours) == []


def test_a_changed_value_is_reported(sample_copy) -> None:
    folder = sample_copy(PDF_SAMPLE)
    project = folder / "项目" / "执法经费.yaml"
    project.write_text(project.read_text(encoding="utf-8").replace("49个", "48个"), encoding="utf-8")
    [result] = build([folder], draft(folder.parent.parent / "build"))
    ours = reference_text.parse_word(docx_to_text(result.output))
    assert project_mismatches(reference_of(PDF_SAMPLE), ours) == ["3.执法经费绩效目标表: indicator rows"]


@pytest.mark.parametrize("name", SAMPLES)
def test_part_one_matches_reference(name: str, built_samples: dict[str, Path]) -> None:
    reference = reference_of(name)
    ours = reference_text.parse_word(docx_to_text(built_samples[name]))
    assert list(ours.part1) == list(reference_text.SECTION_TITLES)
    for title in reference_text.SECTION_TITLES:
        got = ours.part1[title]
        if name == PDF_SAMPLE:
            # the PDF extraction lost paragraph breaks at page ends and added spaces
            got = reference_text.join_broken([reference_text.despace(p) for p in got])
        assert got == reference.part1[title], title


@pytest.mark.parametrize("name", SAMPLES)
def test_cover_matches_reference(name: str, built_samples: dict[str, Path]) -> None:
    reference = reference_of(name)
    ours = reference_text.parse_word(docx_to_text(built_samples[name]))
    if not reference.cover:  # 000 and 001 were published without their cover
        unit = ours.projects[0].unit_line[6:]
        year = "20" + reference.projects[0].code[6:8]  # digits 7-8 of a project code are the year
        assert ours.cover == [unit, f"{year}年部门预算绩效文本"]
    else:
        # 004's PDF extraction put the unit and the title on one line
        assert "".join(ours.cover) == "".join(reference.cover)
