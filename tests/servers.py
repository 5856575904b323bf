"""A real `backend serve` in a subprocess on a free 127.0.0.1 port; other programs the same
way (``spawned``); the memory a process tree holds (``tree_rss``, ``PeakRss``)."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.waiting import LIVENESS, wait_until

ROOT = Path(__file__).resolve().parent.parent


# Test sessions send many messages from 127.0.0.1 to one server: the per-client limits (tested
# on their own in tests/http/test_limits.py) are off unless a test sets them.
NO_ABUSE_LIMITS = {
    "CHATBUBBLE_MESSAGE_RATE_LIMIT": "0",
    "CHATBUBBLE_MAX_STREAMS_PER_CLIENT": "0",
    "CHATBUBBLE_UPLOAD_RATE_LIMIT": "0",
    "CHATBUBBLE_LOGIN_RATE_LIMIT": "0",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def spawned(
    command: list[str],
    *,
    log: Path,
    ready_url: str,
    name: str,
    startup: float = LIVENESS,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    poll: float = 0.05,
    stop_after: float = 10,
) -> Iterator[subprocess.Popen[bytes]]:
    """Runs ``command`` (its output into ``log``, never a pipe nobody reads) until ``ready_url``
    answers, for the ``with`` block; then terminates it (killed after ``stop_after`` s).
    ``name`` says which program failed to start, with its log."""
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT
        )

    def answers() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(ready_url, timeout=LIVENESS) as response:
                response.read()
        except OSError:
            return False
        return True

    def failure() -> str:
        return f"{name} did not answer:\n{log.read_text()}"

    try:
        wait_until(answers, failure, timeout=startup, interval=poll)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(stop_after)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def running_server(
    *args: str,
    env: dict[str, str] | None = None,
    log: Path | None = None,
    pid: list[int] | None = None,
) -> Iterator[str]:
    """Start ``backend serve *args``, wait until it answers, yield its base URL.

    Its output goes to ``log`` (a temporary file by default), never to a pipe nobody reads;
    ``pid`` gets the server's process id.
    """
    port = free_port()
    if log is None:
        handle, name = tempfile.mkstemp(prefix="backend-", suffix=".log")
        os.close(handle)
        log = Path(name)
    command = [sys.executable, "-m", "backend", "serve", *args]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **NO_ABUSE_LIMITS, **(env or {})}
    base = f"http://127.0.0.1:{port}"
    with spawned(
        command,
        log=log,
        ready_url=base + "/api/config",
        name="backend serve",
        cwd=ROOT,
        env=full_env,
    ) as process:
        if pid is not None:
            pid.append(process.pid)
        yield base


def descendants(pid: int) -> list[int]:
    """The process ids below ``pid`` (children, their children, ...), as /proc shows them now;
    one that ends while we look is left out, not its siblings."""
    found: list[int] = []
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            tasks = list(Path(f"/proc/{current}/task").iterdir())
        except OSError:
            continue
        for task in tasks:
            try:
                children = [int(child) for child in (task / "children").read_text().split()]
            except (OSError, ValueError):
                continue
            found += children
            pending += children
    return found


def tree_rss(pid: int) -> int:
    """VmRSS in bytes of ``pid`` and its descendants (0 once it is gone)."""
    total = 0
    for current in [pid, *descendants(pid)]:
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
    return total


class PeakRss:
    """Samples the RSS of a process tree in a thread while the ``with`` block runs."""

    def __init__(self, pid: int, every: float = 0.02) -> None:
        self.pid = pid
        self.every = every
        self.peak = tree_rss(pid)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.peak = max(self.peak, tree_rss(self.pid))

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, tree_rss(self.pid))


def stream_post(
    base: str, path: str, body: dict[str, Any], opened: list[http.client.HTTPConnection]
) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
    """POSTs ``body`` as JSON and returns as soon as the response starts (an answer is read as
    it streams); the connection goes into ``opened`` for the test to close."""
    connection = http.client.HTTPConnection(base.removeprefix("http://"), timeout=LIVENESS)
    opened.append(connection)
    connection.request(
        "POST",
        path,
        body=json.dumps(body),
        headers={"Content-Type": "application/json", "Accept-Encoding": "identity"},
    )
    return connection, connection.getresponse()


def read_until(response: http.client.HTTPResponse, marker: bytes) -> bytes:
    """What the stream sent until ``marker`` came (the last event may be cut)."""
    data = b""
    while marker not in data:
        chunk = response.read1(65536)
        assert chunk, data
        data += chunk
    return data
