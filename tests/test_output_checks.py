"""Built documents pass an OOXML schema check and convert to PDF in LibreOffice."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES, require_tool
from openxml_audit import OpenXmlValidator

# Findings of openxml-audit accepted on purpose, as (part, message fragment).
# None today: the standard template and every build validate cleanly. Add an
# entry only with a comment saying why Word, WPS and LibreOffice accept it.
ALLOWED: list[tuple[str, str]] = []


def findings(path: Path) -> list[str]:
    result = OpenXmlValidator(max_errors=500).validate(str(path))
    return [
        str(error)
        for error in result.errors
        if not any(part in str(error) and fragment in str(error) for part, fragment in ALLOWED)
    ]


@pytest.mark.parametrize("name", SAMPLES)
def test_built_document_passes_ooxml_schema_check(name: str, built_samples: dict[str, Path]) -> None:
    assert findings(built_samples[name]) == []


def test_standard_template_passes_ooxml_schema_check() -> None:
    assert findings(ROOT / "templates" / "standard.docx") == []


@pytest.mark.libreoffice
def test_libreoffice_converts_every_sample_to_pdf(built_samples: dict[str, Path], tmp_path: Path) -> None:
    soffice = require_tool("soffice")
    pdfinfo = require_tool("pdfinfo")
    profile = (tmp_path / "profile").as_uri()  # never touch a user's own LibreOffice profile
    documents = [str(path) for path in built_samples.values()]
    completed = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), *documents],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    for name, path in built_samples.items():
        pdf = tmp_path / f"{path.stem}.pdf"
        assert pdf.is_file(), f"{name}: no PDF\n{completed.stdout}\n{completed.stderr}"
        info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True).stdout
        pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
        assert pages > 2 + 1, name  # cover, 目录, at least part 1
        assert "595.3" in info and "841.8" in info  # A4
