"""Editor support in a sources repository: the schemas copied in, and VS Code told where they are.

A county keeps its township sources in a repository of its own and installs perfgen as a
tool, so a modeline such as ``$schema=../../schemas/…`` (right inside perfgen's checkout)
points at nothing there. ``install_editor_support`` copies the schemas into the repository
(``.perfgen/schemas/``) and maps them in ``.vscode/settings.json``; running it again (through
``perfgen init``) keeps the copies current. ``modeline`` gives the first line for a source file.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

from perfgen.errors import PerfgenError
from perfgen.load.township import DOCUMENT_FILE, PROJECT_FOLDER
from perfgen.paths import display_path
from perfgen.resources import schema_path

SCHEMA_FOLDER = Path(".perfgen") / "schemas"
SETTINGS_FILE = Path(".vscode") / "settings.json"
EXTENSIONS_FILE = Path(".vscode") / "extensions.json"
YAML_EXTENSION = "redhat.vscode-yaml"  # the extension that reads yaml.schemas and the modelines
SCHEMAS = ("document", "project")
# yaml.schemas globs, relative to the workspace folder (the repository root)
GLOBS = {"document": [f"**/{DOCUMENT_FILE}"], "project": [f"**/{PROJECT_FOLDER}/*.yaml", f"**/{PROJECT_FOLDER}/*.yml"]}
MODELINE_PREFIX = "# yaml-language-server: $schema="


@dataclass
class Changes:
    """What a set-up step did to the repository: paths relative to its root."""

    written: list[str] = field(default_factory=list)  # created or brought up to date
    unchanged: list[str] = field(default_factory=list)


def schema_kind(source: Path) -> str:
    """``document`` for a 文档.yaml, ``project`` for any other source file (a project file)."""
    return "document" if source.name == DOCUMENT_FILE else "project"


def schema_folder(root: Path) -> Path:
    """Where the editor's schemas are in ``root``: perfgen's own ``schemas/`` in a checkout of perfgen, else ``.perfgen/schemas``."""
    own = root / "schemas"
    if (own / "document.schema.json").is_file() and (root / "generator" / "perfgen").is_dir():
        return own
    return root / SCHEMA_FOLDER


def sources_root(start: Path) -> Path:
    """The repository root for ``start``: the nearest folder at or above it holding ``.perfgen`` or ``.git``.

    Without one (sources not in git yet), the working folder.
    """
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / ".perfgen").is_dir() or (folder / ".git").exists():
            return folder
    return Path.cwd().resolve()


def modeline(source: Path, root: Path | None = None) -> str:
    """The ``# yaml-language-server: $schema=<relative path>`` first line for ``source``.

    ``source`` is a 文档.yaml or a project file (it need not exist yet); ``root`` is the
    sources repository root (default: ``sources_root(source.parent)``). The path is relative
    to the file's folder, with ``/`` separators on every system.
    """
    root = sources_root(source.parent) if root is None else root
    schema = schema_folder(root.resolve()) / f"{schema_kind(source)}.schema.json"
    folder = source.parent.resolve()
    try:
        relative = Path(os.path.relpath(schema, folder)).as_posix()
    except ValueError:  # another drive on Windows: no relative path exists
        relative = schema.as_uri()
    return MODELINE_PREFIX + relative


def _write_if_changed(path: Path, data: bytes, root: Path, changes: Changes) -> None:
    name = path.relative_to(root).as_posix()
    if path.is_file() and path.read_bytes() == data:
        changes.unchanged.append(name)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(path.name + ".tmp")
    scratch.write_bytes(data)
    os.replace(scratch, path)
    changes.written.append(name)


def _read_json(path: Path, wanted: dict[str, object]) -> dict[str, object]:
    """A VS Code JSON file's object ({} when absent); PerfgenError, naming what to add, when it is not plain JSON."""
    if not path.is_file():
        return {}
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        loaded = None
    if not isinstance(loaded, dict):
        text = json.dumps(wanted, ensure_ascii=False, indent=2)
        raise PerfgenError(f"{display_path(path)}：不是普通的 JSON（可能含注释），未改动它。请手工在其中加入：\n{text}")
    return loaded


def _write_json(path: Path, data: dict[str, object], root: Path, changes: Changes) -> None:
    _write_if_changed(path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"), root, changes)


def install_editor_support(root: Path) -> Changes:
    """Copy the installed schemas into ``root/.perfgen/schemas/`` and map them in ``root/.vscode/settings.json``.

    Also recommends the YAML extension in ``.vscode/extensions.json``. Idempotent: a second
    run rewrites only what changed (the schemas of a newer perfgen), which is how the copies
    are kept current. Other settings are kept; a VS Code file that is not plain JSON (VS Code
    allows comments) is left alone and raises PerfgenError saying what to add. Returns what
    was written and what was already current, as paths relative to ``root``.
    """
    changes = Changes()
    folder = root / SCHEMA_FOLDER
    for kind in SCHEMAS:
        _write_if_changed(folder / f"{kind}.schema.json", schema_path(kind).read_bytes(), root, changes)

    mapping = {(SCHEMA_FOLDER / f"{kind}.schema.json").as_posix(): GLOBS[kind] for kind in SCHEMAS}
    settings = _read_json(root / SETTINGS_FILE, {"yaml.schemas": mapping})
    schemas = settings.get("yaml.schemas")
    settings["yaml.schemas"] = {**(schemas if isinstance(schemas, dict) else {}), **mapping}
    settings.setdefault("files.encoding", "utf8")  # clerks' files must be UTF-8 (yaml-encoding rule)
    settings.setdefault("[yaml]", {"editor.insertSpaces": True, "editor.tabSize": 2})  # no tabs (yaml-tab rule)
    _write_json(root / SETTINGS_FILE, settings, root, changes)

    extensions = _read_json(root / EXTENSIONS_FILE, {"recommendations": [YAML_EXTENSION]})
    recommended = extensions.get("recommendations")
    recommended = list(recommended) if isinstance(recommended, list) else []
    if YAML_EXTENSION not in recommended:
        recommended.append(YAML_EXTENSION)
    extensions["recommendations"] = recommended
    _write_json(root / EXTENSIONS_FILE, extensions, root, changes)
    return changes


def schema_reference(source: Path) -> Path | None:
    """The schema file that ``source``'s modeline points at (it may not exist), or None without a modeline."""
    with source.open(encoding="utf-8", errors="replace") as stream:
        for line in stream:
            if line.startswith(MODELINE_PREFIX):
                target = line[len(MODELINE_PREFIX):].strip()
                if target.startswith("file:"):  # another drive on Windows: an absolute file URI
                    return Path(url2pathname(urlparse(target).path))
                return source.parent / target
            if line.strip() and not line.startswith("#"):
                return None
    return None
