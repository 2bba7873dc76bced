"""Find township folders and read their source files.

A township folder holds ``文档.yaml`` (unit, cover, 第一部分 and the ordered
项目清单) and one YAML file per budget project, usually under ``项目/``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from perfgen.load.yamlfile import YamlFile, read_yaml
from perfgen.paths import display_path
from perfgen.problems import WARNING, Problem, form_problem

DOCUMENT_FILE = "文档.yaml"
PROJECT_FOLDER = "项目"


@dataclass
class Sources:
    """The parsed source files of one document: a township (or other unit) and year."""

    folder: Path
    document: YamlFile | None = None
    projects: list[YamlFile] = field(default_factory=list)
    files_read: int = 0

    @property
    def name(self) -> str:
        return self.folder.name


def is_township(folder: Path) -> bool:
    return (folder / DOCUMENT_FILE).is_file()


def township_of(file: Path) -> Path | None:
    """The township folder a source file belongs to: the nearest folder above it that holds 文档.yaml."""
    for folder in (file.parent, *file.parent.parents):
        if is_township(folder):
            return folder
    return None


def find_townships(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """Township folders named by ``paths`` (a township, a folder of townships, or a source file in a township).

    Returns the folders, sorted and without repeats, and a message for every
    path that names none.
    """
    found: list[Path] = []
    missing: list[str] = []
    for path in paths:
        if is_township(path):
            found.append(path)
        elif path.is_dir() and (children := sorted(p for p in path.iterdir() if is_township(p))):
            found.extend(children)
        elif path.is_file() and (owner := township_of(path)) is not None:
            found.append(owner)  # pre-commit names changed files: check their townships
        elif path.is_file():
            missing.append(f"{display_path(path)}：不在任何单位文件夹中（它和上级文件夹中都没有 {DOCUMENT_FILE}）")
        elif path.exists():
            missing.append(f"{display_path(path)}：不是单位文件夹（其中没有 {DOCUMENT_FILE}），其下也没有单位文件夹")
        else:
            missing.append(f"{display_path(path)}：路径不存在")
    unique = sorted({p.resolve(): p for p in found}.values(), key=lambda p: p.name)
    return unique, missing


def _listed_files(document: YamlFile | None) -> list[str] | None:
    listed = document.data.get("项目清单") if document else None
    if isinstance(listed, list) and all(isinstance(item, str) for item in listed):
        return listed
    return None


def load_township(folder: Path) -> tuple[Sources, list[Problem]]:
    """Read 文档.yaml and the project files it lists; all problems are returned."""
    township = Sources(folder)
    document, problems = read_yaml(folder / DOCUMENT_FILE, display_path(folder / DOCUMENT_FILE))
    township.document = document
    township.files_read = 1

    listed = _listed_files(document)
    if listed is None:
        # no usable list: still read every project file, so that all problems show at once
        paths = sorted((folder / PROJECT_FOLDER).glob("*.yaml"))
    else:
        paths = [folder / name for name in listed]
        problems += _list_problems(township, listed)
    for path in paths:
        if not path.is_file():
            continue
        project, found = read_yaml(path, display_path(path))
        township.files_read += 1
        problems += found
        if project is not None:
            township.projects.append(project)
    return township, problems


def _list_problems(township: Sources, listed: list[str]) -> list[Problem]:
    """Listed files that do not exist, listed twice, or project files left off the list."""
    assert township.document is not None
    document = township.document
    folder = township.folder
    problems = []
    seen: set[Path] = set()
    for index, name in enumerate(listed):
        path = (folder / name).resolve()
        line, column = document.position(("项目清单", index))
        if path in seen:
            problems.append(
                form_problem(document.display, line, column, "project-list", f"项目文件“{name}”在项目清单中重复出现")
            )
        elif not path.is_file():
            problems.append(
                form_problem(
                    document.display,
                    line,
                    column,
                    "project-list",
                    f"项目清单中的文件“{name}”不存在：请检查文件名，路径相对于 {display_path(folder)}",
                )
            )
        seen.add(path)
    for path in sorted((folder / PROJECT_FOLDER).glob("*.yaml")):
        if path.resolve() not in seen:
            line, column = document.position(("项目清单",), key=True)
            problems.append(
                Problem(
                    document.display,
                    line,
                    column,
                    WARNING,
                    "project-list",
                    f"项目文件“{display_path(path)}”没有列入项目清单，不会出现在文档中",
                )
            )
    return problems
