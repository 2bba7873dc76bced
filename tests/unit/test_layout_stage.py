"""The layout stage (build/layout.py) over a stand-in LibreOffice that records what it is asked: documents laid out
as they come over the bridge, in one batch from the command line, each with its own trouble; and what the UNO
worker says about a document's pages becomes a Located or a reason."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from pypdf import PdfWriter

from perfgen.build.layout import LayoutStage, toc_numbers
from perfgen.build.render import Document, Rendered
from perfgen.build.result import BuildResult, Listener, Options
from perfgen.errors import OfficeError
from perfgen.office.results import Converted, Headings, Located, Numbering, answered_pages


def blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()


PDF = blank_pdf()


class StandIn:
    """The public face of LibreOffice (one_at_a_time, convert, locate), recorded; documents named by their bytes."""

    def __init__(self, bridge: bool = True, fail: dict[bytes, str] | None = None, broken: str = "") -> None:
        self.one_at_a_time = bridge
        self.fail = fail or {}  # documents LibreOffice gives no PDF, with its reason
        self.broken = broken  # LibreOffice is lost at the first call
        self.calls: list[list[bytes]] = []

    def convert(self, documents: list[bytes], done: Callable[[int], None] | None = None, rows: str = "") -> list[Converted]:
        self.calls.append(list(documents))
        if self.broken:
            raise OfficeError(self.broken)
        for index in range(len(documents)):
            if done:
                done(index)
        return [Converted(None, self.fail[d]) if d in self.fail else Converted(PDF) for d in documents]

    def locate(
        self,
        requests: list[Headings],
        done: Callable[[int], None] | None = None,
        numbering: Numbering | None = None,
        rows: str = "",
    ) -> list[Located]:
        raise AssertionError("a draft is not numbered")


class Heard(Listener):
    def __init__(self) -> None:
        self.layouts: list[tuple[int, int, str]] = []
        self.notices: list[str] = []

    def laid_out(self, done: int, total: int, result: BuildResult) -> None:
        self.layouts.append((done, total, result.name))

    def notice(self, text: str) -> None:
        self.notices.append(text)


def rendered(name: str) -> Rendered:
    return Rendered(Path(name), document=Document(name.encode(), [], []))


def stage(office: StandIn, names: list[str], heard: Heard) -> LayoutStage:
    results = {Path(name): BuildResult(Path(name)) for name in names}
    return LayoutStage(office, Options(draft=True, pdf=True), heard, results)  # type: ignore[arg-type]


def test_over_the_bridge_each_document_is_laid_out_as_it_comes_and_told_at_the_end() -> None:
    office, heard = StandIn(), Heard()
    layouts = stage(office, ["甲镇", "乙镇"], heard)
    assert layouts.add(rendered("甲镇")) is None
    assert office.calls == [["甲镇".encode()]] and heard.layouts == []  # laid out while the next one renders
    layouts.add(rendered("乙镇"))
    laid = layouts.finish()
    assert office.calls == [["甲镇".encode()], ["乙镇".encode()]]
    assert heard.layouts == [(1, 2, "甲镇"), (2, 2, "乙镇")]
    assert all(layout.pdf == PDF and not layout.trouble for layout in laid.values())


def test_from_the_command_line_the_documents_are_one_batch() -> None:
    office, heard = StandIn(bridge=False), Heard()
    layouts = stage(office, ["甲镇", "乙镇"], heard)
    layouts.add(rendered("甲镇"))
    layouts.add(rendered("乙镇"))
    assert office.calls == []
    layouts.finish()
    assert office.calls == [["甲镇".encode(), "乙镇".encode()]]
    assert heard.layouts == [(1, 2, "甲镇"), (2, 2, "乙镇")]


def test_each_document_keeps_its_own_trouble() -> None:
    # the first document fails, the second does not: the second is not given the first one's reason
    office, heard = StandIn(bridge=False, fail={"甲镇".encode(): "LibreOffice 无法转换文档：甲的原因"}), Heard()
    layouts = stage(office, ["甲镇", "乙镇", "丙镇"], heard)
    for name in ("甲镇", "乙镇", "丙镇"):
        layouts.add(rendered(name))
    laid = layouts.finish()
    assert laid[Path("甲镇")].trouble == "LibreOffice 无法转换文档：甲的原因" and laid[Path("甲镇")].pdf is None
    assert laid[Path("甲镇")].docx == "甲镇".encode()  # the document as rendered: its TOC left for Word
    assert [laid[Path(n)].trouble for n in ("乙镇", "丙镇")] == ["", ""]
    assert [n for n in heard.notices if n.startswith("警告")] == [
        "警告：LibreOffice 排版失败：LibreOffice 无法转换文档：甲的原因。甲镇 的 .docx 照常生成，目录页码留待在 Word 中打开时更新；没有生成 PDF。"
    ]


def test_a_lost_libreoffice_costs_every_document_its_layout_with_one_warning() -> None:
    office, heard = StandIn(broken="LibreOffice 被终止（信号 SIGKILL）"), Heard()
    layouts = stage(office, ["甲镇", "乙镇"], heard)
    layouts.add(rendered("甲镇"))
    layouts.add(rendered("乙镇"))
    laid = layouts.finish()
    assert {layout.trouble for layout in laid.values()} == {"LibreOffice 被终止（信号 SIGKILL）"}
    assert len([n for n in heard.notices if n.startswith("警告")]) == 1


def test_a_township_that_did_not_render_is_not_laid_out() -> None:
    office, heard = StandIn(), Heard()
    layouts = stage(office, ["甲镇"], heard)
    assert layouts.add(Rendered(Path("甲镇"), error="源文件有 1 个格式错误，未生成文档")) is None
    assert layouts.finish() == {} and office.calls == [] and heard.notices == []


def test_without_libreoffice_a_document_is_final_at_once() -> None:
    heard = Heard()
    layouts = LayoutStage(None, Options(), heard, {Path("甲镇"): BuildResult(Path("甲镇"))})
    final = layouts.add(rendered("甲镇"))
    assert final is not None and final.docx == "甲镇".encode() and not final.paginated
    assert layouts.finish() == {}


def test_the_workers_answers() -> None:
    request = Headings(b"", ["第一部分", "1.办公经费绩效目标表"], ["_Toc000000001", "_Toc000000002"])
    assert answered_pages({"ok": True, "pages": [3, 4]}, request) == Located([2, 3])
    assert answered_pages({"ok": False, "missing": "_Toc000000002"}, request) == Located(
        trouble="LibreOffice 排版后找不到标题“1.办公经费绩效目标表”，无法填写目录页码"
    )
    for garbage in ([3], [3, "4"], [3, 0], None):
        assert answered_pages({"ok": True, "pages": garbage}, request).trouble.startswith("LibreOffice 的转换程序答非所问：页码为")
    assert answered_pages({"ok": False, "error": "IOException"}, request) == Located(trouble="LibreOffice 无法排版文档：IOException")


def test_the_toc_numbers_count_from_the_first_heading_unless_a_blank_page_must_go_in() -> None:
    assert toc_numbers([2, 2, 3, 5]) == [1, 1, 2, 4]  # the body starts on physical page 3: a right-hand page
    assert toc_numbers([3, 3, 4]) is None  # on page 4: a blank page goes in, and the numbered document needs its own layout
    assert toc_numbers([]) == []
