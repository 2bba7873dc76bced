"""``perfgen report``: a county's overview as a static site and a workbook, read top to bottom.

load (every township checked, with the checks across townships) -> summarise (per township, reuse
across townships) -> render (index.html, one page per township by the one HTML renderer, 跨单位.html,
报表.xlsx) -> write (each file atomically into the output folder).

The site works from a file on an intranet share: no network, no server, its own CSS and script.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from perfgen.report.collect import County, collect


@dataclass
class ReportResult:
    folder: Path
    townships: int = 0
    files: list[Path] = field(default_factory=list)


def write_report(paths: list[Path], out: Path, jobs: int | None = None) -> ReportResult:
    """Check the townships named by ``paths`` and write the county report into ``out``."""
    from perfgen.report.site import pages
    from perfgen.report.xlsx import workbook
    from perfgen.write.tree import OUTPUT_ADVICE, Refused, Tree, make_output_folder, not_a_folder

    problem = not_a_folder(out, OUTPUT_ADVICE)
    if problem:  # said before every township is checked, and nothing made yet
        raise Refused(problem)
    county: County = collect(paths, jobs)
    files = {**pages(county), "报表.xlsx": workbook(county)}
    result = ReportResult(out, len(county.townships))
    make_output_folder(out)  # as build makes its output folder, with the same refusals
    tree = Tree(out)
    for name, data in files.items():
        tree.write(name, data)
        result.files.append(out.joinpath(*name.split("/")))
    return result
