"""Reviewing a change: project identity, unreadable sides, year over year, and only the problems a change brings."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, PROJECTS, ROOT, commit, edit, git, perfgen

GUANTING = "怀来县官厅镇-2024"
SHIMEN = "卢龙县石门镇-2023"
SMALL = "文安县机床市场管委会-2022"
WAGES = "项目/官厅镇村干部工资.yaml"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A sources repository with two sample townships committed on main."""
    for name in (GUANTING, SHIMEN):
        shutil.copytree(PROJECTS / name, tmp_path / "projects" / name)
    git("init", "-q", "-b", "main", cwd=tmp_path)
    commit(tmp_path, "起点")
    return tmp_path


def copy_project_keeping_its_code(township: Path) -> None:
    """The reproduction of issue 21: a project file copied, renamed and listed, its 项目编码 kept."""
    text = (township / WAGES).read_text(encoding="utf-8")
    for old, new in (("项目名称: 官厅镇村干部工资", "项目名称: 新项目"), ("预算数: 67.54", "预算数: 12.00"), ("财政资金: 67.54", "财政资金: 12.00")):
        assert old in text
        text = text.replace(old, new)
    (township / "项目" / "新项目.yaml").write_text(text, encoding="utf-8")
    edit(township / "文档.yaml", f"  - {WAGES}\n", f"  - {WAGES}\n  - 项目/新项目.yaml\n")


# ------------------------------------------------------------------ 1. project identity


def test_a_copied_project_with_its_code_is_an_error_and_shows_in_the_diff(repo: Path) -> None:
    township = repo / "projects" / GUANTING
    copy_project_keeping_its_code(township)
    checked = perfgen("validate", f"projects/{GUANTING}", "--rule", "code-duplicate", cwd=repo)
    assert checked.returncode == 1
    assert checked.stdout == (
        f"projects/{GUANTING}/{WAGES}:2:7: 错误 [code-duplicate] 项目编码“13073024P00888510015C”在本单位中重复："
        "项目“新项目”（新项目.yaml）也用它。复制项目文件后请改成新项目自己的编码\n"
        f"projects/{GUANTING}/项目/新项目.yaml:2:7: 错误 [code-duplicate] 项目编码“13073024P00888510015C”在本单位中重复："
        "项目“官厅镇村干部工资”（官厅镇村干部工资.yaml）也用它。复制项目文件后请改成新项目自己的编码\n"
        "共检查 25 个文件：2 个错误，0 个警告。\n"
    )
    head = (
        f"怀来县官厅镇人民政府 2024年（{GUANTING}）\n"
        "  预算总额：894.78 -> 906.78 万元（+12.00）\n"
        "  新增项目：新项目（13073024P00888510015C）\n"
        "    预算数 12.00 万元；财政资金 12.00 万元；其他资金 0.00 万元\n"
    )
    working = perfgen("diff", cwd=repo)
    assert working.returncode == 0 and working.stdout.startswith(head), working.stdout
    commit(repo, "新项目")
    committed = perfgen("diff", "HEAD~1", "HEAD", cwd=repo)
    assert committed.returncode == 0 and committed.stdout == working.stdout

    # the other variant: the original renamed as well, so that no file keeps its name
    git("mv", f"projects/{GUANTING}/{WAGES}", f"projects/{GUANTING}/项目/工资.yaml", cwd=repo)
    edit(township / "文档.yaml", f"  - {WAGES}\n", "  - 项目/工资.yaml\n")
    commit(repo, "改文件名")
    both = perfgen("diff", "HEAD~2", "HEAD", cwd=repo)
    assert both.stdout.startswith(head) and "删除项目" not in both.stdout and "修改项目" not in both.stdout


def test_the_same_code_in_two_townships_is_a_warning_at_each(repo: Path) -> None:
    shimen = repo / "projects" / SHIMEN / "项目" / "执法经费.yaml"
    edit(shimen, "项目编码: 13032423P00442810071T", "项目编码: 13073024P00888510015C")
    run = perfgen("validate", "--rule", "code-shared", cwd=repo)
    assert run.returncode == 0
    assert run.stdout == (
        f"projects/{SHIMEN}/项目/执法经费.yaml:2:7: 警告 [code-shared] 项目编码“13073024P00888510015C”也出现在单位 {GUANTING} 中："
        "不同单位的项目不应共用编码，请核对\n"
        f"projects/{GUANTING}/{WAGES}:2:7: 警告 [code-shared] 项目编码“13073024P00888510015C”也出现在单位 {SHIMEN} 中："
        "不同单位的项目不应共用编码，请核对\n"
        "共检查 42 个文件：0 个错误，2 个警告。\n"
    )
    # one township at a time has no other township to share a code with
    assert "code-shared" not in perfgen("validate", f"projects/{SHIMEN}", cwd=repo).stdout


def shared_lines(run_output: str) -> list[str]:
    return sorted(line for line in run_output.splitlines() if "[code-shared]" in line)


def test_build_of_several_townships_reports_a_shared_code_as_validate_does(repo: Path) -> None:
    """build tells a clerk who builds a county what validate tells them, from what its one load found."""
    shimen = repo / "projects" / SHIMEN / "项目" / "执法经费.yaml"
    edit(shimen, "项目编码: 13032423P00442810071T", "项目编码: 13073024P00888510015C")
    validated = shared_lines(perfgen("validate", "--rule", "code-shared", cwd=repo).stdout)
    assert len(validated) == 2

    built = perfgen("build", "--draft", "-o", "out", cwd=repo)
    assert built.returncode == 0, built.stderr  # a warning: both documents are made
    assert shared_lines(built.stdout + built.stderr) == validated
    assert {f"{name}.docx" for name in (GUANTING, SHIMEN)} <= {p.name for p in (repo / "out").iterdir()}

    # unchanged, both are skipped: the warning comes from their recorded codes, nothing is loaded again
    again = perfgen("build", "--draft", "-o", "out", cwd=repo)
    assert again.stdout.count("未变，跳过") == 2 and shared_lines(again.stdout + again.stderr) == validated
    # one township alone has no other to share a code with
    assert shared_lines(perfgen("build", "--draft", "-o", "out", f"projects/{SHIMEN}", cwd=repo).stdout) == []

    # the code mended in one township: the other, skipped, no longer warns (a record keeps only its own problems)
    edit(shimen, "项目编码: 13073024P00888510015C", "项目编码: 13032423P00442810071T")
    mended = perfgen("build", "--draft", "-o", "out", cwd=repo)
    assert f"{GUANTING}：未变，跳过" in mended.stdout and shared_lines(mended.stdout + mended.stderr) == []



def test_build_strict_makes_no_document_whose_code_another_township_uses(tmp_path: Path) -> None:
    from conftest import CASES

    for name in ("最小单位", "特殊字符"):  # no problem of their own; they share their one 项目编码
        shutil.copytree(CASES / "valid" / name, tmp_path / "src" / name)
    lenient = perfgen("build", "--draft", "-o", "lenient", "src", cwd=tmp_path)
    assert lenient.returncode == 0 and len(shared_lines(lenient.stdout + lenient.stderr)) == 2
    strict = perfgen("build", "--draft", "--strict", "-o", "strict", "src", cwd=tmp_path)
    assert strict.returncode == 1
    assert strict.stderr.count("与其他单位共用项目编码，检查发现 1 个警告（--strict），未生成文档") == 2
    assert not (tmp_path / "strict").exists() or not list((tmp_path / "strict").glob("*.docx"))
    # nothing recorded: with the code mended, both are built
    project = tmp_path / "src" / "特殊字符" / "项目" / "办公经费.yaml"
    project.write_text(project.read_text(encoding="utf-8").replace("P00000000001A", "P00000000002A"), encoding="utf-8")
    assert perfgen("build", "--draft", "--strict", "-o", "strict", "src", cwd=tmp_path).returncode == 0
    assert len(list((tmp_path / "strict").glob("*.docx"))) == 2


# ------------------------------------------------------------------ 2. a side that cannot be read


def test_a_file_with_a_syntax_error_is_an_error_not_a_deletion(repo: Path) -> None:
    wages = repo / "projects" / GUANTING / WAGES
    wages.write_text(wages.read_text(encoding="utf-8").replace("预算数: 67.54", "预算数: [67.54"), encoding="utf-8")
    commit(repo, "语法错误")
    run = perfgen("diff", "HEAD~1", "HEAD", cwd=repo)
    assert run.returncode == 3
    name = f"projects/{GUANTING}/{WAGES}（HEAD）"
    assert "删除项目" not in run.stdout and "perfgen-diff" not in run.stdout + run.stderr
    assert run.stdout.startswith(
        f"怀来县官厅镇人民政府 2024年（{GUANTING}）\n"
        # both totals without the file that cannot be read: the total does not seem to fall by its 67.54
        "  预算总额：有文件无法读取，合计不完整；两个版本都不计这些文件中的项目，其余项目 827.24 万元（未变）\n"
        f"  新版本的 {name} 第 4 行有格式错误，此文件未参与比较："
    )
    assert run.stderr.startswith(f"{name}:4:")
    assert run.stderr.endswith("错误：1 个文件无法读取，未参与比较：请先改正上面的格式错误。\n")
    # the working tree names the file as it is
    working = perfgen("diff", "HEAD~1", cwd=repo)
    assert working.returncode == 3 and f"新版本的 projects/{GUANTING}/{WAGES} 第 4 行有格式错误" in working.stdout


def test_with_a_file_unreadable_the_total_compares_the_same_projects(repo: Path) -> None:
    """A broken file beside a copied project: the change of total is the copy's +12.00, not the broken file's minus."""
    township = repo / "projects" / GUANTING
    copy_project_keeping_its_code(township)
    fire = next(township.glob("项目/*防火经费.yaml"))
    edit(fire, "预算数: ", "预算数: [")
    run = perfgen("diff", "main", cwd=repo)
    assert run.returncode == 3
    assert "  预算总额：有文件无法读取，合计不完整；两个版本都不计这些文件中的项目，其余项目 873.78 -> 885.78 万元（+12.00）\n" in run.stdout


def test_a_renamed_township_folder_is_said_even_when_its_content_is_the_same(repo: Path) -> None:
    git("mv", f"projects/{GUANTING}", "projects/怀来县官厅镇人民政府-2024", cwd=repo)
    commit(repo, "改名")
    run = perfgen("diff", "HEAD~1", "HEAD", cwd=repo)
    assert run.returncode == 0
    assert run.stdout == (
        f"怀来县官厅镇人民政府 2024年（{GUANTING} -> 怀来县官厅镇人民政府-2024）\n"
        "  预算总额：894.78 万元（未变）\n"
        f"  单位文件夹改名，内容没有变化：生成的文档由 {GUANTING}.docx 改为 怀来县官厅镇人民政府-2024.docx\n"
        "共 1 个单位有变化。\n"
    )


def test_a_folder_that_does_not_exist_is_an_error(repo: Path) -> None:
    typo = perfgen("diff", "HEAD", "--projects", "projets", cwd=repo)
    assert (typo.returncode, typo.stdout) == (1, "")
    assert typo.stderr == "错误：文件夹 projets 不存在：请检查 --projects（源文件所在的文件夹，默认 projects）\n"
    both = perfgen("diff", "HEAD", "HEAD", "--projects", "projets", cwd=repo)
    assert both.returncode == 1 and "版本 HEAD 和 HEAD 中都没有文件夹 projets" in both.stderr
    missing = perfgen("diff", "没有的文件夹", "projects", cwd=repo)
    assert missing.returncode == 1 and missing.stderr.startswith("错误：git 中没有版本“没有的文件夹”")


# ------------------------------------------------------------------ 3. year over year


def roll_and_edit(old: Path, new: Path) -> None:
    """Next year's folder by new --from, then a year's edits: a budget, a goal, an indicator, a project added and one dropped."""
    run = perfgen("new", str(new), "--from", str(old), cwd=new.parent)
    assert run.returncode == 0, run.stderr
    wages = new / WAGES
    edit(wages, "预算数: 67.54\n财政资金: 67.54", "预算数: 70.00\n财政资金: 70.00")
    edit(wages, "2024县级预算编制通知", "2025县级预算编制通知")
    edit(wages, "指标值: 21个", "指标值: 22个")
    dropped = next(name for name in (new / "项目").iterdir() if "防火" in name.name)
    dropped.unlink()
    edit(new / "文档.yaml", f"  - 项目/{dropped.name}\n", "")
    added = wages.read_text(encoding="utf-8").replace("P00888510015C", "P00888510099C").replace("预算数: 70.00", "预算数: 5.00")
    (new / "项目" / "巡河补贴.yaml").write_text(added.replace("项目名称: 官厅镇村干部工资", "项目名称: 巡河补贴"), encoding="utf-8")
    edit(new / "文档.yaml", f"  - {WAGES}\n", f"  - {WAGES}\n  - 项目/巡河补贴.yaml\n")


def test_year_over_year_between_folders_and_across_a_renamed_folder(tmp_path: Path, repo: Path) -> None:
    old = tmp_path / "2024" / GUANTING
    shutil.copytree(PROJECTS / GUANTING, old)
    new = tmp_path / "2025" / "怀来县官厅镇-2025"
    new.parent.mkdir()
    roll_and_edit(old, new)
    run = perfgen("diff", str(old.parent), str(new.parent), cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "新增单位" not in run.stdout and "删除单位" not in run.stdout
    assert run.stdout == (FIXTURES / "review" / "year-over-year.txt").read_text(encoding="utf-8")

    # in git: the folder renamed to the new year in one commit
    git("rm", "-q", "-r", f"projects/{GUANTING}", cwd=repo)
    shutil.copytree(new, repo / "projects" / new.name)
    commit(repo, "2025 年")
    renamed = perfgen("diff", "HEAD~1", "HEAD", cwd=repo)
    assert renamed.returncode == 0
    assert renamed.stdout == run.stdout


def test_old_year_mentions_are_warnings_until_changed_or_marked(tmp_path: Path) -> None:
    old = tmp_path / GUANTING
    shutil.copytree(PROJECTS / GUANTING, old)
    new = tmp_path / "怀来县官厅镇-2025"
    roll_and_edit(old, new)
    run = perfgen("validate", new.name, "--rule", "rollover-review", cwd=tmp_path)
    mentions = [line for line in run.stdout.splitlines() if "仍是上一年度" in line]
    assert len(mentions) == 13  # 14 projects quote the 2024 budget notice; one was changed above
    assert "\n".join(mentions) + "\n" == (FIXTURES / "review" / "old-year-warnings.txt").read_text(encoding="utf-8")
    assert mentions[0] == (
        "怀来县官厅镇-2025/项目/官厅镇怀财字【2024】7号2022年一事一议项目资金.yaml:41:20: 警告 [rollover-review] "
        "“2024县级预算编制通知”中仍是上一年度 2024：本单位从 2024 年结转，请改为 2025 年的内容；"
        "确实指 2024 年时，在这一行末尾加注释“# 保留年份”（文号写在方括号中，如【2024】7号，不提示）"
    )
    # a 文号's year in brackets is never flagged: 项目名称 “官厅镇怀财字【2024】7号…” is not
    assert not any(":3:" in line for line in mentions)
    # marked as meant, the line is quiet; 第一部分 is checked too
    first = new / "项目" / "官厅镇怀财字【2024】7号2022年一事一议项目资金.yaml"
    edit(first, "指标值确定依据: 2024县级预算编制通知\n", "指标值确定依据: 2024县级预算编制通知  # 保留年份\n")
    edit(new / "文档.yaml", "条目:\n", "条目:\n      - 完成2024年结转工作\n")
    again = perfgen("validate", new.name, "--rule", "rollover-review", cwd=tmp_path).stdout
    assert first.name + ":41:" not in again
    assert "怀来县官厅镇-2025/文档.yaml:" in again and "“完成2024年结转工作”中仍是上一年度 2024" in again
    # the township it came from is not a rolled-over one: its own mentions of earlier years are not flagged
    assert "仍是上一年度" not in perfgen("validate", str(old), "--rule", "rollover-review", cwd=tmp_path).stdout


# ------------------------------------------------------------------ 4. only the problems a change brings


def test_validate_since_reports_only_what_a_branch_brings(repo: Path) -> None:
    # main has old errors in both townships (the samples' placeholders)
    everything = perfgen("validate", cwd=repo)
    assert everything.returncode == 1
    git("checkout", "-q", "-b", "改动", cwd=repo)
    guanting, shimen = repo / "projects" / GUANTING, repo / "projects" / SHIMEN
    # one old error fixed in one township, one new error brought into the other; lines move above both
    fixed = guanting / "项目" / "官厅镇怀财字【2024】7号防火经费.yaml"
    edit(fixed, "目标内容1", "保障防火工作正常开展")
    edit(fixed, "项目名称:", "# 一行注释，后面的行号都变了\n项目名称:")
    edit(shimen / "项目" / "执法经费.yaml", "资金用途:", "# 注释\n资金用途:")
    edit(shimen / "项目" / "执法经费.yaml", "- 三级指标: ", "- 三级指标: 指标内容1", )
    commit(repo, "一处改好，一处改错")
    since = perfgen("validate", "--since", "main", cwd=repo)
    assert since.returncode == 1
    lines = since.stdout.splitlines()
    assert len(lines) == 2 and "[placeholder] “指标内容1”" in lines[0] and lines[0].startswith(f"projects/{SHIMEN}/项目/执法经费.yaml:")
    known = len(everything.stdout.splitlines()) - 1 - 1  # without its summary line and the error fixed
    assert lines[1] == f"共检查 42 个文件：与 main 相比，新增 1 个错误，0 个警告；{known} 个问题在 main 时已经存在，未列出（不加 --since 可查看全部）。"

    # a branch that brings none passes, its old errors counted only
    git("checkout", "-q", "-b", "没有新问题", "main", cwd=repo)
    edit(guanting / WAGES, "预算数: 67.54\n财政资金: 67.54", "预算数: 68.00\n财政资金: 68.00")
    commit(repo, "改预算")
    clean = perfgen("validate", "--since", "main", cwd=repo)
    assert clean.returncode == 0 and clean.stdout.startswith("共检查 42 个文件：与 main 相比，新增 0 个错误，0 个警告；")
    # a new township is new in every problem
    shutil.copytree(PROJECTS / SMALL, repo / "projects" / SMALL)
    brought = perfgen("validate", "--since", "main", f"projects/{SMALL}", "--format", "json", cwd=repo)
    assert brought.stdout.count('"rule"') == len(perfgen("validate", f"projects/{SMALL}", "--format", "json", cwd=repo).stdout.split('"rule"')) - 1


def test_validate_since_pairs_a_renamed_township_folder_by_unit_code_and_year(repo: Path) -> None:
    """A folder renamed on the branch is its old self: only what the change brings is new, said with the rename."""
    git("checkout", "-q", "-b", "改名", cwd=repo)
    renamed = "怀来县官厅镇人民政府-2024"
    git("mv", f"projects/{GUANTING}", f"projects/{renamed}", cwd=repo)
    all_of_it = perfgen("validate", f"projects/{renamed}", "--format", "json", cwd=repo)
    assert all_of_it.stdout.count('"rule"') > 100  # the sample's old problems, all still there

    # renamed only (staged or committed): nothing is new, with the folder named as it is now
    for state in ("staged", "committed"):
        run = perfgen("validate", "--since", "main", cwd=repo)
        assert run.returncode == 0, (state, run.stdout)
        assert run.stdout.splitlines()[0] == (
            f"单位文件夹 projects/{GUANTING} 已改名为 projects/{renamed}（按单位编码和年度对应），与它在 main 时的问题比较。"
        ), state
        assert "新增 0 个错误，0 个警告" in run.stdout, state
        if state == "staged":
            commit(repo, "改名")

    # renamed and changed: exactly the problem the change brings, under the new name (one township, as the hook names it)
    edit(repo / "projects" / renamed / WAGES, "预算数: 67.54", "预算数: 67.5432")
    run = perfgen("validate", "--since", "main", f"projects/{renamed}/{WAGES}", "--format", "json", cwd=repo)
    problems = json.loads(run.stdout)
    assert {(p["file"], p["township"]) for p in problems} == {(f"projects/{renamed}/{WAGES}", renamed)}
    assert problems and all(p["file"].startswith(f"projects/{renamed}/") for p in problems)

    # a township copied under a new name, its old folder kept, is a new township: all its problems are new
    shutil.copytree(repo / "projects" / SHIMEN, repo / "projects" / "石门镇副本")
    copied = perfgen("validate", "--since", "main", "projects/石门镇副本", "--format", "json", cwd=repo)
    assert copied.stdout.count('"rule"') == perfgen("validate", "projects/石门镇副本", "--format", "json", cwd=repo).stdout.count('"rule"')


def test_validate_since_head_in_a_repository_without_commits(tmp_path: Path) -> None:
    shutil.copytree(PROJECTS / SMALL, tmp_path / "projects" / SMALL)
    git("init", "-q", "-b", "main", cwd=tmp_path)
    run = perfgen("validate", "--since", "HEAD", cwd=tmp_path)
    assert run.returncode == 0 and run.stdout.endswith("共检查 4 个文件：与 HEAD 相比，新增 0 个错误，39 个警告。\n")


def test_validate_rule_selects_and_names_unknown_rules(repo: Path) -> None:
    run = perfgen("validate", "--rule", "placeholder", "--rule", "code-year", cwd=repo)
    rules = {line.split("[")[1].split("]")[0] for line in run.stdout.splitlines()[:-1]}
    assert rules == {"placeholder"}
    wrong = perfgen("validate", "--rule", "没有这条", cwd=repo)
    assert wrong.returncode == 1 and wrong.stderr.startswith("错误：没有规则 没有这条：")


WORKFLOW = ROOT / "examples" / "ci" / "perfgen-pull-request.yml"


def workflow_step(name: str) -> dict:
    steps = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["review"]["steps"]
    [step] = [s for s in steps if s.get("name") == name]
    return step


def run_step(name: str, repo: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """A run: step of the workflow, as the runner runs it (bash -e), with this perfgen on PATH."""
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])
    output = repo.parent / "github-output"
    output.touch()
    environment = {"PATH": path, "GITHUB_OUTPUT": str(output), "RUNNER_TEMP": str(repo.parent), **env}
    return subprocess.run(["bash", "-e", "-c", workflow_step(name)["run"]], cwd=repo, env=environment, capture_output=True, text=True, timeout=300)


def test_the_hook_and_the_workflow_pass_a_branch_that_brings_no_error(repo: Path) -> None:
    git("checkout", "-q", "-b", "改预算", cwd=repo)
    git("update-ref", "refs/remotes/origin/main", "main", cwd=repo)  # as actions/checkout with fetch-depth 0 leaves it
    wages = repo / "projects" / GUANTING / WAGES
    edit(wages, "预算数: 67.54\n财政资金: 67.54", "预算数: 68.00\n财政资金: 68.00")
    # the hook as pre-commit runs it on the staged file
    hooks = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    entry = shlex.split(hooks["perfgen-validate"]["entry"])
    hook = perfgen(*entry[1:], f"projects/{GUANTING}/{WAGES}", cwd=repo)
    assert hook.returncode == 0, hook.stdout
    commit(repo, "改预算")

    base = run_step("目标分支", repo, BASE_REF="main")
    assert base.returncode == 0, base.stderr
    sha = (repo.parent / "github-output").read_text(encoding="utf-8").strip().removeprefix("sha=")
    assert sha == git("rev-parse", "main", cwd=repo).strip()
    passed = run_step("检查这次改动带来的问题", repo, BASE=sha)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "::error" not in passed.stdout and "新增 0 个错误" in passed.stdout

    # the full list stays in the artifact and the job summary
    summary = repo.parent / "summary.md"
    full = run_step("全部问题（附件和运行摘要）", repo, GITHUB_STEP_SUMMARY=str(summary))
    assert full.returncode == 0, full.stderr
    listed = (repo / "build" / "检查结果" / "全部问题.txt").read_text(encoding="utf-8")
    assert "错误 [placeholder]" in listed
    assert summary.read_text(encoding="utf-8").startswith("全部问题（包括以前就有的）：共检查 42 个文件：")

    # a branch that brings an error fails
    edit(wages, "预算数: 68.00", "预算数: 68.00\n预算数: 69.00")
    commit(repo, "重复的键")
    failed = run_step("检查这次改动带来的问题", repo, BASE=sha)
    assert failed.returncode == 1 and f"::error file=projects/{GUANTING}/{WAGES}," in failed.stdout

    comment = run_step("内容变化和新问题", repo, BASE=sha, LINK="https://forge.example/run/1")
    assert comment.returncode == 0, comment.stderr  # a file that cannot be read is in the comment, which is posted
    text = (repo.parent / "perfgen-diff.md").read_text(encoding="utf-8")
    assert "## perfgen：这次改动带来的问题" in text and "[yaml-duplicate-key]" in text
    assert text.endswith("文档、全县报表和完整的检查结果：[本次运行的附件](https://forge.example/run/1)\n")


def test_the_workflow_checks_the_format_of_the_files_a_branch_changes_only(repo: Path) -> None:
    """As the pre-commit hook: a source file nobody touched does not fail a pull request's format step."""
    assert perfgen("init", "-q", cwd=repo).returncode == 0
    commit(repo, "perfgen init")
    # main's files, copied from perfgen's samples, point their $schema lines elsewhere than .perfgen/schemas
    assert perfgen("fmt", "--check", cwd=repo).returncode == 1
    git("checkout", "-q", "-b", "改预算", cwd=repo)
    sha = git("rev-parse", "main", cwd=repo).strip()
    assert run_step("格式是否统一", repo, BASE=sha).stdout == "这次改动没有改源文件。\n"

    wages = repo / "projects" / GUANTING / WAGES
    assert perfgen("fmt", f"projects/{GUANTING}/{WAGES}", cwd=repo).returncode == 0
    edit(wages, "预算数: 67.54\n财政资金: 67.54", "预算数: 68.00\n财政资金: 68.00")
    commit(repo, "改预算")
    passed = run_step("格式是否统一", repo, BASE=sha)
    assert passed.returncode == 0, passed.stdout + passed.stderr

    edit(wages, "预算数: 68.00", "预算数:   68.00")
    commit(repo, "多了空格")
    failed = run_step("格式是否统一", repo, BASE=sha)
    assert failed.returncode == 1
    assert f"需要整理：projects/{GUANTING}/{WAGES}\n" in failed.stdout and failed.stdout.count("需要整理：") == 1
