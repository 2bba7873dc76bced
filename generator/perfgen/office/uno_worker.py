"""Lay documents out and convert them to PDF through one running LibreOffice, driven over UNO.

Runs under a Python that can ``import uno`` (Debian's python3 with python3-uno,
or the Python bundled with LibreOffice on Windows), not under perfgen's own.
It imports nothing from perfgen.

    python3 uno_worker.py SOFFICE PROFILE_URL PIPE_NAME

It starts LibreOffice once, then reads one JSON object per line on stdin and
answers each with one line on stdout:

- {"in": "a.docx", "out": "a.pdf"}: convert; {"ok": true}.
- {"in": "a.docx", "bookmarks": ["_Toc1", ...]}: lay the document out and
  say on which physical page (1-based) each bookmark starts, without writing
  a PDF: {"ok": true, "pages": [3, 3, 4, ...]}; {"ok": false, "missing":
  "_Toc1"} when LibreOffice lost a bookmark. With "keep": true the document
  stays open for the next job, which must be one of:
- {"numbers": ["1", "1", ...], "bookmarks": [...], "out": "a.pdf"}: write the
  numbers at the end of the TOC's entries, as perfgen writes them into the
  .docx, and convert, if the bookmarks stay on their pages:
  {"ok": true, "pages": [...]}; else {"ok": false, "moved": true} (no PDF).
- {"drop": true}: close it; {"ok": true}.

A job that makes a PDF may also name a table header, {"rows": "一级指标", ...}: the
answer then says where the rows of each table whose first cell reads so break
across pages, as laid out for that PDF: {"ok": true, "starts": [[5, 12], [],
...]}, one list per table in the document's order, of its rows (0-based, the
header row not counted) that begin a page after the table's first; "starts": []
when no page begins inside such a table.

A failure is {"ok": false, "error": "..."}; when LibreOffice itself has ended
meanwhile (crashed, killed), the answer also holds its exit status, {"ok":
false, "error": "...", "ended": -9}, and the worker stops. At the end of stdin
it closes LibreOffice. The first line it writes is {"ready": true} once
connected.

LibreOffice runs in the worker's process group: perfgen kills that group
whole when it gives up on a conversion.
"""

from __future__ import annotations  # annotations stay text: LibreOffice's own Python may be older than perfgen's

import json
import subprocess
import sys
import time
from typing import Any

# LibreOffice's Python bridge, imported once LibreOffice is starting; its objects are untyped (Any)
uno: Any = None
PropertyValue: Any = None

CONNECT_SECONDS = 120


def prop(name: str, value: Any) -> Any:
    value_ = PropertyValue()
    value_.Name = name
    value_.Value = value
    return value_


def say(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def connect(process: subprocess.Popen[bytes], pipe: str) -> Any:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.time() + CONNECT_SECONDS
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:  # not listening yet
            if process.poll() is not None or time.time() > deadline:
                raise
            time.sleep(0.05)  # LibreOffice listens ~1 s after it starts: a coarse poll would add to every build


def pages(document: Any, names: list[str], anchors: dict[str, Any] | None = None) -> dict[str, Any]:
    """The physical page on which each bookmark starts, as laid out (moving the view cursor lays out).

    Pages are counted as printed: not the blank pages LibreOffice inserts of itself so that a section
    whose numbering restarts at an odd number starts on a right-hand page (Word inserts none, and the
    PDF leaves them out). The view cursor cannot jump to those (to a page that a table's rows fill, it
    can, though it then stands on the page before).

    ``anchors`` keeps the bookmarks' places for the next look at the same document: each UNO object
    perfgen's Python gets costs ~1 ms (the bridge asks what it is), the bookmarks' two 70 ms for 官厅镇.
    A place follows the text as it is edited.
    """
    anchors = {} if anchors is None else anchors
    marks = None
    cursor = document.getCurrentController().getViewCursor()
    found: list[int] = []
    for name in names:
        if name not in anchors:
            marks = marks or document.getBookmarks()
            if not marks.hasByName(name):
                return {"ok": False, "missing": name}
            anchors[name] = marks.getByName(name).getAnchor()
        cursor.gotoRange(anchors[name], False)
        found.append(cursor.getPage())
    # a blank page holds no heading: only the pages without one need a look
    empty = [n for n in sorted(set(range(1, max(found, default=0))) - set(found)) if not cursor.jumpToPage(n)]
    return {"ok": True, "pages": [page - sum(1 for blank in empty if blank < page) for page in found]}


def row_starts(document: Any, header: str) -> list[list[int]]:
    """The rows that begin a page, per table headed ``header`` (see the module's docstring); [] when no page
    begins inside such a table.

    Each UNO object perfgen's Python gets costs ~1 ms (the bridge asks what it is), so objects are asked
    for only where a table goes on over a page: the view cursor, sent to the top of each page, stands in
    it then (in the header the page repeats, or the cell whose merge runs on).
    """
    cursor = document.getCurrentController().getViewCursor()
    cursor.jumpToLastPage()
    going_on: dict[str, Any] = {}  # by name, the tables that go on at the top of a page
    for page in range(2, cursor.getPage() + 1):
        if cursor.jumpToPage(page) and (table := cursor.TextTable) is not None:
            going_on.setdefault(table.getName(), table)
    if not going_on:
        return []
    wanted = "".join(header.split())
    search = document.createSearchDescriptor()
    search.SearchString = header
    found = document.findAll(search)  # in the document's order
    starts: list[list[int]] = []
    for index in range(found.getCount()):
        at = found.getByIndex(index)
        cell = at.Cell
        if cell is None or cell.CellName != "A1" or "".join(cell.getString().split()) != wanted:
            continue
        name = at.TextTable.getName()
        starts.append(_table_starts(cursor, going_on[name]) if name in going_on else [])
    return starts


def _table_starts(cursor: Any, table: Any) -> list[int]:
    """The rows of a table (0-based, the header row not counted) that begin a page after its first.

    A row cannot split (perfgen's tables say so), so the page of its last cell's start is the row's.
    """
    last: dict[int, tuple[tuple[int, str], str]] = {}  # row -> its last cell, by column
    for name in table.getCellNames():
        letters = name.rstrip("0123456789")
        if letters.isalpha() and name[len(letters) :].isdigit():
            column = (len(letters), letters)  # A…Z, a…z, AA…: LibreOffice's order, as ASCII sorts it
            row = int(name[len(letters) :])
            if row not in last or column > last[row][0]:
                last[row] = column, name
    pages = []
    for row in sorted(last)[1:]:  # the header row aside
        cursor.gotoRange(table.getCellByName(last[row][1]).getStart(), False)
        pages.append(cursor.getPage())
    return [i for i in range(1, len(pages)) if pages[i] > pages[i - 1]]


def number_toc(document: Any, numbers: list[str]) -> bool:
    """Write the page numbers at the end of the TOC's entries; False where the TOC is not one entry per number.

    One text cursor walks the entries (see ``pages`` on the cost of an object for each).
    """
    indexes = document.getDocumentIndexes()
    if indexes.getCount() != 1:
        return False
    index = indexes.getByIndex(0)
    within = index.getAnchor()
    text, end = within.getText(), within.getEnd()

    def each_entry() -> Any:
        """A cursor on each of the TOC's paragraphs in turn (a table among them is passed over)."""
        cursor = text.createTextCursorByRange(within.getStart())
        while True:
            cursor.gotoEndOfParagraph(True)
            yield cursor
            if not cursor.gotoNextParagraph(False) or text.compareRegionStarts(cursor, end) < 0:
                return

    # each entry ends with the tab before its number, as perfgen made it
    entries = [cursor.getString() for cursor in each_entry()]
    if len(entries) != len(numbers) or not all(entry.endswith("\t") for entry in entries):
        return False
    index.IsProtected = False  # LibreOffice keeps an index's text read-only
    for cursor, number in zip(each_entry(), numbers):
        cursor.collapseToEnd()
        text.insertString(cursor, number, False)
    return True


def numbered(document: Any, job: dict[str, Any], before: dict[str, Any] | None, anchors: dict[str, Any]) -> dict[str, Any]:
    """The document with its TOC numbered, converted if nothing moved from where it was (``before``, its
    bookmarks at ``anchors``)."""
    if not number_toc(document, job["numbers"]):
        return {"ok": False, "moved": True}
    after = pages(document, job["bookmarks"], anchors)
    if after != before:
        return {"ok": False, "moved": True}
    return export(document, job, after)


def export(document: Any, job: dict[str, Any], answer: dict[str, Any]) -> dict[str, Any]:
    """The PDF of the document as laid out; the answer with where the rows of ``job["rows"]`` tables break."""
    if job.get("rows"):
        answer = {**answer, "starts": row_starts(document, job["rows"])}
    document.storeToURL(uno.systemPathToFileUrl(job["out"]), (prop("FilterName", "writer_pdf_Export"),))
    return answer


def main() -> None:
    soffice, profile, pipe = sys.argv[1:4]
    process = subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless", "--invisible", "--nologo", "--norestore", "--nodefault", "--nolockcheck",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    global uno, PropertyValue
    try:  # while LibreOffice starts (a second); perfgen starts this Python untried, and falls back on the command line
        import uno  # provided by LibreOffice's Python bridge
        from com.sun.star.beans import PropertyValue
    except ImportError as missing:
        process.kill()
        say({"ready": False, "error": f"没有 LibreOffice 的 Python 接口（{missing}）"})
        sys.exit(1)
    try:
        context = connect(process, pipe)
    except Exception as exc:
        ended = process.poll()
        reason = f"LibreOffice 退出（退出码 {ended}）" if ended is not None else f"{type(exc).__name__}: {exc}"
        say({"ready": False, "error": reason})
        process.kill()
        return
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    say({"ready": True})
    # the document of a "keep" job, the pages its bookmarks were on and their places, for the next job
    kept: tuple[Any, dict[str, Any], dict[str, Any]] | None = None
    for line in sys.stdin:
        job = json.loads(line)
        try:
            document, before, anchors = kept or (None, None, {})
            kept = None
            if document is None:
                document = desktop.loadComponentFromURL(
                    uno.systemPathToFileUrl(job["in"]), "_blank", 0, (prop("Hidden", True), prop("ReadOnly", True))
                )
            try:
                answer: dict[str, Any]
                if "drop" in job:
                    answer = {"ok": True}
                elif "numbers" in job:
                    answer = numbered(document, job, before, anchors)
                elif "bookmarks" in job:
                    answer = pages(document, job["bookmarks"], anchors)
                    if job.get("keep") and answer["ok"]:
                        kept = document, answer, anchors
                else:
                    answer = export(document, job, {"ok": True})
            finally:
                if kept is None:
                    document.close(True)
            say(answer)
        except Exception as exc:
            ended = process.poll()
            if ended is None:
                time.sleep(0.5)  # a bridge that broke as LibreOffice died: let it finish dying
                ended = process.poll()
            answer = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
            if ended is not None:
                answer["ended"] = ended
                say(answer)
                return
            say(answer)
    try:
        desktop.terminate()
    except Exception:  # the bridge closes as LibreOffice quits
        pass
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


if __name__ == "__main__":
    main()
