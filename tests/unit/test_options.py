"""Build options: which of them enter the incremental fingerprint is marked on the fields themselves."""

from __future__ import annotations

from pathlib import Path

from perfgen.build import Options


def test_only_options_that_change_documents_enter_the_fingerprint() -> None:
    assert Options().fingerprinted() == {"strict": False, "draft": False, "pdf": False, "preview": False, "dpi": 110}
    # where the output goes, how many processes and --force change no document
    moved = Options(out_dir=Path("elsewhere"), jobs=1, force=True)
    assert moved.fingerprinted() == Options().fingerprinted()
    assert Options(pdf=True).fingerprinted() != Options().fingerprinted()
    assert Options(dpi=150).fingerprinted() != Options().fingerprinted()  # the previews change
