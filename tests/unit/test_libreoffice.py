"""How long perfgen waits for LibreOffice."""

from __future__ import annotations

import io
import zipfile

import pytest

from perfgen.office.supervisor import BASE_SECONDS, base_timeout, layout_timeout


def document(kilobytes: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b" " * kilobytes * 1024)
    return buffer.getvalue()


def test_timeouts_grow_with_the_document() -> None:
    small, township, large = (layout_timeout(document(size), 60) for size in (10, 450, 6000))
    assert 60 < small < township < large
    assert township == pytest.approx(105)  # 官厅镇's 23 projects: laid out in ~2 s on a busy machine
    assert large == pytest.approx(660)


@pytest.mark.parametrize(
    ("setting", "seconds"), [("", BASE_SECONDS), ("5", 5.0), ("-1", BASE_SECONDS), ("x", BASE_SECONDS)]
)
def test_the_base_can_be_set(monkeypatch: pytest.MonkeyPatch, setting: str, seconds: float) -> None:
    monkeypatch.setenv("PERFGEN_OFFICE_TIMEOUT", setting)
    assert base_timeout() == seconds
