"""Write a township folder in the canonical ``perfgen fmt`` form, all at once or not at all."""

from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from perfgen.errors import PerfgenError
from perfgen.load.township import DOCUMENT_FILE, PROJECT_FOLDER, is_township
from perfgen.paths import display_path
from perfgen.repo.editor import SCHEMA_FOLDER, install_editor_support, modeline, schema_folder, sources_root
from perfgen.review.fmt import canonical_text

UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def file_names(projects: list[dict[str, Any]]) -> list[str]:
    """One file per project, named after it; a name used twice gets （2）, （3）…"""
    names: list[str] = []
    for n, project in enumerate(projects, 1):
        base = UNSAFE.sub("_", str(project.get("项目名称", ""))).strip(" .") or f"项目{n}"
        name, k = base, 2
        while f"{PROJECT_FOLDER}/{name}.yaml" in names:
            name, k = f"{base}（{k}）", k + 1
        names.append(f"{PROJECT_FOLDER}/{name}.yaml")
    return names


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
    """Refuse to replace an existing folder without --force, and anything but a township folder even with it."""
    if not folder.exists():
        return
    if not force:
        raise PerfgenError(f"{display_path(folder)} 已经存在，未改动：换一个文件夹，或加 --force 覆盖它")
    if not folder.is_dir() or not (is_township(folder) or not any(folder.iterdir())):
        raise PerfgenError(f"{display_path(folder)} 不是单位文件夹（其中没有 {DOCUMENT_FILE}），即使加了 --force 也不覆盖它")


def write_folder(folder: Path, files: dict[str, str], force: bool = False) -> list[Path]:
    """Write ``files`` (relative path -> text) as the folder ``folder``, all at once or not at all.

    Everything goes into a scratch folder beside the target, moved into place at the end, so an
    interrupted run leaves no half-written township. Editor support is installed in the sources
    repository when the modelines point into it.
    """
    check_target(folder, force)
    folder.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        for name, text in files.items():
            (scratch / name).parent.mkdir(parents=True, exist_ok=True)
            (scratch / name).write_text(text, encoding="utf-8")
        if folder.exists():
            old = folder.with_name(f".{folder.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(folder, old)
            os.replace(scratch, folder)
            shutil.rmtree(old)
        else:
            os.replace(scratch, folder)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    root = sources_root(folder.parent)
    if schema_folder(root) == root / SCHEMA_FOLDER:
        install_editor_support(root)  # the modelines point at the schemas copied there
    return [folder / name for name in files]


def write_township(
    folder: Path,
    document: dict[str, Any],
    projects: list[dict[str, Any]],
    force: bool = False,
    names: list[str] | None = None,
) -> list[Path]:
    """Write 文档.yaml and one file per project into ``folder`` in canonical form; returns the files written."""
    check_target(folder, force)
    names = names or file_names(projects)
    document = {**document, "项目清单": names}
    root = sources_root(folder.parent)
    files = {DOCUMENT_FILE: yaml_text(document, folder / DOCUMENT_FILE, root)}
    for name, data in zip(names, projects):
        files[name] = yaml_text(data, folder / name, root)
    return write_folder(folder, files, force)
