"""What a build is asked (``Options``), what it tells as it goes (``Listener``) and what it gives back (``BuildResult``)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from perfgen.office.pdf import PREVIEW_DPI
from perfgen.problems import Problem


def _fingerprinted(default: object) -> Any:
    """An option that changes the documents: a change of it rebuilds townships the build would skip."""
    return field(default=default, metadata={"fingerprint": True})


@dataclass
class Options:
    out_dir: Path = Path("build")
    template: Path | None = None  # enters the fingerprint by its content, not its name
    strict: bool = _fingerprinted(False)  # any finding of the checks stops a township
    draft: bool = _fingerprinted(False)  # skip the page numbers of the TOC (no LibreOffice)
    pdf: bool = _fingerprinted(False)  # also write <out>/<folder>.pdf
    preview: bool = _fingerprinted(False)  # also write PNG pages under <out>/preview/<folder>/
    dpi: int = _fingerprinted(PREVIEW_DPI)  # the previews' resolution
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
