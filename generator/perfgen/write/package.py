"""Serialise a document as a reproducible .docx: same content, same bytes."""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING, Any, cast

from docx.document import Document
from docx.opc.pkgwriter import PackageWriter

if TYPE_CHECKING:
    from docx.opc.phys_pkg import PhysPkgWriter

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can hold
CONTENT_TYPES = "[Content_Types].xml"


def pack(members: dict[str, bytes]) -> bytes:
    """A zip of ``members`` with fixed timestamps, attributes and member order."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in sorted(members, key=lambda name: (name != CONTENT_TYPES, name)):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0o644 << 16
            target.writestr(info, members[name], compresslevel=6)
    return out.getvalue()


def normalize_zip(data: bytes) -> bytes:
    """Re-pack a .docx with fixed timestamps, attributes and member order."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return pack({name: source.read(name) for name in source.namelist()})


class _Members:
    """Stands in for python-docx's zip writer: keeps each member's bytes instead of compressing them."""

    def __init__(self) -> None:
        self.members: dict[str, bytes] = {}

    def write(self, pack_uri: Any, blob: bytes) -> None:
        self.members[pack_uri.membername] = blob


def docx_bytes(document: Document) -> bytes:
    """What ``normalize_zip(document.save())`` gives, compressed once instead of twice.

    Follows python-docx 1.x's OpcPackage.save and PackageWriter.write, which pyproject.toml pins.
    """
    package = document.part.package
    for part in package.parts:
        part.before_marshal()
    writer = _Members()
    # python-docx leaves these two private helpers unannotated; _write_parts calls only write() on its writer
    PackageWriter._write_content_types_stream(writer, package.parts)  # type: ignore[no-untyped-call]
    PackageWriter._write_pkg_rels(writer, package.rels)  # type: ignore[no-untyped-call]
    PackageWriter._write_parts(cast("PhysPkgWriter", writer), package.parts)
    return pack(writer.members)
