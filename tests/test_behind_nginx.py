"""The backend behind Debian's nginx with the README's configuration: streams arrive as they
are produced (not buffered), and Stop still closes the chat function; and under a path prefix
(``root_path``), where every URL it hands out works through the proxy."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.servers import ROOT, free_port, running_server
from tests.waiting import LIVENESS, complete_lines, wait_until

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
README = (ROOT / "README.md").read_text()


def readme_location() -> str:
    """The ``location`` block the README recommends, with its comments."""
    found = re.search(r"```nginx\n(location / \{.*?\n\})\n```", README, re.S)
    assert found, "the README's nginx snippet"
    return found.group(1)


def start_nginx(tmp_path: Path, location: str) -> tuple[subprocess.Popen[bytes], int]:
    """nginx on a free port with one ``location`` block, once it accepts connections."""
    port = free_port()
    config = tmp_path / "nginx.conf"
    config.write_text(
        f"daemon off;\npid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        "events { worker_connections 64; }\n"
        "http {\n"
        f"  access_log off;\n  client_body_temp_path {tmp_path}/body;\n"
        f"  proxy_temp_path {tmp_path}/proxy;\n"
        f"  server {{\n    listen 127.0.0.1:{port};\n    {location}\n  }}\n"
        "}\n"
    )
    process = subprocess.Popen(
        [NGINX, "-c", str(config), "-p", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )

    def answers() -> bool:
        assert process.poll() is None, (tmp_path / "error.log").read_text()
        try:
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
        except OSError:
            return False
        return True

    try:
        wait_until(answers, "nginx did not start")
    except BaseException:
        process.terminate()
        process.wait(10)
        raise
    return process, port


def test_under_a_path_prefix_every_url_works_through_the_proxy(tmp_path: Path) -> None:
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (.ci/run installs it)")
    app = ROOT / "tests" / "apps" / "uploads.py"
    with running_server(str(app), "--root-path", "/bot") as base:
        # A proxy that strips the prefix (the trailing slash of proxy_pass) ...
        location = readme_location().replace("location / {", "location /bot/ {")
        location = location.replace("http://127.0.0.1:8000", base + "/")
        location = location.replace("Host $host;", "Host $http_host;")  # keep the port
        process, port = start_nginx(tmp_path, location)
        try:
            front = f"http://127.0.0.1:{port}/bot"
            with httpx.Client(timeout=LIVENESS) as client:
                assert client.get(front + "/widget.js").status_code == 200
                page = client.get(front + "/").text  # the full-page chat loads it by its path
                assert '<script src="/bot/widget.js" data-mode="inline"' in page
                assert client.get(front + "/config").json()["root"] == front
                uploaded = client.post(
                    front + "/api/upload?name=a.txt",
                    content=b"through nginx",
                    headers={"Content-Type": "text/plain"},
                )
                url = uploaded.json()["url"]
                assert url.startswith(front + "/api/files/")
                assert client.get(url).content == b"through nginx"
                # ... and one that passes it on (here: none at all) reach the same routes.
                direct = client.get(base + "/bot/api/config")
                assert direct.status_code == 200 and direct.json()["multimodal"] is not None
                assert client.get(base + "/api/config").status_code == 200
        finally:
            process.terminate()
            process.wait(10)


@pytest.fixture(name="proxy")
def _proxy(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (.ci/run installs it)")
    probe = tmp_path / "probe"
    probe.touch()
    app = ROOT / "tests" / "apps" / "ticks.py"
    with running_server(
        str(app), "--trusted-proxies", "127.0.0.1", env={"PROBE_FILE": str(probe)}
    ) as base:
        location = readme_location().replace("http://127.0.0.1:8000", base)
        process, port = start_nginx(tmp_path, location)
        try:
            yield f"127.0.0.1:{port}", probe
        finally:
            process.terminate()
            process.wait(10)


def open_stream(address: str) -> socket.socket:
    """Asks for ticks without end, one every 0.3 s."""
    host, port = address.split(":")
    sock = socket.create_connection((host, int(port)), timeout=LIVENESS)
    body = json.dumps({"message": "forever"}).encode()
    sock.sendall(
        b"POST /api/chat HTTP/1.1\r\nHost: shop.example\r\nContent-Type: application/json\r\n"
        b"Accept-Encoding: identity\r\n" + f"Content-Length: {len(body)}\r\n\r\n".encode() + body
    )
    return sock


def test_tokens_arrive_as_they_are_produced(proxy: tuple[str, Path]) -> None:
    address, probe = proxy
    sock = open_stream(address)
    seen = b""
    while len(re.findall(rb"tick \d+", seen)) < 4:
        chunk = sock.recv(65536)
        assert chunk, seen
        seen += chunk
    produced = [line for line in complete_lines(probe) if line.startswith("tick ")]
    sock.close()
    # Buffered, the ticks (about 40 bytes each) would wait for a full 4 KB buffer: about a
    # hundred ticks. They came while the function was still early in its answer.
    assert len(produced) < 50, f"4 ticks reached the visitor after {len(produced)} were made"
    assert "finished" not in complete_lines(probe)


def test_stop_reaches_the_chat_function(proxy: tuple[str, Path]) -> None:
    address, probe = proxy
    sock = open_stream(address)
    data = b""
    while b"tick 1" not in data:
        data += sock.recv(65536)
    sock.close()  # Stop: the visitor's connection ends at nginx
    wait_until(
        lambda: any(line.startswith("closed") for line in complete_lines(probe)),
        "the generator was not closed through nginx",
    )
    assert "finished" not in complete_lines(probe)  # closed by the Stop, before its end
