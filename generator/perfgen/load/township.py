"""Find township folders and read their source files.

A township folder holds ``文档.yaml`` (unit, cover, 第一部分 and the ordered
项目清单) and one YAML file per budget project, usually under ``项目/``.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING

from perfgen.paths import SCRATCH, display_path
from perfgen.problems import WARNING, Problem, form_problem

if TYPE_CHECKING:
    from perfgen.load.yamlfile import YamlFile

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
    try:
        return (folder / DOCUMENT_FILE).is_file()
    except OSError:  # a folder perfgen may not look into
        return False


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
        if path.name in ("", ".."):  # "." or "..": the folder's real name names the document
            path = path.resolve()
        if is_township(path):
            found.append(path)
        elif path.is_dir() and (children := _township_children(path)):
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


def _township_children(path: Path) -> list[Path]:
    """The townships in a folder; the scratch of an import or new (killed, or still writing) is not one."""
    try:
        return sorted(p for p in path.iterdir() if not SCRATCH.match(p.name) and is_township(p))
    except OSError:
        return []


def _listed_files(document: YamlFile | None) -> list[str] | None:
    listed = document.data.get("项目清单") if document else None
    if isinstance(listed, list) and all(isinstance(item, str) for item in listed):
        return listed
    return None


class Resolved(dict[Path, Path]):
    """``path.resolve()`` of each path, once: reading a township looks at each listed file several times."""

    def __missing__(self, path: Path) -> Path:
        self[path] = real = path.resolve()
        return real


def inside(folder: Path, path: Path, root: Path | None = None, resolved: Resolved | None = None) -> bool:
    """Whether ``path``, symlinks followed, lies in ``folder`` (itself resolved: ``root`` when known)."""
    try:
        (resolved[path] if resolved is not None else path.resolve()).relative_to(root or folder.resolve())
    except (ValueError, OSError, RuntimeError):  # outside, or a symlink loop
        return False
    return True


def entry_problem(folder: Path, name: str, root: Path | None = None, resolved: Resolved | None = None) -> str | None:
    """Why a 项目清单 entry may not be read, or None: it must name a file inside the township."""
    parts = re.split(r"[\\/]", name)
    if PurePosixPath(name).is_absolute() or PureWindowsPath(name).is_absolute() or PureWindowsPath(name).drive:
        return f"项目清单中的“{name}”是绝对路径：请写相对于单位文件夹的路径，如“{PROJECT_FOLDER}/文件名.yaml”"
    if ".." in parts:
        return f"项目清单中的“{name}”指向单位文件夹之外（含“..”）：项目文件必须放在单位文件夹 {display_path(folder)} 内"
    if not inside(folder, folder / name, root, resolved):
        return f"项目清单中的“{name}”是指向单位文件夹之外的链接：项目文件必须放在单位文件夹 {display_path(folder)} 内，未读取"
    return None


def _outside_problem(path: Path, what: str) -> Problem:
    return form_problem(display_path(path), 1, 1, "path-outside", f"{what}是指向单位文件夹之外的链接：请换成真正的文件，未读取")


Reader = Callable[[Path, str], "tuple[YamlFile | None, list[Problem]]"]


def load_township(folder: Path, read: Reader | None = None) -> tuple[Sources, list[Problem]]:
    """Read 文档.yaml and the project files it lists; all problems are returned.

    Nothing outside the township folder is read: not a listed ``../x.yaml`` or ``/etc/x``, not a
    symlink that leads out. ``read`` parses one file (default: load.yamlfile.read_yaml); perfgen serve
    passes one that keeps the files unchanged since its last check.
    """
    # only here: finding townships (validate, a check kept from an earlier run) needs no YAML
    if read is None:
        from perfgen.load.yamlfile import read_yaml

        read = read_yaml

    township = Sources(folder)
    resolved = Resolved()
    try:  # resolved once for every path checked below (each resolution is a system call per folder level)
        root: Path | None = folder.resolve()
    except (OSError, RuntimeError):
        root = None
    document_path = folder / DOCUMENT_FILE
    if inside(folder, document_path, root):
        document, problems = read(document_path, display_path(document_path))
    else:
        document, problems = None, [_outside_problem(document_path, DOCUMENT_FILE)]
    township.document = document
    township.files_read = 1

    listed = _listed_files(document)
    if listed is None:
        # no usable list: still read every project file, so that all problems show at once
        paths = []
        for path in _project_files(folder):
            if inside(folder, path, root, resolved):
                paths.append(path)
            else:
                problems.append(_outside_problem(path, "项目文件"))
    else:
        refusals = {name: entry_problem(folder, name, root, resolved) for name in listed}
        paths = [folder / name for name in listed if refusals[name] is None]
        problems += _list_problems(township, listed, refusals, resolved)
    for path in paths:
        if not _present(path):  # reported by _list_problems
            continue
        project, found = read(path, display_path(path))
        township.files_read += 1
        problems += found
        if project is not None:
            township.projects.append(project)
    return township, problems


def _present(path: Path) -> bool:
    """Whether there is something to read at ``path``; one that cannot be looked at counts (reading reports why)."""
    try:
        return not stat.S_ISDIR(os.stat(path).st_mode)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return True


def _project_files(folder: Path) -> list[Path]:
    """The YAML files under 项目/; an unreadable folder has none (its township reports the listed ones)."""
    try:
        return sorted(p for p in (folder / PROJECT_FOLDER).iterdir() if p.suffix == ".yaml")
    except OSError:
        return []


def _list_problems(
    township: Sources, listed: list[str], refusals: dict[str, str | None], resolved: Resolved
) -> list[Problem]:
    """Listed files outside the township, missing, listed twice, or project files left off the list."""
    assert township.document is not None
    document = township.document
    folder = township.folder
    problems = []
    seen: set[Path] = set()
    present = _project_files(folder)
    listed_paths = set()
    for name in listed:
        with contextlib.suppress(OSError, RuntimeError):
            listed_paths.add(resolved[folder / name])
    # a listed name that does not exist most likely means a project file that is not listed: one mistake
    unlisted = [path.relative_to(folder).as_posix() for path in present if resolved[path] not in listed_paths]
    meant: set[Path] = set()
    for index, name in enumerate(listed):
        line, column = document.position(("项目清单", index))
        refused = refusals[name]
        if refused:
            problems.append(form_problem(document.display, line, column, "path-outside", refused))
            with contextlib.suppress(OSError, RuntimeError):
                seen.add(resolved[folder / name])  # listed after all: not "left off the list"
            continue
        path = resolved[folder / name]
        if path in seen:
            problems.append(
                form_problem(document.display, line, column, "project-list", f"项目文件“{name}”在项目清单中重复出现")
            )
        elif not _present(path):
            near = _nearest_file(name, unlisted)
            if near:
                unlisted.remove(near)
                meant.add(resolved[folder / near])
                message = f"项目清单中的文件“{name}”不存在：是不是“{near}”？请改为 {near}"
            else:
                message = f"项目清单中的文件“{name}”不存在：请检查文件名，路径相对于 {display_path(folder)}"
                if unlisted:
                    message += f"；{PROJECT_FOLDER} 文件夹中未列入清单的文件有：{'、'.join(unlisted)}"
            problems.append(form_problem(document.display, line, column, "project-list", message))
        seen.add(path)
    for path in present:
        if resolved[path] not in seen and resolved[path] not in meant:
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


def _nearest_file(name: str, files: list[str]) -> str | None:
    """The project file a listed name that does not exist most likely meant."""
    import difflib

    by_stem = {Path(file).stem: file for file in files}
    found = difflib.get_close_matches(Path(name).stem, list(by_stem), n=1, cutoff=0.6)
    return by_stem[found[0]] if found else None
