"""What was built from what: content hashes under the output folder, for incremental builds.

A township is rebuilt only when one of its files, the template, the font
aliases, the build options or perfgen's version changed, or when an output is
missing. The manifest is ``<out>/.perfgen-manifest.json``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from perfgen import __version__
from perfgen.write.atomic import write_atomic

MANIFEST = ".perfgen-manifest.json"


def _digest(parts: list[bytes]) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(len(part).to_bytes(8, "big"))
        hasher.update(part)
    return hasher.hexdigest()


def fingerprint(template: Path, extra: list[Path], options: dict[str, Any]) -> str:
    """What every township of a build shares: perfgen, the template, fonts, options."""
    parts = [__version__.encode(), template.read_bytes(), json.dumps(options, sort_keys=True).encode()]
    parts += [path.read_bytes() for path in extra if path.is_file()]
    return _digest(parts)


def township_hash(folder: Path, shared: str) -> str:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    parts = [shared.encode()]
    for path in files:
        parts += [path.relative_to(folder).as_posix().encode(), path.read_bytes()]
    return _digest(parts)


@dataclass
class Manifest:
    path: Path
    townships: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, out_dir: Path) -> Manifest:
        path = out_dir / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(path, dict(data.get("townships", {})))
        except (OSError, ValueError, AttributeError):  # none yet, or damaged: rebuild everything
            return cls(path)

    def fresh(self, name: str, digest: str) -> dict[str, Any] | None:
        """The recorded entry when ``name`` was built from exactly this and its outputs are all there."""
        entry = self.townships.get(name)
        if not entry or entry.get("hash") != digest:
            return None
        if not all((self.path.parent / output).exists() for output in entry.get("outputs", [])):
            return None
        return entry

    def record(self, name: str, entry: dict[str, Any] | None) -> None:
        if entry is None:
            self.townships.pop(name, None)
        else:
            self.townships[name] = entry

    def save(self) -> None:
        data = {"perfgen": __version__, "townships": dict(sorted(self.townships.items()))}
        write_atomic(self.path, (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
