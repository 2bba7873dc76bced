"""Stable machine output of validate: JSON severity codes beside the Chinese label, workflow annotations."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import CASES, perfgen


def cases(tmp_path: Path) -> Path:
    shutil.copytree(CASES / "invalid" / "全角冒号", tmp_path / "src" / "全角冒号")
    shutil.copytree(CASES / "valid" / "未列入清单的项目文件", tmp_path / "src" / "未列入清单的项目文件")
    # the cases share their 项目编码; two townships checked together must not (rule code-shared)
    project = tmp_path / "src" / "未列入清单的项目文件" / "项目" / "办公经费.yaml"
    project.write_text(project.read_text(encoding="utf-8").replace("P00000000001A", "P00000000002A"), encoding="utf-8")
    return tmp_path


def test_json_severity_is_a_stable_code_with_the_label_beside_it(tmp_path: Path) -> None:
    run = perfgen("validate", "--format", "json", "src", cwd=cases(tmp_path))
    assert run.returncode == 1
    found = {(p["rule"], p["severity"], p["severity_label"], p["blocking"]) for p in json.loads(run.stdout)}
    assert found == {("yaml-syntax", "error", "错误", True), ("project-list", "warning", "警告", False)}


def test_github_annotations_name_file_line_and_column(tmp_path: Path) -> None:
    run = perfgen("validate", "--format", "github", "src", cwd=cases(tmp_path))
    assert run.returncode == 1
    assert run.stdout.splitlines() == [
        "::error file=src/全角冒号/项目/办公经费.yaml,line=3,col=5,title=perfgen [yaml-syntax]::"
        "第 3 行用了全角冒号“：”，请改为英文冒号加一个空格：项目名称: 办公经费",
        "::warning file=src/未列入清单的项目文件/文档.yaml,line=20,col=1,title=perfgen [project-list]::"
        "项目文件“src/未列入清单的项目文件/项目/多余.yaml”没有列入项目清单，不会出现在文档中",
        "共检查 4 个文件：1 个错误，1 个警告。",
    ]
