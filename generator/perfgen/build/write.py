"""Stage 5 of a build: write a township's outputs, each in one piece, and nothing it was not asked for.

``Outputs`` names every path a township's build writes into the output
folder: ``<name>.docx``, ``<name>.pdf`` and the PNG pages under
``preview/<name>/``. A township LibreOffice failed gets its .docx and no PDF or
previews, and none left from an earlier build beside the new .docx.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from perfgen.build.layout import Layout
from perfgen.office.pdf import PREVIEW_DPI, write_previews
from perfgen.paths import display_path
from perfgen.write.atomic import sync_folder, temporary_name, write_atomic
from perfgen.write.tree import Refused, Tree

PREVIEWS = "preview"  # the folder of the PNG pages, one folder per township in it


@dataclass(frozen=True)
class Outputs:
    """Where a township's outputs go; ``pdf`` and ``previews`` are None when not asked for."""

    docx: Path
    pdf: Path | None
    previews: Path | None
    dpi: int = PREVIEW_DPI  # the previews' resolution

    @classmethod
    def of(cls, out_dir: Path, name: str, pdf: bool, preview: bool, dpi: int = PREVIEW_DPI) -> Outputs:
        return cls(
            out_dir / f"{name}.docx",
            out_dir / f"{name}.pdf" if pdf else None,
            out_dir / PREVIEWS / name if preview else None,
            dpi,
        )

    def paths(self) -> list[Path]:
        """Every output asked for, the .docx first."""
        return [path for path in (self.docx, self.pdf, self.previews) if path is not None]


@dataclass(frozen=True)
class Written:
    """What was written: the PNG pages, and what was asked for but could not be (``missing``: "PDF", "预览")."""

    previews: list[Path]
    missing: list[str]


def write_outputs(outputs: Outputs, layout: Layout) -> Written:
    """Write the document (and PDF, previews) of a laid-out township, each output replaced in one piece."""
    write_atomic(outputs.docx, layout.docx)
    if layout.pdf is None:
        # LibreOffice failed: no PDF or previews, and none left from an earlier build beside the new .docx
        missing = []
        if outputs.pdf is not None:
            missing.append("PDF")
            outputs.pdf.unlink(missing_ok=True)
        if outputs.previews is not None:
            missing.append("预览")
            shutil.rmtree(_previews_folder(outputs.previews), ignore_errors=True)
        return Written([], missing)
    if outputs.pdf is not None:
        write_atomic(outputs.pdf, layout.pdf)
    if outputs.previews is None:
        return Written([], [])
    with tempfile.TemporaryDirectory() as scratch:  # the PNGs need the PDF as a file, not in the output
        pdf = outputs.pdf or Path(scratch) / "document.pdf"
        if outputs.pdf is None:
            pdf.write_bytes(layout.pdf)
        return Written(_replace_previews(pdf, outputs.previews, outputs.dpi), [])


def _previews_folder(folder: Path) -> Path:
    """``preview/<name>`` when perfgen may replace or remove it: never through a link, never a file of the user's.

    ``preview/`` is made a real folder through the one door (a link or a file there is Refused), so that
    neither the new pages nor the removal of the old ones can reach where a link points.
    """
    Tree(folder.parent.parent, clean=False).folder(folder.parent.name)
    if os.path.lexists(folder) and (folder.is_symlink() or not folder.is_dir()):
        raise Refused(f"{display_path(folder)} 是链接或文件，不是 perfgen 生成的预览文件夹，未改动：请把它移走或改名")
    return folder


def _replace_previews(pdf: Path, folder: Path, dpi: int) -> list[Path]:
    """Render the pages into a temporary folder beside ``folder``, then put it in its place."""
    _previews_folder(folder)
    prefix, suffix = temporary_name(folder)
    scratch = Path(tempfile.mkdtemp(prefix=prefix, suffix=suffix, dir=folder.parent))
    try:
        pages = write_previews(pdf, scratch, dpi)
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(scratch, folder)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    sync_folder(folder.parent)
    return [folder / page.name for page in pages]
