"""LibreOffice lays documents out ahead (prefetch), and the batch's convert and locate take those layouts as they are;
what the UNO worker says about a document's pages becomes a Layout or a reason."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from perfgen.errors import OfficeError
from perfgen.build import toc_numbers
from perfgen.office.libreoffice import Headings, Layout, LibreOffice, Numbering, _answered_pages


class Recording(LibreOffice):
    """A LibreOffice whose conversions are recorded instead of run; "bridge" stands for the UNO bridge."""

    def __init__(self, bridge: bool = True, fail: bool = False) -> None:
        super().__init__("soffice")
        self._uno_python = "python3" if bridge else None
        self.batches: list[list[bytes]] = []
        self.fail = fail

    def _locate(self, requests: list[Headings], done: Callable[[int], None], numbering: Numbering | None = None) -> list[Layout]:
        self.batches.append([request.document for request in requests])
        for index in range(len(requests)):
            done(index)
        pages = [[len(request.document)] for request in requests]
        return [Layout(p, pdf=b"%PDF" if numbering and numbering(p) else None) for p in pages]

    def _convert(self, documents: list[bytes], done: Callable[[int], None]) -> list[bytes | None]:
        self.batches.append(list(documents))
        if self.fail:
            raise OfficeError("LibreOffice 被终止")
        for index in range(len(documents)):
            done(index)
        return [b"%PDF " + document for document in documents]


def test_documents_laid_out_ahead_are_not_laid_out_again() -> None:
    office = Recording()
    office.prefetch(b"a")
    office.prefetch(b"b")
    heard: list[int] = []
    assert office.convert([b"a", b"c", b"b", b"c"], heard.append) == [b"%PDF a", b"%PDF c", b"%PDF b", b"%PDF c"]
    assert office.batches == [[b"a"], [b"b"], [b"c", b"c"]]
    assert sorted(heard) == [0, 1, 2, 3]  # a progress display hears of every document, laid out ahead or not
    # a layout serves once: the same document asked for again is laid out again
    assert office.convert([b"a"]) == [b"%PDF a"] and office.batches[-1] == [b"a"]


def test_without_the_bridge_the_batch_stays_one_run() -> None:
    office = Recording(bridge=False)
    office.prefetch(b"a")
    assert office.batches == []
    assert office.convert([b"a", b"b"]) == [b"%PDF a", b"%PDF b"]
    assert office.batches == [[b"a", b"b"]]


def test_a_failure_ahead_is_raised_by_the_batch() -> None:
    office = Recording(fail=True)
    office.prefetch(b"a")  # says nothing: the build hears of it from convert, once, for every document
    with pytest.raises(OfficeError, match="被终止"):
        office.convert([b"a", b"b"])
    assert office.batches == [[b"a"]]  # a broken LibreOffice is not tried again


def test_headings_located_ahead_are_not_located_again() -> None:
    office = Recording()
    office.prefetch(Headings(b"ab", ["甲"], ["_Toc000000001"]), toc_numbers)
    heard: list[int] = []
    found = office.locate([Headings(b"c", [], []), Headings(b"ab", ["甲"], ["_Toc000000001"])], heard.append, toc_numbers)
    assert found == [Layout([1]), Layout([2], pdf=b"%PDF")]
    assert office.batches == [[b"ab"], [b"c"]] and sorted(heard) == [0, 1]


def test_the_workers_answers() -> None:
    request = Headings(b"", ["第一部分", "1.办公经费绩效目标表"], ["_Toc000000001", "_Toc000000002"])
    assert _answered_pages({"ok": True, "pages": [3, 4]}, request) == Layout([2, 3])
    assert _answered_pages({"ok": False, "missing": "_Toc000000002"}, request) == Layout(
        trouble="LibreOffice 排版后找不到标题“1.办公经费绩效目标表”，无法填写目录页码"
    )
    for garbage in ([3], [3, "4"], [3, 0], None):
        assert _answered_pages({"ok": True, "pages": garbage}, request).trouble.startswith("LibreOffice 的转换程序答非所问：页码为")
    assert _answered_pages({"ok": False, "error": "IOException"}, request) == Layout(trouble="LibreOffice 无法排版文档：IOException")


def test_the_toc_numbers_count_from_the_first_heading_unless_a_blank_page_must_go_in() -> None:
    assert toc_numbers([2, 2, 3, 5]) == [1, 1, 2, 4]  # the body starts on physical page 3: a right-hand page
    assert toc_numbers([3, 3, 4]) is None  # on page 4: a blank page goes in, and the numbered document needs its own layout
    assert toc_numbers([]) == []
