"""Check one township: its files' form, each file against its schema, then the domain rules.

The typed model (perfgen.model) is built here, once, from the files that pass
the schema; everything after this step reads the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from perfgen.load.township import Reader, load_township
from perfgen.model import Township, document_from, project_from, project_name
from perfgen.problems import Problem, stamped
from perfgen.validate.rules import check_rules
from perfgen.validate.schema import check


@dataclass
class Checked:
    """A township's model and every problem found in its sources."""

    township: Township
    problems: list[Problem]
    files_read: int

    @property
    def blocking(self) -> list[Problem]:
        return [p for p in self.problems if p.blocking]

    @property
    def codes(self) -> list[tuple[str, str, int, int, str]]:
        """Each project's 项目编码 with its place and name: (code, file, line, column, name), for checks across townships."""
        return [(p.code, p.file.display, *p.place("code").position(), p.name) for p in self.township.projects]

    @property
    def broken(self) -> set[str]:
        """Files with problems of form: they are not in the model."""
        return {p.file for p in self.blocking}


def check_township(folder: Path, read: Reader | None = None) -> Checked:
    """Read a township, build its model and return it with every problem found (``read``: see load_township)."""
    sources, problems = load_township(folder, read)
    document = None
    if sources.document is not None:
        found = list(check(sources.document, "document"))
        problems += found
        if not found:
            document = document_from(sources.document)
    township = Township(folder, document)
    for file in sources.projects:
        found = list(check(file, "project"))
        problems += found
        if not found:
            township.projects.append(project_from(file, document))
    problems += check_rules(township)
    names = {file.display: project_name(file) for file in sources.projects}
    return Checked(township, stamped(problems, township.name, names), sources.files_read)
