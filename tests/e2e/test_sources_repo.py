"""A county's own sources repository: perfgen init, editor support, hooks on changed files, diff, CI workflow."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from conftest import PROJECTS, ROOT, perfgen, require_tool

from perfgen.repo.editor import schema_reference
from perfgen.repo.init import HOOK_LAUNCHER_TEXT, Source, init_repository, pre_commit_config, running_perfgen

GOOD = "文安县机床市场管委会-2023"  # rolled over from a sample: warnings only
BAD = "某镇-2025"  # new, with the scaffold's placeholders: errors
URL = "https://git.example.org/county/perfgen.git"
GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "经办人",
    "GIT_AUTHOR_EMAIL": "clerk@example.org",
    "GIT_COMMITTER_NAME": "经办人",
    "GIT_COMMITTER_EMAIL": "clerk@example.org",
}
WORKFLOWS = [ROOT / "examples" / "ci" / "perfgen-pull-request.yml", *sorted((ROOT / ".github" / "workflows").glob("*.yml"))]



def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=GIT_ENV, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    """A sources repository in a folder whose path has a space and Chinese characters, set up and committed."""
    repo = tmp_path / "县财政 源文件"
    repo.mkdir()
    git("init", "-q", "-b", "main", cwd=repo)
    run = perfgen("init", "--perfgen-url", URL, "--rev", "v0.3.0", cwd=repo)
    assert run.returncode == 0, run.stderr
    new = perfgen("new", f"projects/{BAD}", "--单位名称", "某镇人民政府", "--单位编码", "123001", "--年度", "2025", cwd=repo)
    assert new.returncode == 0, new.stderr
    rolled = perfgen("new", f"projects/{GOOD}", "--from", str(PROJECTS / "文安县机床市场管委会-2022"), cwd=repo)
    assert rolled.returncode == 0, rolled.stderr
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", "两个单位", cwd=repo)
    return repo


def run_hooks(repo: Path, changed: list[str]) -> dict[str, subprocess.CompletedProcess[str]]:
    """The repository's pre-commit hooks as pre-commit runs them: each entry, given the changed files it matches."""
    config = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    [entry] = config["repos"]
    assert (entry["repo"], entry["rev"]) == (URL, "v0.3.0")
    definitions = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    results = {}
    for hook in entry["hooks"]:
        definition = definitions[hook["id"]]
        command = shlex.split(definition["entry"])
        assert command[0] == "perfgen" and definition.get("pass_filenames", True)
        files = [name for name in changed if re.search(definition["files"], name)]
        results[hook["id"]] = perfgen(*command[1:], *files, cwd=repo)
    return results


def test_init_writes_the_set_up_once(sources: Path) -> None:
    for name in (".perfgen/schemas/document.schema.json", ".vscode/settings.json", ".vscode/extensions.json", ".gitignore"):
        assert (sources / name).is_file(), name
    workflow = (sources / ".github/workflows/perfgen.yml").read_text(encoding="utf-8")
    assert f"  PERFGEN_PACKAGE: ${{{{ vars.PERFGEN_PACKAGE || 'git+{URL}@v0.3.0' }}}}\n" in workflow
    assert "/build/" in (sources / ".gitignore").read_text(encoding="utf-8")
    again = perfgen("init", cwd=sources)
    assert again.returncode == 0
    assert again.stdout == (
        "已存在，未改动：.pre-commit-config.yaml\n"
        "已存在，未改动：.github/workflows/perfgen.yml\n"
        "完成：写入 0 个，未变 4 个，保留已有的 2 个。\n"
    )
    assert git("status", "--porcelain", cwd=sources) == ""
    newer = perfgen("init", "--perfgen-url", URL, "--rev", "v0.4.0", cwd=sources)
    assert "请注意：.pre-commit-config.yaml 已存在，未改动：要改用 perfgen v0.4.0，请把其中的 rev 改为 v0.4.0。\n" in newer.stdout


def test_without_a_known_source_the_hooks_run_the_installed_perfgen() -> None:
    config = yaml.safe_load(pre_commit_config(None))
    [entry] = config["repos"]
    assert entry["repo"] == "local"
    definitions = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [hook["id"] for hook in entry["hooks"]] == [hook["id"] for hook in definitions]
    for hook, definition in zip(entry["hooks"], definitions):
        # perfgen through the committed launcher, which finds each computer's perfgen without PATH
        assert hook["entry"] == "sh .perfgen/perfgen-hook " + definition["entry"].removeprefix("perfgen ")
        assert hook["files"] == definition["files"] and hook["language"] == "system"


def test_init_from_a_checkout_warns_and_writes_no_path_of_this_computer(tmp_path: Path) -> None:
    repo = tmp_path / "源文件"
    repo.mkdir()
    git("init", "-q", "-b", "main", cwd=repo)
    result = init_repository(repo, Source(str(ROOT), "0" * 40))
    config = (repo / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert str(ROOT) not in config and "repo: local" in config
    assert any(f"本机的文件夹 {ROOT} 安装的" in note for note in result.notes)
    assert (repo / ".perfgen" / "perfgen-hook").is_file()
    recorded = git("config", "perfgen.command", cwd=repo).strip()
    assert recorded == str(running_perfgen()) and Path(recorded).is_file()


def test_the_hook_launcher_finds_perfgen_without_path(tmp_path: Path) -> None:
    repo = tmp_path / "源文件"
    repo.mkdir()
    git("init", "-q", "-b", "main", cwd=repo)
    launcher = repo / ".perfgen" / "perfgen-hook"
    launcher.parent.mkdir()
    launcher.write_text(HOOK_LAUNCHER_TEXT, encoding="utf-8")
    perfgen_command = running_perfgen()
    assert perfgen_command is not None
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "GIT_CONFIG_NOSYSTEM": "1"}  # no perfgen on PATH

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(["sh", ".perfgen/perfgen-hook", "--version"], cwd=repo, env=env, capture_output=True, text=True, timeout=60)

    nowhere = run()
    assert nowhere.returncode == 1 and nowhere.stderr.startswith("找不到 perfgen：请运行 perfgen 离线安装包中的 安装.cmd")
    # pre-commit installed beside perfgen: its hook names that Python
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text(f"#!/usr/bin/env bash\nINSTALL_PYTHON='{perfgen_command.parent / 'python'}'\n", encoding="utf-8")
    beside = run()
    assert beside.returncode == 0 and beside.stdout.startswith("perfgen "), beside.stderr
    hook.unlink()
    git("config", "perfgen.command", str(perfgen_command), cwd=repo)  # what 安装.cmd or perfgen init records
    configured = run()
    assert configured.returncode == 0 and configured.stdout.startswith("perfgen "), configured.stderr


def test_editor_references_resolve(sources: Path) -> None:
    files = sorted((sources / "projects").rglob("*.yaml"))
    assert len(files) == 6  # 文档.yaml and 3 projects rolled over; 文档.yaml and the example project of the new one
    for source in files:
        reference = schema_reference(source)
        assert reference is not None and reference.is_file(), source
        assert reference.resolve().parent == (sources / ".perfgen" / "schemas").resolve()
    settings = json.loads((sources / ".vscode/settings.json").read_text(encoding="utf-8"))
    for schema, globs in settings["yaml.schemas"].items():
        assert (sources / schema).is_file()
        assert any(sources.glob(globs[0])), globs


def test_edit_one_township_while_another_has_errors(sources: Path) -> None:
    assert perfgen("validate", cwd=sources).returncode == 1  # the repository as a whole has errors (BAD)

    assert perfgen("validate", f"projects/{GOOD}", cwd=sources).returncode == 0
    project = sources / "projects" / GOOD / "项目" / "专项办公经费.yaml"
    text = project.read_text(encoding="utf-8")
    project.write_text(
        text.replace("预算数: 164000.00\n财政资金: 164000.00", "预算数: 170000.00\n财政资金: 170000.00"), encoding="utf-8"
    )
    changed = git("diff", "--name-only", "-z", cwd=sources).split("\0")
    changed = [name for name in changed if name]
    assert changed == [f"projects/{GOOD}/项目/专项办公经费.yaml"]
    results = run_hooks(sources, changed + [".vscode/settings.json"])
    assert {hook: run.returncode for hook, run in results.items()} == {"perfgen-validate": 0, "perfgen-fmt": 0}
    assert BAD not in results["perfgen-validate"].stdout

    markdown = perfgen("diff", "--format", "markdown", cwd=sources)
    assert markdown.returncode == 0, markdown.stderr
    assert markdown.stdout == (
        "## perfgen：内容变化\n\n"
        f"### 文安县机床市场管理委员会本级 2023年（`{GOOD}`）\n\n"
        "预算总额：923371.00 -> 929371.00 元（+6000.00）\n\n"
        "- 修改项目：专项办公经费（13102623P00237611443Q）\n"
        "  - 预算数：164000.00 -> 170000.00 元（+6000.00）\n"
        "  - 财政资金：164000.00 -> 170000.00 元（+6000.00）\n\n"
        "共 1 个单位有变化。\n"
    )

    # an untidy edit is stopped with the change and the command
    project.write_text(project.read_text(encoding="utf-8").replace("预算数: 170000.00", "预算数: 170000"), encoding="utf-8")
    stopped = run_hooks(sources, changed)["perfgen-fmt"]
    assert stopped.returncode == 1
    assert "-预算数: 170000\n+预算数: 170000.00\n" in stopped.stdout
    assert f"运行 perfgen fmt projects/{GOOD}/项目/专项办公经费.yaml 即可整理。" in stopped.stdout

    # an edit to the township with errors is not blocked by its old ones, but by one it brings
    example = sources / "projects" / BAD / "项目" / "示例项目.yaml"
    assert run_hooks(sources, [f"projects/{BAD}/项目/示例项目.yaml"])["perfgen-validate"].returncode == 0
    example.write_text(example.read_text(encoding="utf-8").replace("预算数: 10.00", "预算数: 10.00\n预算数: 11.00"), encoding="utf-8")
    blocked = run_hooks(sources, [f"projects/{BAD}/项目/示例项目.yaml"])["perfgen-validate"]
    assert blocked.returncode == 1 and "错误 [yaml-duplicate-key]" in blocked.stdout and "[placeholder]" not in blocked.stdout
    git("checkout", "--", f"projects/{BAD}", cwd=sources)

    # in CI the same problems are annotations on their lines
    annotated = perfgen("validate", "--format", "github", cwd=sources)
    assert annotated.returncode == 1
    lines = annotated.stdout.splitlines()
    assert lines[-1] == "共检查 6 个文件：19 个错误，45 个警告。"  # the example's code of zeros is an error; 3 warnings: the old year left in the rolled-over township
    assert all(line.startswith(("::error file=projects/", "::warning file=projects/")) for line in lines[:-1])
    assert f"::error file=projects/{BAD}/项目/示例项目.yaml,line=" in annotated.stdout


def test_build_from_and_into_paths_with_spaces_and_chinese(sources: Path) -> None:
    out = sources.parent / "输出 文件夹"
    run = perfgen("build", "--draft", "-o", str(out), f"projects/{GOOD}", cwd=sources)
    assert run.returncode == 0, run.stderr
    assert (out / f"{GOOD}.docx").is_file()


@pytest.mark.slow
def test_pre_commit_runs_the_hooks_on_the_staged_files(sources: Path, tmp_path: Path) -> None:
    """pre-commit itself: it installs perfgen from this checkout's commit and runs the two hooks."""
    pre_commit = require_tool("pre-commit")
    if not (ROOT / ".git").exists():
        pytest.skip("this copy of perfgen is not a git checkout")
    rev = git("rev-parse", "HEAD", cwd=ROOT).strip()
    (sources / ".pre-commit-config.yaml").write_text(pre_commit_config(Source(str(ROOT), rev)), encoding="utf-8")
    git("add", "-A", cwd=sources)
    git("commit", "-q", "-m", "perfgen 的检出", cwd=sources)
    env = {**GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit")}

    def run() -> subprocess.CompletedProcess[str]:
        git("add", "-A", cwd=sources)
        return subprocess.run([pre_commit, "run"], cwd=sources, env=env, capture_output=True, text=True, timeout=900)

    project = sources / "projects" / GOOD / "项目" / "专项办公经费.yaml"
    project.write_text(project.read_text(encoding="utf-8").replace("164000.00", "170000.00"), encoding="utf-8")
    passed = run()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert passed.stdout.count("Passed") == 2
    git("commit", "-q", "-m", "改预算", cwd=sources)

    example = sources / "projects" / BAD / "项目" / "示例项目.yaml"
    example.write_text(example.read_text(encoding="utf-8").replace("预算数: 10.00", "预算数: 10.0"), encoding="utf-8")
    failed = run()
    assert failed.returncode == 1  # untidy; its old placeholders are not this commit's
    assert "[placeholder]" not in failed.stdout and f"projects/{GOOD}" not in failed.stdout
    assert f"运行 perfgen fmt projects/{BAD}/项目/示例项目.yaml 即可整理。" in failed.stdout


# ------------------------------------------------------------------ the CI workflow


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_actionlint_passes(workflow: Path) -> None:
    actionlint, shellcheck = require_tool("actionlint"), require_tool("shellcheck")  # ShellCheck checks the run: scripts
    # Actions on node20 on purpose: the act_runner releases counties run have no node24, and GitHub
    # announced it will run node20 actions on node24 once it removes node20: its deprecation notice is let by
    ignore = ["-ignore", r'runtime "node20" is deprecated'] if workflow == WORKFLOWS[0] else []
    run = subprocess.run(
        [actionlint, "-no-color", f"-shellcheck={shellcheck}", *ignore, str(workflow)], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stdout + run.stderr


class FakeForge(BaseHTTPRequestHandler):
    """The comment endpoints that GitHub and Gitea share, kept in memory."""

    comments: list[dict[str, object]] = []
    assets: list[dict[str, object]] = []
    requests: list[tuple[str, str, str]] = []

    def _reply(self, status: int, data: object) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _body(self) -> dict[str, object]:
        return json.loads(self.rfile.read(int(self.headers["Content-Length"])))

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.requests.append(("GET", self.path, self.headers["Authorization"]))
        if self.path.endswith("/assets"):
            self._reply(200, self.assets)
            return
        self._reply(200, self.comments if self.path.startswith("/repos/county/sources/issues/7/comments?") else [])

    def do_POST(self) -> None:  # noqa: N802
        self.requests.append(("POST", self.path, self.headers["Authorization"]))
        if self.path.endswith("/assets"):  # Gitea's attachments of a comment: a multipart form with `attachment`
            form = self.rfile.read(int(self.headers["Content-Length"]))
            name = re.search(rb'name="attachment"; filename="([^"]+)"', form)
            asset = {"id": 500 + len(self.assets), "name": name.group(1).decode() if name else ""}
            self.assets.append(asset)
            self._reply(201, asset)
            return
        comment = {"id": 100 + len(self.comments), **self._body()}
        self.comments.append(comment)
        self._reply(201, comment)

    def do_DELETE(self) -> None:  # noqa: N802
        self.requests.append(("DELETE", self.path, self.headers["Authorization"]))
        number = int(self.path.rsplit("/", 1)[1])
        self.assets[:] = [a for a in self.assets if a["id"] != number]
        self.send_response(204)
        self.end_headers()

    def do_PATCH(self) -> None:  # noqa: N802
        self.requests.append(("PATCH", self.path, self.headers["Authorization"]))
        number = int(self.path.rsplit("/", 1)[1])
        [comment] = [c for c in self.comments if c["id"] == number]
        comment.update(self._body())
        self._reply(200, comment)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def forge() -> Iterator[str]:
    FakeForge.comments = [{"id": 1, "body": "看起来不错"}]
    FakeForge.assets = []
    FakeForge.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeForge)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_workflow_posts_one_comment_and_updates_it(tmp_path: Path, forge: str) -> None:
    require_tool("curl")
    steps = yaml.safe_load(WORKFLOWS[0].read_text(encoding="utf-8"))["jobs"]["review"]["steps"]
    [step] = [s for s in steps if "评论" in s.get("name", "")]
    diff = tmp_path / "perfgen-diff.md"
    env = {
        "PATH": os.environ["PATH"],
        "RUNNER_TEMP": str(tmp_path),
        "API": forge,
        "REPOSITORY": "county/sources",
        "NUMBER": "7",
        "TOKEN": "secret",
        "DIFF": str(diff),
    }
    for text in ("## perfgen：内容变化\n\n第一次\n", "## perfgen：内容变化\n\n第二次\n"):
        diff.write_text(text, encoding="utf-8")
        run = subprocess.run(["bash", "-e", "-c", step["run"]], env=env, capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, run.stderr
    assert FakeForge.comments == [
        {"id": 1, "body": "看起来不错"},
        {"id": 101, "body": "<!-- perfgen diff -->\n## perfgen：内容变化\n\n第二次\n"},
    ]
    assert [(method, path.split("?")[0]) for method, path, _ in FakeForge.requests] == [
        ("GET", "/repos/county/sources/issues/7/comments"),
        ("POST", "/repos/county/sources/issues/7/comments"),
        ("GET", "/repos/county/sources/issues/7/comments"),
        ("PATCH", "/repos/county/sources/issues/comments/101"),
    ]
    assert {auth for _, _, auth in FakeForge.requests} == {"token secret"}


def expression(text: str, context: dict[str, str]) -> str:
    """A workflow's ${{ … }} as the runner evaluates the ones it uses: names of the context, `||`, quoted defaults, format()."""

    def value(match: re.Match[str]) -> str:
        for part in match.group(1).split("||"):
            part = part.strip()
            call = re.fullmatch(r"format\('([^']*)', (.*)\)", part)
            if call:
                found = call.group(1).format(*(context.get(name.strip(), "") for name in call.group(2).split(",")))
            else:
                found = part[1:-1] if part.startswith("'") else context.get(part, "")
            if found:
                return found
        return ""

    return re.sub(r"\$\{\{(.*?)\}\}", value, text)


@pytest.mark.slow  # installs perfgen into a fresh environment, as the runner does
def test_workflow_steps_run_on_a_sample_pull_request(sources: Path, tmp_path: Path, forge: str) -> None:
    """Every `run:` step of the workflow, in order, in a pull request of the sources repository."""
    require_tool("curl")
    git("checkout", "-q", "-b", "修改预算", cwd=sources)
    project = sources / "projects" / GOOD / "项目" / "专项办公经费.yaml"
    project.write_text(project.read_text(encoding="utf-8").replace("164000.00", "170000.00"), encoding="utf-8")
    git("commit", "-q", "-am", "改预算", cwd=sources)
    git("update-ref", "refs/remotes/origin/main", "main", cwd=sources)  # what checkout's fetch-depth 0 leaves
    # apt-get is recorded, not run: the packages it would install are checked below
    fakes = tmp_path / "fakes"
    fakes.mkdir()
    (fakes / "apt-get").write_text(f'#!/bin/sh\necho "$@" >> {shlex.quote(str(tmp_path / "apt.log"))}\n', encoding="utf-8")
    (fakes / "apt-get").chmod(0o755)
    runner = tmp_path / "runner"
    runner.mkdir()
    context = {
        "vars.PERFGEN_PACKAGE": str(ROOT), "vars.PERFGEN_PDF": "false", "github.base_ref": "main",
        "github.api_url": forge, "github.repository": "county/sources", "github.event.pull_request.number": "7",
        "secrets.GITHUB_TOKEN": "secret", "runner.temp": str(runner), "github.server_url": "https://git.example.org",
        "github.run_number": "12",
    }
    workflow = yaml.safe_load(WORKFLOWS[0].read_text(encoding="utf-8"))
    env = {name: expression(str(value), context) for name, value in workflow["env"].items()}
    assert env["PERFGEN_UPLOAD"] == "comment" and env["PERFGEN_PACKAGE"] == str(ROOT)
    path_file, summary, outputs = runner / "path", runner / "summary.md", runner / "outputs"
    base = {
        "HOME": str(tmp_path), "RUNNER_TEMP": str(runner), "GITHUB_PATH": str(path_file), "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_OUTPUT": str(outputs),
        **{k: v for k, v in os.environ.items() if k.startswith("PIP_") or k in ("LANG", "TMPDIR")},
    }
    codes = {}
    for step in workflow["jobs"]["review"]["steps"]:
        if "run" not in step:
            continue
        added = path_file.read_text(encoding="utf-8").split() if path_file.exists() else []
        path = os.pathsep.join([*reversed(added), str(fakes), "/usr/bin", "/bin"])
        step_env = {name: expression(str(value), context) for name, value in step.get("env", {}).items()}
        run = subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", step["run"]], cwd=sources, env={**base, **env, **step_env, "PATH": path},
            capture_output=True, text=True, timeout=900,
        )
        codes[step["name"]] = run.returncode
        assert run.returncode == 0, (step["name"], run.stdout[-2000:], run.stderr[-2000:])
        if outputs.exists():  # what a step wrote to $GITHUB_OUTPUT is steps.<id>.outputs.<name> for the later ones
            for line in outputs.read_text(encoding="utf-8").splitlines():
                name, _, value = line.partition("=")
                context[f"steps.{step.get('id')}.outputs.{name}"] = value
            outputs.unlink()
    assert len(codes) == 9  # every step but checkout and the artifact's upload (PERFGEN_UPLOAD is comment)
    apt = (tmp_path / "apt.log").read_text(encoding="utf-8")
    assert "install" in apt and "python3-venv" in apt and "libreoffice" not in apt  # PERFGEN_PDF false: no LibreOffice
    assert "预算数：164000.00 -> 170000.00 元" in summary.read_text(encoding="utf-8")
    [comment] = [c for c in FakeForge.comments if "<!-- perfgen diff -->" in str(c["body"])]
    assert "预算数：164000.00 -> 170000.00 元" in str(comment["body"])
    names = sorted(str(a["name"]) for a in FakeForge.assets)
    assert names == sorted([f"{GOOD}.docx", f"{BAD}.docx", "全部问题.json", "全部问题.txt", "报表.xlsx"]), names


def test_the_workflow_installs_the_packages_of_a_complete_build() -> None:
    """The same Debian packages as install.sh and the tests (tools/debian.sh), so CI's PDFs match local ones."""
    listed = subprocess.run(
        ["bash", "-c", "source tools/debian.sh; have_command() { return 1; }; have_uno() { return 1; }; "
         "have_font() { return 1; }; need=(); add_office_packages; echo \"${need[@]}\""],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.split()
    script = next(s["run"] for s in yaml.safe_load(WORKFLOWS[0].read_text(encoding="utf-8"))["jobs"]["review"]["steps"] if s.get("id") == "install")
    [office] = re.findall(r"packages\+=\(([^)]*)\)", script)
    assert office.split() == listed
