"""A real `backend serve` in a subprocess on a free 127.0.0.1 port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# Test sessions send many messages from 127.0.0.1 to one server: the per-client limits (tested
# on their own in tests/test_limits.py) are off unless a test sets them.
NO_ABUSE_LIMITS = {
    "CHATBUBBLE_MESSAGE_RATE_LIMIT": "0",
    "CHATBUBBLE_MAX_STREAMS_PER_CLIENT": "0",
    "CHATBUBBLE_UPLOAD_RATE_LIMIT": "0",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 20
    while True:
        if process.poll() is not None:
            raise RuntimeError(
                f"backend serve exited with {process.returncode}:\n{log.read_text()}"
            )
        try:
            with urllib.request.urlopen(base + "/api/config", timeout=1) as response:
                response.read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"backend serve did not answer within 20 s:\n{log.read_text()}"
                ) from None
            time.sleep(0.05)


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
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=full_env, stdout=output, stderr=subprocess.STDOUT
        )
        if pid is not None:
            pid.append(process.pid)
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_until_up(base, process, log)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
