"""Build documents: load -> validate -> render -> write, one township at a time.

A township that fails stops alone; the others still build.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from perfgen.errors import PerfgenError
from perfgen.load.township import Township, display_path, find_townships, load_township
from perfgen.problems import Problem
from perfgen.render.context import make_context
from perfgen.render.docx import DocxRenderer
from perfgen.render.fixups import merge_level1, renumber_bookmarks, set_properties
from perfgen.resources import standard_template
from perfgen.validate.rules import is_rule
from perfgen.validate.township import validate_township
from perfgen.write.atomic import write_atomic
from perfgen.write.package import docx_bytes


@dataclass
class BuildResult:
    """What became of one township."""

    folder: Path
    output: Path | None = None
    projects: int = 0
    problems: list[Problem] = field(default_factory=list)
    error: str = ""

    @property
    def name(self) -> str:
        return self.folder.name

    @property
    def ok(self) -> bool:
        return self.output is not None


def render_document(township: Township, renderer: DocxRenderer) -> bytes:
    context = make_context(township)
    document = renderer.render(context)
    merge_level1(document, [project["一级跨行"] for project in context["项目"]])
    renumber_bookmarks(document)
    set_properties(document, title=f"{context['封面']['单位']}{context['年度']}年部门预算绩效文本", author=context["单位名称"])
    return docx_bytes(document)


def build_township(folder: Path, out_dir: Path, renderer: DocxRenderer, strict: bool = False) -> BuildResult:
    result = BuildResult(folder)
    township, result.problems = load_township(folder)
    result.problems += validate_township(township)
    # errors of form stop the township; the rules' findings only with --strict
    blocking = [p for p in result.problems if p.is_error and not is_rule(p)]
    if blocking:
        result.error = f"源文件有 {len(blocking)} 个格式错误，未生成文档"
        return result
    if strict and result.problems:
        result.error = f"检查发现 {len(result.problems)} 个问题（--strict），未生成文档"
        return result

    data = render_document(township, renderer)

    output = out_dir / f"{township.name}.docx"
    write_atomic(output, data)
    result.output, result.projects = output, len(township.projects)
    return result


Progress = Callable[[int, int, BuildResult], None]


def build(
    paths: list[Path],
    out_dir: Path,
    template: Path | None = None,
    progress: Progress | None = None,
    strict: bool = False,
) -> list[BuildResult]:
    """Build every township named by ``paths`` into ``out_dir``/<folder>.docx.

    Paths that name no township raise PerfgenError before anything is built.
    """
    folders, missing = find_townships(paths)
    if missing:
        raise PerfgenError("\n".join(missing))
    if not folders:
        raise PerfgenError(f"没有找到单位文件夹：{'、'.join(display_path(p) for p in paths)}")
    renderer = DocxRenderer(template or standard_template())
    results = []
    for index, folder in enumerate(folders, 1):
        try:
            result = build_township(folder, out_dir, renderer, strict)
        except PerfgenError as exc:
            result = BuildResult(folder, error=str(exc))
        except Exception:  # a bug must not stop the other townships
            result = BuildResult(folder, error="内部错误，请把以下信息告诉维护人员：\n" + traceback.format_exc())
        results.append(result)
        if progress:
            progress(index, len(folders), result)
    return results
