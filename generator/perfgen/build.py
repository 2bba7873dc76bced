"""Build documents: load -> validate -> render -> paginate -> write.

Townships whose sources, template, options and perfgen version are unchanged
since their last good build are skipped. The others are loaded, validated and
rendered on several cores, each on its own: a township that fails stops
alone. Pagination goes through one LibreOffice for the whole batch, started
first and laying each document out as soon as it is rendered: it says on
which page each heading fell, and those numbers are written into the TOC;
when a PDF is asked for, it is made from that same layout with the numbers
written in (see paginate). Last, the documents are written.

A build holds its output folder's lock throughout (write/lock.py), so that a
second build into it waits. A township's manifest entry is removed, durably,
before its outputs are replaced, and recorded with their hashes after them
(write/manifest.py): a build killed at any point leaves nothing the next one
would wrongly skip, and the temporary files it left are removed.

LibreOffice's trouble (it fails, hangs, crashes or writes a damaged PDF) never
costs a township its .docx: the document is written as first rendered, its TOC
left for Word to fill in on opening, and the build warns once per cause.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
import time
import traceback
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from perfgen.errors import OfficeError, PerfgenError
from perfgen.load.township import find_townships
from perfgen.office.libreoffice import INSTALL_HINT, NO_OFFICE_TOC, Headings, Layout, LibreOffice, find_soffice
from perfgen.office.pdf import check_pdf, heading_pages, printed_numbers, write_previews
from perfgen.parallel import ordered_map
from perfgen.paths import display_path
from perfgen.problems import Problem, problem_from_json
from perfgen.render.template_file import template_bytes
from perfgen.resources import font_config, standard_template
from perfgen.validate import memo
from perfgen.write.atomic import remove_leftovers, sync_folder, temporary_name, write_atomic
from perfgen.write.lock import OutputLock
from perfgen.write.manifest import Manifest, fingerprint, township_hash

if TYPE_CHECKING:
    from perfgen.render.docx import DocxRenderer
    from perfgen.model import Township

# Loading, validating and rendering (YAML, the schema, python-docx, lxml, Jinja: ~0.1 s to import) are
# imported where they are used, once LibreOffice has been started: it takes a second to come up.


def _fingerprinted(default: object) -> Any:
    """An option that changes the documents: a change of it rebuilds townships the manifest would skip."""
    return field(default=default, metadata={"fingerprint": True})


@dataclass
class Options:
    out_dir: Path = Path("build")
    template: Path | None = None  # enters the fingerprint by its content, not its name
    strict: bool = _fingerprinted(False)  # any finding of the checks stops a township
    draft: bool = _fingerprinted(False)  # skip the page numbers of the TOC (no LibreOffice)
    pdf: bool = _fingerprinted(False)  # also write <out>/<folder>.pdf
    preview: bool = _fingerprinted(False)  # also write PNG pages under <out>/preview/<folder>/
    jobs: int | None = None  # processes for loading and rendering; None: all cores
    force: bool = False  # rebuild townships that have not changed

    def fingerprinted(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.metadata.get("fingerprint")}


@dataclass
class BuildResult:
    """What became of one township."""

    folder: Path
    output: Path | None = None
    pdf: Path | None = None
    previews: list[Path] = field(default_factory=list)
    projects: int = 0
    total: str = ""  # the township's total budget, with its unit
    seconds: float = 0.0
    paginated: bool = False  # the TOC carries its page numbers
    office_trouble: str = ""  # why LibreOffice could not lay the document out (TOC left for Word, no PDF)
    missing: list[str] = field(default_factory=list)  # outputs asked for but not delivered: "PDF", "预览"
    skipped: bool = False  # unchanged since the last build
    problems: list[Problem] = field(default_factory=list)
    error: str = ""

    @property
    def name(self) -> str:
        return self.folder.name

    @property
    def ok(self) -> bool:
        return self.output is not None


@dataclass
class _Job:
    """A township on its way through the pipeline (sent between processes)."""

    result: BuildResult
    digest: str = ""
    context: dict[str, Any] = field(default_factory=dict)
    docx: bytes = b""
    fallback: bytes = b""  # the document as first rendered: TOC for Word to fill in on opening
    titles: list[str] = field(default_factory=list)  # the headings of the TOC, in order
    bookmarks: list[str] = field(default_factory=list)  # and their bookmarks
    numbers: list[int] = field(default_factory=list)  # their page numbers, once laid out
    pdf: bytes | None = None

    def fail(self, message: str) -> None:
        self.result.error = message


class Listener:
    """What a build tells its caller as it goes. This one hears nothing: override what you need."""

    def notice(self, text: str) -> None:
        """A message for the user (a missing LibreOffice, the layout starting, a warning)."""

    def rendered(self, done: int, total: int, result: BuildResult) -> None:
        """A township was rendered (or failed), in the order they finish."""

    def finished(self, index: int, total: int, result: BuildResult) -> None:
        """A township's final result, in the order of the townships, once everything is written."""

    def laid_out(self, done: int, total: int, result: BuildResult) -> None:
        """LibreOffice laid out one document: ``done`` of ``total`` layouts of this build (two per document with a PDF)."""


def render_document(context: dict[str, Any], renderer: DocxRenderer) -> tuple[bytes, list[str]]:
    """The rendered document, its TOC made but without page numbers; and the TOC's headings."""
    from perfgen.render.fixups import (
        break_long_titles,
        merge_level1,
        renumber_bookmarks,
        set_properties,
        set_update_fields,
    )
    from perfgen.render.toc import make_toc
    from perfgen.write.package import docx_bytes

    document = renderer.render(context)
    merge_level1(document, [project["一级跨行"] for project in context["项目"]])
    break_long_titles(document)
    titles = make_toc(document)
    renumber_bookmarks(document)
    # until page numbers are in the TOC, Word is asked to fill them in on opening
    set_update_fields(document, True)
    set_properties(document, title=f"{context['封面']['单位']}{context['年度']}年部门预算绩效文本", author=context["单位名称"])
    return docx_bytes(document), titles


def with_page_numbers(data: bytes, numbers: list[int], blank_page: bool = False) -> bytes:
    """The document with the page numbers written into its TOC's PAGEREF results (and a blank page after the TOC)."""
    import docx

    from perfgen.render.fixups import set_update_fields
    from perfgen.render.toc import set_numbers, start_body_on_odd_page
    from perfgen.write.package import docx_bytes

    document = docx.Document(io.BytesIO(data))
    set_numbers(document, numbers)
    if blank_page:
        start_body_on_odd_page(document)
    set_update_fields(document, False)
    return docx_bytes(document)


def _checked(folder: Path) -> tuple[list[Problem], dict[str, Any] | None]:
    """A township's problems and, when none blocks it, what rendering needs: {"context", "projects", "total"}.

    An unchanged township's are kept from its last check (validate/memo.py): it is not loaded again.
    """
    state = memo.township_state(folder)
    kept = memo.recall(folder, state)
    blocked = kept is not None and any(p.blocking for p in kept.problems)
    if kept is not None and (blocked or kept.rendering is not None):
        return kept.problems, None if blocked else kept.rendering
    # only now: loading and checking (YAML, schemas, model, rules) cost a tenth of a second to import
    from perfgen.render.context import make_context
    from perfgen.validate.township import check_township

    checked = check_township(folder)
    rendering = None
    if not checked.blocking:
        township = checked.township
        rendering = {"context": make_context(township), "projects": len(township.projects), "total": str(township.total)}
    memo.keep(folder, state, checked.files_read, checked.problems, rendering, checked.codes)
    return checked.problems, rendering


def prepare(job: _Job, renderer: DocxRenderer, strict: bool) -> None:
    """Load, validate and render one township."""
    from perfgen.render.toc import bookmark_names

    result = job.result
    result.problems, rendering = _checked(result.folder)
    blocking = [p for p in result.problems if p.blocking]
    # errors of form stop the township; the rules' findings only with --strict
    if blocking:
        job.fail(f"源文件有 {len(blocking)} 个格式错误，未生成文档")
    elif strict and result.problems:
        job.fail(f"检查发现 {len(result.problems)} 个问题（--strict），未生成文档")
    else:
        assert rendering is not None
        job.context = rendering["context"]
        job.docx, job.titles = render_document(job.context, renderer)
        job.bookmarks = bookmark_names(len(job.titles))
        job.fallback = job.docx
        result.projects = rendering["projects"]
        result.total = rendering["total"]


def _converted(pdf: bytes | None, office: LibreOffice) -> bytes:
    if pdf is None:
        raise OfficeError(office.problem or "LibreOffice 未能把这份文档转换为 PDF")
    return pdf


def _blank_page_wanted(pages: list[int]) -> bool:
    """Whether the body would start on a left-hand page (0-based physical pages of the headings): it must not."""
    return bool(pages) and pages[0] % 2 == 1


def toc_numbers(pages: list[int]) -> list[int] | None:
    """The TOC's numbers for headings on these pages, where writing them in moves nothing; None where a
    blank page must go in first (the numbered document then needs a layout of its own)."""
    return None if _blank_page_wanted(pages) else printed_numbers(pages)


def number_pages(job: _Job, layout: Layout, office: LibreOffice) -> None:
    """Write the pages on which the headings fell into the TOC's field results; take the PDF made meanwhile.

    The body's page numbers start at 1 after the TOC, so the numbers written cannot move a heading.
    """
    if layout.trouble:
        raise OfficeError(layout.trouble)
    job.numbers = printed_numbers(layout.pages)
    job.docx = with_page_numbers(job.docx, job.numbers, blank_page=_blank_page_wanted(layout.pages))
    job.result.paginated = True
    if layout.pdf is not None:
        deliver_pdf(job, layout.pdf, office)


def deliver_pdf(job: _Job, pdf: bytes | None, office: LibreOffice) -> None:
    """The PDF of the numbered document; its headings must be where the TOC says."""
    pdf = _converted(pdf, office)
    if heading_pages(pdf, job.titles) != job.numbers:
        raise OfficeError("目录页码核对未通过：填入页码后重新排版，标题所在页发生了变化")
    job.pdf = check_pdf(pdf)


def _without_layout(job: _Job, cause: str) -> None:
    """LibreOffice failed this township: it keeps its document, with the TOC left for Word."""
    job.docx = job.fallback
    job.pdf = None
    job.result.paginated = False
    job.result.office_trouble = cause


class _Layouts:
    """Counts LibreOffice's layouts of a build for the listener, so that its progress moves per document."""

    def __init__(self, listener: Listener, total: int) -> None:
        self.listener, self.total, self.done = listener, total, 0

    def more(self, count: int) -> None:
        """``count`` more layouts than first thought: documents whose PDF needs a layout of its own."""
        self.total += count

    def of(self, jobs: list[_Job]) -> Callable[[int], None]:
        def one(index: int) -> None:
            self.done += 1
            self.listener.laid_out(min(self.done, self.total), self.total, jobs[index].result)

        return one


def _laid_out(
    jobs: list[_Job], office: LibreOffice, layouts: _Layouts | None = None, pages: bool = False, pdf: bool = False
) -> list[tuple[_Job, Any]]:
    """The townships still to lay out, each with its PDF (``pages``: its Layout, see LibreOffice.locate,
    with the PDF of the numbered document when ``pdf``); if LibreOffice fails, they all go without."""
    jobs = [job for job in jobs if not job.result.error and not job.result.office_trouble]
    done = layouts.of(jobs) if layouts else None
    try:
        if pages:
            numbering = toc_numbers if pdf else None
            return list(zip(jobs, office.locate([_headings(job) for job in jobs], done, numbering)))
        return list(zip(jobs, office.convert([job.docx for job in jobs], done)))
    except OfficeError as exc:
        for job in jobs:
            _without_layout(job, str(exc))
        return []


def _lay_out(job: _Job, step: Callable[[], None]) -> None:
    """Run one step of the layout for a township that LibreOffice has not failed yet."""
    if not job.result.office_trouble:
        _guard(job, step)


def _headings(job: _Job) -> Headings:
    return Headings(job.docx, job.titles, job.bookmarks)


def paginate(jobs: list[_Job], office: LibreOffice, pdf_wanted: bool, listener: Listener | None = None) -> None:
    """Number the TOC of every document from one layout, which also gives the PDF when one is wanted;
    lay a numbered document out again only where that layout could not give it (a blank page went in
    after a two-page TOC, or LibreOffice runs from the command line)."""
    layouts = _Layouts(listener or Listener(), len(jobs))
    for job, layout in _laid_out(jobs, office, layouts, pages=True, pdf=pdf_wanted):
        _lay_out(job, lambda: number_pages(job, layout, office))
    if pdf_wanted:
        again = [job for job in jobs if job.pdf is None and not job.result.error and not job.result.office_trouble]
        layouts.more(len(again))
        for job, pdf in _laid_out(again, office, layouts):
            _lay_out(job, lambda: deliver_pdf(job, pdf, office))


def laid_out_pdf(township: Township, renderer: DocxRenderer, office: LibreOffice) -> bytes:
    """The PDF of one township's document as ``perfgen build --pdf`` makes it, TOC numbered (perfgen serve's
    分页预览, on a LibreOffice kept for the session). OfficeError when LibreOffice cannot make it."""
    from perfgen.render.context import make_context
    from perfgen.render.toc import bookmark_names

    job = _Job(BuildResult(township.folder), context=make_context(township))
    job.docx, job.titles = render_document(job.context, renderer)
    job.bookmarks = bookmark_names(len(job.titles))
    job.fallback = job.docx
    paginate([job], office, pdf_wanted=True)
    if job.pdf is None:
        raise OfficeError(job.result.office_trouble or job.result.error or "LibreOffice 未能排版这份文档")
    return job.pdf


def convert_only(jobs: list[_Job], office: LibreOffice, listener: Listener | None = None) -> None:
    """--draft with --pdf: the PDF as rendered, TOC without page numbers."""
    for job, pdf in _laid_out(jobs, office, _Layouts(listener or Listener(), len(jobs))):
        _lay_out(job, lambda: setattr(job, "pdf", check_pdf(_converted(pdf, office))))


def _warn_once(jobs: list[_Job], options: Options, listener: Listener) -> None:
    """One warning per cause of LibreOffice's trouble, naming the townships it cost their page numbers."""
    causes: dict[str, list[str]] = {}
    for job in jobs:
        if job.result.office_trouble:
            causes.setdefault(job.result.office_trouble, []).append(job.result.name)
    lost = "、".join(name for name, wanted in (("PDF", options.pdf), ("预览", options.preview)) if wanted)
    for cause, names in causes.items():
        listener.notice(
            f"警告：LibreOffice 排版失败：{cause}。{'、'.join(names)} 的 .docx 照常生成，"
            f"目录页码留待在 Word 中打开时更新" + (f"；没有生成 {lost}" if lost else "") + "。"
        )


def write(job: _Job, options: Options) -> None:
    """Write the document (and PDF, previews) of a rendered township."""
    result = job.result
    output = options.out_dir / f"{result.name}.docx"
    write_atomic(output, job.docx)
    result.output = output
    if job.pdf is None:
        # LibreOffice failed: no PDF or previews, and none left from an earlier build beside the new .docx
        stale = options.out_dir / f"{result.name}.pdf"
        if options.pdf:
            result.missing.append("PDF")
            stale.unlink(missing_ok=True)
        if options.preview:
            result.missing.append("预览")
            shutil.rmtree(options.out_dir / "preview" / result.name, ignore_errors=True)
        return
    if options.pdf:
        result.pdf = options.out_dir / f"{result.name}.pdf"
        write_atomic(result.pdf, job.pdf)
    if options.preview:
        with tempfile.TemporaryDirectory() as scratch:  # the PNGs need the PDF as a file, not in the output
            pdf = result.pdf or Path(scratch) / "document.pdf"
            if result.pdf is None:
                pdf.write_bytes(job.pdf)
            result.previews = _replace_previews(pdf, options.out_dir / "preview" / result.name)


def _replace_previews(pdf: Path, folder: Path) -> list[Path]:
    """Render the pages into a temporary folder beside ``folder``, then put it in its place."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    prefix, suffix = temporary_name(folder)
    scratch = Path(tempfile.mkdtemp(prefix=prefix, suffix=suffix, dir=folder.parent))
    try:
        pages = write_previews(pdf, scratch)
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(scratch, folder)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    sync_folder(folder.parent)
    return [folder / page.name for page in pages]


def _guard(job: _Job, step: Callable[[], None]) -> None:
    """Run one step for a township; its failure is its own."""
    if job.result.error:
        return
    try:
        step()
    except OfficeError as exc:  # LibreOffice's failure costs the township its layout, not its document
        _without_layout(job, str(exc))
    except PerfgenError as exc:
        job.fail(str(exc))
    except Exception:  # a bug must not stop the other townships
        job.fail("内部错误，请把以下信息告诉维护人员：\n" + traceback.format_exc())


# -- one renderer per worker process: the template is read and checked once per process

_renderer: DocxRenderer | None = None


def _start_worker(template: Path) -> None:
    from perfgen.render.docx import DocxRenderer

    global _renderer
    _renderer = DocxRenderer(template)


def _prepare_in_worker(args: tuple[_Job, bool]) -> _Job:
    job, strict = args
    assert _renderer is not None
    started = time.perf_counter()
    _guard(job, lambda: prepare(job, _renderer, strict))
    job.result.seconds = time.perf_counter() - started
    return job


def _office(options: Options, listener: Listener) -> LibreOffice | None:
    """The LibreOffice for this build, or None when it is not needed or not there."""
    wanted = options.pdf or options.preview
    if options.draft and not wanted:
        return None
    soffice = find_soffice()
    if soffice is None:
        if wanted:
            raise OfficeError(f"生成 PDF 或预览需要 LibreOffice，但没有找到 soffice。{INSTALL_HINT}")
        listener.notice(f"提示：没有找到 LibreOffice，目录页码没有填写。{NO_OFFICE_TOC}{INSTALL_HINT}")
        return None
    return LibreOffice(soffice)


def _outputs(options: Options, name: str) -> list[str]:
    outputs = [f"{name}.docx"]
    if options.pdf:
        outputs.append(f"{name}.pdf")
    if options.preview:
        outputs.append(f"preview/{name}")
    return outputs


def _kept(problems: list[Problem], folder: Path) -> list[dict[str, object]]:
    """A township's problems for its manifest entry, their files relative to the township folder."""
    kept = []
    relative: dict[str, str] = {}  # a township has many problems in few files: each resolved once ("": not inside)
    try:
        root: Path | None = folder.resolve()
    except (OSError, RuntimeError):
        root = None
    for problem in problems:
        data = problem.as_json()
        if root is not None and problem.file not in relative:
            try:
                relative[problem.file] = Path(problem.file).resolve().relative_to(root).as_posix()
            except (ValueError, OSError, RuntimeError):
                relative[problem.file] = ""
        if relative.get(problem.file):
            data["file"] = relative[problem.file]
        kept.append(data)
    return kept


def _restored(kept: list[dict[str, object]], folder: Path) -> list[Problem]:
    """The problems of a skipped township, as the last build found them, named as this build names files."""
    problems = []
    for data in kept:
        data = {**data, "file": display_path(folder / str(data["file"]))}
        problems.append(problem_from_json(data))
    return problems


def _skipped(folder: Path, options: Options, entry: dict[str, Any]) -> BuildResult:
    result = BuildResult(folder, skipped=True, projects=entry["projects"], total=entry["total"])
    result.problems = _restored(entry["problems"], folder)
    result.output = options.out_dir / f"{folder.name}.docx"
    result.pdf = options.out_dir / f"{folder.name}.pdf" if options.pdf else None
    result.paginated = entry["paginated"]
    return result


def build(
    paths: list[Path],
    options: Options | None = None,
    listener: Listener | None = None,
) -> list[BuildResult]:
    """Build every township named by ``paths`` into ``options.out_dir``/<folder>.docx.

    Paths that name no township, an unreadable template and a missing
    LibreOffice (when a PDF is asked for) raise PerfgenError before anything
    is built. Results come in the order of the townships, whatever ``jobs`` is.
    ``listener`` hears of the build's progress (see Listener).
    """
    options = options or Options()
    listener = listener or Listener()
    folders, missing = find_townships(paths)
    if missing:
        raise PerfgenError("\n".join(missing))
    if not folders:
        raise PerfgenError(f"没有找到单位文件夹：{'、'.join(display_path(p) for p in paths)}")
    _refuse_shared_names(folders, options.out_dir)
    template = options.template or standard_template()
    template_bytes(template)  # one that is missing or no file is refused at once; its content is checked later
    office = _office(options, listener)
    # one build at a time into an output folder: the second waits, so no manifest entry is lost
    with OutputLock(options.out_dir, listener.notice):
        return _build_locked(folders, options, template, office, listener)


def _refuse_shared_names(folders: list[Path], out_dir: Path) -> None:
    """Two townships whose folders share a name would write one document: refuse before building."""
    by_name: dict[str, list[Path]] = defaultdict(list)
    for folder in folders:
        by_name[folder.name].append(folder)
    clashes = [
        f"{'、'.join(display_path(f) for f in same)} 同名，都会生成 {display_path(out_dir / (name + '.docx'))}"
        for name, same in by_name.items()
        if len(same) > 1
    ]
    if clashes:
        raise PerfgenError(
            "单位文件夹重名：" + "；".join(clashes) + "。请给文件夹改名，或分开生成并用 --out 指定不同的输出文件夹"
        )


def _build_locked(
    folders: list[Path],
    options: Options,
    template: Path,
    office: LibreOffice | None,
    listener: Listener,
) -> list[BuildResult]:
    """The build proper, under the output folder's lock."""
    # leftovers of a build that was killed while writing
    remove_leftovers(options.out_dir)
    remove_leftovers(options.out_dir / "preview")

    # unchanged townships are skipped
    manifest = Manifest.load(options.out_dir)
    settings = options.fingerprinted()
    settings["paginate"] = office is not None and not options.draft
    shared = fingerprint(template, [font_config()], settings)
    jobs: list[_Job] = []
    for folder in folders:
        digest = township_hash(folder, shared)
        entry = None if options.force else manifest.fresh(folder.name, digest)
        if entry is not None and "problems" not in entry:  # recorded by an older perfgen: its problems unknown
            entry = None
        jobs.append(_Job(_skipped(folder, options, entry) if entry else BuildResult(folder), digest))
    todo = [job for job in jobs if not job.result.skipped]

    def forget_stale() -> None:
        """Forget (durably) what is about to be replaced, so that an interrupted build can never leave
        a document that the manifest vouches for but its sources no longer make."""
        stale = [job.result.name for job in todo if job.result.name in manifest.townships]
        if stale:
            for name in stale:
                manifest.record(name, None)
            manifest.save()

    def write_and_record(job: _Job) -> None:
        result = job.result
        started = time.perf_counter()
        _guard(job, lambda: write(job, options))
        result.seconds += time.perf_counter() - started
        if result.ok and not result.office_trouble:  # a build short of its layout is redone next time
            entry = {"hash": job.digest, "outputs": manifest.outputs(_outputs(options, result.name)),
                     "projects": result.projects, "total": result.total, "paginated": result.paginated,
                     # a skipped township shows its problems again: they do not go away unfixed
                     "problems": _kept(result.problems, result.folder)}
            manifest.record(result.name, entry)
            manifest.save()  # recorded only once all its outputs are in place

    # without LibreOffice a rendered document is final: it is written at once, while the others render
    write_now = office is None
    if write_now:
        forget_stale()

    # load, validate, render: on all cores; LibreOffice (when used) starts meanwhile and lays out
    # each document as soon as it is rendered, while the others are still rendering
    with contextlib.ExitStack() as laying_out:
        streaming = office is not None and bool(todo)
        if streaming:
            assert office is not None
            laying_out.enter_context(office)
            office.start()
        # the template is read and checked before anything is built, as LibreOffice comes up
        from perfgen.render.docx import DocxRenderer

        DocxRenderer(template)
        prepared: dict[Path, _Job] = {}
        work = [(job, options.strict) for job in todo]
        memo.code_digest()  # once, before the worker processes start (they inherit it)
        for done, job in enumerate(ordered_map(_prepare_in_worker, work, options.jobs, _start_worker, (template,)), 1):
            prepared[job.result.folder] = job
            listener.rendered(done, len(todo), job.result)
            if write_now:
                write_and_record(job)
            if streaming and not job.result.error:
                assert office is not None
                if options.draft:
                    office.prefetch(job.docx)
                else:
                    office.prefetch(_headings(job), toc_numbers if options.pdf or options.preview else None)
        jobs = [prepared.get(job.result.folder, job) for job in jobs]

        # paginate: one LibreOffice for the batch
        rendered = [job for job in jobs if not job.result.skipped and not job.result.error]
        if office is not None and rendered:
            listener.notice(f"正在用 LibreOffice 排版，计算目录页码（{len(rendered)} 个文档）……")
            if options.draft:
                convert_only(rendered, office, listener)
            else:
                paginate(rendered, office, options.pdf or options.preview, listener)
    if office is not None and rendered:
        _warn_once(rendered, options, listener)

    # write what LibreOffice laid out: first forget what is about to be replaced
    if not write_now:
        forget_stale()
    for index, job in enumerate(jobs, 1):
        if not job.result.skipped and not write_now:
            write_and_record(job)
        listener.finished(index, len(jobs), job.result)
    return [job.result for job in jobs]
