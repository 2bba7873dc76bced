"""The one door for writing into a user's tree: build, import, new, init and fmt all write through it.

Every write stays inside a root folder (resolved once), never passes through a symlink or
into a special file (a FIFO is never opened), goes to a randomly named temporary file in
the same folder and is renamed over the old file, whose mode is kept; a file with other
hard links is refused rather than split from them.

A township folder is written whole (``replace_folder``): into a scratch folder beside it,
swapped with the old folder in one step where the system allows. A killed run leaves only
scratch names (``.<name>.<pid>-<random>.tmp``), which the township finder skips and the
next write into the same folder removes. With --force only what perfgen writes is
replaced; the other files of the old folder are kept and listed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import shutil
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from perfgen.errors import OutputError, system_reason
from perfgen.paths import SCRATCH, display_path

TEMPORARY_SUFFIX = ".tmp"
MAX_NAME_BYTES = 255
MAX_READ = 4 * 1024 * 1024  # perfgen reads back only small files it writes (settings, .gitignore)


class Refused(OutputError):
    """A write the door will not make: the message says why, in Chinese."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def new_file_mode() -> int:
    """The mode open() gives a new file: 0666 less the umask."""
    return 0o666 & ~_umask()


def sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a crash right after cannot undo it), where the system allows."""
    if os.name != "posix":  # pragma: no cover - Windows commits renames itself
        return
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def scratch_name(name: str, old: bool = False) -> str:
    """A hidden name beside ``name`` owned by this process: ``.<name>.<pid>-<random>.tmp`` within 255 bytes."""
    tail = f".{os.getpid()}-{secrets.token_hex(4)}{'.old' if old else ''}{TEMPORARY_SUFFIX}"
    room = MAX_NAME_BYTES - 1 - len(tail.encode())
    head = name.encode("utf-8", "surrogateescape")[:room].decode("utf-8", "ignore")
    return f".{head}{tail}"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":  # pragma: no cover - no cheap probe: assume alive
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process
        return True
    return True


def remove_scratch(folder: Path) -> None:
    """Remove what killed writes left in ``folder``: scratch names of processes that are gone.

    A folder set aside by an interrupted two-step replacement (``.old``) whose township is missing
    is put back, not removed.
    """
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        match = SCRATCH.match(entry.name)
        if match is None or _alive(int(match["pid"])):
            continue
        path = Path(entry.path)
        with contextlib.suppress(OSError):
            if match["old"] and not os.path.lexists(folder / match["name"]):
                os.rename(path, folder / match["name"])
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(path)
            else:
                os.unlink(path)


def _kind(info: os.stat_result) -> str | None:
    """Why a path may not be written through, or None for a regular file."""
    if stat.S_ISLNK(info.st_mode):
        return "是链接（快捷方式），perfgen 不经链接写入"
    if stat.S_ISDIR(info.st_mode):
        return "是文件夹，不是文件"
    if not stat.S_ISREG(info.st_mode):
        return "不是普通文件（可能是管道或设备），perfgen 不打开它"
    return None


def _what(info: os.stat_result) -> str:
    """What a path that is no folder is, said to a clerk."""
    if stat.S_ISFIFO(info.st_mode):
        return "一个管道（FIFO）"
    if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode):
        return "一个设备文件"
    if stat.S_ISSOCK(info.st_mode):
        return "一个套接字"
    if stat.S_ISREG(info.st_mode):
        return "一个普通文件"
    return "一个特殊文件"


def not_a_folder(path: Path, advice: str = "请换一个文件夹") -> str | None:
    """Why ``path`` cannot be a folder (the first step of it that exists as something else, and what that is), or None."""
    for here in (path, *path.parents):
        above = "" if here == path else f"{display_path(path)} 的上级 "
        try:
            info = os.stat(here)
        except OSError:
            if os.path.islink(here):
                return f"{above}{display_path(here)} 是指向不存在位置的链接（快捷方式），未改动：{advice}"
            continue
        if stat.S_ISDIR(info.st_mode):
            return None
        what = f"指向{_what(info)}的链接（快捷方式）" if os.path.islink(here) else _what(info)
        return f"{above}{display_path(here)} 已经存在，是{what}，不是文件夹，未改动：{advice}"
    return None


OUTPUT_ADVICE = "请用 -o 换一个输出文件夹"


def make_output_folder(path: Path) -> bool:
    """Make the output folder ``path`` and its parents where missing (True when it was missing).

    Something else there (a file, a FIFO, a device, a link to one) is Refused, saying what it is; build and
    report refuse alike.
    """
    made = not os.path.lexists(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as exc:
        raise Refused(not_a_folder(path, OUTPUT_ADVICE) or f"无法创建输出文件夹 {display_path(path)}：{system_reason(exc)}") from None
    except OSError as exc:
        raise OutputError(f"无法创建输出文件夹 {display_path(path)}：{system_reason(exc)}") from exc
    return made


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        return None


def _parts(relative: str | PurePosixPath) -> list[str]:
    parts = [part for part in re.split(r"[\\/]", str(relative)) if part not in ("", ".")]
    if not parts or ".." in parts or PurePosixPath(str(relative)).is_absolute() or re.match(r"^[A-Za-z]:", str(relative)):
        raise Refused(f"“{relative}”不是文件夹内的相对路径，未写入")
    return parts


@dataclass
class Tree:
    """A folder of a user's tree that perfgen writes into, and nothing outside it."""

    root: Path
    clean: bool = True  # remove the scratch of killed runs from each folder written into (build does its own)
    made: list[Path] = field(default_factory=list)  # folders created, in order
    _cleaned: set[Path] = field(default_factory=set, repr=False)  # folders whose scratch of killed runs is gone

    def __post_init__(self) -> None:
        given = self.root
        try:
            if os.path.lexists(given) and not given.exists():
                raise Refused(f"{display_path(given)} 是指向不存在位置的链接：请写一个真正的文件夹")
            given.mkdir(parents=True, exist_ok=True)
            self.root = given.resolve(strict=True)
        except Refused:
            raise
        except (FileExistsError, NotADirectoryError) as exc:
            raise Refused(not_a_folder(given) or f"无法创建文件夹 {display_path(given)}：{system_reason(exc)}") from None
        except OSError as exc:
            raise OutputError(f"无法创建文件夹 {display_path(given)}：{system_reason(exc)}") from exc
        except RuntimeError:  # a symlink loop
            raise Refused(f"{display_path(given)} 是循环的链接：请写一个真正的文件夹") from None
        if not self.root.is_dir():
            raise Refused(not_a_folder(given) or f"{display_path(given)} 不是文件夹：请换一个文件夹")

    def path(self, relative: str | PurePosixPath) -> Path:
        return self.root.joinpath(*_parts(relative))

    def folder(self, relative: str | PurePosixPath) -> Path:
        """The folder at ``relative``, created where missing; every step a real folder, never a link."""
        here = self.root
        for part in _parts(relative):
            here = here / part
            info = _lstat(here)
            if info is None:
                try:
                    os.mkdir(here)  # mode 0777 less the umask, as the user's own folders
                except FileExistsError:
                    info = os.lstat(here)
                except OSError as exc:
                    raise OutputError(f"无法创建文件夹 {display_path(here)}：{system_reason(exc)}") from exc
                else:
                    self.made.append(here)
                    continue
            if stat.S_ISLNK(info.st_mode):
                raise Refused(f"{display_path(here)} 是链接（快捷方式），perfgen 不经链接写入，未写入：请换成真正的文件夹")
            if not stat.S_ISDIR(info.st_mode):
                raise Refused(f"{display_path(here)} 是{_what(info)}，不是文件夹，未写入：请把它改名或移走")
        return here

    def check(self, relative: str | PurePosixPath) -> os.stat_result | None:
        """The existing file at ``relative`` (None when there is none); Refused when perfgen may not replace it."""
        parts = _parts(relative)
        here = self.root
        for part in parts[:-1]:
            here = here / part
            info = _lstat(here)
            if info is None:
                return None
            if not stat.S_ISDIR(info.st_mode):
                why = "是链接（快捷方式），perfgen 不经链接写入" if stat.S_ISLNK(info.st_mode) else "是文件，不是文件夹"
                raise Refused(f"{display_path(here)} {why}，未写入")
        path = here / parts[-1]
        info = _lstat(path)
        if info is None:
            return None
        kind = _kind(info)
        if kind:
            raise Refused(f"{display_path(path)} {kind}，未改动")
        if info.st_nlink > 1:
            raise Refused(f"{display_path(path)} 有 {info.st_nlink} 个硬链接，替换会使它们分开，未改动：请先把它复制成独立的文件")
        return info

    def read(self, relative: str | PurePosixPath, limit: int = MAX_READ) -> bytes | None:
        """An existing regular file's bytes (None when absent); a link, a special file or a large file is Refused, never opened."""
        info = self.check(relative)
        if info is None:
            return None
        path = self.path(relative)
        if info.st_size > limit:
            raise Refused(f"{display_path(path)} 有 {info.st_size // 1024} KB，太大，未读取，未改动")
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        try:
            handle = os.open(path, flags)
        except OSError as exc:
            raise OutputError(f"无法读取 {display_path(path)}：{system_reason(exc)}") from exc
        with os.fdopen(handle, "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                raise Refused(f"{display_path(path)} 不是普通文件，未读取，未改动")
            try:
                return stream.read(limit + 1)[:limit]
            except OSError as exc:
                raise OutputError(f"无法读取 {display_path(path)}：{system_reason(exc)}") from exc

    def write(self, relative: str | PurePosixPath, data: bytes) -> Path:
        """Write ``data`` at ``relative``: whole or not at all, the old file's mode kept."""
        parts = _parts(relative)
        folder = self.folder(PurePosixPath(*parts[:-1])) if len(parts) > 1 else self.root
        path = folder / parts[-1]
        info = self.check(relative)
        if self.clean and folder not in self._cleaned:  # what a killed write left here goes before this one adds its own
            remove_scratch(folder)
            self._cleaned.add(folder)
        write_file(path, data, stat.S_IMODE(info.st_mode) if info else new_file_mode())
        return path


def write_file(path: Path, data: bytes, mode: int) -> None:
    """Write a temporary file beside ``path`` and rename it over ``path`` (itself, never what a link there names)."""
    temporary = path.with_name(scratch_name(path.name))
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        handle = os.open(temporary, flags, 0o600)
    except OSError as exc:
        raise OutputError(f"无法在 {display_path(path.parent)} 中写文件：{system_reason(exc)}") from exc
    try:
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(handle, mode)
        except BaseException:
            os.close(handle)
            raise
        _write_all(handle, data)  # closes the handle
        os.replace(temporary, path)
        sync_folder(path.parent)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, PermissionError):
            raise OutputError(f"无法写入 {display_path(path)}：文件可能正在 Word/WPS 中打开，或文件夹是只读的，请关闭后重试") from exc
        if isinstance(exc, OSError):
            raise OutputError(f"无法写入 {display_path(path)}：{system_reason(exc)}") from exc
        raise


def _write_all(handle: int, data: bytes) -> None:
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())


# ------------------------------------------------------------ a township folder, whole


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux renameat2 RENAME_EXCHANGE); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes  # only here: swapping a folder whole is rare, and ctypes costs a build 1.5 ms to import

    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_cwd, exchange = -100, 2
    if function(at_cwd, os.fsencode(a), at_cwd, os.fsencode(b), exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


@dataclass
class Written:
    """What writing a township folder did: files written, files of the old folder kept, notes for the user."""

    folder: Path
    files: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def target_of(folder: Path) -> Path:
    """``folder`` as an absolute path: "a/../.." read as written, links above it followed, the folder itself as it is."""
    absolute = Path(os.path.abspath(folder))
    try:
        return absolute.parent.resolve() / absolute.name if absolute.name else absolute
    except (OSError, RuntimeError):  # a link loop above it: the folder cannot be made there
        return absolute


def target_problem(folder: Path, force: bool) -> str | None:
    """Why ``folder`` may not be written as a township (a link, a file, an existing folder without --force), or None."""
    from perfgen.load.township import DOCUMENT_FILE, is_township

    given, folder = folder, target_of(folder)
    info = _lstat(folder)
    if info is None:
        return None
    if stat.S_ISLNK(info.st_mode):
        where = os.readlink(folder)
        return f"{display_path(given)} 是链接（快捷方式，指向 {where}），未改动：perfgen 不经链接写入，请直接写它指向的文件夹"
    if not stat.S_ISDIR(info.st_mode):
        return f"{display_path(given)} 已经存在，是文件而不是文件夹，未改动：请换一个文件夹"
    if not force:
        return f"{display_path(given)} 已经存在，未改动：换一个文件夹，或加 --force 覆盖它"
    with os.scandir(folder) as entries:
        empty = not any(entries)
    if not is_township(folder) and not empty:
        return f"{display_path(given)} 不是单位文件夹（其中没有 {DOCUMENT_FILE}），即使加了 --force 也不覆盖它"
    here = Path.cwd().resolve()
    if not folder.name or here == folder or folder in here.parents:
        return f"{display_path(given)} 是当前所在的文件夹（或它的上级），不能整个替换：请到它的上级文件夹中运行，并用 -o 写它的名字"
    return None


def replace_folder(folder: Path, files: dict[str, bytes], force: bool) -> Written:
    """Write ``files`` (relative path -> bytes) as the folder ``folder``, all at once or not at all.

    With --force over an existing township folder, the files perfgen does not write are kept
    (linked into the new folder, never copied out of the tree) and listed.
    """
    problem = target_problem(folder, force)
    if problem:
        raise Refused(problem)
    target = target_of(folder)
    parent = Tree(target.parent)
    if parent.root != target.parent or target.name in ("", ".", ".."):  # never a folder above where perfgen works
        raise Refused(f"{display_path(folder)} 不是可以写入的单位文件夹：请写一个新文件夹的名字")
    remove_scratch(parent.root)
    scratch = parent.root / scratch_name(target.name)
    try:
        os.mkdir(scratch)
    except OSError as exc:
        raise OutputError(f"无法在 {display_path(parent.root)} 中创建文件夹：{system_reason(exc)}") from exc
    written = Written(folder)
    try:
        tree = Tree(scratch)
        for name, data in files.items():
            tree.write(name, data)
            written.files.append(folder.joinpath(*_parts(name)))
        if os.path.isdir(target):
            os.chmod(scratch, stat.S_IMODE(os.stat(target).st_mode))
            written.kept = [folder / name for name in _keep(target, scratch, set(files))]
            if not _exchange(scratch, target):
                old = parent.root / scratch_name(target.name, old=True)
                os.rename(target, old)
                os.rename(scratch, target)
                scratch = old
        else:
            os.rename(scratch, target)
            scratch = None  # type: ignore[assignment]
        sync_folder(parent.root)
    except OSError as exc:
        raise OutputError(f"无法写入 {display_path(folder)}：{system_reason(exc)}") from exc
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    return written


def _keep(old: Path, new: Path, written: set[str]) -> list[str]:
    """Link every file of ``old`` that perfgen does not write into ``new``; their relative names."""
    replaced = {"/".join(_parts(name)) for name in written}
    kept: list[str] = []
    for base, folders, names in os.walk(old):
        here = Path(base)
        relative = here.relative_to(old)
        for name in sorted(folders):
            if (here / name).is_symlink():  # kept as the link it is
                names.append(name)
                continue
            target = new / relative / name
            if not target.is_dir():
                os.mkdir(target, stat.S_IMODE(os.lstat(here / name).st_mode))
        folders[:] = [name for name in folders if not (here / name).is_symlink()]
        for name in sorted(names):
            path = (relative / name).as_posix()
            if path in replaced:
                continue
            if os.path.lexists(new / relative / name):  # a link or file where perfgen writes a folder
                raise Refused(f"{display_path(here / name)} 不是文件夹，而 perfgen 要在这里写文件夹，未改动：请把它改名或移走")
            try:
                os.link(here / name, new / relative / name, follow_symlinks=False)
            except OSError:  # no hard links on this disk: a copy; the original stays until the swap
                shutil.copy2(here / name, new / relative / name, follow_symlinks=False)
            kept.append(path)
    return kept


# ------------------------------------------------------------ names safe on every system

RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$", re.IGNORECASE)
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


def safe_name(name: str, suffix: str = "", limit: int = 200) -> str:
    """``name`` + ``suffix`` as a file name Windows, macOS and Linux all accept; empty when nothing is left.

    Characters no system allows become "_", trailing dots and spaces go, a reserved device name (CON,
    aux, LPT1.txt) gets "_" added, and a name over ``limit`` UTF-8 bytes is cut and given a stable
    short hash of the whole, so two long names stay apart. The limit leaves room for scratch names.
    """
    import hashlib

    base = UNSAFE.sub("_", name).strip().rstrip(". ").strip()
    if not base:
        return ""
    if RESERVED.match(base):
        base = "_" + base
    if len((base + suffix).encode("utf-8")) > limit:
        mark = "～" + hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        room = limit - len((mark + suffix).encode("utf-8"))
        base = base.encode("utf-8")[:room].decode("utf-8", "ignore").rstrip(". ") + mark
    return base + suffix


def unique_names(bases: list[str], suffix: str, fallback: str, taken: tuple[str, ...] = ()) -> list[str]:
    """A safe file name for each base, none equal to another but for case, nor to ``taken``: （2）, （3）… for repeats."""
    names: list[str] = []
    used = {name.casefold() for name in taken}
    for n, raw in enumerate(bases, 1):
        base = safe_name(raw) or f"{fallback}{n}"
        name, k = safe_name(base, suffix), 2
        while name.casefold() in used:
            name, k = safe_name(f"{base}（{k}）", suffix), k + 1
        used.add(name.casefold())
        names.append(name)
    return names

