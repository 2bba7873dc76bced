"""Write a township folder in the canonical ``perfgen fmt`` form, all at once or not at all."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from perfgen.errors import PerfgenError
from perfgen.load.township import DOCUMENT_FILE, PROJECT_FOLDER
from perfgen.repo.editor import SCHEMA_FOLDER, install_editor_support, modeline, modeline_root, repository_of, schema_folder
from perfgen.review.fmt import canonical_text
from perfgen.write.tree import Written, replace_folder, target_problem, unique_names


def file_names(projects: list[dict[str, Any]]) -> list[str]:
    """One file per project, named after it, safe on every system; a name used twice (in any case) gets （2）, （3）…"""
    bases = [str(project.get("项目名称", "")) for project in projects]
    # a project file named 文档.yaml would be read as the document by fmt and the editor
    return [f"{PROJECT_FOLDER}/{name}" for name in unique_names(bases, ".yaml", "项目", taken=(DOCUMENT_FILE,))]


def yaml_text(data: dict[str, Any], path: Path, root: Path) -> str:
    """The canonical text of a source file, with the editor's schema line first."""
    yaml = YAML()
    yaml.allow_unicode = True
    yaml.width = 1_000_000
    out = io.StringIO()
    yaml.dump(data, out)
    kind = "document" if path.name == DOCUMENT_FILE else "project"
    return canonical_text(modeline(path, root) + "\n" + out.getvalue(), kind)


def check_target(folder: Path, force: bool) -> None:
    """Refuse a folder that is a link or a file, an existing one without --force, and anything but a township folder even with it."""
    problem = target_problem(folder, force)
    if problem:
        raise PerfgenError(problem)


def write_folder(folder: Path, files: dict[str, str], force: bool = False) -> Written:
    """Write ``files`` (relative path -> text) as the folder ``folder``, all at once or not at all.

    Written through the one door (perfgen.write.tree): an interrupted run leaves no half-written
    township, and --force keeps the files perfgen does not write. Editor support is installed in
    the sources repository when there is one (never in an unrelated working folder).
    """
    data = {name: text.encode("utf-8") for name, text in files.items()}
    written = replace_folder(folder, data, force)
    root = repository_of(folder)
    if root is not None and schema_folder(root) == root / SCHEMA_FOLDER:
        written.notes += install_editor_support(root).notes  # the modelines point at the schemas copied there
    return written


def write_township(
    folder: Path,
    document: dict[str, Any],
    projects: list[dict[str, Any]],
    force: bool = False,
    names: list[str] | None = None,
) -> Written:
    """Write 文档.yaml and one file per project into ``folder`` in canonical form; returns what was written and kept."""
    check_target(folder, force)
    names = names or file_names(projects)
    document = {**document, "项目清单": names}
    root = modeline_root(folder)
    files = {DOCUMENT_FILE: yaml_text(document, folder / DOCUMENT_FILE, root)}
    for name, data in zip(names, projects):
        files[name] = yaml_text(data, folder / name, root)
    return write_folder(folder, files, force)
