"""Streams, Stop and disconnects against a real Hypercorn server (`backend serve`)."""

from __future__ import annotations

import json
import select
import socket
import time
from pathlib import Path

import pytest

from tests.helpers import answer_text, parse_events
from tests.servers import running_server

APPS = Path(__file__).parent / "apps"


def post_chat(
    base: str, body: bytes, *, chunked: bool = False, accept_encoding: str = "identity"
) -> socket.socket:
    host, port = base.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    head = (
        f"POST /api/chat HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n"
        f"Content-Type: application/json\r\nAccept-Encoding: {accept_encoding}\r\n"
    )
    if chunked:
        sock.sendall(head.encode() + b"Transfer-Encoding: chunked\r\n\r\n")
        for start in range(0, len(body), 4096):
            if select.select([sock], [], [], 0)[0]:
                return sock  # the server answered (refused) before the body ended: stop sending
            piece = body[start : start + 4096]
            try:
                sock.sendall(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            except (BrokenPipeError, ConnectionResetError):
                return sock  # refused between our check and this send: read the answer
        sock.sendall(b"0\r\n\r\n")
    else:
        sock.sendall(head.encode() + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
    return sock


def read_until(sock: socket.socket, marker: bytes, count: int = 1) -> bytes:
    data = b""
    while data.count(marker) < count:
        chunk = sock.recv(65536)
        assert chunk, f"the stream ended before {count} x {marker!r}: {data!r}"
        data += chunk
    return data


def read_all(sock: socket.socket) -> bytes:
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


def dechunk(body: bytes) -> bytes:
    out = b""
    while body:
        size_line, _, body = body.partition(b"\r\n")
        size = int(size_line, 16)
        if size == 0:
            break
        out, body = out + body[:size], body[size + 2 :]
    return out


@pytest.mark.parametrize(
    ("app", "encoding"),
    [("slow_sync.py", "identity"), ("slow_async.py", "identity"), ("slow_sync.py", "gzip")],
)
def test_closing_the_connection_runs_the_generators_finally_within_1s(
    app: str, encoding: str, tmp_path: Path
) -> None:
    probe = tmp_path / "finally.txt"
    with running_server(str(APPS / app), env={"PROBE_FILE": str(probe)}) as base:
        body = json.dumps({"message": "a long message to echo"}).encode()
        sock = post_chat(base, body, accept_encoding=encoding)
        if encoding == "identity":
            read_until(sock, b'"append"', count=3)  # a few tokens in
        else:
            read_until(sock, b"\r\n", count=12)  # headers, then a few gzip chunks
        sock.close()
        closed_at = time.time()
        deadline = time.monotonic() + 2
        while not probe.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert probe.exists(), "the generator's finally never ran"
        ran_at = float(probe.read_text().split()[0])
        assert ran_at - closed_at < 1.0


def test_a_whole_answer_over_real_hypercorn(tmp_path: Path) -> None:
    probe = tmp_path / "finally.txt"
    with running_server(str(APPS / "slow_sync.py"), env={"PROBE_FILE": str(probe)}) as base:
        sock = post_chat(base, b'{"message": "hey"}')
        raw = read_all(sock)
        sock.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    assert b"200" in head.split(b"\r\n")[0]
    assert b"x-accel-buffering: no" in head.lower()
    events = parse_events(dechunk(body))
    assert events[-1].event == "done"
    assert answer_text(events) == "You typed: hey"
    assert probe.exists()  # finished generators are closed too


def test_chunked_body_over_the_limit_is_refused_while_reading() -> None:
    with running_server("--max-body-bytes", "10000") as base:
        body = json.dumps({"message": "x" * 500_000}).encode()
        sock = post_chat(base, body, chunked=True)
        try:
            raw = read_until(sock, b"body_too_large")
        finally:
            sock.close()
    assert raw.startswith(b"HTTP/1.1 413")


def test_serving_freezes_what_is_loaded_and_collects_young_objects_less_often() -> None:
    import gc

    from backend.server import GC_FIRST_THRESHOLD, tune_gc, untune_gc

    threshold = gc.get_threshold()
    try:
        tune_gc()
        assert gc.get_threshold() == (GC_FIRST_THRESHOLD, *threshold[1:])
        assert gc.get_freeze_count() > 1000  # the modules and the app: never walked again
    finally:
        untune_gc(threshold)
    assert gc.get_threshold() == threshold
    assert gc.get_freeze_count() == 0
