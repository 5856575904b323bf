"""Shared machinery of the security suite: servers, raw HTTP, the global invariants (G-*).

Every response a test gets goes through :func:`check`, which counts it and looks for what must
never leave the server (ATTACKS.md G-2, G-5): a traceback, an exception class, an absolute
server path, an environment value, the canary secret; and a 5xx for a client-caused error.
The counts are the figures the suite prints and asserts at the end (``test_zz_figures.py``).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.servers import ROOT
from tests.waiting import LIVENESS

CANARY = "CANARY-7f3a9c1e5b2d4f60"
ENV_SECRET = "env-value-b81d2e6fa4c3"
APPS = Path(__file__).resolve().parent / "apps"
EXCEPTION_NAMES = re.compile(
    r"\b(Traceback|RuntimeError|ValueError|KeyError|TypeError|AttributeError|RecursionError|"
    r"UnicodeEncodeError|UnicodeDecodeError|SystemExit|KeyboardInterrupt|GeneratorExit|"
    r"StopIteration|StopAsyncIteration|CancelledError|OSError|FileNotFoundError|"
    r"AssertionError|JSONDecodeError)\b"
)

# The failing apps' flags: a chat function that stops yielding gets the timeout error after
# 10 s. Their other misbehaviours are never that slow, even on a busy machine; their "hang"
# stays silent until the test has seen the timeout (no race with a sleep of the app's).
FAILING_FLAGS = ("--stream-idle-timeout", "10")


@dataclass
class Server:
    """A running ``backend serve`` of one of ``apps/``."""

    name: str
    url: str
    pid: int
    workdir: Path
    log: Path
    calls: Path
    flags: Path
    store: Path
    #: Resident memory when the suite first used it (G-6).
    rss_start: int = 0

    @property
    def host_port(self) -> tuple[str, int]:
        host, port = self.url.removeprefix("http://").split(":")
        return host, int(port)

    def fn_calls(self) -> int:
        try:
            return self.calls.read_text().count("call\n")
        except FileNotFoundError:
            return 0


@dataclass
class Issue:
    test: str
    kind: str
    detail: str
    known: bool


@dataclass
class Figures:
    """What the suite measured; printed and asserted at the end."""

    servers: list[Server] = field(default_factory=list)
    responses: int = 0
    issues: list[Issue] = field(default_factory=list)
    crashes: list[str] = field(default_factory=list)
    xss_checks: int = 0
    xss_fired: list[str] = field(default_factory=list)
    cases: dict[str, int] = field(default_factory=dict)
    #: The test now running, and whether it is a known (xfail) product bug.
    started: float = field(default_factory=time.monotonic)
    #: Each server's RSS growth, measured while it still runs (server name -> bytes).
    rss_growth: dict[str, int] = field(default_factory=dict)
    current: str = ""
    current_known: bool = False

    def issue(self, kind: str, detail: str) -> None:
        self.issues.append(Issue(self.current, kind, detail[:300], self.current_known))

    def unknown(self, kind: str) -> list[Issue]:
        return [i for i in self.issues if i.kind == kind and not i.known]

    def known(self) -> list[Issue]:
        return [i for i in self.issues if i.known]


FIGURES = Figures()
#: Slow measurements started early and checked at the end (name -> a joinable thread).
BACKGROUND: dict[str, Any] = {}


def forbidden_strings() -> list[str]:
    """Strings no response may contain: secrets and absolute server paths."""
    paths = [str(ROOT), str(Path(tempfile.gettempdir()) / "chatbubble")]
    for server in FIGURES.servers:
        paths += [str(server.workdir), str(server.store)]
    return [CANARY, ENV_SECRET, *paths]


@dataclass
class Resp:
    status: int
    headers: dict[str, str]
    body: bytes
    elapsed: float
    #: Every ``Set-Cookie`` of the response (``headers`` keeps only the last).
    set_cookies: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def code(self) -> str | None:
        try:
            data = self.json()
        except ValueError:
            return None
        if not isinstance(data, dict):
            return None
        if isinstance(data.get("error"), dict):  # OpenAI's shape on /v1
            inner = data["error"].get("code")
            return inner if isinstance(inner, str) else None
        code = data.get("code")
        return code if isinstance(code, str) else None


def leaks(text: str, *, script: bool = False) -> list[str]:
    """What ``text`` (a response) shows that it must not."""
    found = [f"contains {s!r}" for s in forbidden_strings() if s in text]
    if "root:x:0:0" in text:
        found.append("contains /etc/passwd")
    if not script:  # the widget's own JavaScript names JS errors
        match = EXCEPTION_NAMES.search(text)
        if match:
            found.append(f"names {match.group(0)!r}")
        if 'File "/' in text:
            found.append("a traceback frame")
    return found


def check(resp: Resp, *, client_error: bool = True, what: str = "", page: bool = False) -> Resp:
    """Counts ``resp`` and fails on a leak (G-2), a bad error body (G-5), or a 5xx for a
    request the client got wrong. ``page``: an HTML error page is the answer (the console's
    forms), so only a JSON error must be the envelope."""
    FIGURES.responses += 1
    ctype = resp.headers.get("content-type", "")
    script = "javascript" in ctype
    problems = leaks(resp.text, script=script)
    for problem in problems:
        FIGURES.issue("leak", f"{what}: {resp.status} {problem}")
    if client_error and resp.status >= 500:
        FIGURES.issue("5xx", f"{what}: {resp.status} {resp.text[:120]}")
        problems.append(f"status {resp.status} for a client-caused error")
    if resp.status >= 400 and resp.body and not (page and ctype.startswith("text/html")):
        try:
            data = resp.json()
        except ValueError:
            data = None
        shape_ok = isinstance(data, dict) and (
            set(data) == {"ok", "status", "code", "error"} or set(data) == {"error"}
        )
        if not shape_ok:
            FIGURES.issue("envelope", f"{what}: {resp.status} {resp.text[:120]}")
            problems.append(f"error body is not the JSON envelope: {resp.text[:120]!r}")
        if len(resp.body) > 2048:
            problems.append(f"error body of {len(resp.body)} bytes")
    assert not problems, f"{what}: {problems}"
    return resp


def request(
    server: Server,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    *,
    timeout: float = LIVENESS,
) -> Resp:
    """One HTTP/1.1 request on a fresh connection (no gzip), the whole body read. ``timeout``
    (each socket operation's) only catches a hang; ``elapsed`` is a figure, never a verdict."""
    host, port = server.host_port
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    start = time.monotonic()
    try:
        sent = {k.lower() for k in (headers or {})}
        # A Host of the caller's replaces http.client's own (two would be a 400 from h11).
        connection.putrequest(method, path, skip_host="host" in sent, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        if body is not None and "content-length" not in sent:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders()
        if body:
            try:
                connection.send(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # answered and closed before the whole body went out
        response = connection.getresponse()
        data = response.read()
        return Resp(
            response.status,
            {k.lower(): v for k, v in response.getheaders()},
            data,
            time.monotonic() - start,
            [v for k, v in response.getheaders() if k.lower() == "set-cookie"],
        )
    finally:
        connection.close()


def post_json(server: Server, path: str, data: Any, headers: dict[str, str] | None = None) -> Resp:
    body = data if isinstance(data, bytes) else json.dumps(data).encode()
    return request(
        server, "POST", path, body, {"Content-Type": "application/json", **(headers or {})}
    )


def chat(server: Server, data: Any, headers: dict[str, str] | None = None) -> Resp:
    return post_json(server, "/api/chat", data, headers)


def raw(
    server: Server,
    data: bytes,
    *,
    responses: int | None = None,
    until: Callable[[bytes], bool] | None = None,
    timeout: float = LIVENESS,
) -> bytes:
    """Sends ``data`` on a raw socket and returns what came back until the server closed the
    connection or, with ``responses``, until that many complete HTTP/1.x responses arrived
    (or, with ``until``, until ``until(received)`` holds), whichever comes first. Never stops
    at a pause: on a busy machine a response may come in pieces, far apart. ``timeout`` is a
    liveness bound: that long without a byte or a close fails."""
    if responses is not None:
        count = responses
        until = lambda got: (complete_responses(got) or 0) >= count  # noqa: E731
    received = b""
    with socket.create_connection(server.host_port, timeout=timeout) as sock:
        try:
            sock.sendall(data)
        except OSError:
            pass  # the server answered and closed before everything went out
        while until is None or not until(received):
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                raise AssertionError(
                    f"the answer neither completed nor closed within {timeout:g} s of silence: "
                    f"{received[:300]!r}"
                ) from None
            except OSError:
                break  # reset by the server: the connection is closed
            if not chunk:
                break
            received += chunk
    return check_raw(received, what="raw")


def complete_responses(data: bytes) -> int | None:
    """How many complete HTTP/1.x responses ``data`` starts with (interim 1xx not counted);
    None when one of them ends only with the connection (no length, not chunked)."""
    count, at = 0, 0
    while True:
        end = data.find(b"\r\n\r\n", at)
        if end < 0:
            return count
        lines = data[at:end].decode("latin-1").split("\r\n")
        match = re.match(r"HTTP/1\.[01] (\d{3})", lines[0])
        if not match:
            return count
        status = int(match.group(1))
        fields: dict[str, str] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            fields[name.strip().lower()] = value.strip().lower()
        at = end + 4
        if status < 200 or status in (204, 304):
            count += status >= 200
            continue
        if "chunked" in fields.get("transfer-encoding", ""):
            while True:
                line_end = data.find(b"\r\n", at)
                if line_end < 0:
                    return count
                try:
                    size = int(data[at:line_end].split(b";")[0], 16)
                except ValueError:
                    return count
                if size == 0:
                    trailer_end = data.find(b"\r\n\r\n", line_end)
                    if trailer_end < 0:
                        return count
                    at = trailer_end + 4
                    break
                at = line_end + 2 + size + 2
                if at > len(data):
                    return count
        elif fields.get("content-length", "").isdigit():
            at += int(fields["content-length"])
            if at > len(data):
                return count
        else:
            return None
        count += 1


def check_raw(reply: bytes, *, what: str, client_error: bool = True) -> bytes:
    """Counts the responses in a raw byte stream and records leaks and 5xx (G-1, G-2)."""
    text = reply.decode("latin-1")
    statuses = raw_status(reply)
    FIGURES.responses += len(statuses)
    for problem in leaks(text):
        FIGURES.issue("leak", f"{what}: {problem}")
    for status in statuses:
        if client_error and status >= 500:
            FIGURES.issue("5xx", f"{what}: raw {status} {text[:120]!r}")
    return reply


def raw_status(data: bytes) -> list[int]:
    """The status codes of every response in a raw HTTP/1.1 byte stream."""
    return [int(m) for m in re.findall(rb"HTTP/1\.[01] (\d{3}) ", data)]


def sse_events(text: str) -> list[tuple[str, Any]]:
    """``(event, data)`` for every event of an SSE body (``message`` for deltas)."""
    events = []
    for block in re.split(r"\r\n\r\n|\n\n|\r\r", text):
        name, lines = "message", []
        for line in re.split(r"\r\n|\n|\r", block):
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                lines.append(line[5:].lstrip(" "))
        if lines:
            events.append((name, json.loads("\n".join(lines))))
    return events


def answer_text(events: list[tuple[str, Any]]) -> str:
    text = ""
    for name, data in events:
        if name == "message" and isinstance(data, dict):
            if "replace" in data:
                text = data["replace"]
            elif "append" in data:
                text += data["append"]
    return text


def alive(server: Server) -> str | None:
    """None when the server process lives and answers ``/healthz``, else why not. A liveness
    check: the request's timeout catches a hung worker, how fast it answers is no verdict."""
    try:
        state = Path(f"/proc/{server.pid}/status").read_text()
    except FileNotFoundError:
        return f"{server.name}: process {server.pid} is gone"
    if "State:\tZ" in state:
        return f"{server.name}: process {server.pid} exited"
    try:
        resp = request(server, "GET", "/healthz")
    except OSError as error:
        return f"{server.name}: /healthz failed: {error}"
    if resp.status != 200:
        return f"{server.name}: /healthz answered {resp.status}"
    return None


def rss(pid: int) -> int:
    """Resident memory of a process, in bytes (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except FileNotFoundError:
        pass
    return 0


def env_for(workdir: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    return {
        "SECURITY_CANARY": CANARY,
        "SECURITY_DB_PASSWORD": ENV_SECRET,
        "SECURITY_CALLS_FILE": str(workdir / "calls"),
        "SECURITY_FLAG_DIR": str(workdir / "flags"),
        **(extra or {}),
    }


def count_case(group: str) -> None:
    FIGURES.cases[group] = FIGURES.cases.get(group, 0) + 1


def on_same_box(path: str) -> bool:
    return os.path.exists(path)
