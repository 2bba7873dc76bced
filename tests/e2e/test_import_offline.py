"""LibreOffice converts an imported .doc without reaching the network: a server on 127.0.0.1 counts no request."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import require_tool

from perfgen.importer.office import convert_to_docx

pytestmark = pytest.mark.libreoffice


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on 127.0.0.1 answering every request with a byte: (its address, the requests it got)."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def answer(self) -> None:
            requests.append(f"{self.command} {self.path}")
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"x")

        do_GET = do_HEAD = do_POST = do_PROPFIND = do_OPTIONS = answer

        def log_message(self, *args: object) -> None:
            pass

    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler) as httpd:
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{httpd.server_port}", requests
        httpd.shutdown()


def html(url: str) -> str:
    return (
        f'<html><head><link rel="stylesheet" href="{url}/style.css"><script src="{url}/script.js"></script></head>'
        f'<body><p>1、项目</p><img src="{url}/beacon.png"><iframe src="{url}/frame.html"></iframe>'
        f'<table><tr><td>项目名称</td><td><img src="{url}/cell.png"></td></tr></table></body></html>'
    )


def flat_odt(url: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<office:document'
        ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:xlink="http://www.w3.org/1999/xlink"'
        ' xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"'
        ' office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">'
        '<office:body><office:text><text:p>1、项目<draw:frame draw:name="i" svg:width="1cm" svg:height="1cm">'
        f'<draw:image xlink:href="{url}/odt.png" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/>'
        f'</draw:frame></text:p><text:section text:name="s"><text:section-source xlink:href="{url}/section.odt"'
        ' text:filter-name="writer8"/></text:section></office:text></office:body></office:document>'
    )


@pytest.mark.parametrize("make", [html, flat_odt], ids=["html", "flat-odt"])
def test_a_doc_linking_to_a_server_is_converted_without_a_request(
    make: object, server: tuple[str, list[str]], tmp_path: Path
) -> None:
    require_tool("soffice")
    url, requests = server
    document = tmp_path / "网页.doc"  # LibreOffice opens it by its content, whatever its name
    document.write_text(make(url), encoding="utf-8")  # type: ignore[operator]
    converted = convert_to_docx(document)
    assert converted.startswith(b"PK")  # converted all the same
    assert requests == []
