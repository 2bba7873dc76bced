"""Check one township: its files' form, each file against its schema, then the domain rules.

The typed model (perfgen.model) is built here, once, from the files that pass
the schema; everything after this step reads the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from perfgen.load.township import DOCUMENT_FILE, Reader, inside, load_township
from perfgen.model import Document, Township, document_from, project_from, project_name
from perfgen.paths import display_path
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


def check_document(folder: Path) -> Document | None:
    """A township's 文档.yaml alone, in the model: which unit and year it is. None when it does not load or
    pass its schema (its problems are check_township's to report)."""
    from perfgen.load.yamlfile import read_yaml

    path = folder / DOCUMENT_FILE
    if not inside(folder, path):
        return None
    source, _ = read_yaml(path, display_path(path))
    if source is None or any(True for _ in check(source, "document")):
        return None
    return document_from(source)
