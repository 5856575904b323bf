"""T-*: transport and HTTP parsing (Hypercorn + h11), with raw sockets."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from hypercorn.config import Config

from backend.http.bodies import BODY_IDLE_SECONDS
from tests.security.harness import BACKGROUND, Server, check, leaks, raw, raw_status, request
from tests.waiting import LIVENESS

HEAD = b"Host: 127.0.0.1\r\n"
# How long Hypercorn keeps a connection that has not sent a complete request (the backend
# keeps Hypercorn's default): T-1 and T-2 are closed after it.
KEEP_ALIVE = float(Config().keep_alive_timeout)


class SlowClient(threading.Thread):
    """Feeds ``pieces`` to the server, one per ``gap`` seconds, and records what came back,
    whether the server closed the connection, and after how long. It gives up after
    ``server_limit`` (the server's own timeout for such a client) plus LIVENESS: the margin
    a busy machine may need, so that only a server that keeps the connection is caught."""

    def __init__(
        self, server: Server, pieces: list[bytes], gap: float, server_limit: float
    ) -> None:
        super().__init__(daemon=True)
        self.server, self.pieces, self.gap = server, pieces, gap
        self.give_up = server_limit + LIVENESS
        self.closed_after: float | None = None
        self.closed_by_server = False
        self.received = b""

    def run(self) -> None:
        start = time.monotonic()
        with socket.create_connection(self.server.host_port, timeout=LIVENESS) as sock:
            sock.settimeout(self.gap)
            pieces = list(self.pieces)
            while time.monotonic() - start < self.give_up:
                if pieces:
                    try:
                        sock.sendall(pieces.pop(0))
                    except OSError:
                        self.closed_by_server = True
                        break
                try:
                    chunk = sock.recv(4096)
                except TimeoutError:
                    continue  # the client's pace: the next piece after ``gap`` of silence
                except OSError:
                    self.closed_by_server = True
                    break
                if not chunk:
                    self.closed_by_server = True
                    break
                self.received += chunk
        self.closed_after = time.monotonic() - start

    def verdict(self) -> str | None:
        """None when the server closed the connection within its own limit (plus the
        liveness margin), else what happened."""
        self.join()  # bounded: run() gives up after ``give_up`` seconds
        if not self.closed_by_server:
            return f"the server still held the connection after {self.closed_after:.0f} s"
        return None


@pytest.fixture(scope="module", name="slow_clients", autouse=True)
def _slow_clients(servers: object) -> Iterator[dict[str, SlowClient]]:
    server = servers("echo")  # type: ignore[operator]
    clients = {
        # T-1: connect, send nothing.
        "idle": SlowClient(server, [], 0.5, KEEP_ALIVE),
        # T-2: slowloris headers, one byte every 0.5 s.
        "slowloris": SlowClient(
            server, [bytes([b]) for b in b"GET /healthz HTTP/1.1\r\n"], 0.5, KEEP_ALIVE
        ),
    }
    for client in clients.values():
        client.start()
    # T-3: a body that stops arriving; its 408 comes after BODY_IDLE_SECONDS (30 s), checked at
    # the very end of the suite (test_zz_figures.py) so that nobody waits for it.
    slow_body = SlowClient(
        server,
        [b"POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
         b"Content-Length: 1000\r\n\r\n{\"message\":"],
        1.0,
        BODY_IDLE_SECONDS,
    )  # fmt: skip
    slow_body.start()
    BACKGROUND["T-3-slow-body"] = slow_body
    yield clients


@pytest.mark.parametrize(
    "headers",
    [
        b"X-Big: " + b"a" * 60_000 + b"\r\n",
        b"X-Big: " + b"a" * 200_000 + b"\r\n",
        b"".join(b"X-H%d: v\r\n" % i for i in range(2000)),
        b"Cookie: " + b"c=" * 30_000 + b"\r\n",
    ],
    ids=["T-5-60KB", "T-5-200KB", "T-5-2000-headers", "T-5-cookie"],
)
def test_oversized_headers(headers: bytes, echo: Server) -> None:
    reply = raw(echo, b"GET /api/config HTTP/1.1\r\n" + HEAD + headers + b"\r\n", responses=1)
    statuses = raw_status(reply)
    assert all(s < 500 for s in statuses), statuses
    assert not leaks(reply.decode("latin-1"))


SMUGGLE = b"GET /api/smuggled HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
POST = b"POST /api/chat HTTP/1.1\r\n" + HEAD + b"Content-Type: application/json\r\n"
# Ambiguous framing: the request must be refused and the connection closed, so that nothing
# after it is ever read as a second request.
AMBIGUOUS = {
    "T-6-bad-chunk-end": POST
    + b"Transfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n"
    + SMUGGLE,
    "T-6-duplicate-cl": POST + b"Content-Length: 2\r\nContent-Length: 40\r\n\r\n{}" + SMUGGLE,
    "T-6-chunk-extension": POST
    + b'Transfer-Encoding: chunked\r\n\r\n4;ext="a\r\nb"\r\n{}{}\r\n0\r\n\r\n'
    + SMUGGLE,
    "T-6-te-space": POST + b"Transfer-Encoding : chunked\r\nContent-Length: 2\r\n\r\n{}" + SMUGGLE,
    "T-6-cl-and-te": POST
    + b"Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
    + SMUGGLE,
    "T-6-te-chunked-identity": pytest.param(
        POST + b"Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n" + SMUGGLE,
        marks=pytest.mark.xfail(
            strict=True,
            reason="T-6/G-5: 'Transfer-Encoding: chunked, identity' is answered by Hypercorn "
            "with a bare 501 (a 5xx for a client error, not the JSON envelope); expected 400",
        ),
    ),
}


@pytest.mark.parametrize("data", AMBIGUOUS.values(), ids=AMBIGUOUS.keys())
def test_ambiguous_framing_is_refused_and_closed(data: bytes, echo: Server) -> None:
    calls = echo.fn_calls()
    reply = raw(echo, data)  # until the server closes: nothing may follow the refusal
    statuses = raw_status(reply)
    assert len(statuses) == 1 and 400 <= statuses[0] < 500, (statuses, reply[:300])
    assert b"smuggled" not in reply
    assert not leaks(reply.decode("latin-1"))
    assert echo.fn_calls() == calls


# Framing h11 accepts on purpose (RFC 9112 lets a server unfold obs-fold and accept bare LF):
# one request, then a second legitimate pipelined one; both answered, neither a 5xx.
TOLERATED = {
    "T-6-obs-fold": POST + b"X-Fold: a\r\n b\r\nContent-Length: 2\r\n\r\n{}" + SMUGGLE,
    "T-6-lf-only": b"POST /api/chat HTTP/1.1\nHost: x\nContent-Type: application/json\n"
    + b"Content-Length: 2\n\n{}"
    + SMUGGLE,
}


@pytest.mark.parametrize("data", TOLERATED.values(), ids=TOLERATED.keys())
def test_tolerated_framing_is_parsed_consistently(data: bytes, echo: Server) -> None:
    calls = echo.fn_calls()
    reply = raw(echo, data)  # until the server closes (the second request asks it to)
    assert raw_status(reply) == [422, 404], reply[:300]
    assert echo.fn_calls() == calls


def test_http2_preface_and_settings_flood(echo: Server) -> None:
    """T-7: an HTTP/2 prior-knowledge preface and a burst of SETTINGS/PING frames."""
    preface = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
    settings = b"\x00\x00\x00\x04\x00\x00\x00\x00\x00"
    ping = b"\x00\x00\x08\x06\x00\x00\x00\x00\x00" + b"\x00" * 8
    ack = b"\x00\x00\x08\x06\x01\x00\x00\x00\x00"  # a PING with the ACK flag, on stream 0
    # Hypercorn speaks HTTP/2 here and keeps the connection open: read until every PING is
    # acknowledged (or the server closes, e.g. with a GOAWAY).
    reply = raw(echo, preface + (settings + ping) * 2000, until=lambda got: got.count(ack) >= 2000)
    assert not leaks(reply.decode("latin-1"))


def test_many_idle_connections_then_a_real_request(echo: Server) -> None:
    """T-8 (200 idle keep-alive connections: the box's ulimit is the real cap)."""
    sockets = []
    try:
        for _ in range(200):
            sockets.append(socket.create_connection(echo.host_port, timeout=5))
        resp = check(request(echo, "GET", "/healthz"), what="T-8")
        assert resp.status == 200
    finally:
        for sock in sockets:
            sock.close()


def test_pipelined_requests_answered_in_order(echo: Server) -> None:
    """T-9: 100 pipelined requests on one connection."""
    data = (
        b"".join(b"GET /widget/nope%d.js HTTP/1.1\r\nHost: x\r\n\r\n" % i for i in range(99))
        + b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    reply = raw(echo, data)  # the last request closes
    statuses = raw_status(reply)
    assert statuses == [404] * 99 + [200] or (statuses and set(statuses) <= {404, 200}), statuses
    assert not leaks(reply.decode("latin-1"))


REQUEST_LINES = {
    "T-10-absolute-form": b"GET http://attacker.example/api/config HTTP/1.1\r\n" + HEAD,
    "T-10-garbage": b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n",
    "T-10-nul-in-path": b"GET /api/files/\x00abc HTTP/1.1\r\n" + HEAD,
    "T-10-10KB-path": b"GET /" + b"a" * 10_000 + b" HTTP/1.1\r\n" + HEAD,
    "T-10-no-version": b"GET /api/config\r\n" + HEAD,
    "T-10-bad-method": b"G\x7fT /api/config HTTP/1.1\r\n" + HEAD,
    "T-10-http-0.9": b"GET /\r\n",
    "T-10-space-in-path": b"GET /api/ config HTTP/1.1\r\n" + HEAD,
    "T-10-bad-host": b"GET /api/config HTTP/1.1\r\nHost: a b\r\nHost: c\r\n",
    "T-10-connect": b"CONNECT 169.254.169.254:80 HTTP/1.1\r\n" + HEAD,
    "T-10-trace": b"TRACE /api/config HTTP/1.1\r\n" + HEAD + b"X-Secret: reflected\r\n",
    "T-10-utf8-path": "GET /api/files/é✓ HTTP/1.1\r\n".encode() + HEAD,
}


@pytest.mark.parametrize("line", REQUEST_LINES.values(), ids=REQUEST_LINES.keys())
def test_odd_request_lines(line: bytes, echo: Server) -> None:
    data = line if line.endswith(b"\r\n\r\n") else line + b"\r\n"
    reply = raw(echo, data, responses=1)
    statuses = raw_status(reply)
    assert all(s < 500 for s in statuses), (statuses, reply[:300])
    text = reply.decode("latin-1")
    assert not leaks(text)
    assert "attacker.example" not in text
    assert "reflected" not in text


def test_host_header_does_not_change_other_clients_urls(files: Server) -> None:
    """X-3: a forged Host (and X-Forwarded-*) only shapes that one response."""
    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    )
    forged = {
        "Host": "attacker.example",
        "X-Forwarded-Host": "attacker.example",
        "X-Forwarded-Prefix": "//attacker.example",
        "X-Direct-Url": "https://attacker.example/",
        "Content-Type": "image/png",
    }
    check(request(files, "POST", "/api/upload?name=a.png", png, forged), what="X-3 forged")
    normal = check(
        request(files, "POST", "/api/upload?name=a.png", png, {"Content-Type": "image/png"}),
        what="X-3 normal",
    )
    assert normal.status == 201
    assert normal.json()["url"].startswith(files.url + "/api/files/")


@pytest.mark.parametrize("name", ["idle", "slowloris"], ids=["T-1-idle", "T-2-slowloris"])
def test_idle_and_slow_header_connections_are_closed(
    name: str, slow_clients: dict[str, SlowClient]
) -> None:
    """The server closes them itself, after its keep-alive timeout (KEEP_ALIVE, 5 s): the
    client would hold on for KEEP_ALIVE + LIVENESS, so a server that keeps them fails."""
    client = slow_clients[name]
    assert client.verdict() is None, client.verdict()
    assert not leaks(client.received.decode("latin-1"))
