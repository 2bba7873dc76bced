"""Seconds per document for PDF output: one shared LibreOffice process against one per document.

    python benchmarks/pdf_batch.py

Needs LibreOffice (soffice). Prints its figures; asserts nothing.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "generator"))

from perfgen.build import Options, build  # noqa: E402
from perfgen.office.libreoffice import LibreOffice, find_soffice  # noqa: E402


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    soffice = find_soffice()
    if soffice is None:
        sys.exit("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        results = build([ROOT / "projects"], Options(out_dir=work_dir / "draft", draft=True))
        documents = [r.output for r in results]
        count = len(documents)

        full = timed(lambda: build([ROOT / "projects"], Options(out_dir=work_dir / "pdf", pdf=True)))

        def shared() -> None:
            with LibreOffice(soffice) as office:
                office.convert([d.read_bytes() for d in documents])

        def one_per_document() -> None:
            for index, document in enumerate(documents):
                profile = (work_dir / f"profile-{index}").as_uri()
                subprocess.run(
                    [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                     "--outdir", str(work_dir / "single"), str(document)],
                    check=True, capture_output=True,
                )
                shutil.rmtree(work_dir / f"profile-{index}", ignore_errors=True)

        batch = timed(shared)
        single = timed(one_per_document)

    print(f"documents: {count} sample townships")
    print(f"perfgen build --pdf (render, one layout for TOC page numbers and PDF, write): {full / count:.2f} s per document")
    print(f"PDF conversion, one shared LibreOffice process for the batch:          {batch / count:.2f} s per document")
    print(f"PDF conversion, one soffice --convert-to pdf per document:             {single / count:.2f} s per document")
    print(f"shared process speed-up: {single / batch:.2f}x")


if __name__ == "__main__":
    main()
