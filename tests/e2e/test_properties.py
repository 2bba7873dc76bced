"""Property tests (hypothesis): random townships build and show every value; fmt keeps data and is idempotent.

Each runs properties.EXAMPLES examples (200; PERFGEN_EXAMPLES=2000 for more);
benchmarks/campaign.py runs a longer campaign and prints its figures.
"""

from __future__ import annotations

import os

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from properties import EXAMPLES, check_build, check_fmt, check_fmt_comments, commented_texts, source_texts, townships

# CI draws the same examples on every run (a red CI must mean a changed product, not a new draw);
# a developer's run draws new ones, and benchmarks/campaign.py runs a longer campaign
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=bool(os.environ.get("CI")),
)


@pytest.mark.slow
@SETTINGS
@given(townships())
def test_random_townships_build_reproducibly_and_show_every_value(township: tuple[dict[str, Any], list[Any]]) -> None:
    with tempfile.TemporaryDirectory() as root:
        check_build(Path(root), township)


@SETTINGS
@given(source_texts())
def test_fmt_keeps_the_data_and_is_idempotent_on_random_files(text: str) -> None:
    with tempfile.TemporaryDirectory() as root:
        assume(check_fmt(Path(root) / "乡镇", text))  # files perfgen refuses say nothing about fmt


@SETTINGS
@given(commented_texts())
def test_fmt_keeps_every_comment_or_leaves_the_file_untouched(case: tuple[str, list[str]]) -> None:
    text, markers = case
    with tempfile.TemporaryDirectory() as root:
        assume(check_fmt_comments(Path(root) / "乡镇", text, markers))
