"""A batch's LibreOffice starts before the documents are rendered and lays each out as soon as it is rendered."""

from __future__ import annotations

import io
import shutil
from typing import Any
from pathlib import Path

import pytest
from conftest import PROJECTS, require_tool, require_uno_bridge

from perfgen.build import BuildResult, Listener, Options, build
from perfgen.office.libreoffice import Converted, Headings, Located, LibreOffice

SMALL = ["文安县机床市场管委会-2022", "丰润区泉河头镇-2022"]  # built in the order of their names: the second first


def title_of(request: Headings) -> str:
    """The township a document is of, by the county its title starts with (docProps/core.xml)."""
    import docx

    title = docx.Document(io.BytesIO(request.document)).core_properties.title
    return next(name for name in SMALL if title.startswith(name[:3]))


@pytest.mark.slow
@pytest.mark.libreoffice
def test_layout_starts_while_other_documents_still_render(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    soffice = require_tool("soffice")
    require_uno_bridge(soffice)  # from the command line a batch is one LibreOffice run, by design
    projects = tmp_path / "projects"
    for name in SMALL:
        shutil.copytree(PROJECTS / name, projects / name)
    events: list[str] = []
    start, convert, locate = LibreOffice.start, LibreOffice.convert, LibreOffice.locate

    # the session's public calls, as the build makes them
    def starting(self: LibreOffice) -> None:
        events.append("start")
        start(self)

    def locating(self: LibreOffice, requests: list[Headings], *args: Any) -> list[Located]:
        events.extend(f"layout of {title_of(request)}" for request in requests)
        return locate(self, requests, *args)

    def converting(self: LibreOffice, documents: list[bytes], *args: Any) -> list[Converted]:
        events.append(f"pdf of {len(documents)}")
        return convert(self, documents, *args)

    monkeypatch.setattr(LibreOffice, "start", starting)
    monkeypatch.setattr(LibreOffice, "convert", converting)
    monkeypatch.setattr(LibreOffice, "locate", locating)

    class Heard(Listener):
        def rendered(self, done: int, total: int, result: BuildResult) -> None:
            events.append(f"rendered {result.name}")

    # -j1 renders in this process, so the order of events is certain; with more jobs the
    # workers go on rendering while this process drives LibreOffice
    results = build([projects], Options(out_dir=tmp_path / "out", pdf=True, jobs=1), Heard())
    assert all(r.ok and r.paginated and r.pdf for r in results), ([r.error or r.office_trouble for r in results], events)
    assert events[0] == "start", events  # LibreOffice comes up while the first township is checked and rendered
    # each document is laid out as soon as it is rendered, before the next one renders
    assert events.index(f"rendered {SMALL[1]}") < events.index(f"layout of {SMALL[1]}") < events.index(f"rendered {SMALL[0]}"), events
    assert events.index(f"rendered {SMALL[0]}") < events.index(f"layout of {SMALL[0]}"), events
    # each document was laid out once: that layout numbered its TOC and gave its PDF (no second layout for it;
    # their 一级 groups fit on a page and are kept together, so none is split to be labelled again)
    layouts = sorted(e for e in events if e.startswith(("layout", "pdf")))
    assert layouts == sorted(f"layout of {n}" for n in SMALL), events
