"""perfgen serve without a browser: its addresses, its refusals, and a township followed through edits."""

from __future__ import annotations

import http.client
import os
import re
import selectors
import shutil
import signal
import subprocess
import sys
import time
import webbrowser
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

import pytest

from conftest import PROJECTS
from perfgen.serve.app import Server
from perfgen.serve.township import LiveTownship

GUANTING = "怀来县官厅镇-2024"
SHIMEN = "卢龙县石门镇-2023"


@contextmanager
def serving(*folders: Path) -> Iterator[Server]:
    server = Server(list(folders), port=0, office=False)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def get(server: Server, path: str, host: str | None = None) -> tuple[int, bytes]:
    """GET ``path`` exactly as written (no normalising of ``..`` or escapes)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.address.port, timeout=10)
    connection.putrequest("GET", path, skip_host=True)
    connection.putheader("Host", f"127.0.0.1:{server.address.port}" if host is None else host)
    connection.endheaders()
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, data


def next_version(township: LiveTownship, version: int, seconds: float = 20) -> int:
    """Wait until the watcher has checked the township again."""
    deadline = time.monotonic() + seconds
    while township.current.version == version and time.monotonic() < deadline:
        township.wait(version, 0.5)
    assert township.current.version != version, "the change was not seen"
    return township.current.version


@pytest.fixture
def guanting(sample_copy) -> Path:
    return sample_copy(GUANTING)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One preview of 官厅镇 for the tests that change nothing."""
    folder = tmp_path_factory.mktemp("serve") / GUANTING
    shutil.copytree(PROJECTS / GUANTING, folder)
    with serving(folder) as running:
        yield running


def test_binds_to_this_computer_only_by_default(server: Server) -> None:
    assert server.http.server_address[0] == "127.0.0.1"
    assert server.url == f"http://127.0.0.1:{server.address.port}/"


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "127.0.0.1.evil.example", "localhost.evil", ""])
def test_a_foreign_host_is_refused(server: Server, host: str) -> None:
    status, body = get(server, "/t/1/", host=host)
    assert status == 403 and "已拒绝" in body.decode()


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST", "[::1]:{port}"])
def test_the_local_names_are_served(server: Server, host: str) -> None:
    status, _ = get(server, "/t/1/", host=host.format(port=server.address.port))
    assert status == 200


@pytest.mark.parametrize(
    "path",
    [
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/..%2f..%2fetc%2fpasswd",
        "/static/../../etc/passwd",
        "/static/%2e%2e/%2e%2e/etc/passwd",
        "/static/..%5c..%5cetc%5cpasswd",
        "/static/perfgen.css/../../../etc/passwd",
        "//etc/passwd",
        "/t/1/../../../etc/passwd",
        "/t/1/pages/..%2f..%2f..%2fetc%2fpasswd.png",
        "/t/0/",
        "/t/2/",
        "/t/1/%E6%96%87%E6%A1%A3.yaml",  # 文档.yaml
        "/projects/%E6%80%80%E6%9D%A5%E5%8E%BF%E5%AE%98%E5%8E%85%E9%95%87-2024/%E6%96%87%E6%A1%A3.yaml",
        "/static/",
    ],
)
def test_no_path_reaches_the_file_system(server: Server, path: str) -> None:
    status, body = get(server, path)
    assert status == 404
    assert b"root:" not in body and "单位编码".encode() not in body


def test_the_addresses_it_has_answer(server: Server) -> None:
    for path in ("/", "/t/1/", "/t/1/body", "/t/1/pages", "/static/perfgen.css", "/static/perfgen.js"):
        assert get(server, path)[0] == 200, path


def test_pages_say_what_they_may_load(server: Server) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.address.port, timeout=10)
    connection.request("GET", "/t/1/")
    response = connection.getresponse()
    response.read()
    connection.close()
    policy = response.getheader("Content-Security-Policy")
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response.getheader("X-Content-Type-Options") == "nosniff"


def test_index_of_several_townships(sample_copy) -> None:
    folders = [sample_copy(GUANTING), sample_copy(SHIMEN)]
    with serving(folders[0].parent) as server:
        status, body = get(server, "/")
        page = body.decode()
        assert status == 200
        assert '<a href="/t/1/">卢龙县石门镇-2023</a>' in page and '<a href="/t/2/">怀来县官厅镇-2024</a>' in page
        assert get(server, "/t/2/")[0] == 200 and get(server, "/t/3/")[0] == 404


def test_events_tell_the_version(server: Server) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.address.port, timeout=10)
    connection.request("GET", "/t/1/events")
    response = connection.getresponse()
    assert response.getheader("Content-Type").startswith("text/event-stream")
    assert response.readline() == b"event: version\n" and response.readline() == b"data: 0\n"
    connection.close()


def test_an_edit_is_checked_and_rendered_again_reading_only_that_file(guanting: Path) -> None:
    with serving(guanting) as server:
        township = server.preview.township(1)
        parsed = township.reads.parsed
        project = guanting / "项目" / "官厅镇村干部工资.yaml"
        project.write_text(project.read_text(encoding="utf-8").replace("用于支付村干部工资", "用于发放村干部的工资"), encoding="utf-8")
        next_version(township, 0)
        assert "用于发放村干部的工资" in get(server, "/t/1/body")[1].decode()
        assert township.reads.parsed == parsed + 1  # the other 23 files were kept from the first check


def test_a_half_written_file_shows_its_last_good_state_and_its_problem(guanting: Path) -> None:
    with serving(guanting) as server:
        township = server.preview.township(1)
        project = guanting / "项目" / "官厅镇村干部工资.yaml"
        good = project.read_bytes()
        project.write_bytes(good[: len(good) // 2] + b"\n  - [")
        version = next_version(township, 0)
        body = get(server, "/t/1/body")[1].decode()
        assert "暂时无法使用" in body and "官厅镇村干部工资绩效目标表" in body  # greyed, its table still there
        assert "pg-stale" in body
        project.write_bytes(good)
        next_version(township, version)
        body = get(server, "/t/1/body")[1].decode()
        assert "暂时无法使用" not in body and "pg-stale" not in body


def test_deleting_renaming_adding_and_breaking_keep_the_server_up(guanting: Path) -> None:
    with serving(guanting) as server:
        township = server.preview.township(1)
        version = 0
        project = guanting / "项目" / "官厅镇村干部工资.yaml"
        good = project.read_text(encoding="utf-8")

        project.rename(project.with_name("改名.yaml"))  # the list now names a file that is not there
        version = next_version(township, version)
        body = get(server, "/t/1/body")[1].decode()
        assert "（暂时无法显示）" in body and "不存在" in body

        project.with_name("改名.yaml").unlink()
        version = next_version(township, version)
        assert get(server, "/t/1/")[0] == 200

        document = guanting / "文档.yaml"
        text = document.read_text(encoding="utf-8")
        new = guanting / "项目" / "新项目.yaml"
        new.write_text(good.replace("官厅镇村干部工资", "新项目"), encoding="utf-8")
        document.write_text(text.replace("项目/官厅镇村干部工资.yaml", "项目/新项目.yaml"), encoding="utf-8")
        version = next_version(township, version)
        deadline = time.monotonic() + 10
        while "新项目绩效目标表" not in township.current.body and time.monotonic() < deadline:
            version = next_version(township, version)
        assert "1.新项目绩效目标表" in get(server, "/t/1/body")[1].decode()

        document.write_text(text.replace("单位名称:", "单位名称 ["), encoding="utf-8")  # 文档.yaml broken
        version = next_version(township, version)
        body = get(server, "/t/1/body")[1].decode()
        assert "文档.yaml 有错误，暂时无法使用" in body and "怀来县官厅镇人民政府" in body  # its last good state, greyed

        document.unlink()
        version = next_version(township, version)
        status, body_bytes = get(server, "/t/1/body")
        assert status == 200 and "没有 文档.yaml" in body_bytes.decode()

        shutil.rmtree(guanting)
        version = next_version(township, version)
        assert get(server, "/t/1/")[0] == 200


def test_a_port_in_use_is_said_in_chinese(server: Server) -> None:
    from perfgen.errors import PerfgenError

    with pytest.raises(PerfgenError, match="无法在 127.0.0.1:.* 上启动预览：这个端口已被占用.*--port 8001"):
        Server([server.preview.townships[0].folder], port=server.address.port, office=False)


def test_hosts_accepted_when_opened_to_others() -> None:
    import socket

    from perfgen.serve.app import host_names, is_local
    from perfgen.serve.http import allowed_host

    assert is_local("127.0.0.1") and is_local("::1") and is_local("localhost") and not is_local("0.0.0.0")
    names = host_names("0.0.0.0")
    assert allowed_host(f"{socket.gethostname()}:8000", names)  # this computer's name, from another one
    assert allowed_host("192.168.1.20:8000", names)  # an address: no name to rebind
    assert not allowed_host("attacker.example:8000", names)
    if socket.gethostname() != "localhost":  # kept to this computer, it answers to local names only
        assert not allowed_host(f"{socket.gethostname()}:8000", host_names("127.0.0.1"))


@dataclass
class Served:
    """``perfgen serve`` run as a command: its process, its address, and what it printed once it stopped."""

    process: subprocess.Popen[str]
    address: str
    stdout: str = ""


@contextmanager
def served_by_the_command(folder: Path, browser: str, tmp_path: Path) -> Iterator[Served]:
    """``perfgen serve FOLDER --port 0 --open`` as a clerk runs it, stopped as by Ctrl+C's polite sibling
    (SIGTERM) on leaving; its browser the command ``browser`` (a shell script as $BROWSER) and no other (no
    display, no terminal browser)."""
    script = tmp_path / "browser"
    script.write_text(f"#!/bin/sh\n{browser}\n", encoding="utf-8")
    script.chmod(0o755)
    hidden = ("DISPLAY", "WAYLAND_DISPLAY", "TERM", "BROWSER")
    env = {k: v for k, v in os.environ.items() if k not in hidden}
    env.update(BROWSER=str(script), PERFGEN_SOFFICE=str(tmp_path / "no-libreoffice"), PYTHONUNBUFFERED="1")
    with subprocess.Popen(
        [sys.executable, "-m", "perfgen", "serve", str(folder), "--port", "0", "--open"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", env=env,
    ) as process:
        assert process.stdout is not None
        line = process.stdout.readline()
        address = re.search(r"预览地址：(http://127\.0\.0\.1:\d+/)", line)
        served = Served(process, address.group(1) if address else "")
        try:
            assert address, f"no address printed: {line!r}"
            yield served
        finally:
            process.send_signal(signal.SIGTERM)
            served.stdout = process.communicate(timeout=30)[0]


def line_within(stream: IO[str], seconds: float) -> str:
    """The next line of a child's output; '' when none comes in time (a test that fails, not one that hangs)."""
    with selectors.DefaultSelector() as selector:
        selector.register(stream, selectors.EVENT_READ)
        return stream.readline() if selector.select(seconds) else ""


def fetch(url: str) -> int:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request("GET", parts.path)
    status = connection.getresponse().status
    connection.close()
    return status


def test_open_opens_the_browser_at_the_served_address(guanting: Path, tmp_path: Path) -> None:
    opened = tmp_path / "opened"
    with served_by_the_command(guanting, f'printf %s "$1" > "{opened}"', tmp_path) as served:
        deadline = time.monotonic() + 20
        while not opened.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert opened.read_text(encoding="utf-8") == served.address
        assert fetch(served.address) == 200
    assert served.process.returncode == 0


def test_a_browser_that_cannot_open_is_said_in_chinese_and_the_preview_goes_on(guanting: Path, tmp_path: Path) -> None:
    with served_by_the_command(guanting, "exit 3", tmp_path) as served:
        assert served.process.stderr is not None
        said = line_within(served.process.stderr, 20)
        assert said.startswith("无法自动打开浏览器：") and f"预览仍在运行，请在浏览器中打开 {served.address}" in said
        assert fetch(served.address) == 200 and served.process.poll() is None
    assert served.process.returncode == 0 and "预览已停止" in served.stdout


@pytest.mark.parametrize("failure", [webbrowser.Error("no runnable browser"), OSError(8, "Exec format error")])
def test_a_browser_that_fails_to_start_is_said_in_chinese(monkeypatch: pytest.MonkeyPatch, failure: Exception) -> None:
    from perfgen.serve.app import open_in_browser

    def fail(url: str) -> bool:
        raise failure

    monkeypatch.setattr(webbrowser, "open", fail)
    said = open_in_browser("http://127.0.0.1:8000/")
    assert said.startswith("无法自动打开浏览器：打开浏览器时出错") and said.endswith("请在浏览器中打开 http://127.0.0.1:8000/")
    monkeypatch.setattr(webbrowser, "open", lambda url: True)
    assert open_in_browser("http://127.0.0.1:8000/") == ""
