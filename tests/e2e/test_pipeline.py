"""A batch's LibreOffice starts before the documents are rendered and lays each out as soon as it is rendered."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import PROJECTS, require_tool, require_uno_bridge

from perfgen.build import BuildResult, Listener, Options, build
from perfgen.office.libreoffice import Headings, Layout, LibreOffice

SMALL = ["文安县机床市场管委会-2022", "丰润区泉河头镇-2022"]


@pytest.mark.slow
@pytest.mark.libreoffice
def test_layout_starts_while_other_documents_still_render(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    soffice = require_tool("soffice")
    require_uno_bridge(soffice)  # from the command line a batch is one LibreOffice run, by design
    projects = tmp_path / "projects"
    for name in SMALL:
        shutil.copytree(PROJECTS / name, projects / name)
    events: list[str] = []
    start, convert, locate = LibreOffice.start, LibreOffice._convert, LibreOffice._locate

    def starting(self: LibreOffice) -> None:
        events.append("start")
        start(self)

    def locating(
        self: LibreOffice, requests: list[Headings], done: Callable[[int], None], numbering: object = None
    ) -> list[Layout]:
        events.append(f"layout of {len(requests)}")
        return locate(self, requests, done, numbering)  # type: ignore[arg-type]

    def converting(self: LibreOffice, documents: list[bytes], done: Callable[[int], None]) -> list[bytes | None]:
        events.append(f"pdf of {len(documents)}")
        return convert(self, documents, done)

    monkeypatch.setattr(LibreOffice, "start", starting)
    monkeypatch.setattr(LibreOffice, "_convert", converting)
    monkeypatch.setattr(LibreOffice, "_locate", locating)

    class Heard(Listener):
        def rendered(self, done: int, total: int, result: BuildResult) -> None:
            events.append(f"rendered {result.name}")

    # -j1 renders in this process, so the order of events is certain; with more jobs the
    # workers go on rendering while this process drives LibreOffice
    results = build([projects], Options(out_dir=tmp_path / "out", pdf=True, jobs=1), Heard())
    assert all(r.ok and r.paginated and r.pdf for r in results), ([r.error or r.office_trouble for r in results], events)
    first, last = f"rendered {SMALL[1]}", f"rendered {SMALL[0]}"  # townships are built in the order of their names
    assert events[0] == "start", events  # LibreOffice comes up while the first township is checked and rendered
    assert events.index(first) < events.index("layout of 1") < events.index(last), events  # laid out before the next renders
    # each document was laid out once: that layout numbered its TOC and gave its PDF
    assert events.count("layout of 1") == 2 and len(events) == 5, events
