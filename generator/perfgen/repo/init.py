"""``perfgen init``: set up a county's own repository of township sources.

It writes editor support (see ``perfgen.repo.editor``), a ``.pre-commit-config.yaml`` that
uses perfgen's hooks, the pull-request CI workflow, a ``projects/`` folder and a ``.gitignore``
for ``build/``. Files that already exist are never overwritten, except perfgen's own schema
copies under ``.perfgen/schemas``, which a second run brings up to date.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

import yaml

from perfgen.errors import OutputError
from perfgen.repo.editor import Changes, install_editor_support
from perfgen.resources import ci_workflow, pre_commit_hooks
from perfgen.write.tree import Refused, Tree

PRE_COMMIT_CONFIG = ".pre-commit-config.yaml"
WORKFLOW = ".github/workflows/perfgen.yml"  # Gitea Actions reads .github/workflows too
PROJECTS = "projects"
GITIGNORE = ".gitignore"
HOOK_IDS = ("perfgen-validate", "perfgen-fmt")
# the default of PERFGEN_PACKAGE, which a repository variable of the same name overrides
PACKAGE_LINE = re.compile(r"^(  PERFGEN_PACKAGE: \$\{\{ vars\.PERFGEN_PACKAGE \|\| ')[^']*(' \}\})$", re.MULTILINE)


@dataclass
class Source:
    """Where perfgen comes from: a git URL (or local path) and a revision, for pre-commit and CI."""

    url: str
    rev: str

    @property
    def remote(self) -> bool:
        """A URL a CI runner can reach (not a path on this computer)."""
        return "://" in self.url and not self.url.startswith("file:")

    @property
    def package(self) -> str:
        """The pip requirement for this source."""
        return f"git+{self.url}@{self.rev}"


@dataclass
class InitResult:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # existing user files left as they were
    notes: list[str] = field(default_factory=list)  # what the user still has to do, in Chinese


def installed_source() -> Source | None:
    """Where the running perfgen was installed from, by its PEP 610 record (``pip install git+URL@REV`` or a checkout)."""
    try:
        record = metadata.distribution("perfgen").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None
    if not record:
        return None
    data = json.loads(record)
    url = data.get("url", "")
    vcs = data.get("vcs_info")
    if vcs and vcs.get("vcs") == "git" and vcs.get("commit_id"):
        return Source(url, vcs["commit_id"])
    if "dir_info" in data and url.startswith("file:"):  # a checkout of perfgen on this computer: its current commit
        folder = Path(url2pathname(urlparse(url).path))
        try:
            commit = subprocess.run(
                ["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True, text=True, timeout=60, check=True
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return None
        return Source(str(folder), commit)
    return None


HOOK_LAUNCHER = ".perfgen/perfgen-hook"
# Run by `sh` (Git for Windows has it wherever git runs hooks), so that the committed hooks need
# neither perfgen on PATH nor a path of one computer: each computer's perfgen is found here.
HOOK_LAUNCHER_TEXT = r"""#!/bin/sh
# perfgen for this repository's pre-commit hooks (written by perfgen init; the same on every computer).
# It finds perfgen without PATH, in this order:
#   1. git config perfgen.command: set per computer by the Windows bundle's 安装.cmd (--global),
#      by perfgen init (in this clone), or by hand: git config --global perfgen.command <perfgen 的完整路径>
#   2. the perfgen beside the Python that runs pre-commit (pre-commit installed in perfgen's environment)
#   3. the Windows bundle's place, %LOCALAPPDATA%\perfgen\venv\Scripts\perfgen.exe
#   4. perfgen on PATH
command=$(git config perfgen.command 2>/dev/null || true)
if [ -z "$command" ] || [ ! -f "$command" ]; then
  command=""
  hook=$(git rev-parse --git-path hooks/pre-commit 2>/dev/null || true)
  python=$(sed -n "s/^INSTALL_PYTHON=['\"]\{0,1\}\([^'\"]*\).*/\1/p" "$hook" 2>/dev/null | head -n 1)
  if [ -n "$python" ]; then
    folder=$(printf '%s' "$python" | sed 's#[/\\][^/\\]*$##')
    for candidate in "$folder/perfgen" "$folder/perfgen.exe"; do
      if [ -f "$candidate" ]; then
        command=$candidate
        break
      fi
    done
  fi
  if [ -z "$command" ] && [ -n "${LOCALAPPDATA:-}" ] && [ -f "$LOCALAPPDATA/perfgen/venv/Scripts/perfgen.exe" ]; then
    command="$LOCALAPPDATA/perfgen/venv/Scripts/perfgen.exe"
  fi
fi
if [ -z "$command" ]; then
  command=$(command -v perfgen || true)
fi
if [ -z "$command" ]; then
  echo "找不到 perfgen：请运行 perfgen 离线安装包中的 安装.cmd，或运行 git config --global perfgen.command <perfgen 的完整路径>。" >&2
  exit 1
fi
exec "$command" "$@"
"""


def pre_commit_config(source: Source | None) -> str:
    """The text of a .pre-commit-config.yaml that runs perfgen's hooks.

    With a known source, pre-commit installs perfgen from it; without one, the same hooks
    run each computer's perfgen through HOOK_LAUNCHER (``repo: local``), copied from perfgen's
    .pre-commit-hooks.yaml.
    """
    head = "# 提交前自动检查改动的单位（perfgen validate）和格式（perfgen fmt）。\n# 每台电脑安装一次 pre-commit（perfgen 的离线安装包已带有它；否则 pip install pre-commit），然后在本仓库中运行 pre-commit install。\n"
    if source is not None:
        hooks = "".join(f"      - id: {hook}\n" for hook in HOOK_IDS)
        return f"{head}repos:\n  - repo: {source.url}\n    rev: {source.rev}\n    hooks:\n{hooks}"
    definitions = yaml.safe_load(pre_commit_hooks().read_text(encoding="utf-8"))
    lines = [
        head,
        f"# 这里使用每台电脑上安装的 perfgen，由 {HOOK_LAUNCHER} 找到它（不依赖 PATH）；"
        "知道 perfgen 的仓库地址时，可以运行 perfgen init --perfgen-url 地址 --rev 版本，让 pre-commit 自己安装 perfgen。\n",
    ]
    lines.append("repos:\n  - repo: local\n    hooks:\n")
    for hook in definitions:
        lines.append(f"      - id: {hook['id']}\n")
        entry = f"sh {HOOK_LAUNCHER} " + hook["entry"].removeprefix("perfgen ")
        for key, value in (("name", hook["name"]), ("entry", entry), ("files", hook["files"])):
            lines.append(f"        {key}: {json.dumps(value, ensure_ascii=False)}\n")
        lines.append("        language: system\n")
        if hook.get("require_serial"):
            lines.append("        require_serial: true\n")
    return "".join(lines)


def workflow_text(source: Source | None) -> str:
    """The CI workflow, with PERFGEN_PACKAGE set to ``source`` when a runner can reach it."""
    text = ci_workflow().read_text(encoding="utf-8")
    if source is not None and source.remote:
        text = PACKAGE_LINE.sub(lambda m: m.group(1) + source.package + m.group(2), text, count=1)
    return text


def _create(tree: Tree, name: str, text: str, result: InitResult) -> bool:
    """Write a new file; an existing one is the user's and is kept (a link or special file never opened). True when written."""
    data = text.encode("utf-8")
    try:
        existing = tree.read(name)
        if existing is None:
            tree.write(name, data)
            result.written.append(name)
            return True
    except Refused as exc:
        result.kept.append(name)
        result.notes.append(str(exc))
        return False
    (result.unchanged if existing == data else result.kept).append(name)
    return False


def running_perfgen() -> Path | None:
    """The perfgen command of the running perfgen (its console script beside its Python), when there is one."""
    folder = Path(sys.executable).parent
    found = [folder / name for name in ("perfgen.exe", "perfgen") if (folder / name).is_file()]
    return found[0] if found else None


def _remember_perfgen(root: Path, result: InitResult) -> None:
    """In this clone's git config, the perfgen that runs now: a path known to work on this computer, for the hooks."""
    command = running_perfgen()
    if command is None:
        return
    try:
        subprocess.run(
            ["git", "config", "--local", "perfgen.command", str(command)], cwd=root, capture_output=True, timeout=60, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return  # not a git repository (yet): the hooks find perfgen the other ways
    result.notes.append(f"提交钩子在这台电脑上使用 {command}（已记在本仓库的 git config perfgen.command 中）。")


def _ignore_build(tree: Tree, result: InitResult) -> None:
    """Add /build/ to .gitignore (kept as it is otherwise); a link, special file or one not UTF-8 is left with a note."""
    try:
        raw = tree.read(GITIGNORE) or b""
    except Refused as exc:
        result.notes.append(f"{exc}：请在其中加入一行 /build/")
        return
    try:
        ignored = raw.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError:
        result.notes.append(f"{GITIGNORE} 不是 UTF-8 编码（可能是 GBK），未改动：请在其中加入一行 /build/")
        return
    if any(line.strip().rstrip("/") in ("build", "/build") for line in ignored):
        return
    separator = b"\n" if raw and not raw.endswith(b"\n") else b""
    tree.write(GITIGNORE, raw + separator + "# perfgen build 生成的文档\n/build/\n".encode())
    result.written.append(GITIGNORE)


def init_repository(root: Path, source: Source | None = None) -> InitResult:
    """Set ``root`` up as a sources repository; ``source`` defaults to where this perfgen was installed from."""
    given = source
    source = source if source is not None else installed_source()
    result = InitResult()
    tree = Tree(root)
    editor: Changes = install_editor_support(tree.root)
    result.written += editor.written
    result.unchanged += editor.unchanged
    result.notes += editor.notes

    # a checkout on this computer is no address for other computers: its path is never written into the config
    hooks = source if source is not None and source.remote else None
    written = _create(tree, PRE_COMMIT_CONFIG, pre_commit_config(hooks), result)
    if written and source is not None and not source.remote:
        result.notes.append(
            f"这个 perfgen 是从本机的文件夹 {source.url} 安装的，别的电脑上没有这个文件夹："
            f"{PRE_COMMIT_CONFIG} 中的钩子改为使用每台电脑上安装的 perfgen（{HOOK_LAUNCHER} 找到它）。"
            "要让 pre-commit 自己安装 perfgen，请运行 perfgen init --perfgen-url <perfgen 的 git 地址> --rev <版本>。"
        )
    try:
        kept = tree.read(PRE_COMMIT_CONFIG) if PRE_COMMIT_CONFIG in result.kept else None
    except OutputError:  # a link or special file: noted above
        kept = None
    if (written and hooks is None) or (kept is not None and HOOK_LAUNCHER.encode() in kept):  # the hooks use the launcher
        _create(tree, HOOK_LAUNCHER, HOOK_LAUNCHER_TEXT, result)
        _remember_perfgen(root, result)
    if kept is not None:
        text = kept.decode("utf-8", errors="replace")
        if not all(hook in text for hook in HOOK_IDS):
            result.notes.append(f"{PRE_COMMIT_CONFIG} 已存在，未改动：请在其中加入钩子 {'、'.join(HOOK_IDS)}（见 perfgen 的 docs/it-guide.md）。")
        elif given is not None and given.rev not in text:
            result.notes.append(f"{PRE_COMMIT_CONFIG} 已存在，未改动：要改用 perfgen {given.rev}，请把其中的 rev 改为 {given.rev}。")

    if _create(tree, WORKFLOW, workflow_text(source), result) and (source is None or not source.remote):
        result.notes.append(
            f"{WORKFLOW}：请把 PERFGEN_PACKAGE 改为 CI 能访问的 perfgen 地址（git+https://…/perfgen.git@版本 或 wheel 文件的网址），"
            "或运行 perfgen init --perfgen-url 地址 --rev 版本 之前先删除这个文件。"
        )

    _ignore_build(tree, result)

    try:
        made = len(tree.made)
        tree.folder(PROJECTS)
        if len(tree.made) > made:
            tree.write(f"{PROJECTS}/.gitkeep", b"")
            result.written.append(f"{PROJECTS}/")
    except Refused as exc:
        result.notes.append(f"{exc}（单位文件夹要放在 {PROJECTS}/ 文件夹中）")
    return result
