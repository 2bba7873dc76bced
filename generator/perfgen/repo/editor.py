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

from perfgen.errors import OutputError
from perfgen.load.township import DOCUMENT_FILE, PROJECT_FOLDER
from perfgen.paths import display_path
from perfgen.resources import schema_path
from perfgen.write.tree import Refused, Tree

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
    notes: list[str] = field(default_factory=list)  # files left alone and what the user may add, in Chinese


def schema_kind(source: Path) -> str:
    """``document`` for a 文档.yaml, ``project`` for any other source file (a project file)."""
    return "document" if source.name == DOCUMENT_FILE else "project"


def schema_folder(root: Path) -> Path:
    """Where the editor's schemas are in ``root``: perfgen's own ``schemas/`` in a checkout of perfgen, else ``.perfgen/schemas``."""
    own = root / "schemas"
    if (own / "document.schema.json").is_file() and (root / "generator" / "perfgen").is_dir():
        return own
    return root / SCHEMA_FOLDER


def perfgen_checkout(start: Path) -> Path | None:
    """perfgen's own repository, when ``start`` is inside one: its ``projects/`` holds the samples, not a county's townships."""
    root = sources_root(start)
    return root if (root / "generator" / "perfgen").is_dir() and (root / "schemas" / "document.schema.json").is_file() else None


def sources_root(start: Path) -> Path:
    """The repository root for ``start``: the nearest folder at or above it holding ``.perfgen`` or ``.git``.

    Without one (sources not in git yet), the working folder.
    """
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / ".perfgen").is_dir() or (folder / ".git").exists():
            return folder
    return Path.cwd().resolve()


def repository_of(folder: Path) -> Path | None:
    """The sources repository a township written at ``folder`` belongs to, where editor support goes.

    The nearest folder above holding ``.perfgen`` or ``.git``; without one, the working folder when it
    holds ``folder`` (sources not in git yet); else None: nothing is written outside the township.
    """
    here = folder.resolve()
    for above in here.parents:
        if (above / ".perfgen").is_dir() or (above / ".git").exists():
            return above
    cwd = Path.cwd().resolve()
    return cwd if cwd in here.parents else None


def modeline_root(folder: Path) -> Path:
    """The root the modelines of a township written at ``folder`` point from: its repository, else its parent folder.

    Outside a repository, ``perfgen init`` run in that parent folder makes the modelines point at schemas.
    """
    return repository_of(folder) or folder.resolve().parent


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


def _write_if_changed(tree: Tree, name: str, data: bytes, changes: Changes) -> None:
    try:
        if tree.read(name) == data:
            changes.unchanged.append(name)
            return
        tree.write(name, data)
    except Refused as exc:
        changes.notes.append(str(exc))
        return
    changes.written.append(name)


def _read_json(tree: Tree, name: str, wanted: dict[str, object], changes: Changes) -> dict[str, object] | None:
    """A VS Code JSON file's object ({} when absent); None, with a note naming what to add, when it is not plain JSON."""
    try:
        raw = tree.read(name)
    except OutputError as exc:  # a link, a special file, or one perfgen may not read: left as it is
        changes.notes.append(f"{exc}，未改动")
        return None
    if raw is None:
        return {}
    try:
        loaded = json.loads(raw.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        loaded = None
    if isinstance(loaded, dict):
        return loaded
    text = json.dumps(wanted, ensure_ascii=False, indent=2)
    if _holds(raw, wanted):
        return None  # comments (VS Code allows them), and what perfgen would add is there already
    shown = display_path(tree.path(name))
    changes.notes.append(f"{shown}：不是普通的 JSON（可能含注释），未改动它。请手工在其中加入：\n{text}")
    return None


def _holds(raw: bytes, wanted: dict[str, object]) -> bool:
    """Whether a JSON-with-comments file already names every key and value perfgen would add (read loosely)."""
    text = raw.decode("utf-8", "replace")
    return all(key in text and all(str(part) in text for part in _leaves(value)) for key, value in wanted.items())


def _leaves(value: object) -> list[object]:
    if isinstance(value, dict):
        return [*value, *(leaf for item in value.values() for leaf in _leaves(item))]
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]


def _write_json(tree: Tree, name: str, data: dict[str, object], changes: Changes) -> None:
    _write_if_changed(tree, name, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"), changes)


def install_editor_support(root: Path) -> Changes:
    """Copy the installed schemas into ``root/.perfgen/schemas/`` and map them in ``root/.vscode/settings.json``.

    Also recommends the YAML extension in ``.vscode/extensions.json``. Idempotent: a second
    run rewrites only what changed (the schemas of a newer perfgen), which is how the copies
    are kept current. Other settings are kept; a VS Code file that is not plain JSON (VS Code
    allows comments), a link or a special file is left alone with a note saying what to add.
    Everything is written through the one door (perfgen.write.tree). Returns what was written
    and what was already current, as paths relative to ``root``.
    """
    changes = Changes()
    tree = Tree(root)
    for kind in SCHEMAS:
        _write_if_changed(tree, (SCHEMA_FOLDER / f"{kind}.schema.json").as_posix(), schema_path(kind).read_bytes(), changes)

    mapping = {(SCHEMA_FOLDER / f"{kind}.schema.json").as_posix(): GLOBS[kind] for kind in SCHEMAS}
    settings = _read_json(tree, SETTINGS_FILE.as_posix(), {"yaml.schemas": mapping}, changes)
    if settings is not None:
        schemas = settings.get("yaml.schemas")
        settings["yaml.schemas"] = {**(schemas if isinstance(schemas, dict) else {}), **mapping}
        settings.setdefault("files.encoding", "utf8")  # clerks' files must be UTF-8 (yaml-encoding rule)
        settings.setdefault("[yaml]", {"editor.insertSpaces": True, "editor.tabSize": 2})  # no tabs (yaml-tab rule)
        _write_json(tree, SETTINGS_FILE.as_posix(), settings, changes)

    extensions = _read_json(tree, EXTENSIONS_FILE.as_posix(), {"recommendations": [YAML_EXTENSION]}, changes)
    if extensions is not None:
        recommended = extensions.get("recommendations")
        recommended = list(recommended) if isinstance(recommended, list) else []
        if YAML_EXTENSION not in recommended:
            recommended.append(YAML_EXTENSION)
        extensions["recommendations"] = recommended
        _write_json(tree, EXTENSIONS_FILE.as_posix(), extensions, changes)
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
