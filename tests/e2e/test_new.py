"""perfgen new: a new township that validates to its placeholders only; new --from rolls a sample over a year."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, PROJECTS, SAMPLES, Expected

from perfgen.load.yamlfile import read_yaml
from perfgen.problems import WARNING
from perfgen.repo.editor import schema_reference
from perfgen.validate.run import validate

ROLLOVER = FIXTURES / "rollover"


def perfgen(*args: str, cwd: Path, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "perfgen", *args], cwd=cwd, capture_output=True, text=True, timeout=300, **kwargs
    )


def rules_of(folder: Path) -> list[tuple[str, str, str]]:
    return [(Path(p.file).name, p.rule, p.severity) for p in validate([folder]).problems]


def test_new_without_a_terminal_validates_to_the_example_placeholders_only(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()  # a sources repository of its own, outside perfgen's checkout
    run = perfgen("new", "某镇-2025", "--单位名称", "某镇人民政府", "--单位编码", "816001", "--年度", "2025",
                  cwd=tmp_path, stdin=subprocess.DEVNULL)
    assert run.returncode == 0, run.stderr
    folder = tmp_path / "某镇-2025"
    assert run.stdout.splitlines()[:2] == ["已写入：某镇-2025/文档.yaml", "已写入：某镇-2025/项目/示例项目.yaml"]
    found = rules_of(folder)
    assert {rule for _, rule, _ in found} == {"placeholder"}
    assert {name for name, _, _ in found} == {"文档.yaml", "示例项目.yaml"}
    document = read_yaml(folder / "文档.yaml", "文档.yaml")[0].data
    assert (document["单位名称"], document["单位编码"], document["年度"], document["金额单位"]) == ("某镇人民政府", "816001", 2025, "万元")
    for path in (folder / "文档.yaml", folder / "项目" / "示例项目.yaml"):
        target = schema_reference(path)
        assert target is not None and target.resolve() == (tmp_path / ".perfgen" / "schemas" / target.name).resolve()
        assert target.resolve().is_file()
    assert perfgen("fmt", "--check", "某镇-2025", cwd=tmp_path).returncode == 0
    assert perfgen("build", "--draft", "某镇-2025", cwd=tmp_path).returncode == 0



def test_new_in_the_four_class_frame(tmp_path: Path) -> None:
    """--指标体系 四类: 文档.yaml declares it and the example project has 成本指标 as its first 一级."""
    run = perfgen("new", "四类镇-2025", "--年度", "2025", "--指标体系", "四类", cwd=tmp_path, stdin=subprocess.DEVNULL)
    assert run.returncode == 0, run.stderr
    folder = tmp_path / "四类镇-2025"
    assert read_yaml(folder / "文档.yaml", "文档.yaml")[0].data["指标体系"] == "四类"
    example = read_yaml(folder / "项目" / "示例项目.yaml", "示例项目.yaml")[0].data
    assert list(example["绩效指标"]) == ["成本指标", "产出指标", "效益指标", "满意度指标"]
    assert {rule for _, rule, _ in rules_of(folder)} == {"placeholder"}
    wrong = perfgen("new", "五类镇", "--单位编码", "816001", "--指标体系", "五类", cwd=tmp_path, stdin=subprocess.DEVNULL)
    assert (wrong.returncode, wrong.stderr.strip()) == (1, "错误：指标体系“五类”应为 三类 或 四类")

def test_new_with_no_options_and_no_terminal_uses_defaults(tmp_path: Path) -> None:
    run = perfgen("new", "新单位", cwd=tmp_path, stdin=subprocess.DEVNULL)
    assert run.returncode == 0, run.stderr
    document = read_yaml(tmp_path / "新单位" / "文档.yaml", "文档.yaml")[0].data
    assert document["单位名称"] == "××镇人民政府" and document["金额单位"] == "万元"
    assert document["单位编码"] == "000000"
    assert "没有写 --单位编码，暂写为 000000：请在 文档.yaml 中改成本单位的编码" in run.stderr
    again = perfgen("new", "新单位", cwd=tmp_path, stdin=subprocess.DEVNULL)
    assert again.returncode == 1
    assert again.stderr.strip().endswith("错误：新单位 已经存在，未改动：换一个文件夹，或加 --force 覆盖它")


def answered(tmp_path: Path, answers: str) -> Any:
    """perfgen new 问答镇-2027 at a terminal where the clerk types ``answers``."""
    leader, follower = pty.openpty()
    os.write(leader, answers.encode())
    run = perfgen("new", "问答镇-2027", cwd=tmp_path, stdin=follower)
    os.close(follower)
    os.close(leader)
    return run


def test_new_asks_on_a_terminal(tmp_path: Path) -> None:
    run = answered(tmp_path, "问答镇\n123456\n2027\n元\n")
    assert run.returncode == 0, run.stderr
    assert "单位名称" in run.stdout and "金额单位（万元 或 元）" in run.stdout
    document = read_yaml(tmp_path / "问答镇-2027" / "文档.yaml", "文档.yaml")[0].data
    assert (document["单位名称"], document["单位编码"], document["年度"], document["金额单位"]) == ("问答镇", "123456", 2027, "元")


def test_new_rejects_a_wrong_option(tmp_path: Path) -> None:
    run = perfgen("new", "x", "--单位编码", "81600A", cwd=tmp_path, stdin=subprocess.DEVNULL)
    assert run.returncode == 1
    assert run.stderr.strip() == "错误：单位编码“81600A”应全是数字，例如 816001"
    assert not (tmp_path / "x").exists()


def changes(old: Any, new: Any, path: str = "") -> list[str]:
    """Every leaf that differs between two loaded files, as 'path: old -> new'."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for key in list(old) + [k for k in new if k not in old]:
            out += changes(old.get(key), new.get(key), f"{path}/{key}")
        return out
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [line for i, (a, b) in enumerate(zip(old, new)) for line in changes(a, b, f"{path}/{i}")]
    return [] if old == new else [f"{path}: {old} -> {new}"]


def rolled_changes(source: Path, rolled: Path) -> str:
    lines = []
    for path in sorted(source.rglob("*.yaml")):
        name = path.relative_to(source).as_posix()
        before = read_yaml(path, name)[0].data
        after = read_yaml(rolled / name, name)[0].data
        lines += [f"{name}: {line}" for line in changes(before, after)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("name", SAMPLES)
def test_new_from_rolls_every_sample_over_a_year(name: str, tmp_path: Path, expected: Expected) -> None:
    run = perfgen("new", str(tmp_path / "next"), "--from", str(PROJECTS / name), cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    rolled = tmp_path / "next"
    # every changed field pinned: 年度, 草案, code years, dated values and the review marks
    expected(ROLLOVER / f"{name}.txt", rolled_changes(PROJECTS / name, rolled))
    before, after = rules_of(PROJECTS / name), rules_of(rolled)
    assert "code-year" not in {rule for _, rule, _ in after}
    review = sorted({file for file, rule, _ in after if rule == "rollover-review"} - {"文档.yaml"})
    assert review == sorted(p.name for p in (rolled / "项目").glob("*.yaml"))
    assert {severity for _, rule, severity in after if rule == "rollover-review"} == {WARNING}
    # nothing else changes in what validate finds
    assert [f for f in after if f[1] != "rollover-review"] == before


def test_new_asks_again_on_every_wrong_answer_and_takes_full_width_digits(tmp_path: Path) -> None:
    # a wrong code, then full-width digits; a wrong year, then the folder's; 万, then 元
    run = answered(tmp_path, "问答镇\n81600A\n８１６００１\n二〇二\n\n万\n元\n")
    assert run.returncode == 0, run.stderr
    assert "单位编码“81600A”应全是数字，例如 816001，请重新输入" in run.stderr
    assert "“二〇二”不是年度：请输入 2000～2100 之间的四位数字年份，如 2025，请重新输入" in run.stderr
    assert "金额单位“万”应为 万元 或 元，请重新输入" in run.stderr
    assert "年度 [2027]" in run.stdout  # the folder's year is the default
    document = read_yaml(tmp_path / "问答镇-2027" / "文档.yaml", "文档.yaml")[0].data
    assert (document["单位编码"], document["年度"], document["金额单位"]) == ("816001", 2027, "元")


def test_new_without_a_terminal_takes_the_year_of_the_folder(tmp_path: Path) -> None:
    run = perfgen("new", "某某镇-2025", cwd=tmp_path, stdin=subprocess.DEVNULL)
    assert run.returncode == 0, run.stderr
    assert read_yaml(tmp_path / "某某镇-2025" / "文档.yaml", "文档.yaml")[0].data["年度"] == 2025
    written = perfgen("new", "x", "--年度", "二〇二五", "--单位编码", "８１６００１", cwd=tmp_path, stdin=subprocess.DEVNULL)
    assert written.returncode == 0, written.stderr
    document = read_yaml(tmp_path / "x" / "文档.yaml", "文档.yaml")[0].data
    assert (document["年度"], document["单位编码"]) == (2025, "816001")
    wrong = perfgen("new", "y", "--年度", "二〇二", cwd=tmp_path, stdin=subprocess.DEVNULL)
    assert (wrong.returncode, wrong.stderr.strip()) == (1, "错误：“二〇二”不是年度：请输入 2000～2100 之间的四位数字年份，如 2025")


def test_a_clerk_is_kept_out_of_the_samples_of_perfgens_own_repository(tmp_path: Path) -> None:
    """Issue 22: in perfgen's checkout, projects/ holds the samples; a clerk's township there would mix with them."""
    checkout = tmp_path / "perfgen"
    (checkout / "generator" / "perfgen").mkdir(parents=True)
    (checkout / "schemas").mkdir()
    (checkout / "schemas" / "document.schema.json").write_text("{}", encoding="utf-8")
    (checkout / ".git").mkdir()
    (checkout / "projects").mkdir()
    refused = perfgen("new", "projects/某某镇-2025", cwd=checkout, stdin=subprocess.DEVNULL)
    assert refused.returncode == 1 and "perfgen 程序自己的仓库" in refused.stderr and "perfgen init" in refused.stderr
    assert not (checkout / "projects" / "某某镇-2025").exists()
    # beside the checkout's projects/ (as `bash install.sh && .venv/bin/perfgen new 某某镇-2025` does) it is written,
    # and the hint names the folder: a plain validate here takes the samples
    written = perfgen("new", "某某镇-2025", cwd=checkout, stdin=subprocess.DEVNULL)
    assert written.returncode == 0, written.stderr
    assert written.stdout.strip().endswith("然后运行 perfgen validate 某某镇-2025 检查。")
    plain = perfgen("validate", cwd=checkout)
    assert "这里是 perfgen 程序自己的仓库，projects/ 中是保留了缺陷的样例单位" in plain.stderr
    assert "perfgen 程序自己的仓库" not in perfgen("validate", "-q", cwd=checkout).stderr
