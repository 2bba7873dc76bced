"""Shared fixtures: the repository's sample townships, built once per test session."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from perfgen.build import BuildResult, Options, build

def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-expected",
        action="store_true",
        help="write what the tests get into the expected-output files they compare with (review with git diff)",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that need LibreOffice are slow: `pytest -m "not slow"` is the fast loop, CI runs everything."""
    for item in items:
        if item.get_closest_marker("libreoffice"):
            item.add_marker(pytest.mark.slow)


ROOT = Path(__file__).resolve().parent.parent
PROJECTS = ROOT / "projects"
TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
CASES = TESTS / "cases"

# sample township folder -> the published reference text it reproduces
SAMPLES = {
    "丰润区泉河头镇-2022": "000_8c6609d7abc3a0aa.txt",
    "文安县机床市场管委会-2022": "001_a3046cd6636d7d7f.txt",
    "怀来县官厅镇-2024": "002_1edcff210bf438b5.txt",
    "卢龙县石门镇-2023": "004_cefecbdcc0d67ff4.txt",
}


def documentation() -> dict[str, str]:
    """The project's Markdown documents by path from the root: README, the guides under docs/, CONTRIBUTING, benchmarks."""
    files = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "CONTRIBUTING.md", ROOT / "benchmarks" / "README.md"]
    return {file.relative_to(ROOT).as_posix(): file.read_text(encoding="utf-8") for file in files if file.is_file()}


def draft(out_dir: Path, **options: object) -> Options:
    """Build options without LibreOffice: fast, TOC page numbers left for Word."""
    return Options(out_dir=out_dir, draft=True, **options)


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory):
    """perfgen's per-user cache (XDG_CACHE_HOME) in a folder of this test session, never the user's."""
    folder = tmp_path_factory.mktemp("xdg-cache")
    previous = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(folder)
    yield folder
    if previous is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = previous


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> list[BuildResult]:
    """Every sample township built once (as a draft, on two processes) into a temporary folder; tests only read it."""
    out = tmp_path_factory.mktemp("build")
    results: list[BuildResult] = build([PROJECTS], draft(out, jobs=2))
    assert [r.error for r in results if not r.ok] == []
    return results


@pytest.fixture(scope="session")
def built_samples(sample_build: list[BuildResult]) -> dict[str, Path]:
    """The session's build of the samples: name -> .docx path."""
    return {r.name: r.output for r in sample_build if r.output is not None}


class Expected:
    """Compares an output with the file that pins it; with ``--update-expected``, writes the file instead."""

    def __init__(self, update: bool) -> None:
        self.update = update

    def __call__(self, path: Path, actual: str, *, strip: bool = False) -> None:
        """Assert ``actual`` equals the text of ``path`` (both stripped of edge whitespace with ``strip``)."""
        wanted = path.read_text(encoding="utf-8") if path.exists() else None
        same = wanted is not None and (actual.strip() == wanted.strip() if strip else actual == wanted)
        if self.update and not same:  # only what differs is written: the review's git diff shows just that
            text = actual.strip() if strip else actual
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text + "\n" if strip and text else text, encoding="utf-8")
            return
        assert wanted is not None, f"{path} is missing: run pytest --update-expected, then review it with git diff"
        assert (actual.strip(), actual)[not strip] == (wanted.strip(), wanted)[not strip]

    def json(self, path: Path, actual: str) -> None:
        """The same for JSON: compared as data, written indented."""
        wanted = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
        if self.update and json.loads(actual) != wanted:
            path.write_text(json.dumps(json.loads(actual), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            return
        assert json.loads(actual) == wanted


@pytest.fixture
def expected(request: pytest.FixtureRequest) -> Expected:
    """The comparison with a pinned output file (see ``Expected``)."""
    return Expected(bool(request.config.getoption("--update-expected")))


@pytest.fixture
def sample_copy(tmp_path: Path):
    """Copy a sample township into a temporary folder, to change it there."""

    def copy(name: str) -> Path:
        target = tmp_path / "projects" / name
        shutil.copytree(PROJECTS / name, target)
        return target

    return copy


def require_uno_bridge(soffice: str) -> str:
    """The Python with LibreOffice's UNO bridge for ``soffice``; skip without one, but fail in CI, which installs it."""
    from perfgen.office.supervisor import likely_uno_python

    python = likely_uno_python(soffice)
    try:
        # a Python that hangs on ``import uno`` is no bridge either
        bridged = python is not None and subprocess.run([python, "-c", "import uno"], capture_output=True, timeout=60).returncode == 0
    except subprocess.TimeoutExpired:
        bridged = False
    if python is None or not bridged:
        if os.environ.get("CI"):
            pytest.fail("no Python with LibreOffice's UNO bridge, but CI installs python3-uno")
        pytest.skip("no Python with LibreOffice's UNO bridge (Debian: python3-uno)")
    return python


def require_tool(name: str) -> str:
    """The path of an external program; skip without it, but fail in CI, which installs it."""
    # the test extra's tools (actionlint) sit beside the Python running the tests, on PATH or not
    path = shutil.which(name, path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed, but CI must have it (see tests/run.sh)")
        pytest.skip(f"{name} is not installed")
    return path


@pytest.fixture(scope="session")
def paginated_samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, BuildResult]:
    """Every sample built with LibreOffice: TOC page numbers filled in, PDF written."""
    require_tool("soffice")
    out = tmp_path_factory.mktemp("paginated")
    results = build([PROJECTS], Options(out_dir=out, pdf=True))
    assert [r.error for r in results if not r.ok] == []
    return {r.name: r for r in results}


@dataclass
class Run:
    """What a perfgen command did: its exit code and its output."""

    returncode: int
    stdout: str
    stderr: str


def perfgen(*args: str, cwd: Path) -> Run:
    """Run the perfgen command in this process, in ``cwd``, through ``cli.main`` as the console script does.

    In-process keeps the suite fast; tests/e2e/test_cli.py keeps one run of the real console command.
    """
    from typer.testing import CliRunner

    from perfgen.cli import main

    before = Path.cwd()
    os.chdir(cwd)
    try:
        with CliRunner().isolation() as (out, err, *_):
            try:
                main(list(args))
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
            return Run(code, out.getvalue().decode("utf-8"), err.getvalue().decode("utf-8"))
    finally:
        os.chdir(before)


def tree_of(folder: Path) -> dict[str, bytes | str]:
    """Every entry under ``folder``, links not followed: a file's bytes, a link's target, a folder as "/"."""
    import stat

    found: dict[str, bytes | str] = {}
    for base, folders, names in os.walk(folder):
        for name in folders + names:
            path = Path(base) / name
            key = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[key] = "-> " + os.readlink(path)
            elif path.is_dir():
                found[key] = "/"
            elif stat.S_ISREG(path.lstat().st_mode):
                found[key] = path.read_bytes()
            else:
                found[key] = "special"
    return found


GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "测试",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "测试",
    "GIT_COMMITTER_EMAIL": "test@example.org",
}


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=GIT_ENV, check=True, capture_output=True, text=True).stdout


def commit(repo: Path, message: str) -> None:
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", message, cwd=repo)


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a file by ``new``; ``old`` must be there."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
