"""Streams, Stop and disconnects against a real Hypercorn server (`backend serve`)."""

from __future__ import annotations

import json
import select
import shutil
import socket
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import answer_text, parse_events
from tests.servers import running_server
from tests.waiting import LIVENESS, complete_lines, wait_until

APPS = Path(__file__).parent / "apps"


def post_chat(
    base: str, body: bytes, *, chunked: bool = False, accept_encoding: str = "identity"
) -> socket.socket:
    host, port = base.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=LIVENESS)
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


def probe_record(probe: Path) -> dict[str, Any]:
    """The record the app's ``finally`` wrote (atomically) once it has, as JSON."""
    lines = wait_until(lambda: complete_lines(probe), "the generator's finally never ran")
    record: dict[str, Any] = json.loads(lines[0])
    return record


@pytest.mark.parametrize(
    ("app", "encoding"),
    [("slow_sync.py", "identity"), ("slow_async.py", "identity"), ("slow_sync.py", "gzip")],
)
def test_closing_the_connection_closes_the_generator_before_its_end(
    app: str, encoding: str, tmp_path: Path
) -> None:
    # How soon it is closed is measured by benchmarks/stop_latency.py; this proves that the
    # disconnect closes it: the generator saw the exception closing it, after a few of its tokens.
    probe = tmp_path / "finally.txt"
    message = "a long message to echo, " * 5  # 120 tokens: 36 s if it were never closed
    with running_server(str(APPS / app), env={"PROBE_FILE": str(probe)}) as base:
        body = json.dumps({"message": message}).encode()
        sock = post_chat(base, body, accept_encoding=encoding)
        if encoding == "identity":
            read_until(sock, b'"append"', count=3)  # a few tokens in
        else:
            read_until(sock, b"\r\n", count=12)  # headers, then a few gzip chunks
        sock.close()
        record = probe_record(probe)
    assert record["ended"] in ("GeneratorExit", "CancelledError"), record
    assert record["total"] == len(message)
    assert (3 if encoding == "identity" else 1) <= record["yielded"] < record["total"], record


def test_a_whole_answer_over_real_hypercorn(tmp_path: Path) -> None:
    probe = tmp_path / "finally.txt"
    with running_server(str(APPS / "slow_sync.py"), env={"PROBE_FILE": str(probe)}) as base:
        sock = post_chat(base, b'{"message": "hey"}')
        raw = read_all(sock)
        sock.close()
        record = probe_record(probe)  # finished generators are closed too
    head, _, body = raw.partition(b"\r\n\r\n")
    assert b"200" in head.split(b"\r\n")[0]
    assert b"x-accel-buffering: no" in head.lower()
    # Hypercorn names itself on no response; the stream's id is readable by other origins.
    assert b"\r\nserver:" not in head.lower(), head
    assert b"access-control-expose-headers: x-stream-id" in head.lower(), head
    events = parse_events(dechunk(body))
    assert events[-1].event == "done"
    assert answer_text(events) == "You typed: hey"
    assert record["ended"] == "finished" and record["yielded"] == record["total"] == 3, record


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


def test_serving_makes_full_collections_on_a_timer() -> None:
    """Under a steady load the oldest generation's turn may never come by itself: the server
    makes a full collection every FULL_COLLECTION_EVERY seconds (here every 10 ms)."""
    import asyncio
    import gc

    from backend.server import FULL_COLLECTION_EVERY, collect_periodically

    assert 0 < FULL_COLLECTION_EVERY <= 60

    async def two_full_collections() -> int:
        # The collector's timer gives no event; the garbage collector's own callback does.
        collected: list[int] = []
        second = asyncio.Event()

        def on_gc(phase: str, info: dict[str, int]) -> None:
            if phase == "stop" and info["generation"] == 2:
                collected.append(1)
                if len(collected) >= 2:
                    second.set()

        gc.callbacks.append(on_gc)
        collector = asyncio.ensure_future(collect_periodically(0.01))
        try:
            await asyncio.wait_for(second.wait(), LIVENESS)
        finally:
            collector.cancel()
            gc.callbacks.remove(on_gc)
        return len(collected)

    assert asyncio.run(two_full_collections()) >= 2


def test_the_backlog_is_capped_by_somaxconn_and_the_banner_says_so(tmp_path: Path) -> None:
    from backend import ChatInterface
    from backend.server import backlog_note, banner, kernel_somaxconn, listen_backlog

    proc = tmp_path / "somaxconn"
    proc.write_text("512\n")
    somaxconn = kernel_somaxconn(proc)
    assert somaxconn == 512
    assert kernel_somaxconn(tmp_path / "missing") is None  # not Linux: nothing to cap by
    assert listen_backlog(2048, somaxconn) == 512
    assert listen_backlog(300, somaxconn) == 300
    assert listen_backlog(2048, None) == 2048
    assert backlog_note(300, somaxconn) is None
    assert backlog_note(2048, None) is None
    note = backlog_note(2048, somaxconn)
    assert note is not None
    assert "backlog 2048 is cut to 512" in note and "net.core.somaxconn=2048" in note
    text = banner(ChatInterface(fn=lambda message, history: message), "http://x", False, (note,))
    assert note in text
    assert "somaxconn" not in banner(ChatInterface(fn=lambda m, h: m), "http://x", False)


def listen_queue(port: int) -> int:
    """The listen queue of the socket on ``port``, as the kernel reports it (ss's Send-Q)."""
    out = subprocess.run(
        ["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True, check=True
    ).stdout
    return int(out.split()[2])


@pytest.mark.skipif(shutil.which("ss") is None, reason="needs ss (iproute2)")
def test_the_server_listens_with_the_backlog_setting() -> None:
    with running_server("--backlog", "300") as base:
        # Hypercorn calls listen() again with its own default (100) unless told ours.
        assert listen_queue(int(base.rsplit(":", 1)[1])) == 300
