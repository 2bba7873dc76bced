"""WordprocessingML names in Clark notation, as python-docx's ``qn`` makes them, each made once.

``docx.oxml.ns.qn`` splits its argument on every call; typesetting a township asks for the same
few dozen names some 30,000 times (≈ 15 ms of a 23-project build).
"""

from __future__ import annotations

import functools

from docx.oxml.ns import qn as _qn


@functools.cache  # bounded by the names the code spells: a few dozen
def qn(tag: str) -> str:
    """``{namespace-uri}local`` for a prefixed name such as ``w:tc``."""
    return _qn(tag)
