"""The errors perfgen reports to its user; every one derives from PerfgenError."""

from __future__ import annotations


class PerfgenError(Exception):
    """A failure with a message meant for the user (in Chinese)."""


class TemplateError(PerfgenError):
    """The Word template is missing, unreadable or uses an unknown name."""


class OutputError(PerfgenError):
    """The document could not be written."""


class OfficeError(PerfgenError):
    """LibreOffice is missing or could not convert a document."""


class OfficeStartFailed(OfficeError):
    """The UNO worker came up but LibreOffice did not answer it: the command line may still work."""


class OfficeTimedOut(OfficeError):
    """LibreOffice did not answer in time, and was killed."""
