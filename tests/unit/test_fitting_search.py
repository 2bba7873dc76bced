"""The fitting search skips spacings that would only make lines it has refused: it must find what trying
every spacing in turn finds, on every text of the samples and the stress township, at many widths."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from perfgen.render.cells import SAFETY, SPACING_BOUND, WORD_SPACING_BOUND, fitting_spacing
from perfgen.render.lines import breaks_badly, wrap, wrap_span

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [*sorted((ROOT / "projects").glob("*/**/*.yaml")), *sorted((ROOT / "tests/fixtures/stress").glob("*/**/*.yaml"))]


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _texts() -> list[str]:
    found = {s.strip() for path in SOURCES for s in _strings(yaml.safe_load(path.read_text(encoding="utf-8")))}
    texts = sorted(t for t in found if len(t) >= 2 and "\n" not in t)
    return random.Random(24).sample(texts, min(len(texts), 400))


def _every_spacing(text: str, line: float, points: float) -> int | None:
    """The definition: the first spacing, 0, -1, +1, -2 … twentieths of a point, with which the text breaks
    well and the same a little narrower and wider (and, for a split word, in no more lines)."""
    plain = wrap(text, line)
    lone = len(plain[-1].strip()) == 1
    for step in range(int((SPACING_BOUND if lone else WORD_SPACING_BOUND) * points * 20) + 1):
        for twentieths in (-step, step) if step else (0,):
            spacing = twentieths / 20 / points
            narrow = wrap(text, line - SAFETY, spacing)
            if breaks_badly(text, narrow) or narrow != wrap(text, line + SAFETY, spacing):
                continue
            if lone or len(wrap(text, line, spacing)) <= len(plain):
                return twentieths
    return None


def test_the_texts_are_many_and_some_need_fitting() -> None:
    texts = _texts()
    assert len(texts) >= 300
    assert sum(fitting_spacing(t, 6.0, 10.5) not in (0, None) for t in texts) >= 10


@pytest.mark.parametrize("line", [3.0, 4.6, 5.0, 6.0, 6.55, 7.3, 9.0, 12.8, 17.5])
def test_the_search_finds_what_trying_every_spacing_finds(line: float) -> None:
    texts = _texts()
    fitting_spacing.cache_clear()
    assert [fitting_spacing(t, line, 10.5) for t in texts] == [_every_spacing(t, line, 10.5) for t in texts]


def test_the_lines_are_the_same_anywhere_between_the_bounds_a_wrap_gives() -> None:
    rng = random.Random(7)
    for text in _texts()[:150]:
        line = rng.uniform(3, 12)
        spacing = rng.uniform(-0.15, 0.15)
        lines, low, high = wrap_span(text, line, spacing)
        assert low < spacing <= high + 1e-6
        for inside in (low + (spacing - low) * 0.999, spacing + (min(high, 1.0) - spacing) * 0.999):
            assert wrap(text, line, inside) == lines, (text, line, spacing, inside)
