"""The offline bundles of tools/windows_bundle.py: complete for every supported Python, on Windows and manylinux."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow  # downloads every wheel (through pip's cache)


def bundle_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("windows_bundle", ROOT / "tools" / "windows_bundle.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def resolves(wheels: Path, tags: tuple[str, ...], python: str, target: Path) -> subprocess.CompletedProcess[str]:
    """pip resolving perfgen and pre-commit from ``wheels`` alone, as on a machine of that platform and Python."""
    platforms = [arg for tag in tags for arg in ("--platform", tag)]
    return subprocess.run(
        # --isolated: no pip configuration or PIP_* variable of this machine (its find-links, its mirrors)
        [sys.executable, "-m", "pip", "--isolated", "install", "--dry-run", "--ignore-installed", "--no-index",
         "--find-links", str(wheels), *platforms, "--python-version", python, "--only-binary=:all:",
         "--target", str(target), "perfgen", "pre-commit"],
        capture_output=True, text=True, timeout=600,
    )


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tool = bundle_tool()
    out = tmp_path_factory.mktemp("bundles")
    made = tool.build_bundles(out, linux=True)
    assert [bundle.name for bundle in made] == ["perfgen-windows-x64.zip", "perfgen-linux-x86_64.zip"]
    unpacked = {}
    for bundle in made:
        with zipfile.ZipFile(bundle) as archive:
            archive.extractall(out / "unpacked")
        unpacked[bundle.stem] = out / "unpacked" / bundle.stem
    return unpacked


def test_supported_pythons_come_from_the_classifiers() -> None:
    pythons = bundle_tool().supported_pythons()
    requires = ROOT.joinpath("pyproject.toml").read_text(encoding="utf-8").split('requires-python = ">=', 1)[1].split('"')[0]
    assert pythons[0] == requires and len(pythons) >= 4
    assert [int(v.split(".")[1]) for v in pythons] == list(range(int(pythons[0].split(".")[1]), int(pythons[-1].split(".")[1]) + 1))


def test_the_windows_bundle_installs_offline_with_every_supported_python(bundles: dict[str, Path], tmp_path: Path) -> None:
    tool = bundle_tool()
    folder = bundles["perfgen-windows-x64"]
    installer = (folder / "安装.cmd").read_bytes()
    assert b"\r\n" in installer and b"\n" not in installer.replace(b"\r\n", b"")  # CRLF throughout, for cmd.exe
    text = installer.decode("gbk")
    assert "py -3 -m venv" in text and '--no-index --find-links "%HERE%wheels"' in text and "perfgen.cmd" in text
    assert (folder / "说明.txt").read_bytes().startswith(b"\xef\xbb\xbf")  # Notepad knows it is UTF-8
    for python in tool.supported_pythons():
        run = resolves(folder / "wheels", tool.WINDOWS.tags, python, tmp_path / python)
        assert run.returncode == 0, (python, run.stderr[-3000:])
        assert "Would install" in run.stdout and "perfgen-" in run.stdout, python


def test_the_linux_wheelhouse_installs_offline_with_every_supported_python(bundles: dict[str, Path], tmp_path: Path) -> None:
    tool = bundle_tool()
    folder = bundles["perfgen-linux-x86_64"]
    assert "--no-index --find-links" in (folder / "安装.sh").read_text(encoding="utf-8")
    for python in tool.supported_pythons():
        run = resolves(folder / "wheels", tool.LINUX.tags, python, tmp_path / python)
        assert run.returncode == 0, (python, run.stderr[-3000:])
        assert "Would install" in run.stdout and "perfgen-" in run.stdout, python


def test_the_linux_wheelhouse_installs_here(bundles: dict[str, Path], tmp_path: Path) -> None:
    """Its 安装.sh on this machine, offline: a perfgen that runs."""
    folder = bundles["perfgen-linux-x86_64"]
    run = subprocess.run(
        ["sh", str(folder / "安装.sh"), str(tmp_path / "perfgen")], capture_output=True, text=True, timeout=600,
        env={"PATH": f"{Path(sys.base_prefix) / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path), "PIP_CONFIG_FILE": "/dev/null"},
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert run.stdout.startswith("perfgen ") or "\nperfgen " in run.stdout
