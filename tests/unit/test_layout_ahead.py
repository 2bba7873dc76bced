"""LibreOffice lays documents out ahead (prefetch), and the batch's convert takes those layouts as they are."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from perfgen.errors import OfficeError
from perfgen.office.libreoffice import LibreOffice


class Recording(LibreOffice):
    """A LibreOffice whose conversions are recorded instead of run; "bridge" stands for the UNO bridge."""

    def __init__(self, bridge: bool = True, fail: bool = False) -> None:
        super().__init__("soffice")
        self._uno_python = "python3" if bridge else None
        self.batches: list[list[bytes]] = []
        self.fail = fail

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
