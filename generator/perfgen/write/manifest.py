"""What was built from what: content hashes under the output folder, for incremental builds.

A township is rebuilt only when one of its files, the template, the font
aliases, the build options or perfgen's version changed, or when an output is
missing or not the one built. The manifest is ``<out>/.perfgen-manifest.json``.

Outputs and manifest agree whatever interrupts a build: a township's entry is
removed (and saved) before its outputs are replaced, and recorded with the
outputs' hashes after them; a skip checks those hashes.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
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


def _content(path: Path, root: Path) -> bytes:
    """What a township's file contributes to its hash; what cannot be read differs from any content."""
    try:
        if not path.resolve().is_relative_to(root):  # never read: the build refuses it
            return b"\0outside"
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device is never opened
            return b"\0special"
        return path.read_bytes()
    except (OSError, RuntimeError) as exc:
        return b"\0unreadable " + str(exc.errno if isinstance(exc, OSError) else exc).encode()


def township_hash(folder: Path, shared: str) -> str:
    """The hash of everything in a township folder (symlinked folders are not entered)."""
    root = folder.resolve()
    files: list[Path] = []
    failed: list[str] = []
    for base, _, names in os.walk(folder, onerror=lambda exc: failed.append(str(exc.filename))):
        files += [Path(base) / name for name in names]
    parts = [shared.encode(), "\n".join(sorted(failed)).encode()]
    for path in sorted(files):
        parts += [path.relative_to(folder).as_posix().encode(), _content(path, root)]
    return _digest(parts)


def output_digest(path: Path) -> str | None:
    """The hash of an output file, or of a folder's files (previews); None when it is missing."""
    try:
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file())
            return _digest([part for p in files for part in (p.relative_to(path).as_posix().encode(), p.read_bytes())])
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


@dataclass
class Manifest:
    """The entries of an output folder's townships; an entry is replaced by ``record``, never changed in place."""

    path: Path
    townships: dict[str, dict[str, Any]] = field(default_factory=dict)
    # each entry's JSON, made once: a build saves the manifest after every township, and encoding every
    # entry each time grew with the square of the townships (a county's problems are most of it)
    _encoded: dict[str, tuple[dict[str, Any], str]] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def load(cls, out_dir: Path) -> Manifest:
        path = out_dir / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(path, dict(data.get("townships", {})))
        except (OSError, ValueError, AttributeError):  # none yet, or damaged: rebuild everything
            return cls(path)

    def fresh(self, name: str, digest: str) -> dict[str, Any] | None:
        """The recorded entry when ``name`` was built from exactly this and its outputs are the ones built."""
        entry = self.townships.get(name)
        if not entry or entry.get("hash") != digest:
            return None
        outputs = entry.get("outputs")
        if not isinstance(outputs, dict) or not outputs:
            return None
        if any(output_digest(self.path.parent / output) != recorded for output, recorded in outputs.items()):
            return None
        return entry

    def outputs(self, names: list[str]) -> dict[str, str | None]:
        """The hashes of outputs (relative to the output folder), to record."""
        return {name: output_digest(self.path.parent / name) for name in names}

    def record(self, name: str, entry: dict[str, Any] | None) -> None:
        if entry is None:
            self.townships.pop(name, None)
        else:
            self.townships[name] = entry

    def save(self) -> None:
        """Write ``{"perfgen": version, "townships": {name: entry, ...}}``, names sorted, as compact JSON."""
        parts = []
        for name in sorted(self.townships):
            entry = self.townships[name]
            encoded = self._encoded.get(name)
            if encoded is None or encoded[0] is not entry:
                encoded = self._encoded[name] = (entry, _json(entry))
            parts.append(f"{_json(name)}:{encoded[1]}")
        text = f'{{"perfgen":{_json(__version__)},"townships":{{{",".join(parts)}}}}}\n'
        write_atomic(self.path, text.encode("utf-8"))


def _json(value: Any) -> str:
    # no indent: json's C encoder only serves compact output
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
