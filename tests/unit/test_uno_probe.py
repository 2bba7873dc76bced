"""The tests' probe for LibreOffice's UNO bridge skips where a Python has none, instead of failing later."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import require_uno_bridge


def test_a_python_without_the_bridge_skips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    python = tmp_path / "python-without-uno"
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" -I -S "$@"\n')  # no site packages: no python3-uno
    python.chmod(0o755)
    assert subprocess.run([str(python), "-c", "import uno"], capture_output=True).returncode != 0
    monkeypatch.setenv("PERFGEN_UNO_PYTHON", str(python))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        require_uno_bridge("/usr/bin/soffice")


def test_a_python_that_hangs_skips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    python = tmp_path / "python-hanging"
    python.write_text("#!/bin/sh\nexec sleep 600\n")
    python.chmod(0o755)
    monkeypatch.setenv("PERFGEN_UNO_PYTHON", str(python))
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(subprocess, "run", _with_timeout(subprocess.run, 1))
    with pytest.raises(pytest.skip.Exception):
        require_uno_bridge("/usr/bin/soffice")


def _with_timeout(run, seconds: float):  # type: ignore[no-untyped-def]
    """subprocess.run with any timeout cut to ``seconds``: the probe's own minute would slow the suite."""

    def cut(*args, **kwargs):  # type: ignore[no-untyped-def]
        assert "timeout" in kwargs, "the probe runs without a timeout"
        return run(*args, **{**kwargs, "timeout": seconds})

    return cut
