"""Batch builds: -j does not change the output, unchanged townships are skipped, the hot path stays lean."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECTS, draft

from perfgen.build import BuildResult, build
from perfgen.state import Store


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.docx"))}


def test_output_does_not_depend_on_jobs(sample_build: list[BuildResult], tmp_path: Path) -> None:
    one = build([PROJECTS], draft(tmp_path / "j1", jobs=1))
    two = sample_build  # the session's build, on two processes
    assert [r.name for r in one] == [r.name for r in two] == sorted(p.name for p in PROJECTS.iterdir())
    assert outputs(tmp_path / "j1") == outputs(two[0].output.parent)
    assert len(outputs(tmp_path / "j1")) == 4
    assert [len(r.problems) for r in one] == [len(r.problems) for r in two]


def test_unchanged_townships_are_skipped_and_force_rebuilds(tmp_path: Path) -> None:
    projects = tmp_path / "projects"
    shutil.copytree(PROJECTS, projects)
    out = tmp_path / "build"
    first = build([projects], draft(out))
    assert not any(r.skipped for r in first)
    with Store(out) as store:
        assert all(store.built(r.name) is not None for r in first)
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("*.docx")}

    again = build([projects], draft(out))
    assert all(r.skipped and r.ok for r in again)
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.docx")} == stamps

    # one project file changes: only its township is built again
    project = projects / "卢龙县石门镇-2023" / "项目" / "执法经费.yaml"
    project.write_text(project.read_text(encoding="utf-8").replace("49个", "50个"), encoding="utf-8")
    third = build([projects], draft(out))
    assert [r.name for r in third if not r.skipped] == ["卢龙县石门镇-2023"]

    # other options are another build; --force rebuilds everything
    assert not any(r.skipped for r in build([projects], draft(out, strict=False, preview=False, pdf=False, force=True)))
    (out / "怀来县官厅镇-2024.docx").unlink()  # a missing output is rebuilt
    assert [r.name for r in build([projects], draft(out)) if not r.skipped] == ["怀来县官厅镇-2024"]


def test_validate_and_help_do_not_load_the_rendering_stack(tmp_path: Path) -> None:
    probe = (
        "import sys\n"
        "from perfgen.cli import app\n"
        "try:\n"
        "    app(sys.argv[1:])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = sorted(m for m in ('docxtpl', 'docx', 'lxml', 'pypdf', 'ruamel', 'rich.progress') if m in sys.modules)\n"
        "print(heavy, file=sys.stderr)\n"
    )
    for args in (["--help"], ["validate", str(PROJECTS)]):
        run = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, cwd=tmp_path)
        assert run.stderr.strip().splitlines()[-1] == "[]", args


def test_progress_bar_and_summary_on_a_terminal(tmp_path: Path, monkeypatch) -> None:
    import io

    from perfgen import cli

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    err, out = Terminal(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(sys, "stdout", out)
    projects = tmp_path / "projects"
    shutil.copytree(PROJECTS / "文安县机床市场管委会-2022", projects / "文安县机床市场管委会-2022")
    shutil.copytree(PROJECTS / "卢龙县石门镇-2023", projects / "卢龙县石门镇-2023")
    (projects / "卢龙县石门镇-2023" / "文档.yaml").write_text("单位编码: [", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exited:
        cli.main(["build", "--draft"])
    assert exited.value.code == 1
    assert "生成文档（失败：卢龙县石门镇-2023）" in err.getvalue()  # the bar names the failing township
    assert "2/2" in err.getvalue()
    table = out.getvalue()
    assert "生成结果" in table and "923371.00 元" in table and "失败" in table and "已生成" in table


def test_a_build_parses_and_checks_each_source_file_once(tmp_path: Path, monkeypatch) -> None:
    from collections import Counter

    from perfgen.load import yamlfile
    from perfgen.validate import schema, township

    parsed: Counter[str] = Counter()
    checked: Counter[str] = Counter()
    parse, check = yamlfile.parse_yaml, township.check

    def counting_parse(text: str, path: Path, display: str):  # type: ignore[no-untyped-def]
        parsed[str(path)] += 1
        return parse(text, path, display)

    def counting_check(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        checked[str(file.path)] += 1
        return check(file, *args, **kwargs)

    monkeypatch.setattr(yamlfile, "parse_yaml", counting_parse)
    monkeypatch.setattr(township, "check", counting_check)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))  # empty: results kept from another test would skip the check
    schema.fast_validator.cache_clear()
    # two townships: the checks across townships (code-shared) take the codes their one load found
    folders = [PROJECTS / "怀来县官厅镇-2024", PROJECTS / "卢龙县石门镇-2023"]
    assert all(result.ok for result in build(folders, draft(tmp_path / "out", jobs=1)))
    sources = {str(p) for folder in folders for p in folder.rglob("*.yaml")}
    assert set(parsed) == set(checked) == sources
    assert set(parsed.values()) == set(checked.values()) == {1}
    # the two schemas (document, project) are compiled once each, not once per file
    assert schema.fast_validator.cache_info().misses == 2
