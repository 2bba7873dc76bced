"""Editor support in a sources repository: schema copies, VS Code settings and modelines."""

from __future__ import annotations

import json
from pathlib import Path


from conftest import PROJECTS, ROOT
from perfgen.repo.editor import install_editor_support, modeline, schema_reference, sources_root
from perfgen.resources import schema_path


def test_install_copies_schemas_and_maps_them(tmp_path: Path) -> None:
    changes = install_editor_support(tmp_path)
    assert sorted(changes.written) == [
        ".perfgen/schemas/document.schema.json",
        ".perfgen/schemas/project.schema.json",
        ".vscode/extensions.json",
        ".vscode/settings.json",
    ]
    for kind in ("document", "project"):
        assert (tmp_path / f".perfgen/schemas/{kind}.schema.json").read_bytes() == schema_path(kind).read_bytes()
    settings = json.loads((tmp_path / ".vscode/settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"] == {
        ".perfgen/schemas/document.schema.json": ["**/文档.yaml"],
        ".perfgen/schemas/project.schema.json": ["**/项目/*.yaml", "**/项目/*.yml"],
    }
    for target in settings["yaml.schemas"]:
        assert (tmp_path / target).is_file()
    extensions = json.loads((tmp_path / ".vscode/extensions.json").read_text(encoding="utf-8"))
    assert extensions["recommendations"] == ["redhat.vscode-yaml"]


def test_second_run_keeps_current_files_and_refreshes_stale_schemas(tmp_path: Path) -> None:
    install_editor_support(tmp_path)
    stale = tmp_path / ".perfgen/schemas/project.schema.json"
    stale.write_text("{}", encoding="utf-8")
    changes = install_editor_support(tmp_path)
    assert changes.written == [".perfgen/schemas/project.schema.json"]
    assert stale.read_bytes() == schema_path("project").read_bytes()


def test_other_settings_are_kept(tmp_path: Path) -> None:
    (tmp_path / ".vscode").mkdir()
    (tmp_path / ".vscode/settings.json").write_text(
        '{"editor.fontSize": 16, "yaml.schemas": {"other.json": ["a.yaml"]}, "files.encoding": "gbk"}', encoding="utf-8"
    )
    install_editor_support(tmp_path)
    settings = json.loads((tmp_path / ".vscode/settings.json").read_text(encoding="utf-8"))
    assert settings["editor.fontSize"] == 16
    assert settings["files.encoding"] == "gbk"
    assert settings["yaml.schemas"]["other.json"] == ["a.yaml"]
    assert ".perfgen/schemas/document.schema.json" in settings["yaml.schemas"]


def test_settings_with_comments_are_left_alone(tmp_path: Path) -> None:
    (tmp_path / ".vscode").mkdir()
    original = '{\n  // my font\n  "editor.fontSize": 16\n}\n'
    (tmp_path / ".vscode/settings.json").write_text(original, encoding="utf-8")
    changes = install_editor_support(tmp_path)  # a note, not a failure: import and new have written the township
    [note] = changes.notes
    assert "不是普通的 JSON" in note and "yaml.schemas" in note
    assert (tmp_path / ".vscode/settings.json").read_text(encoding="utf-8") == original


def test_modeline_points_at_the_copies(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    township = tmp_path / "projects" / "某镇-2025"
    assert modeline(township / "文档.yaml") == "# yaml-language-server: $schema=../../.perfgen/schemas/document.schema.json"
    assert modeline(township / "项目" / "经费.yaml", tmp_path) == (
        "# yaml-language-server: $schema=../../../.perfgen/schemas/project.schema.json"
    )
    assert sources_root(township) == tmp_path.resolve()


def test_modeline_in_perfgen_checkout_matches_the_samples() -> None:
    for source in PROJECTS.glob("*/**/*.yaml"):
        first = source.read_text(encoding="utf-8").splitlines()[0]
        assert first == modeline(source, ROOT), source
        reference = schema_reference(source)
        assert reference is not None and reference.is_file(), source


def test_schema_reference_resolves_after_install(tmp_path: Path) -> None:
    install_editor_support(tmp_path)
    source = tmp_path / "projects" / "某镇-2025" / "项目" / "经费.yaml"
    source.parent.mkdir(parents=True)
    source.write_text(modeline(source, tmp_path) + "\n项目名称: 经费\n", encoding="utf-8")
    reference = schema_reference(source)
    assert reference is not None and reference.resolve() == (tmp_path / ".perfgen/schemas/project.schema.json").resolve()
    assert reference.is_file()


def test_schema_reference_reads_a_file_uri(tmp_path: Path) -> None:
    schema = tmp_path / "格式 定义" / "project.schema.json"
    source = tmp_path / "经费.yaml"
    source.write_text(f"# yaml-language-server: $schema={schema.as_uri()}\n项目名称: 经费\n", encoding="utf-8")
    assert schema_reference(source) == schema
    source.write_text("项目名称: 经费\n", encoding="utf-8")
    assert schema_reference(source) is None


def test_schema_copies_need_nothing_from_the_network() -> None:
    """An editor resolves every reference inside the copied file: no $id on a host, only local $refs."""

    def refs(node: object) -> list[str]:
        if isinstance(node, dict):
            own = [node["$ref"]] if "$ref" in node else []
            return own + [r for value in node.values() for r in refs(value)]
        if isinstance(node, list):
            return [r for item in node for r in refs(item)]
        return []

    for kind in ("document", "project"):
        schema = json.loads(schema_path(kind).read_text(encoding="utf-8"))
        assert "$id" not in schema
        assert all(ref.startswith("#/") for ref in refs(schema)), kind
