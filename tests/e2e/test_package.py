"""The .docx is written in one pass, with exactly the bytes python-docx's save and the normalisation give."""

from __future__ import annotations

import io

import pytest
from conftest import PROJECTS

from perfgen.render.context import make_context
from perfgen.render.docx import DocxRenderer
from perfgen.resources import standard_template
from perfgen.validate.township import check_township
from perfgen.write.package import docx_bytes, normalize_zip


@pytest.mark.parametrize("name", sorted(p.name for p in PROJECTS.iterdir()))
def test_one_pass_gives_the_bytes_of_save_then_normalize(name: str) -> None:
    township = check_township(PROJECTS / name).township
    document = DocxRenderer(standard_template()).render(make_context(township))
    saved = io.BytesIO()
    document.save(saved)
    assert docx_bytes(document) == normalize_zip(saved.getvalue())

