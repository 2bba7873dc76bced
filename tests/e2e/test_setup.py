"""The README's two commands on a fresh checkout, with Debian's own python3 (PEP 668) first on PATH."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from conftest import ROOT, SAMPLES
from docx.oxml.ns import qn
from sizes import FULL

DEBIAN_PYTHON = Path("/usr/bin/python3")
bash_scripts = pytest.mark.skipif(sys.platform == "win32", reason="install.sh and tests/run.sh are for Debian and Ubuntu")


def readme_commands() -> list[str]:
    """The bash blocks of the README's section 在新电脑上的两条命令, in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## 在新电脑上的两条命令", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", section, re.DOTALL)]


def clean_clone(target: Path) -> Path:
    """The checkout's files as a fresh clone has them: tracked and new files, nothing ignored (no .venv, no build/)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode("utf-8")
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_symlink():  # test cases keep symbolic links as git does
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            os.symlink(os.readlink(source), target / name)
        elif source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def toc_numbers(document: Path) -> list[str]:
    """The page number each TOC entry of a built .docx shows (its hyperlink's last text)."""
    body = docx.Document(str(document)).element.body
    return [[t.text or "" for t in link.iter(qn("w:t"))][-1] for link in body.iter(qn("w:hyperlink"))]


def test_readme_shows_the_two_commands() -> None:
    assert readme_commands() == ["bash install.sh && .venv/bin/perfgen build", "bash tests/run.sh"]
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()[-1] == "bash tests/run.sh"


@bash_scripts
def test_run_sh_draws_every_example() -> None:
    """The fast loop draws a share of the random examples and seeded files (tests/sizes.py); CI, through run.sh, all."""
    program = "source <(grep -E '^export PERFGEN_EXAMPLES=' tests/run.sh)\necho \"$PERFGEN_EXAMPLES\"\n"
    env = {k: v for k, v in os.environ.items() if k != "PERFGEN_EXAMPLES"}
    run = subprocess.run(["bash", "-c", program], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and int(run.stdout) >= FULL, run.stdout + run.stderr


@pytest.mark.slow
def test_readme_commands_from_a_clean_clone_with_debians_python(tmp_path: Path) -> None:
    if not DEBIAN_PYTHON.is_file():
        if os.environ.get("CI"):
            pytest.fail("CI runs on Debian, whose /usr/bin/python3 the README's commands must work with")
        pytest.skip("no /usr/bin/python3 (not Debian or Ubuntu)")
    # a folder name with a space and Chinese characters, as on a clerk's computer
    clone = clean_clone(tmp_path / "perfgen 检出")
    keep = ("HOME", "LANG", "LC_ALL", "CI", "TMPDIR", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_CERT", "PIP_FIND_LINKS")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    env["PATH"] = "/usr/bin:/bin:/usr/sbin:/sbin"  # Debian's python3 first, no other Python, no virtual environment

    def imports_perfgen() -> bool:
        return subprocess.run([str(DEBIAN_PYTHON), "-c", "import perfgen"], env=env, capture_output=True).returncode == 0

    before = imports_perfgen()
    build, test = readme_commands()
    run = subprocess.run(["bash", "-c", build], cwd=clone, env=env, capture_output=True, text=True, timeout=1200)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    # the complete document from the first command: install.sh installed what the layout needs
    assert "目录页码待更新" not in run.stdout and "没有找到 LibreOffice" not in run.stderr, run.stdout[-3000:] + run.stderr[-3000:]
    for sample in SAMPLES:
        numbers = toc_numbers(clone / "build" / f"{sample}.docx")
        assert numbers and all(number.isdigit() for number in numbers), (sample, numbers)
    version = subprocess.run([str(clone / ".venv/bin/python"), "-c", "import sys; print(sys.base_prefix)"], capture_output=True, text=True)
    assert version.stdout.strip() == "/usr"  # the environment is made from Debian's python3

    # the test command, on the suite that needs neither LibreOffice nor a wheel (this test is slow: no recursion)
    run = subprocess.run(
        ["bash", "-c", f"{test} -q -x -p no:cacheprovider -m 'not slow and not libreoffice'"],
        cwd=clone, env=env, capture_output=True, text=True, timeout=1800,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert re.search(r"^\d+ passed", run.stdout.splitlines()[-1]), run.stdout[-500:]
    assert imports_perfgen() == before  # nothing was installed into Debian's python3


def oldest_python() -> Path | None:
    """An interpreter of the oldest Python that pyproject.toml declares, if this machine has one (PATH or pyenv)."""
    declared = re.search(r'requires-python = ">=(\d+)\.(\d+)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert declared is not None
    name = f"python{declared[1]}.{declared[2]}"
    candidates = [*sorted(Path.home().glob(f".pyenv/versions/{declared[1]}.{declared[2]}.*/bin/{name}")), shutil.which(name)]
    for candidate in filter(None, candidates):
        # a pyenv shim is on PATH even where that version is not selected: it must run
        if subprocess.run([str(candidate), "-c", "import venv"], capture_output=True).returncode == 0:
            return Path(candidate)
    return None


@pytest.mark.slow
def test_suite_on_the_oldest_declared_python(tmp_path: Path) -> None:
    python = oldest_python()
    if python is None:
        pytest.skip("no interpreter of the oldest declared Python on this machine")
    clone = clean_clone(tmp_path / "perfgen")
    venv = tmp_path / "venv"
    subprocess.run([str(python), "-m", "venv", str(venv)], check=True, timeout=300)
    subprocess.run(
        [str(venv / "bin/python"), "-m", "pip", "install", "-q", "--disable-pip-version-check", "-e", ".[test]"],
        cwd=clone, check=True, capture_output=True, timeout=1200,
    )
    run = subprocess.run(
        # the parts that lean on the standard library most (git, files, YAML, CLI); the whole suite runs on
        # Debian's python3 above, and CI time is short
        [str(venv / "bin/python"), "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "-m", "not slow and not libreoffice",
         "tests/unit", "tests/e2e/test_review.py", "tests/e2e/test_sources_repo.py", "tests/e2e/test_validate.py"],
        cwd=clone, capture_output=True, text=True, timeout=1800,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert re.search(r"^\d+ passed", run.stdout.splitlines()[-1]), run.stdout[-500:]


@bash_scripts
def test_run_sh_asks_apt_for_nothing_once_everything_is_installed(tmp_path: Path) -> None:
    """tests/run.sh's checks, run many times under pipefail: none flakes, none asks for a package that is there."""
    script = (ROOT / "tests" / "run.sh").read_text(encoding="utf-8")
    checks = script[script.index("need=()") : script.index("apt_install ")]
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "apt-get").write_text("#!/bin/sh\necho apt-get was run >&2\nexit 99\n", encoding="utf-8")
    (fake / "apt-get").chmod(0o755)
    program = (
        f"set -euo pipefail\nsource tools/debian.sh\nfor i in $(seq 10); do\n{checks}\n"
        'echo "${need[*]+${need[*]}}"\ndone\napt_install\n'
    )
    env = {**os.environ, "PATH": f"{fake}:{os.environ['PATH']}"}
    run = subprocess.run(["bash", "-c", program], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    needed = set(run.stdout.splitlines())
    if os.environ.get("CI"):  # CI's run.sh installed everything before the tests
        assert needed == {""}
    else:
        assert len(needed) == 1, needed  # the same answer every time: no check flakes


@bash_scripts
def test_a_python_without_venv_gets_python3_venv_from_apt(tmp_path: Path) -> None:
    """install.sh's first step on a fresh Debian or Ubuntu: python3 without ensurepip brings in python3-venv."""
    fake = tmp_path / "bin"
    fake.mkdir()
    calls = tmp_path / "calls"
    scripts = {
        "python3": "#!/bin/sh\nexit 1\n",  # as Debian's python3 answers `import ensurepip` without python3-venv
        "apt-get": f'#!/bin/sh\necho "apt-get $*" >> "{calls}"\n',
        "sudo": f'#!/bin/sh\necho "sudo" >> "{calls}"\nexec "$@"\n',
    }
    for name, text in scripts.items():
        (fake / name).write_text(text, encoding="utf-8")
        (fake / name).chmod(0o755)
    program = "set -euo pipefail\nsource tools/debian.sh\nhave_python_venv || apt_install python3 python3-venv\n"
    env = {**os.environ, "PATH": f"{fake}:{os.environ['PATH']}"}
    run = subprocess.run(["bash", "-c", program], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    as_root = os.getuid() == 0
    assert calls.read_text(encoding="utf-8").splitlines() == [
        *([] if as_root else ["sudo"]),
        "apt-get update -qq",
        *([] if as_root else ["sudo"]),
        "apt-get install -y -qq --no-install-recommends python3 python3-venv",
    ]
    # the installer itself takes this step first
    assert "have_python_venv || apt_install python3 python3-venv" in (ROOT / "install.sh").read_text(encoding="utf-8")
