"""Serialise a document as a reproducible .docx: same content, same bytes."""

from __future__ import annotations

import io
import zipfile

from docx.document import Document

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can hold
CONTENT_TYPES = "[Content_Types].xml"


def normalize_zip(data: bytes) -> bytes:
    """Re-pack a .docx with fixed timestamps, attributes and member order."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        names = sorted(source.namelist(), key=lambda name: (name != CONTENT_TYPES, name))
        for name in names:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name), compresslevel=6)
    return out.getvalue()


def docx_bytes(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return normalize_zip(buffer.getvalue())
