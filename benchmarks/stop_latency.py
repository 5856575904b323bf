"""How long after a visitor closes the connection the chat function's generator is closed.

The README promises Stop (or closing the page) closes the generator "within a second";
tests/test_server.py proves that the disconnect closes it, this prints how long it takes.
Starts `backend serve` on each test app that records its `finally` (tests/apps/slow_sync.py,
slow_async.py: one JSON line with the time, written atomically), reads a few tokens over a raw
socket, closes it, and prints the seconds until the generator's `finally` ran, per run.
"""

from __future__ import annotations

import json
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.servers import running_server  # noqa: E402
from tests.waiting import complete_lines, wait_until  # noqa: E402

RUNS = 5


def close_after_tokens(base: str, tokens: int) -> float:
    """Opens an answer, reads ``tokens`` deltas, closes the socket; returns when (time.time)."""
    host, port = base.removeprefix("http://").split(":")
    body = json.dumps({"message": "a long message to echo, " * 5}).encode()
    request = (
        f"POST /api/chat HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n"
        f"Content-Type: application/json\r\nAccept-Encoding: identity\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    sock = socket.create_connection((host, int(port)))
    data = b""
    sock.sendall(request)
    while data.count(b'"append"') < tokens:
        chunk = sock.recv(65536)
        if not chunk:
            raise RuntimeError(f"the stream ended early: {data!r}")
        data += chunk
    closed_at = time.time()
    sock.close()
    return closed_at


def finally_record(probe: Path) -> dict[str, Any]:
    lines = wait_until(lambda: complete_lines(probe), "the generator's finally never ran")
    record: dict[str, Any] = json.loads(lines[0])
    return record


def main() -> None:
    print(f"seconds from closing the connection to the generator's finally ({RUNS} runs each)")
    for app in ("slow_sync.py", "slow_async.py"):
        with tempfile.TemporaryDirectory() as directory:
            probe = Path(directory) / "finally.txt"
            latencies = []
            with running_server(
                str(ROOT / "tests" / "apps" / app),
                env={"PROBE_FILE": str(probe)},
                log=Path(directory) / "server.log",
            ) as base:
                for _ in range(RUNS):
                    probe.unlink(missing_ok=True)
                    closed_at = close_after_tokens(base, 2)
                    record = finally_record(probe)
                    if record["ended"] == "finished":
                        raise RuntimeError(f"{app}: the generator ran to its end: {record}")
                    latencies.append(record["at"] - closed_at)
            print(
                f"{app:<14} median {statistics.median(latencies):.3f} s, "
                f"max {max(latencies):.3f} s  ({', '.join(f'{x:.3f}' for x in latencies)})"
            )


if __name__ == "__main__":
    main()
