"""F-*: serving files back (``GET /api/files/<id>``): only live, well-formed ids; headers that
depend on nothing but the stored file."""

from __future__ import annotations

import http.client
import re
import secrets
import time
from typing import Any

import pytest

from tests.security.harness import Resp, Server, check, post_json, request
from tests.security.samples import HTML, PNG, SVG, upload
from tests.waiting import LIVENESS, wait_until

PATHS = {
    "F-1-dotdot": "/api/files/../../app.py",
    "F-1-id-dotdot": "/api/files/{id}/../../etc/passwd",
    "F-1-encoded-slash": "/api/files/..%2f..%2fetc%2fpasswd",
    "F-1-encoded-dots": "/api/files/%2e%2e/%2e%2e/etc/passwd",
    "F-1-double-encoded": "/api/files/%252e%252e%252fetc%252fpasswd",
    "F-1-nine-times": "/api/files/" + "%25" * 8 + "2e" + "%25" * 8 + "2e",
    "F-1-backslash": "/api/files/..%5c..%5cwin.ini",
    "F-1-semicolon": "/api/files/..;/..;/etc/passwd",
    "F-1-id-params": "/api/files/{id};x=1",
    "F-1-id-slash": "/api/files/{id}/",
    "F-1-id-dot": "/api/files/{id}/.",
    "F-1-id-json": "/api/files/{id}.json",
    "F-1-meta-by-name": "/api/files/{id}/a.png",
    "F-1-double-slash": "/api/files/%2F%2Fattacker.example",
    "F-1-store-root": "/api/files/",
    "F-1-store-root-dot": "/api/files/.",
    "F-2-http-url": "/api/files/http:%2F%2F127.0.0.1:9%2F",
    "F-2-https-url": "/api/files/https%3A%2F%2Fexample.org",
    "F-5-filesystem": "/api/files/filesystem://",
    "F-5-nul": "/api/files/%00",
    "F-5-nul-in-id": "/api/files/" + "A" * 20 + "%00" + "A" * 22,
    "F-5-10000-chars": "/api/files/" + "A" * 10_000,
    "F-5-ads": "/api/files/x::$DATA",
    "F-5-con": "/api/files/CON",
    "F-5-win-ini": "/api/files//windows/win.ini",
    "F-5-partial": "/api/files/.partial-x",
    "F-5-id-42": "/api/files/" + "A" * 42,
    "F-5-id-44": "/api/files/" + "A" * 44,
    "F-5-id-unicode": "/api/files/" + "%C3%A9" * 43,
    "X-2-backslashes": "/%5C%5Cattacker.example",
    "X-2-next": "/api/config?next=https://attacker.example",
    "X-2-redirect": "/widget.js?redirect=//attacker.example",
}


@pytest.fixture(scope="module", name="live_id")
def _live_id(servers: object) -> str:
    files = servers("multimodal", "--max-file-size", "65536", "--max-files", "3")  # type: ignore[operator]
    resp = upload(files, "a.png", PNG, "image/png")
    assert resp.status == 201
    return str(resp.json()["id"])


def get_raw_path(server: Server, path: str, headers: dict[str, str] | None = None) -> Resp:
    """GET with the path sent exactly as given (no normalization, like curl --path-as-is)."""
    host, port = server.host_port
    connection = http.client.HTTPConnection(host, port, timeout=LIVENESS)
    start = time.monotonic()
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return Resp(
            response.status,
            {k.lower(): v for k, v in response.getheaders()},
            response.read(),
            time.monotonic() - start,
        )
    finally:
        connection.close()


@pytest.mark.parametrize("path", PATHS.values(), ids=PATHS.keys())
def test_anything_but_a_live_id_is_404(path: str, files: Server, live_id: str) -> None:
    resp = check(get_raw_path(files, path.format(id=live_id)), what="F")
    if 300 <= resp.status < 400:
        # Werkzeug merges repeated slashes with a redirect: only ever to this same server.
        assert resp.headers["location"].startswith(files.url + "/"), resp.headers
        return
    if path.startswith("/api/files/"):
        assert (resp.status, resp.code) == (404, "not_found"), resp.text[:200]
    assert b"root:x:0" not in resp.body and PNG not in resp.body


@pytest.mark.parametrize("batch", range(5), ids=[f"F-3-batch-{i}" for i in range(5)])
def test_guessed_ids_never_hit(batch: int, files: Server, live_id: str) -> None:
    """F-3: 400 random and sequential ids per batch on one keep-alive connection."""
    host, port = files.host_port
    connection = http.client.HTTPConnection(host, port, timeout=LIVENESS)
    hits = 0
    try:
        for i in range(400):
            guess = (
                secrets.token_urlsafe(32)
                if i % 2
                else live_id[:-3] + f"{batch:01d}{i:02d}"[-3:].rjust(3, "A")
            )
            if guess == live_id:
                continue
            connection.request("GET", f"/api/files/{guess}")
            response = connection.getresponse()
            response.read()
            hits += response.status != 404
    finally:
        connection.close()
    assert hits == 0


TAMPER = {
    "F-6-plain": ("", {}),
    "F-6-mimetype-query": ("?mimeType=text/html&type=text/html", {}),
    "F-6-inline-query": ("?inline=1&download=0&disposition=inline", {}),
    "F-6-accept-html": ("", {"Accept": "text/html"}),
    "F-6-name-query": ("?name=../../etc/passwd&filename=evil.html", {}),
}


@pytest.mark.parametrize("kind", ["svg", "html", "png"])
@pytest.mark.parametrize(("query", "headers"), TAMPER.values(), ids=TAMPER.keys())
def test_headers_depend_only_on_the_file(
    kind: str, query: str, headers: dict[str, str], files: Server
) -> None:
    data = {"svg": SVG, "html": HTML, "png": PNG}[kind]
    stored = upload(files, f"a.{kind}", data)
    assert stored.status == 201, stored.text
    file_id = stored.json()["id"]
    plain = check(get_raw_path(files, f"/api/files/{file_id}"), what="F-6")
    resp = check(get_raw_path(files, f"/api/files/{file_id}{query}", headers), what="F-6")
    assert resp.body == plain.body == data
    for name in ("content-type", "content-disposition", "content-security-policy"):
        assert resp.headers[name] == plain.headers[name], name
    assert resp.headers["x-content-type-options"] == "nosniff"
    assert resp.headers["content-security-policy"] == "default-src 'none'; sandbox"
    expected = "inline" if kind == "png" else "attachment"
    assert resp.headers["content-disposition"].startswith(expected + ";")
    assert "passwd" not in resp.headers["content-disposition"]


DISPLAY_NAMES = {
    "F-7-quote": 'a"b.txt',
    "F-7-semicolon": "a; filename=evil.html.txt",
    "F-7-crlf": "a\r\nSet-Cookie: x=1\r\n.txt",
    "F-7-non-ascii": "résumé – 日本.txt",
    "F-7-percent": "100%25 %0d%0aX-Injected: 1.txt",
    "F-7-star": "a*=UTF-8''evil.html.txt",
}


@pytest.mark.parametrize("name", DISPLAY_NAMES.values(), ids=DISPLAY_NAMES.keys())
def test_content_disposition_cannot_be_injected(name: str, files: Server) -> None:
    stored = upload(files, name, b"text\n", "text/plain")
    assert stored.status == 201
    resp = check(get_raw_path(files, f"/api/files/{stored.json()['id']}"), what="F-7")
    disposition = resp.headers["content-disposition"]
    shape = re.fullmatch(
        r"attachment; filename=\"([^\"\\\x00-\x1f\x7f]*)\"; filename\*=UTF-8''([A-Za-z0-9%._~-]*)",
        disposition,
    )
    assert shape, disposition
    assert "set-cookie" not in resp.headers and "x-injected" not in resp.headers


RANGES = {
    "F-8-many": ",".join(["0-0"] * 1000),
    "F-8-overlapping": "0-10,5-15,0-",
    "F-8-negative": "-5",
    "F-8-reversed": "10-5",
    "F-8-beyond": "100000-200000",
    "F-8-huge": "0-99999999999999999999",
    "F-8-garbage": "x-y",
    "F-8-suffix-huge": "-99999999999999999",
    "F-8-simple": "0-3",
    "F-8-open": "4-",
}


@pytest.mark.parametrize("spec", RANGES.values(), ids=RANGES.keys())
def test_odd_ranges(spec: str, files: Server, live_id: str) -> None:
    resp = check(
        get_raw_path(files, f"/api/files/{live_id}", {"Range": "bytes=" + spec}), what="F-8"
    )
    assert resp.status in (200, 206, 416), resp.status
    if resp.status in (200, 206):
        # No amplification: never more than the file, however many ranges were asked for
        # (benchmarks/security_timing.py prints how long such requests take).
        assert len(resp.body) <= len(PNG), len(resp.body)
    if resp.status == 206:
        assert "multipart" not in resp.headers.get("content-type", "")


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "TRACE", "POST", "PROPFIND"])
def test_files_are_read_only(method: str, files: Server, live_id: str) -> None:
    resp = check(request(files, method, f"/api/files/{live_id}", b"x"), what="F-9")
    assert resp.status == 405, resp.status
    still = check(request(files, "GET", f"/api/files/{live_id}"), what="F-9 after")
    assert still.status == 200 and still.body == PNG


def test_options_on_a_file_is_harmless(files: Server, live_id: str) -> None:
    resp = check(request(files, "OPTIONS", f"/api/files/{live_id}"), what="F-9")
    assert resp.status in (200, 204, 405)
    assert PNG not in resp.body


def test_f10_expired_files_are_gone(servers: Any) -> None:
    """F-10, H-7: after ``file_retention`` a file is 404 and unknown to the chat."""
    retention = 2.0
    short = servers("multimodal", "--file-retention", f"{retention:g}")
    before_upload = time.time()
    stored = upload(short, "a.png", PNG, "image/png")
    assert stored.status == 201, stored.text
    file_id = stored.json()["id"]
    url = f"/api/files/{file_id}"
    first = check(request(short, "GET", url), what="F-10")
    # Served while young. A busy machine may take longer than ``retention`` to get here: then
    # a 404 is the expiry itself, and only a 404 before ``retention`` passed is a failure.
    assert first.status == 200 or (
        first.status == 404 and time.time() - before_upload > retention
    ), (first.status, time.time() - before_upload)

    def expired() -> Resp | None:
        resp = request(short, "GET", url)
        return resp if resp.status == 404 else None

    # Polled unchecked (how many polls depends on the machine); the 404 itself is checked.
    wait_until(expired, f"{url} expiring {retention:g} s after its upload", interval=0.1)
    gone = check(request(short, "GET", url), what="F-10")
    assert (gone.status, gone.code) == (404, "not_found")
    assert time.time() - before_upload > retention  # never before its time
    resp = check(
        post_json(short, "/api/chat", {"message": {"text": "hi", "files": [file_id]}}), what="H-7"
    )
    assert (resp.status, resp.code) == (400, "unknown_file")
    assert not (short.store / file_id).exists()
