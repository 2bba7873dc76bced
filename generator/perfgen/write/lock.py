"""One build at a time per output folder: ``<out>/.perfgen.lock``, holding the builder's process id.

The lock is the operating system's (flock, or msvcrt on Windows) on that file, so
it ends with its process however that ends: a build killed with kill -9 leaves
a file whose lock anybody may take over. A second build into the same folder
waits, and says for whom. The file is removed when the build ends; a waiter
that finds it has locked a removed file tries again.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from perfgen.errors import OutputError, system_reason
from perfgen.paths import display_path
from perfgen.write.tree import make_output_folder

LOCK = ".perfgen.lock"

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(handle: int) -> bool:
        try:
            os.lseek(handle, 0, os.SEEK_SET)
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: int) -> None:
        os.lseek(handle, 0, os.SEEK_SET)
        msvcrt.locking(handle, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: int) -> bool:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(handle: int) -> None:
        fcntl.flock(handle, fcntl.LOCK_UN)


def _holder(path: Path) -> str:
    with contextlib.suppress(OSError, ValueError):
        return path.read_text(encoding="ascii").strip()
    return ""


class OutputLock:
    """Hold the lock of an output folder for the ``with`` block (the folder is made if need be)."""

    def __init__(self, out_dir: Path, notice: Callable[[str], None] | None = None, poll: float = 0.2) -> None:
        self.out_dir = out_dir
        self.path = out_dir / LOCK
        self.notice = notice
        self.poll = poll
        self.created_folder = False
        self._handle: int | None = None

    def __enter__(self) -> OutputLock:
        self.created_folder = make_output_folder(self.out_dir)
        told = False
        while True:
            handle = self._open()
            if _try_lock(handle):
                if self._still_there(handle):
                    break
                _unlock(handle)  # the holder removed it after we opened it: lock the new one
            elif not told and self.notice:
                holder = _holder(self.path)
                who = f"（进程 {holder}）" if holder.isdigit() else ""
                self.notice(f"另一个 perfgen{who}正在向 {display_path(self.out_dir)} 生成文档，等它完成后继续……")
                told = True
            os.close(handle)
            time.sleep(self.poll)
        os.ftruncate(handle, 0)
        os.write(handle, f"{os.getpid()}\n".encode("ascii"))
        self._handle = handle
        return self

    def _open(self) -> int:
        """The lock file, opened without following a link and refused unless a regular file (it is truncated)."""
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        try:
            handle = os.open(self.path, flags, 0o666)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise OutputError(f"{display_path(self.path)} 是链接（快捷方式），perfgen 不经链接写入：请删掉它后重试") from exc
            raise OutputError(f"无法在 {display_path(self.out_dir)} 中写文件：{system_reason(exc)}") from exc
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            os.close(handle)
            raise OutputError(f"{display_path(self.path)} 不是普通文件（可能是管道或设备）：请删掉它后重试")
        return handle

    def _still_there(self, handle: int) -> bool:
        try:
            return os.path.samestat(os.fstat(handle), os.stat(self.path))
        except OSError:
            return False

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        assert self._handle is not None
        # removed while still held, so that no one locks the file we are about to leave
        with contextlib.suppress(OSError):
            self.path.unlink()
        _unlock(self._handle)
        os.close(self._handle)
        self._handle = None
        if self.created_folder:  # a build that wrote nothing leaves no trace
            with contextlib.suppress(OSError):
                self.out_dir.rmdir()
