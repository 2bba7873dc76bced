"""Build documents: plan -> load and check -> render -> lay out -> write.

``build()`` reads top to bottom as the pipeline; each stage is one call into a
module of this package, and what passes between stages is a typed record:

1. plan (plan.py): each township's digest and ``Outputs``; the unchanged ones
   are skipped, showing what their last good build wrote (``Record``) and what
   a check of their sources finds (render.py: ``recheck``, from the check
   cache: never rendered again).
2. and 3. load and check, then render (render.py), on all cores, each township
   on its own: a ``Rendered`` per township (its problems; its document,
   headings, totals).
4. lay out (layout.py): one LibreOffice for the whole build, started first,
   says on which page each heading fell; those numbers are written into the
   TOC, and the PDF is made from that same layout. A ``Layout`` per document,
   with its own trouble: LibreOffice's failure never costs a township its .docx.
5. write (write.py): each output replaced in one piece, then recorded
   (perfgen/state.py). Before that, what validate checks across townships
   (rule code-shared) runs over the codes stages 2 and 3 found and the
   skipped townships' check results: no source is read twice. With
   ``--strict`` a township that shares a code with another is not written.

A build holds its output folder's lock throughout (write/lock.py), so that a
second build into it waits. The townships about to be rebuilt are forgotten,
durably, before any output is replaced, and each is recorded with its outputs'
hashes once they are all in place: a build killed at any point leaves nothing
the next one would wrongly skip, and the temporary files it left are removed.
"""

from __future__ import annotations

import contextlib
import time
import traceback
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from perfgen.build.layout import Layout, LayoutStage, laid_out_pdf
from perfgen.build.plan import Planned, Record, Records, plan
from perfgen.build.render import Codes, Found, Rendered, recheck, render_townships
from perfgen.build.result import BuildResult, Listener, Options
from perfgen.build.write import PREVIEWS, write_outputs
from perfgen.errors import OfficeError, PerfgenError
from perfgen.load.township import find_townships
from perfgen.paths import display_path
from perfgen.problems import Problem
from perfgen.render.template_file import template_bytes
from perfgen.resources import standard_template
from perfgen.state import Store
from perfgen.write.atomic import remove_leftovers
from perfgen.write.lock import OutputLock

if TYPE_CHECKING:
    from perfgen.office.libreoffice import LibreOffice

__all__ = ["BuildResult", "Listener", "Options", "build", "laid_out_pdf"]

# Loading, validating and rendering (YAML, the schema, python-docx, lxml, Jinja: ~0.1 s to import) are
# imported where they are used, once LibreOffice has been started: it takes a second to come up.


def build(paths: list[Path], options: Options | None = None, listener: Listener | None = None) -> list[BuildResult]:
    """Build every township named by ``paths`` into ``options.out_dir``/<folder>.docx.

    Paths that name no township, an unreadable template and a missing
    LibreOffice (when a PDF is asked for) raise PerfgenError before anything
    is built. Results come in the order of the townships, whatever ``jobs`` is.
    ``listener`` hears of the build's progress (see Listener).
    """
    options = options or Options()
    listener = listener or Listener()
    folders = _townships(paths, options.out_dir)
    template = options.template or standard_template()
    template_bytes(template)  # one that is missing or no file is refused at once; its content is checked later
    office = _office(options, listener)
    # one build at a time into an output folder: the second waits, so no record is lost
    with OutputLock(options.out_dir, listener.notice), Store(options.out_dir) as store:
        remove_leftovers(options.out_dir)  # left by a build that was killed while writing
        remove_leftovers(options.out_dir / PREVIEWS)
        records = Records(store, options.out_dir)

        # 1. plan: unchanged townships are skipped
        planned = plan(folders, records, template, options, paginate=office is not None and not options.draft)
        found = recheck([township.folder for township in planned if township.skipped], options.jobs)
        # one whose check failed (a bug) is built again, where its failure shows
        planned = [replace(township, skipped=None) if township.skipped and not found[township.folder] else township
                   for township in planned]
        results = {township.folder: _result(township, found.get(township.folder)) for township in planned}
        todo = {township.folder: township for township in planned if township.skipped is None}
        records.forget(list(todo.values()))  # before any output is replaced

        codes = {folder: checked.codes for folder, checked in found.items() if checked is not None}
        held: dict[Path, Layout] = {}  # --strict: written once the checks across townships have passed them
        with _running(office if todo else None):  # LibreOffice comes up while the first townships render
            layouts = LayoutStage(office, options, listener, results)
            # 2. and 3. load, check and render on all cores; 4. each document laid out as soon as it is rendered
            for done, rendered in enumerate(render_townships(list(todo), template, options.strict, options.jobs), 1):
                _take(results[rendered.folder], rendered)
                codes[rendered.folder] = rendered.codes
                listener.rendered(done, len(todo), results[rendered.folder])
                final = layouts.add(rendered)
                if final is not None and options.strict:
                    held[rendered.folder] = final
                elif final is not None:  # no LibreOffice: the document is final, written while the others render
                    _write(todo[rendered.folder], final, results[rendered.folder], records)
            laid = layouts.finish()

        # what validate checks across townships, from what loading found: no source is read again
        across = _across(planned, codes)
        # 5. write what LibreOffice laid out
        for folder, layout in {**held, **laid}.items():
            if options.strict and across.get(folder):
                results[folder].error = f"与其他单位共用项目编码，检查发现 {len(across[folder])} 个警告（--strict），未生成文档"
                continue
            _write(todo[folder], layout, results[folder], records)
    for folder, problems in across.items():
        results[folder].problems = results[folder].problems + problems
    for index, township in enumerate(planned, 1):
        listener.finished(index, len(planned), results[township.folder])
    return [results[township.folder] for township in planned]


def _townships(paths: list[Path], out_dir: Path) -> list[Path]:
    """The township folders named by ``paths``; PerfgenError when a path names none or two share a name."""
    folders, missing = find_townships(paths)
    if missing:
        raise PerfgenError("\n".join(missing))
    if not folders:
        raise PerfgenError(f"没有找到单位文件夹：{'、'.join(display_path(p) for p in paths)}")
    by_name: dict[str, list[Path]] = defaultdict(list)
    for folder in folders:
        by_name[folder.name].append(folder)
    # two townships whose folders share a name would write one document
    clashes = [
        f"{'、'.join(display_path(f) for f in same)} 同名，都会生成 {display_path(out_dir / (name + '.docx'))}"
        for name, same in by_name.items()
        if len(same) > 1
    ]
    if clashes:
        raise PerfgenError(
            "单位文件夹重名：" + "；".join(clashes) + "。请给文件夹改名，或分开生成并用 --out 指定不同的输出文件夹"
        )
    return folders


def _office(options: Options, listener: Listener) -> LibreOffice | None:
    """The LibreOffice for this build, or None when it is not needed or not there."""
    wanted = options.pdf or options.preview
    if options.draft and not wanted:
        return None
    # only now: a draft build neither starts nor imports the LibreOffice machinery (processes, the UNO bridge)
    from perfgen.office.libreoffice import INSTALL_HINT, NO_OFFICE_TOC, LibreOffice, find_soffice

    soffice = find_soffice()
    if soffice is None:
        if wanted:
            raise OfficeError(f"生成 PDF 或预览需要 LibreOffice，但没有找到 soffice。{INSTALL_HINT}")
        listener.notice(f"提示：没有找到 LibreOffice，目录页码没有填写。{NO_OFFICE_TOC}{INSTALL_HINT}")
        return None
    return LibreOffice(soffice)


@contextlib.contextmanager
def _running(office: LibreOffice | None) -> Iterator[None]:
    """LibreOffice started now, without waiting for it, and stopped (with everything it left) after."""
    if office is None:
        yield
        return
    with office:
        office.start()
        yield


def _across(planned: list[Planned], codes: dict[Path, Codes]) -> defaultdict[Path, list[Problem]]:
    """Rule code-shared over the townships of the build (the rendered ones and the skipped): a 项目编码 used by
    two of them is a warning at each place, as ``perfgen validate`` of the same townships reports it."""
    from perfgen.validate.across import codes_across

    folders = {township.name: township.folder for township in planned}
    across: defaultdict[Path, list[Problem]] = defaultdict(list)
    for problem in codes_across([(township.name, codes.get(township.folder, [])) for township in planned]):
        across[folders[problem.township]].append(problem)
    return across


def _result(township: Planned, found: Found | None) -> BuildResult:
    """A township's result before it is built; a skipped one's as its last build left it, with what its check ``found``."""
    record = township.skipped
    if record is None or found is None:
        return BuildResult(township.folder)
    return BuildResult(
        township.folder, output=township.outputs.docx, pdf=township.outputs.pdf, projects=record.projects,
        total=record.total, paginated=record.paginated, skipped=True, problems=found.problems,
    )


def _take(result: BuildResult, rendered: Rendered) -> None:
    result.problems = rendered.problems
    result.error = rendered.error
    result.projects = rendered.projects
    result.total = rendered.total
    result.seconds = rendered.seconds


def _write(township: Planned, layout: Layout, result: BuildResult, records: Records) -> None:
    """Write a township's outputs, then record them; a failure is the township's own."""
    result.paginated = layout.paginated
    result.office_trouble = layout.trouble
    if layout.error:
        result.error = layout.error
        return
    started = time.perf_counter()
    try:
        written = write_outputs(township.outputs, layout)
    except PerfgenError as exc:
        result.error = str(exc)
        return
    except Exception:  # a bug must not stop the other townships
        result.error = "内部错误，请把以下信息告诉维护人员：\n" + traceback.format_exc()
        return
    result.output = township.outputs.docx
    result.pdf = township.outputs.pdf if layout.pdf is not None else None
    result.previews = written.previews
    result.missing = written.missing
    result.seconds += time.perf_counter() - started
    if not layout.trouble:  # a build short of its layout is redone next time
        records.record(township, Record(township.digest, result.projects, result.total, result.paginated))
