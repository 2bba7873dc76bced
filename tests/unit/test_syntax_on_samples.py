"""Each typing mistake, made on key lines of the samples' real files, is reported at the line where it was made."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import PROJECTS
from english import english_words
from perfgen.load.yamlfile import parse_yaml

KEY_LINE = re.compile(r"^\s*(- )?[^\s#:'\"-][^:]*: \S")


def _indicator(char: str) -> Callable[[str, str], str | None]:
    return lambda line, above: None if "'" in line else re.sub(r": (\S)", f": {char}\\1", line, count=1)


def _one_more_space(line: str, above: str) -> str | None:
    same_level = len(above) - len(above.lstrip()) == len(line) - len(line.lstrip())
    if line.lstrip().startswith("- ") or above.lstrip().startswith("- ") or not same_level or not re.search(r": \S", above):
        return None
    return " " + line


# mistake -> how it changes a key line (None: it does not apply to this line)
MISTAKES: dict[str, Callable[[str, str], str | None]] = {
    "full-width colon": lambda line, above: line.replace(": ", "：", 1),
    "full-width space in the indentation": lambda line, above: "\u3000" + line[2:] if line.startswith("  ") else None,
    "no-break space after the colon": lambda line, above: line.replace(": ", ":\u00a0", 1),
    "no space after the colon": lambda line, above: line.replace(": ", ":", 1),
    "one space too many": _one_more_space,
    "one space too few": lambda line, above: line[1:] if line.startswith("  ") and not line.lstrip().startswith("- ") else None,
    "quote left open": lambda line, above: None if "'" in line else re.sub(r": (\S)", r": '\1", line, count=1),
    "full-width closing quote": lambda line, above: None if "'" in line else re.sub(r": (\S.*)$", r": '\1’", line, count=1),
    **{f"value starting with {c}": _indicator(c) for c in ">|!%@`&*"},
}


def sample_lines() -> list[tuple[Path, int]]:
    """Four key lines of every sample file, the same each run."""
    chosen = []
    generator = random.Random(12)
    for path in sorted(PROJECTS.rglob("*.yaml")):
        lines = path.read_text(encoding="utf-8").split("\n")
        keyed = [number for number, line in enumerate(lines, 1) if KEY_LINE.match(line)]
        chosen += [(path, number) for number in generator.sample(keyed, min(4, len(keyed)))]
    return chosen


@pytest.mark.parametrize("mistake", MISTAKES)
def test_the_mistake_is_reported_at_its_line(mistake: str) -> None:
    tried = 0
    for path, number in sample_lines():
        lines = path.read_text(encoding="utf-8").split("\n")
        changed = MISTAKES[mistake](lines[number - 1], lines[number - 2])
        if changed is None or changed == lines[number - 1]:
            continue
        tried += 1
        text = "\n".join([*lines[: number - 1], changed, *lines[number:]])
        _, problems = parse_yaml(text, path, "a.yaml")
        assert problems, f"{path.name}:{number}: {changed!r} passed"
        first = problems[0]
        assert first.line == number, f"{path.name}:{number}: {changed!r} reported at {first.line}: {first.message}"
        assert english_words(first.message) == []
    assert tried > 20
