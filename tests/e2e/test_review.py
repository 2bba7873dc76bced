"""Review through pull requests: fmt, diff on real git history, text, the pre-commit hooks."""

from __future__ import annotations

import random
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import CASES, FIXTURES, PROJECTS, ROOT, Expected, commit, documentation, edit, git, perfgen

from perfgen.docxtext import docx_to_text
from perfgen.load.yamlfile import parse_yaml, read_yaml
from perfgen.review.fmt import canonical_text, schema_for, source_files

SAMPLE_FILES = sorted(source_files([PROJECTS]))
SMALL = "文安县机床市场管委会-2022"


# ------------------------------------------------------------------ fmt


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_fmt_is_idempotent_and_keeps_meaning_on_samples(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    once = canonical_text(text, schema_for(path))
    assert canonical_text(once, schema_for(path)) == once
    assert parse_yaml(once, path, "x")[0].data == read_yaml(path, "x")[0].data
    assert once == text  # the committed samples are canonical (fmt --check passes)


def _shuffled(value, rng: random.Random):
    if isinstance(value, dict):
        keys = list(value)
        rng.shuffle(keys)
        return {key: _shuffled(value[key], rng) for key in keys}
    if isinstance(value, list):
        return [_shuffled(item, rng) for item in value]
    return value


@pytest.mark.parametrize("path", SAMPLE_FILES[::5], ids=lambda p: p.name)
def test_fmt_brings_generated_variants_back_to_canonical(path: Path) -> None:
    """Keys shuffled, flow style, other quoting and line widths: all come back to one text."""
    original = read_yaml(path, "x")[0].data
    canonical = canonical_text(path.read_text(encoding="utf-8"), schema_for(path))
    body = "".join(line for line in canonical.splitlines(keepends=True) if not line.startswith("#"))  # no comments
    data = yaml.safe_load(body)
    for seed in range(3):
        rng = random.Random(seed)
        variant = yaml.safe_dump(
            _shuffled(data, rng), allow_unicode=True, sort_keys=False, default_flow_style=bool(seed % 2), width=40 + seed * 30
        )
        formatted = canonical_text(variant, schema_for(path))
        assert parse_yaml(formatted, path, "x")[0].data == original
        assert formatted == body


def test_fmt_messy_file_and_check_mode(tmp_path: Path, expected: Expected) -> None:
    township = tmp_path / "projects" / SMALL
    shutil.copytree(PROJECTS / SMALL, township)
    messy = township / "项目" / "专项办公经费.yaml"
    messy.write_text((FIXTURES / "fmt" / "messy.yaml").read_text(encoding="utf-8"), encoding="utf-8")

    check = perfgen("fmt", "--check", cwd=tmp_path)
    assert check.returncode == 1
    assert f"需要整理：projects/{SMALL}/项目/专项办公经费.yaml" in check.stdout
    assert messy.read_text(encoding="utf-8") == (FIXTURES / "fmt" / "messy.yaml").read_text(encoding="utf-8")

    run = perfgen("fmt", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    expected(FIXTURES / "fmt" / "messy.canonical.yaml", messy.read_text(encoding="utf-8"))
    assert perfgen("fmt", "--check", cwd=tmp_path).returncode == 0


def test_fmt_refuses_a_file_that_does_not_parse(tmp_path: Path) -> None:
    township = tmp_path / "projects" / SMALL
    shutil.copytree(PROJECTS / SMALL, township)
    broken = township / "项目" / "专项办公经费.yaml"
    text = broken.read_text(encoding="utf-8").replace("预算数: 164000.00", "预算数: 164000.00\n预算数: 1")
    broken.write_text(text, encoding="utf-8")
    run = perfgen("fmt", cwd=tmp_path)
    assert run.returncode == 1
    assert "[yaml-duplicate-key]" in run.stderr and "文件有格式错误，未改动" in run.stderr
    assert broken.read_text(encoding="utf-8") == text


def test_fmt_skips_yaml_files_outside_townships(tmp_path: Path) -> None:
    other = tmp_path / ".pre-commit-config.yaml"
    other.write_text("repos: [ ]\n", encoding="utf-8")
    run = perfgen("fmt", "--check", str(other), cwd=tmp_path)
    assert run.returncode == 0 and "共 0 个文件" in run.stdout


@pytest.mark.parametrize("check", [["--check"], []], ids=["check", "write"])
def test_fmt_on_a_missing_path_is_an_error(tmp_path: Path, check: list[str]) -> None:
    run = perfgen("fmt", *check, "没有这个单位", cwd=tmp_path)
    assert run.returncode == 1
    assert run.stderr == "错误：没有这个单位：路径不存在。请检查路径（单位文件夹、源文件或包含单位的文件夹）。\n"
    assert run.stdout == ""


def test_fmt_check_diff_shows_the_change_and_the_command(sample_copy) -> None:
    township = sample_copy(SMALL)
    project = township / "项目" / "专项办公经费.yaml"
    text = project.read_text(encoding="utf-8")
    project.write_text(text.replace("预算数: 164000.00", "预算数: 164000"), encoding="utf-8")
    run = perfgen("fmt", "--check", "--diff", str(project.relative_to(township.parent.parent)), cwd=township.parent.parent)
    name = f"projects/{SMALL}/项目/专项办公经费.yaml"
    assert run.returncode == 1
    assert run.stdout.startswith(f"需要整理：{name}\n--- {name}（原文）\n+++ {name}（整理后）\n@@ ")
    assert "\n-预算数: 164000\n+预算数: 164000.00\n" in run.stdout
    assert run.stdout.endswith(f"共 1 个文件，需要整理 1 个，0 个无法处理。\n运行 perfgen fmt {name} 即可整理。\n")
    assert project.read_text(encoding="utf-8") != text  # --check changed nothing


# ------------------------------------------------------------------ diff


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository holding two sample townships in one commit."""
    for name in (SMALL, "卢龙县石门镇-2023"):
        shutil.copytree(PROJECTS / name, tmp_path / "projects" / name)
    git("init", "-q", "-b", "main", cwd=tmp_path)
    git("add", "-A", cwd=tmp_path)
    git("commit", "-q", "-m", "起点", cwd=tmp_path)
    return tmp_path


def diff(repo: Path, *args: str) -> str:
    run = perfgen("diff", *args, cwd=repo)
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_diff_one_amount(repo: Path) -> None:
    project = repo / "projects" / "卢龙县石门镇-2023" / "项目" / "执法经费.yaml"
    edit(project, "预算数: 300.00", "预算数: 320.00")
    edit(project, "财政资金: 300.00", "财政资金: 320.00")
    commit(repo, "执法经费增加 20 万元")
    assert diff(repo, "HEAD~1", "HEAD") == (
        "石门镇人民政府本级 2023年（卢龙县石门镇-2023）\n"
        "  预算总额：10876.73 -> 10896.73 万元（+20.00）\n"
        "  修改项目：执法经费（13032423P00442810071T）\n"
        "    预算数：300.00 -> 320.00 万元（+20.00）\n"
        "    财政资金：300.00 -> 320.00 万元（+20.00）\n"
        "共 1 个单位有变化。\n"
    )
    assert diff(repo, "HEAD~1", "HEAD", "--format", "markdown") == (
        "## perfgen：内容变化\n\n"
        "### 石门镇人民政府本级 2023年（`卢龙县石门镇-2023`）\n\n"
        "预算总额：10876.73 -> 10896.73 万元（+20.00）\n\n"
        "- 修改项目：执法经费（13032423P00442810071T）\n"
        "  - 预算数：300.00 -> 320.00 万元（+20.00）\n"
        "  - 财政资金：300.00 -> 320.00 万元（+20.00）\n\n"
        "共 1 个单位有变化。\n"
    )


def test_diff_added_indicator(repo: Path) -> None:
    project = repo / "projects" / SMALL / "项目" / "专项办公经费.yaml"
    edit(
        project,
        "  满意度指标:\n    - 二级指标: 服务对象满意度指标\n      指标:\n",
        "  满意度指标:\n    - 二级指标: 服务对象满意度指标\n      指标:\n"
        "        - 三级指标: 商户满意度\n          绩效指标描述: 市场商户对环境的满意程度\n"
        "          指标值: ≥90%\n          指标值确定依据: 问卷调查\n",
    )
    commit(repo, "新增满意度指标")
    expected = (
        "文安县机床市场管理委员会本级 2022年（文安县机床市场管委会-2022）\n"
        "  预算总额：923371.00 元（未变）\n"
        "  修改项目：专项办公经费（13102622P00237611443Q）\n"
        "    新增指标 满意度指标/服务对象满意度指标/商户满意度：描述 市场商户对环境的满意程度；指标值 ≥90%；依据 问卷调查\n"
        "共 1 个单位有变化。\n"
    )
    assert diff(repo, "HEAD~1", "HEAD") == expected
    assert diff(repo, "HEAD~1", "HEAD", "--format", "markdown") == (
        "## perfgen：内容变化\n\n"
        "### 文安县机床市场管理委员会本级 2022年（`文安县机床市场管委会-2022`）\n\n"
        "预算总额：923371.00 元（未变）\n\n"
        "- 修改项目：专项办公经费（13102622P00237611443Q）\n"
        "  - 新增指标 满意度指标/服务对象满意度指标/商户满意度：描述 市场商户对环境的满意程度；指标值 ≥90%；依据 问卷调查\n\n"
        "共 1 个单位有变化。\n"
    )


def test_diff_renamed_project_goals_and_part_one(repo: Path) -> None:
    township = repo / "projects" / SMALL
    project = township / "项目" / "专项办公经费.yaml"
    edit(project, "项目名称: 专项办公经费", "项目名称: 环境整治专项经费")
    edit(project, "  - 提升环境\n", "  - 提升辖区环境\n")
    edit(township / "文档.yaml", "      - 标题: 严控会议次数、降低会议经费", "      - 标题: 严控会议次数")
    commit(repo, "改名")
    assert diff(repo, "HEAD~1", "HEAD") == (
        "文安县机床市场管理委员会本级 2022年（文安县机床市场管委会-2022）\n"
        "  预算总额：923371.00 元（未变）\n"
        "  第一部分 二、分项绩效目标\n"
        "    修改段落：「（二）严控会议次数、降低会议经费」 -> 「（二）严控会议次数」\n"
        "  修改项目：环境整治专项经费（13102622P00237611443Q）\n"
        "    项目名称：专项办公经费 -> 环境整治专项经费\n"
        "    修改绩效目标：「提升环境」 -> 「提升辖区环境」\n"
        "共 1 个单位有变化。\n"
    )


def test_diff_removed_project(repo: Path) -> None:
    township = repo / "projects" / SMALL
    (township / "项目" / "专项办公经费.yaml").unlink()
    edit(township / "文档.yaml", "  - 项目/专项办公经费.yaml\n", "")
    commit(repo, "删除专项办公经费")
    assert diff(repo, "HEAD~1", "HEAD") == (
        "文安县机床市场管理委员会本级 2022年（文安县机床市场管委会-2022）\n"
        "  预算总额：923371.00 -> 759371.00 元（-164000.00）\n"
        "  删除项目：专项办公经费（13102622P00237611443Q），预算数 164000.00 元\n"
        "共 1 个单位有变化。\n"
    )
    assert diff(repo, "HEAD~1", "HEAD", "--format", "markdown") == (
        "## perfgen：内容变化\n\n"
        "### 文安县机床市场管理委员会本级 2022年（`文安县机床市场管委会-2022`）\n\n"
        "预算总额：923371.00 -> 759371.00 元（-164000.00）\n\n"
        "- 删除项目：专项办公经费（13102622P00237611443Q），预算数 164000.00 元\n\n"
        "共 1 个单位有变化。\n"
    )


def test_diff_new_township_in_full(repo: Path) -> None:
    shutil.copytree(ROOT / "tests" / "cases" / "valid" / "最小单位", repo / "projects" / "最小单位")
    commit(repo, "新增单位")
    assert diff(repo, "HEAD~1", "HEAD") == (
        "测试镇人民政府 2024年（最小单位）\n"
        "  预算总额：10.00 万元\n"
        "  新增单位（1 个项目）\n"
        "  单位：测试镇人民政府（单位编码 123001），金额单位 万元\n"
        "    封面单位 测试镇人民政府；草案 否；编制单位 （无）；审核单位 （无）\n"
        "  第一部分 一、总体绩效目标\n"
        "    总体目标。\n"
        "  第一部分 二、分项绩效目标\n"
        "    1、分项\n"
        "    绩效目标：目标。\n"
        "    绩效指标：指标。\n"
        "  第一部分 三、工作保障措施\n"
        "    （一）措施。\n"
        "  新增项目：办公经费（13000024P00000000001A）\n"
        "    预算数 10.00 万元；财政资金 10.00 万元；其他资金 0.00 万元\n"
        "    资金用途：保障日常办公。\n"
        "    资金支出计划：3月底 25%，6月底 50%，10月底 75%，12月底 100%\n"
        "    绩效目标 1：保障办公正常运转。\n"
        "    指标 产出指标/数量指标/保障人数：描述 保障办公人数；指标值 20人；依据 年度工作计划\n"
        "    指标 产出指标/时效指标/完成时间：描述 按时完成全年工作；指标值 2024年12月31日前完成；依据 年度工作计划\n"
        "    指标 产出指标/成本指标/经费控制：描述 控制在预算内；指标值 ≤10.00万元；依据 预算通知\n"
        "    指标 效益指标/社会效益指标/工作正常运转：描述 保障机关正常运转；指标值 得到保障；依据 年度工作计划\n"
        "    指标 满意度指标/服务对象满意度指标/群众满意度：描述 群众对工作的满意程度；指标值 ≥95%；依据 调查问卷\n"
        "共 1 个单位有变化。\n"
    )


def test_diff_new_project_in_full(repo: Path) -> None:
    township = repo / "projects" / SMALL
    source = (township / "项目" / "专项办公经费.yaml").read_text(encoding="utf-8")
    added = source.replace("项目编码: 13102622P00237611443Q", "项目编码: 13102622P00237611449Q")
    added = added.replace("项目名称: 专项办公经费", "项目名称: 绿化经费")
    (township / "项目" / "绿化经费.yaml").write_text(added, encoding="utf-8")
    edit(township / "文档.yaml", "  - 项目/专项办公经费.yaml\n", "  - 项目/专项办公经费.yaml\n  - 项目/绿化经费.yaml\n")
    commit(repo, "新增绿化经费")
    shown = diff(repo, "HEAD~1", "HEAD", "--format", "markdown")
    project = yaml.safe_load(added)
    rows = [
        f"  - 指标 {level1}/{group['二级指标']}/{row['三级指标']}：描述 {row['绩效指标描述']}；指标值 {row['指标值']}；依据 {row['指标值确定依据']}"
        for level1, groups in project["绩效指标"].items()
        for group in groups
        for row in group["指标"]
    ]
    assert shown == "\n".join(
        [
            "## perfgen：内容变化",
            "",
            "### 文安县机床市场管理委员会本级 2022年（`文安县机床市场管委会-2022`）",
            "",
            "预算总额：923371.00 -> 1087371.00 元（+164000.00）",
            "",
            "- 新增项目：绿化经费（13102622P00237611449Q）",
            "  - 预算数 164000.00 元；财政资金 164000.00 元；其他资金 0.00 元",
            "  - 资金用途：通过环境治理工作，改善辖区3个村村容村貌，提升机床交易市场整体对外交易形象。",
            "  - 资金支出计划：3月底 25%，6月底 50%，10月底 75%，12月底 100%",
            "  - 绩效目标 1：提升环境",
            "  - 绩效目标 2：幸福指数",
            "  - 绩效目标 3：满意度",
            *rows,
            "",
            "共 1 个单位有变化。",
            "",
        ]
    )
    assert len(rows) == 11  # every row of the table


def test_diff_renamed_file_and_reformat_are_no_change(repo: Path) -> None:
    township = repo / "projects" / SMALL
    git("mv", "projects/文安县机床市场管委会-2022/项目/专项办公经费.yaml", "projects/文安县机床市场管委会-2022/项目/办公.yaml", cwd=repo)
    edit(township / "文档.yaml", "项目/专项办公经费.yaml", "项目/办公.yaml")
    commit(repo, "改文件名")
    assert diff(repo, "HEAD~1", "HEAD") == "没有内容变化。\n"
    assert diff(repo, "HEAD~1", "HEAD", "--format", "markdown") == "## perfgen：内容变化\n\n没有内容变化。\n"

    project = township / "项目" / "办公.yaml"
    data = yaml.safe_load(project.read_text(encoding="utf-8"))
    project.write_text(yaml.safe_dump(_shuffled(data, random.Random(7)), allow_unicode=True, default_flow_style=True), encoding="utf-8")
    commit(repo, "只改格式")
    assert diff(repo, "HEAD~1", "HEAD") == "没有内容变化。\n"


def test_diff_defaults_and_folders(repo: Path) -> None:
    edit(repo / "projects" / SMALL / "项目" / "专项办公经费.yaml", "  6月底: 50", "  6月底: 60")
    working = diff(repo)  # HEAD against the working tree
    assert "    资金支出计划 6月底：50% -> 60%\n" in working
    assert diff(repo, "main") == working
    old = repo.parent / "old"
    shutil.copytree(PROJECTS, old)
    folders = diff(repo, str(old), "projects")
    assert "删除单位（10 个项目）" in folders and "资金支出计划 6月底：50% -> 60%" in folders



def test_diff_shows_a_change_of_indicator_frame(tmp_path: Path) -> None:
    old, new = tmp_path / "old" / "镇", tmp_path / "new" / "镇"
    shutil.copytree(CASES / "valid" / "四类指标体系", old)
    shutil.copytree(CASES / "valid" / "四类指标体系", new)
    edit(old / "文档.yaml", "指标体系: 四类", "指标体系: 三类")
    run = perfgen("diff", str(old.parent), str(new.parent), cwd=tmp_path)
    assert run.returncode == 0 and "  指标体系：三类 -> 四类\n" in run.stdout

def test_diff_reports_a_bad_revision(repo: Path) -> None:
    run = perfgen("diff", "没有这个分支", cwd=repo)
    assert run.returncode == 1
    assert run.stderr.startswith("错误：git 中没有版本“没有这个分支”：请检查拼写")
    assert "fatal" not in run.stderr  # git's own message is English: a clerk reads Chinese only (issue 22)
    outside = perfgen("diff", "HEAD", "--projects", str(repo.parent), cwd=repo.parent)
    assert outside.returncode == 1 and outside.stderr.startswith("错误：这里不在 git 仓库中：") and "fatal" not in outside.stderr


# ------------------------------------------------------------------ text


def test_text_of_each_sample_contains_every_indicator_value(built_samples: dict[str, Path]) -> None:
    for name, path in built_samples.items():
        run = perfgen("text", str(path), cwd=ROOT)
        assert run.returncode == 0
        assert run.stdout == docx_to_text(path)
        document = yaml.safe_load((PROJECTS / name / "文档.yaml").read_text(encoding="utf-8"))
        for file in document["项目清单"]:
            project = yaml.safe_load((PROJECTS / name / file).read_text(encoding="utf-8"))
            for groups in project["绩效指标"].values():
                for row in (row for group in groups for row in group["指标"]):
                    assert f"\t{row['指标值']}\n" in run.stdout, (name, row)


def test_text_as_git_textconv(repo: Path, built_samples: dict[str, Path]) -> None:
    (repo / ".gitattributes").write_text("*.docx diff=docx\n", encoding="utf-8")
    # the documented two git config lines, with this test's Python for `perfgen`
    lines = ['git config diff.docx.textconv "perfgen text"', "git config core.quotepath false"]
    assert any("\n".join(lines) in text for text in documentation().values())
    git("config", "diff.docx.textconv", f"{shlex.quote(sys.executable)} -m perfgen text", cwd=repo)
    git("config", "core.quotepath", "false", cwd=repo)
    shutil.copy(built_samples[SMALL], repo / "绩效文本.docx")
    commit(repo, "文档")
    shutil.copy(built_samples["怀来县官厅镇-2024"], repo / "绩效文本.docx")
    shown = subprocess.run(["git", "diff"], cwd=repo, capture_output=True, text=True, check=True).stdout
    assert "diff --git a/绩效文本.docx b/绩效文本.docx\n" in shown  # names as written, not octal escapes
    assert "+\t816001怀来县官厅镇人民政府" in shown
    assert "-\t306001文安县机床市场管理委员会本级" in shown


# ------------------------------------------------------------------ pre-commit hooks


def test_pre_commit_hooks_run_their_entries(repo: Path) -> None:
    hooks = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert set(hooks) == {"perfgen-validate", "perfgen-fmt"}

    def run(hook_id: str, files: list[str]) -> subprocess.CompletedProcess[str]:
        """The hook as pre-commit runs it: its entry, given the changed files that match its pattern."""
        hook = hooks[hook_id]
        entry = shlex.split(hook["entry"])
        assert entry[0] == "perfgen" and hook.get("pass_filenames", True)
        names = [name for name in files if re.search(hook["files"], name)]
        return perfgen(*entry[1:], *names, cwd=repo)

    changed = [f"projects/{SMALL}/项目/专项办公经费.yaml", f"projects/{SMALL}/文档.yaml", ".pre-commit-config.yaml"]
    assert run("perfgen-fmt", changed).returncode == 0
    # an edit to a township with warnings only is not blocked by the errors of the others
    passed = run("perfgen-validate", changed)
    assert passed.returncode == 0, passed.stdout
    assert passed.stdout == (
        "共检查 4 个文件：与 HEAD 相比，新增 0 个错误，0 个警告；39 个问题在 HEAD 时已经存在，未列出（不加 --since 可查看全部）。\n"
    )
    # an edit to a township with old errors (the samples' published placeholders) is not blocked by them
    assert run("perfgen-validate", ["projects/卢龙县石门镇-2023/文档.yaml"]).returncode == 0

    shutil.copytree(ROOT / "tests" / "cases" / "valid" / "最小单位", repo / "projects" / "最小单位")
    tidy = ["projects/最小单位/项目/办公经费.yaml"]
    assert run("perfgen-validate", tidy).returncode == 0

    # an untidy file is stopped with the change shown and the command that fixes it
    untidy = repo / "projects" / "最小单位" / "项目" / "办公经费.yaml"
    edit(untidy, "预算数: 10.00", "预算数: 10.0")
    stopped = run("perfgen-fmt", tidy)
    assert stopped.returncode == 1
    assert "-预算数: 10.0\n+预算数: 10.00\n" in stopped.stdout
    assert stopped.stdout.endswith("运行 perfgen fmt projects/最小单位/项目/办公经费.yaml 即可整理。\n")
    edit(untidy, "预算数: 10.0", "预算数: [")
    assert run("perfgen-validate", tidy).returncode == 1
