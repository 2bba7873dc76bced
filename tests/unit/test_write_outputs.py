"""Build's last stage writes the previews through the one door: never through a link, never over a user's file."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfWriter

from conftest import require_tool
from perfgen.build.layout import Layout
from perfgen.build.write import PREVIEWS, Outputs, write_outputs
from perfgen.write.tree import Refused


def blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def outside_with_a_file(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    (outside / "乡镇").mkdir(parents=True)
    (outside / "乡镇" / "clerk.txt").write_text("别人的文件", encoding="utf-8")
    return outside


def listing(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


@pytest.mark.parametrize("pdf", [True, False], ids=["pages-written", "laid-out-failed"])
def test_a_linked_preview_folder_is_refused_and_nothing_outside_changes(tmp_path: Path, pdf: bool) -> None:
    require_tool("pdftoppm")
    out = tmp_path / "build"
    out.mkdir()
    outside = outside_with_a_file(tmp_path)
    (out / PREVIEWS).symlink_to(outside, target_is_directory=True)
    before = listing(outside)
    layout = Layout(b"docx", blank_pdf() if pdf else None)
    with pytest.raises(Refused, match="是链接"):
        write_outputs(Outputs.of(out, "乡镇", pdf=False, preview=True), layout)
    assert listing(outside) == before
    assert (outside / "乡镇" / "clerk.txt").read_text(encoding="utf-8") == "别人的文件"


@pytest.mark.parametrize("pdf", [True, False], ids=["pages-written", "laid-out-failed"])
def test_a_township_s_preview_that_is_a_link_is_refused(tmp_path: Path, pdf: bool) -> None:
    require_tool("pdftoppm")
    out = tmp_path / "build"
    (out / PREVIEWS).mkdir(parents=True)
    outside = outside_with_a_file(tmp_path)
    (out / PREVIEWS / "乡镇").symlink_to(outside / "乡镇", target_is_directory=True)
    layout = Layout(b"docx", blank_pdf() if pdf else None)
    with pytest.raises(Refused, match="不是 perfgen 生成的预览文件夹"):
        write_outputs(Outputs.of(out, "乡镇", pdf=False, preview=True), layout)
    assert listing(outside) == ["乡镇", "乡镇/clerk.txt"]
    assert (out / PREVIEWS / "乡镇").is_symlink()


def test_previews_replace_the_old_ones_in_a_real_folder(tmp_path: Path) -> None:
    require_tool("pdftoppm")
    out = tmp_path / "build"
    (out / PREVIEWS / "乡镇").mkdir(parents=True)
    (out / PREVIEWS / "乡镇" / "old-9.png").write_bytes(b"old")
    written = write_outputs(Outputs.of(out, "乡镇", pdf=False, preview=True), Layout(b"docx", blank_pdf()))
    assert [p.name for p in written.previews] == sorted(p.name for p in (out / PREVIEWS / "乡镇").iterdir())
    assert len(written.previews) == 1 and not (out / PREVIEWS / "乡镇" / "old-9.png").exists()
