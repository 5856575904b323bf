"""U-*: uploads (``POST /api/upload``: the file's bytes as the body, never a form).

The test app accepts any file type (``file_types`` unset), so dangerous types are stored inert
(random id, attachment, nosniff, sandbox CSP) rather than refused; a name whose extension
contradicts the content is refused (415 ``file_type_not_allowed``). Limits: 64 KiB per file.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import threading
from pathlib import Path

import pytest

from tests.security.harness import Server, check, request
from tests.security.samples import HTML, PNG, SAMPLES, SVG, upload
from tests.waiting import LIVENESS

LIMIT = 65536
ID = re.compile(r"\A[A-Za-z0-9_-]{43}\Z")
OUTSIDE = [Path("/tmp/pwn"), Path("/tmp/victim"), Path("/tmp/pwn.txt"), Path("/etc/pwn")]


def outside_files(server: Server) -> list[str]:
    """G-3: files that appeared outside the store."""
    bad = [str(p) for p in OUTSIDE if p.exists()]
    for path in server.workdir.rglob("*"):
        if path.is_file() and server.store not in path.parents:
            if path.name not in ("server.log", "calls", "log.csv", ".secret"):
                bad.append(str(path))
    return bad


def test_u1_json_body_naming_a_server_file_is_415(files: Server) -> None:
    body = json.dumps(
        {"files": {"file": {"filepath": "/etc/passwd", "originalFilename": "x.txt"}}}
    ).encode()
    resp = check(
        request(files, "POST", "/api/upload", body, {"Content-Type": "application/json"}),
        what="U-1",
    )
    assert (resp.status, resp.code) == (415, "unsupported_media_type")


@pytest.mark.parametrize("kind", SAMPLES.keys(), ids=[f"U-2-{k}" for k in SAMPLES])
def test_u2_every_type_is_stored_inert(kind: str, files: Server) -> None:
    name, data, ctype = SAMPLES[kind]
    resp = upload(files, name, data, ctype)
    if resp.status == 415:
        assert resp.code == "file_type_not_allowed"
        return
    assert resp.status == 201, resp.text
    meta = resp.json()
    assert ID.match(meta["id"])
    served = check(request(files, "GET", f"/api/files/{meta['id']}"), what="U-2 get")
    assert served.status == 200 and served.body == data
    headers = served.headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["content-security-policy"] == "default-src 'none'; sandbox"
    inline = headers["content-type"].split(";")[0] in ("image/png", "image/gif", "image/jpeg")
    disposition = headers["content-disposition"]
    assert disposition.startswith("inline;" if inline else "attachment;"), (kind, headers)
    assert "html" not in headers["content-type"] or disposition.startswith("attachment")
    assert "javascript" not in headers["content-type"]


MISMATCH = {
    "U-4-svg-as-png": ("x.png", SVG, "image/png"),
    "U-4-html-as-jpg": ("x.jpg", HTML, "image/jpeg"),
    "U-4-html-as-gif": ("x.gif", HTML, "image/gif"),
    "U-4-svg-as-gif": ("x.gif", SVG, "image/gif"),
    "U-4-png-as-pdf": ("x.pdf", PNG, "application/pdf"),
    "U-4-html-as-pdf": ("x.pdf", HTML, "application/pdf"),
    "U-4-html-as-svg": ("x.svg", HTML, "image/svg+xml"),
    "U-4-text-as-png": ("x.png", b"hello", "image/png"),
}


@pytest.mark.parametrize(("name", "data", "ctype"), MISMATCH.values(), ids=MISMATCH.keys())
def test_u4_content_decides_the_type(name: str, data: bytes, ctype: str, files: Server) -> None:
    resp = upload(files, name, data, ctype)
    assert (resp.status, resp.code) == (415, "file_type_not_allowed"), resp.text


NAMES = {
    "U-5-traversal": "../../etc/passwd",
    "U-5-windows-traversal": "..\\..\\win.ini",
    "U-5-absolute": "/etc/passwd",
    "U-5-nul": "a\x00.png",
    "U-5-nul-ext": "x.svg\x00.png",
    "U-5-japanese": "日本語.txt",
    "U-5-dots": "....",
    "U-5-con": "CON",
    "U-5-aux": "aux.txt",
    "U-5-300-chars": "n" * 300 + ".txt",
    "U-5-bidi": "evil\u202egnp.exe",
    "U-5-html": '"><img src=x onerror=alert(1)>.png',
    "U-5-percent": "%2e%2e%2fetc",
    "U-5-crlf": "a\r\nSet-Cookie: x=1.txt",
    "U-5-quote-semicolon": 'a"; filename="evil.html',
    "U-5-dotfile": ".bashrc",
    "U-5-only-ext": ".txt",
    "U-5-trailing-dot-space": "a.txt. . ",
    "U-5-zero-width": "a\u200b\u200d\ufeff.txt",
    "U-5-empty": "",
    "U-5-emoji-bytes": "\U0001f600" * 100 + ".txt",
    "U-5-tilde-home": "~/.ssh/authorized_keys",
    "U-5-proc": "/proc/self/environ",
    "U-5-long-ext": "a." + "x" * 50,
}
UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\<>"\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufeff]')


@pytest.mark.parametrize("name", NAMES.values(), ids=NAMES.keys())
def test_u5_file_names_are_cleaned(name: str, files: Server) -> None:
    resp = upload(files, name, b"just text\n", "text/plain")
    assert resp.status in (201, 415), resp.text
    if resp.status == 415:
        return
    meta = resp.json()
    clean = meta["name"]
    assert not UNSAFE.search(clean), clean
    assert 0 < len(clean) <= 120 and len(clean.encode()) <= 200
    assert not clean.startswith((".", " "))
    assert ID.match(meta["id"])
    served = check(request(files, "GET", f"/api/files/{meta['id']}"), what="U-5 get")
    disposition = served.headers["content-disposition"]
    assert "\r" not in disposition and "\n" not in disposition
    assert "filename*=UTF-8''" in disposition
    assert "set-cookie" not in served.headers
    stored = files.store / meta["id"]
    assert [p.name for p in stored.iterdir()] == [clean]
    assert not outside_files(files)


@pytest.mark.parametrize(
    "fields",
    [
        {"format": "../../tmp/victim"},
        {"ext": "../../../tmp/pwn"},
        {"dir": "/tmp"},
        {"chatId": "../../../../tmp/pwn"},
        {"id": "A" * 43},
        {"path": "/tmp/pwn.txt"},
    ],
    ids=["U-6-format", "U-6-ext", "U-6-dir", "U-6-chatId", "U-6-chosen-id", "U-6-path"],
)
def test_u6_fields_cannot_steer_the_path(fields: dict[str, str], files: Server) -> None:
    resp = upload(files, "a.txt", b"text\n", "text/plain", **fields)
    assert resp.status == 201
    assert resp.json()["id"] != "A" * 43
    assert not outside_files(files)


def test_u7_a_long_name_is_refused(files: Server) -> None:
    # docs/protocol.md's upload section says "400 invalid_request"; its error table (and the
    # code) say invalid_request is 422: we assert the table.
    resp = upload(files, "n" * 1001 + ".txt", b"x", "text/plain")
    assert (resp.status, resp.code) == (422, "invalid_request")


def test_u7_a_huge_query_string(files: Server) -> None:
    resp = check(
        request(
            files,
            "POST",
            "/api/upload?name=" + "n" * 100_000,
            b"x",
            {"Content-Type": "text/plain"},
        ),
        what="U-7",
    )
    assert 400 <= resp.status < 500


SIZES = {
    "U-3-limit": (LIMIT, b"a", 201),
    "U-3-limit+1": (LIMIT + 1, b"a", 413),
    "U-8-5MB-field": (5 * 1024 * 1024, b"a", 413),
    "U-9-dashes": (2 * 1024 * 1024, b"-", 413),
    "U-9-crs": (2 * 1024 * 1024, b"\r", 413),
}


@pytest.mark.parametrize(("size", "fill", "status"), SIZES.values(), ids=SIZES.keys())
def test_u3_size_limit(size: int, fill: bytes, status: int, files: Server) -> None:
    resp = upload(files, "big.txt", fill * size, "text/plain")
    assert resp.status == status, resp.text
    if status == 413:
        assert resp.code == "file_too_large"


def test_u3_chunked_body_five_times_the_limit(files: Server) -> None:
    import http.client

    host, port = files.host_port
    connection = http.client.HTTPConnection(host, port, timeout=LIVENESS)
    try:
        try:
            connection.request(
                "POST",
                "/api/upload?name=c.txt",
                body=iter([b"a" * 8192] * (5 * LIMIT // 8192)),
                headers={"Content-Type": "text/plain"},
                encode_chunked=True,
            )
        except (BrokenPipeError, ConnectionResetError):
            pass
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    assert response.status == 413 and b"file_too_large" in body


BODIES = {
    "U-9-multipart": ("multipart/form-data; boundary=x", b"--x\r\n" + b"-" * 100_000),
    "U-9-long-boundary": ("multipart/form-data; boundary=" + "b" * 80, b"--" + b"b" * 80),
    "U-9-cr-flood": ("multipart/form-data; boundary=x", b"\r\n" + b"\r" * 100_000),
    "U-12-1001-parts": (
        "multipart/form-data; boundary=x",
        b"".join(
            b'--x\r\nContent-Disposition: form-data; name="f%d"\r\n\r\nv\r\n' % i
            for i in range(1001)
        )
        + b"--x--\r\n",
    ),
    "U-13-no-boundary": ("multipart/form-data", b"--x\r\n\r\n--x--"),
    "U-13-form": ("application/x-www-form-urlencoded", b"file=%2Fetc%2Fpasswd"),
    "U-13-multipart-upper": ("Multipart/Form-Data; boundary=x", b"--x--\r\n"),
}


@pytest.mark.parametrize(("ctype", "body"), BODIES.values(), ids=BODIES.keys())
def test_u9_u12_u13_forms_are_not_uploads(ctype: str, body: bytes, files: Server) -> None:
    resp = check(
        request(files, "POST", "/api/upload?name=x.txt", body, {"Content-Type": ctype}),
        what="U-9",
    )
    assert (resp.status, resp.code) == (415, "unsupported_media_type"), resp.text


def test_u13_empty_body(files: Server) -> None:
    resp = upload(files, "x.txt", b"", "text/plain")
    assert (resp.status, resp.code) == (422, "invalid_request")


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br", "GZIP"])
def test_u10_encoded_bodies_are_415(encoding: str, files: Server) -> None:
    body = gzip.compress(b"a" * 100_000)
    resp = check(
        request(
            files,
            "POST",
            "/api/upload?name=x.txt",
            body,
            {"Content-Type": "text/plain", "Content-Encoding": encoding},
        ),
        what="U-10",
    )
    assert resp.status == 415


def test_u10_a_gzip_bomb_is_never_inflated(files: Server) -> None:
    bomb = gzip.compress(b"\0" * 20_000_000)
    assert len(bomb) < 65536
    resp = upload(files, "bomb.gz", bomb)
    assert resp.status in (201, 415)
    if resp.status == 201:
        assert resp.json()["size"] == len(bomb)
    resp = upload(files, "bomb.txt", bomb, "text/plain")
    assert resp.status in (201, 415)


def test_u11_refused_uploads_leave_no_partial_files(files: Server) -> None:
    for _ in range(5):
        upload(files, "big.txt", b"a" * (LIMIT + 1), "text/plain")
    leftovers = [p.name for p in files.store.iterdir() if p.name.startswith(".partial")]
    assert not leftovers


def test_u15_parallel_uploads_get_distinct_ids(files: Server) -> None:
    ids: list[str] = []
    lock = threading.Lock()

    def one(i: int) -> None:
        resp = upload(files, "same.txt", b"same bytes\n", "text/plain")
        with lock:
            ids.append(resp.json()["id"])

    threads = [threading.Thread(target=one, args=(i,)) for i in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(ids) == 40 == len(set(ids))
    assert all(ID.match(i) for i in ids)


def test_u_no_upload_on_a_text_only_app(echo: Server) -> None:
    resp = upload(echo, "a.png", PNG, "image/png")
    assert (resp.status, resp.code) == (404, "not_found")
    assert not os.path.exists(echo.store) or not any(echo.store.iterdir())
