"""http-urls: what a client's headers can do to the URLs we emit, and to the connection.

The rule for absolute URLs with ``public_url`` unset (docs/protocol.md, "Under a path
prefix"): they use the ``Host`` the request came with, when it is a well-formed
``host[:port]``; any other ``Host`` gets the configured address instead. ``X-Forwarded-Host``,
``X-Forwarded-Proto``, ``X-Forwarded-Prefix`` and ``Forwarded`` are never used for a URL
(``trusted_proxies`` only lets ``X-Forwarded-For``/``-Proto`` name the client and https). With
``public_url`` set, no request header changes a URL. A client sending its headers a byte at a
time while 500 idle connections are held does not stop others being served; a compressed
request body (``Content-Encoding``) is refused unread, never inflated.
"""

from __future__ import annotations

import functools
import gzip
import json
import socket
import time
import zlib
from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from tests.security.harness import (
    Resp,
    Server,
    check,
    raw,
    raw_status,
    request,
    rss,
)
from tests.security.samples import PNG
from tests.security.surfaces import Servers
from tests.waiting import LIVENESS, wait_until

EVIL = "attacker.example"
#: The pages and documents that carry absolute URLs of ours.
URL_PATHS = ["/", "/api/config", "/config", "/gradio_api/info", "/openapi.json",
             "/gradio_api/mcp/", "/gradio_api/mcp/schema"]  # fmt: skip
FORWARDED = {
    "X-Forwarded-Host": EVIL,
    "X-Forwarded-Proto": "javascript",
    "X-Forwarded-Prefix": "/evil-prefix",
    "X-Forwarded-Server": EVIL,
    "X-Original-URL": "/evil-original",
    "X-Rewrite-URL": "/evil-rewrite",
    "Forwarded": f'host={EVIL};proto=https;for="[::1]"',
}


@pytest.fixture(name="mcp")
def _mcp(servers: Servers) -> Server:
    return servers("echo", "--mcp")


@pytest.fixture(name="public")
def _public(servers: Servers) -> Server:
    """With ``public_url``; multimodal, with the console, so every body-taking route is on
    (the compressed-body cases use it too)."""
    return servers(
        "multimodal", "--mcp", "--public-url", "https://chat.example/bot",
        "--admin-password", "console password 8c1f2e",
    )  # fmt: skip


@pytest.fixture(name="proxied")
def _proxied(servers: Servers) -> Server:
    """Behind a trusted proxy (the test client's own address)."""
    return servers("echo", "--mcp", "--trusted-proxies", "127.0.0.1")


def fetch(server: Server, path: str, headers: dict[str, str]) -> Resp:
    resp = check(request(server, "GET", path, headers=headers), what=f"GET {path}")
    assert resp.status < 500
    return resp


def uploaded_url(server: Server, headers: dict[str, str]) -> str:
    """An upload's ``url`` (multimodal servers only)."""
    resp = check(
        request(server, "POST", "/api/upload?name=a.png", PNG,
                {"Content-Type": "image/png", **headers}),
        what="upload",
    )  # fmt: skip
    assert resp.status == 201, resp.text[:200]
    return str(resp.json()["url"])


@pytest.mark.parametrize("name", list(FORWARDED), ids=list(FORWARDED))
@pytest.mark.parametrize("which", ["default", "trusted-proxy"])
def test_forwarded_headers_never_make_a_url(
    name: str, which: str, mcp: Server, proxied: Server
) -> None:
    server = mcp if which == "default" else proxied
    value = FORWARDED[name]
    for path in URL_PATHS:
        resp = fetch(server, path, {name: value})
        for fragment in (EVIL, "evil-", "javascript://"):
            assert fragment not in resp.text, (path, fragment)
            assert fragment not in resp.headers.get("location", "")


HOSTILE_HOSTS = {
    "quote": 'a.example"><script>alert(1)</script>',
    "space": "a.example evil",
    "userinfo": f"user@{EVIL}",
    "path": f"{EVIL}/x",
    "backslash": f"{EVIL}\\x",
    "scheme": f"javascript://{EVIL}",
    "port-letters": f"{EVIL}:abc",
    "hash": f"{EVIL}#x",
    "long": "a" * 300 + ".example",
}


@pytest.mark.parametrize("key", list(HOSTILE_HOSTS), ids=list(HOSTILE_HOSTS))
def test_a_malformed_host_is_refused(key: str, mcp: Server) -> None:
    """A ``Host`` that is no ``host[:port]`` is a 400 (ours, or h11's) before any route: no
    URL is made of it (a label over 63 characters was a 500 from Werkzeug)."""
    host = HOSTILE_HOSTS[key]
    for path in URL_PATHS:
        resp = fetch(mcp, path, {"Host": host})
        assert resp.status == 400, (path, resp.status, resp.text[:200])
        assert host not in resp.text and json.dumps(host)[1:-1] not in resp.text, path


def test_a_well_formed_host_is_what_urls_use(mcp: Server) -> None:
    """The documented rule: the Host the client reached us at (no public_url)."""
    resp = fetch(mcp, "/config", {"Host": "chat.example:8443"})
    assert resp.json()["root"] == "http://chat.example:8443", resp.text[:300]


@pytest.mark.parametrize("path", URL_PATHS, ids=[p.strip("/") or "page" for p in URL_PATHS])
def test_public_url_wins_over_every_header(path: str, public: Server) -> None:
    resp = fetch(public, path, {"Host": EVIL, **FORWARDED})
    assert EVIL not in resp.text and "evil-" not in resp.text, resp.text[:300]


def test_file_urls_follow_the_same_rule(files: Server) -> None:
    url = uploaded_url(files, FORWARDED)
    assert EVIL not in url and "evil-" not in url, url
    assert url.startswith(files.url + "/"), url


# -- slow headers --------------------------------------------------------------------------------


@pytest.fixture(name="idle")
def _idle(mcp: Server) -> Iterator[tuple[Server, list[socket.socket]]]:
    """500 connections open that send nothing (closed after the case)."""
    server = mcp
    with ExitStack() as stack:
        held = []
        for _ in range(500):
            sock = stack.enter_context(socket.create_connection(server.host_port, LIVENESS))
            held.append(sock)
        yield server, held


def test_a_client_sending_headers_byte_by_byte_blocks_nobody(
    idle: tuple[Server, list[socket.socket]],
) -> None:
    server, held = idle
    slow = socket.create_connection(server.host_port, LIVENESS)
    try:
        head = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"p" * 20
        served = []
        for index, byte in enumerate(head):
            slow.sendall(bytes([byte]))
            if index % 10 == 0:  # others are served meanwhile, again and again
                resp = check(request(server, "GET", "/api/config"), what="while slow")
                served.append(resp.status)
            time.sleep(0.005)  # the attack itself: a byte every few milliseconds
        assert served and set(served) == {200}, served
        slow.sendall(b"\r\n\r\n")
        reply = b""
        while b"\r\n\r\n" not in reply:
            chunk = slow.recv(4096)
            if not chunk:
                break
            reply += chunk
        assert raw_status(reply)[:1] in ([200], [408]), reply[:200]
    finally:
        slow.close()
    assert all(sock.fileno() >= 0 for sock in held)
    assert check(request(server, "GET", "/healthz"), what="after").status == 200


# -- compressed bodies ---------------------------------------------------------------------------

#: 32 MB of zeros, about 32 KB compressed.
BOMB_SIZE = 32 * 1024 * 1024


@functools.cache
def bomb(encoding: str) -> bytes:
    zeros = b"\0" * BOMB_SIZE
    if encoding.startswith("deflate"):
        return zlib.compress(zeros, 9)
    return gzip.compress(zeros, 9)


BOMB_ROUTES = {
    "chat": ("/api/chat", "application/json"),
    "upload": ("/api/upload?name=a.txt", "text/plain"),
    "feedback": ("/api/feedback", "application/json"),
    "event": ("/api/event", "application/json"),
    "gradio-call": ("/gradio_api/call/chat", "application/json"),
    "gradio-join": ("/gradio_api/queue/join", "application/json"),
    "gradio-upload": ("/gradio_api/upload", "multipart/form-data; boundary=x"),
    "openai": ("/v1/chat/completions", "application/json"),
    "mcp": ("/gradio_api/mcp/", "application/json"),
    "admin-login": ("/admin/login", "application/x-www-form-urlencoded"),
}
ENCODINGS = ["gzip", "deflate", "GZIP", "gzip, identity", "identity, gzip", "br", "x-gzip"]


@pytest.mark.parametrize("route", list(BOMB_ROUTES), ids=list(BOMB_ROUTES))
def test_a_compressed_body_is_refused_unread(route: str, public: Server) -> None:
    path, ctype = BOMB_ROUTES[route]
    before = rss(public.pid)
    for encoding in ENCODINGS:
        body = bomb(encoding)
        headers = {"Content-Type": ctype, "Content-Encoding": encoding}
        resp = check(request(public, "POST", path, body, headers), what=f"{route} {encoding}")
        assert 400 <= resp.status < 500, (route, encoding, resp.status, resp.text[:200])
    grown = rss(public.pid) - before
    assert grown < BOMB_SIZE // 2, f"{route}: RSS grew {grown / 2**20:.0f} MB"


def test_a_bomb_in_raw_chunked_form_is_refused(public: Server) -> None:
    body = bomb("gzip")
    head = (
        b"POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Encoding: gzip\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    )
    chunked = b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n"
    reply = raw(public, head + chunked)
    statuses = raw_status(reply)
    assert statuses and 400 <= statuses[0] < 500, reply[:200]
    wait_until(lambda: rss(public.pid) > 0, "the server still runs")
