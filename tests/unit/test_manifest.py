"""The build manifest's file: each entry encoded once, the file as json.dumps of the whole would write it."""

from __future__ import annotations

import json
from pathlib import Path

from perfgen import __version__
from perfgen.write.manifest import MANIFEST, Manifest


def expected(townships: dict[str, object]) -> str:
    data = {"perfgen": __version__, "townships": dict(sorted(townships.items()))}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def test_the_saved_manifest_is_the_json_of_its_entries_after_every_change(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path / MANIFEST)
    manifest.save()
    assert (tmp_path / MANIFEST).read_text(encoding="utf-8") == expected({})
    manifest.record("乙镇", {"hash": "b", "problems": [{"message": "“引号”\\n", "line": 2}]})
    manifest.record("甲镇", {"hash": "a", "total": "1.00 万元"})
    manifest.save()
    assert (tmp_path / MANIFEST).read_text(encoding="utf-8") == expected(manifest.townships)
    manifest.record("乙镇", {"hash": "c"})  # a new entry under the same name: encoded anew
    manifest.record("甲镇", None)
    manifest.save()
    assert (tmp_path / MANIFEST).read_text(encoding="utf-8") == expected({"乙镇": {"hash": "c"}})
    loaded = Manifest.load(tmp_path)
    assert loaded.townships == {"乙镇": {"hash": "c"}}
    loaded.record("丙镇", {"hash": "d"})
    loaded.save()
    assert (tmp_path / MANIFEST).read_text(encoding="utf-8") == expected({"乙镇": {"hash": "c"}, "丙镇": {"hash": "d"}})
