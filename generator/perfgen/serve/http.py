"""The preview's HTTP side: a fixed set of addresses, each answered from memory.

No part of a request's path reaches the file system: the addresses are matched whole (a township by its
number, a page image by its number) and everything answered was rendered or read by perfgen beforehand.
A request whose Host header names another site is refused, so that a web page elsewhere cannot reach the
preview by pointing its own name at 127.0.0.1 (DNS rebinding).
"""

from __future__ import annotations

import ipaddress
import re
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from perfgen.serve.app import Preview

# what a page may load: only the preview's own script, styles and images; no frame may hold it
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}
KEEPALIVE_SECONDS = 15
_TOWNSHIP = re.compile(r"/t/(\d{1,6})/(|body|events|pages|pages/(\d{1,4})\.png|pages/state)")


def allowed_host(host: str, allowed: frozenset[str]) -> bool:
    """Whether a Host header names the preview: a name it was given, or an IP address (no name to rebind)."""
    name = host.strip().lower()
    if name.startswith("["):  # [::1]:8000
        name = name[1 : name.find("]")] if "]" in name else ""
    elif name.count(":") == 1:
        name = name.rsplit(":", 1)[0]
    if not name:
        return False
    if name in allowed:
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # an open event stream does not keep the process alive
    block_on_close = False

    def __init__(self, address: tuple[str, int], preview: Preview, hosts: frozenset[str]) -> None:
        super().__init__(address, Handler)
        self.preview = preview
        self.hosts = hosts

    def handle_error(self, request: object, client_address: object) -> None:
        """A browser that went away mid-answer (a page image no longer wanted) is no error to print."""
        import sys

        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"
    server_version = "perfgen-serve"
    sys_version = ""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass  # the clerk's terminal shows what perfgen says, not every request

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        if not allowed_host(self.headers.get("Host", ""), self.server.hosts):
            self._send(HTTPStatus.FORBIDDEN, "text/plain", "此地址不是 perfgen 预览（Host 不符），已拒绝。".encode())
            return
        path = urlsplit(self.path).path
        preview = self.server.preview
        if path == "/":
            self._send_html(preview.index())
        elif path.startswith("/static/") and path[len("/static/") :] in preview.static:
            name = path[len("/static/") :]
            kind = "text/css" if name.endswith(".css") else "text/javascript"
            self._send(HTTPStatus.OK, kind, preview.static[name])
        elif (match := _TOWNSHIP.fullmatch(path)) and (township := preview.township(int(match.group(1)))):
            self._township(township.number, match.group(2), match.group(3))
        else:
            self._not_found()

    def do_HEAD(self) -> None:  # noqa: N802
        self._send(HTTPStatus.METHOD_NOT_ALLOWED, "text/plain", b"")

    def do_POST(self) -> None:  # noqa: N802
        self._send(HTTPStatus.METHOD_NOT_ALLOWED, "text/plain", "预览只能查看，不能提交。".encode())

    def _township(self, number: int, part: str, page: str | None) -> None:
        preview = self.server.preview
        township = preview.township(number)
        assert township is not None
        if part == "":
            self._send_html(preview.page(township))
        elif part == "body":
            self._send_html(township.current.body)
        elif part == "events":
            self._events(number)
        elif part == "pages":
            self._send_html(preview.pages_page(township))
        elif part == "pages/state":
            self._send(HTTPStatus.OK, "application/json", preview.pages_state(township).encode())
        elif page is not None and (image := preview.page_image(township, int(page))) is not None:
            self._send(HTTPStatus.OK, "image/png", image)
        else:
            self._not_found()

    def _events(self, number: int) -> None:
        """Server-sent events: the township's version now and after every change."""
        township = self.server.preview.township(number)
        assert township is not None
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        stopping = self.server.preview.stopping
        version = -1
        try:
            while not stopping.is_set():
                current = township.current.version
                if current != version:
                    version = current
                    self.wfile.write(f"event: version\ndata: {version}\n\n".encode())
                else:
                    self.wfile.write(b": ping\n\n")
                self.wfile.flush()
                township.wait(version, KEEPALIVE_SECONDS)
        except (BrokenPipeError, ConnectionResetError, TimeoutError, OSError):
            pass  # the page was closed

    def _not_found(self) -> None:
        self._send(HTTPStatus.NOT_FOUND, "text/html", "<!DOCTYPE html><meta charset=utf-8><p>没有这个页面。<a href=/>返回首页</a>".encode())

    def _send_html(self, text: str) -> None:
        self._send(HTTPStatus.OK, "text/html", text.encode("utf-8"))

    def _send(self, status: HTTPStatus, kind: str, data: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", f"{kind}; charset=utf-8" if kind.startswith("text/") else kind)
        self.send_header("Content-Length", str(len(data)))
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

