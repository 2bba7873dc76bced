"""Stage 2 and 3 of a build: load and check a township, then render its document (on all cores).

What comes out is a ``Rendered`` record per township: its problems and, when
they allow it, the document with its TOC made but without page numbers, the
TOC's headings, and the township's totals. Only this record travels back from
a worker process.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from perfgen.errors import PerfgenError
from perfgen.parallel import ordered_map
from perfgen.problems import Problem
from perfgen.state import code_digest
from perfgen.validate import memo

if TYPE_CHECKING:
    from perfgen.render.docx import DocxRenderer


Codes = list[tuple[Any, ...]]  # Checked.codes: (code, file, line, column, project name), for the checks across townships


@dataclass(frozen=True)
class Document:
    """A rendered .docx, its TOC made without page numbers (Word fills them in on opening), and its headings."""

    docx: bytes
    titles: list[str]  # of the TOC's headings, in order
    bookmarks: list[str]  # of those headings, as LibreOffice finds them

    @property
    def size(self) -> int:
        return len(self.docx)


@dataclass(frozen=True)
class Rendered:
    """What loading, checking and rendering made of one township."""

    folder: Path
    problems: list[Problem] = field(default_factory=list)
    document: Document | None = None  # None: not rendered, ``error`` says why
    error: str = ""
    projects: int = 0
    total: str = ""  # the township's total budget, with its unit
    seconds: float = 0.0
    codes: Codes = field(default_factory=list)


def render_townships(folders: list[Path], template: Path, strict: bool, jobs: int | None) -> Iterator[Rendered]:
    """Each township checked and rendered, on ``jobs`` processes, in the order of ``folders`` as they are done."""
    code_digest()  # once, before the worker processes start (they inherit it)
    yield from ordered_map(_render_in_worker, [(folder, strict) for folder in folders], jobs, _start_worker, (template,))


@dataclass(frozen=True)
class Found:
    """What a check of a skipped township's sources finds: its problems, and its projects' codes with their places."""

    problems: list[Problem]
    codes: Codes


def recheck(folders: list[Path], jobs: int | None) -> dict[Path, Found | None]:
    """What a check finds of townships that are not rendered again (skipped): their problems and codes.

    Their one home is the check cache (validate/memo.py; perfgen/state.py says why): read here, in this
    process (~1 ms a township). Where it has none (empty, damaged, unwritable, or kept from another working
    folder, whose messages name files otherwise), they are checked again on ``jobs`` processes, not rendered.
    None: the check failed (a bug), and the township is better built again, where its failure shows.
    """
    found: dict[Path, Found | None] = {}
    missed = []
    for folder in folders:
        kept = memo.recall(folder, memo.township_state(folder))
        if kept is None or kept.codes is None:
            missed.append(folder)
        else:
            found[folder] = Found(kept.problems, kept.codes)
    if missed:
        code_digest()  # once, before the worker processes start (they inherit it)
        found.update(zip(missed, ordered_map(_found_in_worker, missed, jobs)))
    return found


def _found_in_worker(folder: Path) -> Found | None:
    try:
        problems, _, codes = _checked(folder)
    except Exception:  # a bug: the township is built again, where its failure shows
        return None
    return Found(problems, codes)


def render_township(folder: Path, renderer: DocxRenderer, strict: bool) -> Rendered:
    """Load, check and render one township; its failure (a bug included) is its own."""
    started = time.perf_counter()
    problems: list[Problem] = []
    codes: Codes = []
    try:
        problems, kept, codes = _checked(folder)
        blocking = [p for p in problems if p.blocking]
        # errors of form stop the township; the rules' findings only with --strict
        if blocking:
            error = f"源文件有 {len(blocking)} 个格式错误，未生成文档"
        elif strict and problems:
            error = f"检查发现 {len(problems)} 个问题（--strict），未生成文档"
        else:
            assert kept is not None
            return Rendered(folder, problems, render_document(kept.context, renderer), "", kept.projects, kept.total,
                            time.perf_counter() - started, codes)
    except PerfgenError as exc:
        error = str(exc)
    except Exception:  # a bug must not stop the other townships
        error = "内部错误，请把以下信息告诉维护人员：\n" + traceback.format_exc()
    return Rendered(folder, problems, error=error, seconds=time.perf_counter() - started, codes=codes)


def _checked(folder: Path) -> tuple[list[Problem], memo.Rendering | None, Codes]:
    """A township's problems, what rendering needs (when no problem blocks it) and its project codes.

    An unchanged township's are kept from its last check (validate/memo.py): it is not loaded again.
    """
    state = memo.township_state(folder)
    kept = memo.recall(folder, state)
    blocked = kept is not None and any(p.blocking for p in kept.problems)
    if kept is not None and kept.codes is not None and (blocked or kept.rendering is not None):
        return kept.problems, None if blocked else kept.rendering, kept.codes
    # only now: loading and checking (YAML, schemas, model, rules) cost a tenth of a second to import
    from perfgen.render.context import make_context
    from perfgen.validate.township import check_township

    checked = check_township(folder)
    rendering = None
    if not checked.blocking:
        township = checked.township
        rendering = memo.Rendering(make_context(township), len(township.projects), str(township.total))
    memo.keep(folder, state, checked.files_read, checked.problems, rendering, checked.codes)
    return checked.problems, rendering, list(checked.codes)


def render_document(context: dict[str, object], renderer: DocxRenderer) -> Document:
    """The rendered document, its TOC made but without page numbers, and the TOC's headings."""
    from perfgen.render.document import rendered_document
    from perfgen.render.toc import bookmark_names

    docx, titles = rendered_document(context, renderer)
    return Document(docx, titles, bookmark_names(len(titles)))


# -- one renderer per worker process: the template is read and checked once per process

_renderer: DocxRenderer | None = None


def _start_worker(template: Path) -> None:
    from perfgen.render.docx import DocxRenderer

    global _renderer
    _renderer = DocxRenderer(template)


def _render_in_worker(args: tuple[Path, bool]) -> Rendered:
    folder, strict = args
    assert _renderer is not None
    return render_township(folder, _renderer, strict)
