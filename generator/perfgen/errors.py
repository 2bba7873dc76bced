"""The errors perfgen reports to its user; every one derives from PerfgenError."""

from __future__ import annotations


import errno

# what the system says (in English) when a file cannot be read or written, said to a clerk
SYSTEM_REASONS = {
    errno.ENOENT: "文件不存在",
    errno.EACCES: "没有读写权限（文件夹或文件是只读的，或属于别的用户）",
    errno.EPERM: "没有权限（文件夹或文件是只读的，或属于别的用户）",
    errno.EISDIR: "这是文件夹，不是文件",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.ENOSPC: "磁盘空间不足",
    errno.ENOTEMPTY: "文件夹不是空的",
    errno.EROFS: "磁盘是只读的",
    errno.ENAMETOOLONG: "文件名太长",
    errno.EEXIST: "已经存在",
    errno.ELOOP: "链接指向自己或层数太多",
    errno.EBUSY: "文件正被其他程序使用",
    errno.EIO: "读写磁盘出错",
}


def system_reason(exc: OSError) -> str:
    """Why the system refused, in Chinese (exc.strerror is English: "No such file or directory")."""
    return SYSTEM_REASONS.get(exc.errno or 0, f"系统错误（错误号 {exc.errno}）")


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
