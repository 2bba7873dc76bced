"""``perfgen serve`` as a library: the townships under preview, their watcher, the HTTP server and the
分页预览 made by LibreOffice in the background."""

from __future__ import annotations

import contextlib
import errno
import ipaddress
import socket
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from perfgen.errors import PerfgenError
from perfgen.html import IndexEntry, render_index, static_files
from perfgen.load.township import find_townships
from perfgen.serve.http import PreviewServer
from perfgen.serve.township import LiveTownship

if TYPE_CHECKING:
    from perfgen.serve.pages import PageMaker

LOCAL = "127.0.0.1"
STATIC = "/static/"


@dataclass(frozen=True)
class Address:
    host: str
    port: int

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        shown = "127.0.0.1" if self.host in ("0.0.0.0", "::") else host
        return f"http://{shown}:{self.port}/"


def is_local(host: str) -> bool:
    """Whether binding to ``host`` keeps the preview on this computer."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def host_names(host: str) -> frozenset[str]:
    """The names a browser may give in its Host header for the preview (addresses are always accepted)."""
    names = {"localhost", host.lower()}
    if not is_local(host):  # others reach it by this computer's name
        names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
    return frozenset(names)


def _why(exc: OSError) -> str:
    """Why an address cannot be served, in Chinese (the system's reason is English)."""
    if exc.errno == errno.EADDRINUSE:
        return "这个端口已被占用（也许另一个 perfgen serve 还开着）。换一个端口试试：--port 8001"
    if exc.errno == errno.EACCES:
        return "没有使用这个端口的权限（1024 以下的端口需要管理员权限）。换一个端口试试：--port 8001"
    if exc.errno == errno.EADDRNOTAVAIL:
        return "本机没有这个地址。请检查 --host，或者不写它（只在本机预览）"
    return "这个地址或端口不能使用。换一个端口试试：--port 8001"


def open_in_browser(url: str) -> str:
    """Open ``url`` in the user's browser; '' when one took it, else why not, in Chinese (the preview goes on)."""
    import webbrowser

    try:
        if webbrowser.open(url):
            return ""
        reason = "没有找到可用的浏览器"
    except (webbrowser.Error, OSError) as exc:
        reason = f"打开浏览器时出错（{exc}）"
    return f"无法自动打开浏览器：{reason}。预览仍在运行，请在浏览器中打开 {url}"


class Preview:
    """The townships under preview and what the HTTP side answers from."""

    def __init__(self, folders: list[Path]) -> None:
        self.townships = [LiveTownship(folder.resolve(), number) for number, folder in enumerate(folders, 1)]
        self.static = static_files()
        self.stopping = threading.Event()
        self.pages: PageMaker | None = None  # the 分页预览 maker, when LibreOffice is there

    def township(self, number: int) -> LiveTownship | None:
        return self.townships[number - 1] if 1 <= number <= len(self.townships) else None

    def changed(self, township: LiveTownship) -> None:
        """A township's files changed: check and render it again; the 分页预览 follows in the background."""
        township.refresh()
        if self.pages is not None:
            self.pages.wanted(township)

    def index(self) -> str:
        entries = [
            IndexEntry(t.name, f"/t/{t.number}/", t.current.errors, t.current.warnings) for t in self.townships
        ]
        return render_index("绩效文本预览", entries, css_href=STATIC + "perfgen.css")

    def page(self, township: LiveTownship) -> str:
        nav = [("全部单位", "/")] if len(self.townships) > 1 else []
        nav.append(("分页预览", f"/t/{township.number}/pages"))
        data = {"events": f"/t/{township.number}/events", "body": f"/t/{township.number}/body"}
        return township.page(
            css_href=STATIC + "perfgen.css", script_href=STATIC + "perfgen.js", nav=nav, data=data
        )

    def pages_page(self, township: LiveTownship) -> str:
        if self.pages is None:
            from perfgen.serve.pages import unavailable_page

            return unavailable_page(township, STATIC + "perfgen.css")
        return self.pages.page(township, STATIC)

    def pages_state(self, township: LiveTownship) -> str:
        return "{}" if self.pages is None else self.pages.state(township)

    def page_image(self, township: LiveTownship, number: int) -> bytes | None:
        return None if self.pages is None else self.pages.image(township, number)


class Server:
    """A running preview: ``start`` serves in background threads, ``stop`` ends them."""

    def __init__(self, paths: list[Path], host: str = LOCAL, port: int = 8000, office: bool = True) -> None:
        folders, missing = find_townships(paths)
        if missing:
            raise PerfgenError("\n".join(missing))
        if not folders:
            raise PerfgenError("没有找到单位文件夹：请指定含有 文档.yaml 的文件夹")
        self.preview = Preview(folders)
        try:
            self.http = PreviewServer((host, port), self.preview, host_names(host))
        except OSError as exc:
            raise PerfgenError(f"无法在 {host}:{port} 上启动预览：{_why(exc)}") from exc
        self.address = Address(host, self.http.server_address[1])
        self._threads: list[threading.Thread] = []
        if office:
            from perfgen.serve.pages import PageMaker

            self.preview.pages = PageMaker.if_available(self.preview.stopping)

    @property
    def url(self) -> str:
        return self.address.url

    def start(self) -> None:
        from perfgen.serve.watch import watch

        stop, watching = self.preview.stopping, threading.Event()
        self._threads = [
            threading.Thread(target=self.http.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True),
            threading.Thread(
                target=watch, args=(self.preview.townships, stop, self.preview.changed, watching), daemon=True
            ),
        ]
        if self.preview.pages is not None:
            self._threads.append(threading.Thread(target=self.preview.pages.run, daemon=True))
            for township in self.preview.townships:
                self.preview.pages.wanted(township)
        for thread in self._threads:
            thread.start()
        watching.wait(timeout=10)  # a file saved once the address is printed is seen

    def stop(self) -> None:
        self.preview.stopping.set()
        for township in self.preview.townships:  # wake the event streams, which then end
            with township.changed:
                township.changed.notify_all()
        self.http.shutdown()
        self.http.server_close()
        if self.preview.pages is not None:
            self.preview.pages.close()
        for thread in self._threads:
            thread.join(timeout=5)

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(Exception):
            self.stop()
