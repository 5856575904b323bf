"""The Gradio-protocol path, chatbubble against Gradio 6.31 in one run: the same chat functions
(benchmarks/apps/chat_fns.py) answered through Gradio's own client protocol by both servers.

Two figures, each for both servers, printed as Markdown rows with the ratio chatbubble/Gradio:
- `gradio_client.Client(url).predict("go", api_name="/instant")`: p50 and p99 over N
  sequential calls of the instant function (after 5 warm-up calls; one Client per server, as an
  application keeps one), and the server's CPU per call (the process tree's user + system time).
  The client's own work (httpx, its threads) is in the latency, the same for both servers;
  gradio_client 2.7 looks for new messages every 50 ms (`stream_sse_v1plus`), so its latency
  says little about the server: the server's CPU per call does.
- Wire bytes over the answer's text for the 2,000-token stream, read raw on stdlib sockets as
  Gradio's clients speak the protocol (sse_v3): `POST /gradio_api/queue/join`, then
  `GET /gradio_api/queue/data?session_hash=...` to `close_stream` (or `process_completed`);
  every byte received counts (both responses' headers, chunk framing). Once with
  `Accept-Encoding: identity`, once with `gzip` accepted (what gradio_client's httpx and every
  browser send). The text is rebuilt from the stream's diffs and checked.

The protocol itself sets a floor on the identity figure: each `process_generating` event carries
a diff of the answer, and `process_completed` carries the whole final value again (gradio_client
and @gradio/client take it as the result), so a conforming stream sends the text at least twice
(≥ 2× before any envelope) unless it is compressed.

Usage (the Gradio venv as in compare_gradio.py: build/gradio-venv, made on first use):
    python benchmarks/gradio_protocol.py [--quick] [--requests N]
                                         [--venv DIR | --gradio-python PATH]
Also run by `compare_gradio.py` (its report prints these rows). --quick: 50 calls; else 200.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
import zlib
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "benchmarks" / "apps"))

from chat_fns import INSTANT_REPLY, tokens  # noqa: E402
from compare_gradio import (  # noqa: E402
    GRADIO_VERSION,
    Server,
    ensure_gradio,
    gradio,
    gradio_endpoint,
    gradio_version,
    ms,
    ours,
    progress,
    ratio,
    table,
    verdict,
)
from load import (  # noqa: E402
    HOST,
    SseParser,
    data_request,
    exchange,
    join_request,
    percentile,
    tree_cpu,
)

TARGET_WIRE = 1.5
TARGET_OVERHEAD = 0.1  # chatbubble/Gradio
WARM_UP = 5
ENCODINGS = ("identity", "gzip")


# --- gradio_client.predict ---------------------------------------------------------------------


@dataclass
class Predict:
    p50: float
    p99: float
    cpu: float  # server CPU seconds per call
    errors: int


def predict_calls(server: Server, count: int) -> Predict:
    """``count`` sequential ``predict`` calls of the instant function, one client."""
    # Imported here: compare_gradio.py imports this module without needing gradio_client.
    from gradio_client import Client

    client = Client(
        f"http://{HOST}:{server.port}/",
        verbose=False,
        download_files=False,
        analytics_enabled=False,
    )
    try:
        for _ in range(WARM_UP):
            client.predict("go", api_name="/instant")
        times: list[float] = []
        errors = 0
        cpu = tree_cpu(server.pid)
        for _ in range(count):
            started = time.perf_counter()
            try:
                answer = client.predict("go", api_name="/instant")
            except Exception:  # noqa: BLE001 - a failed call is counted, the run goes on
                errors += 1
                continue
            elapsed = time.perf_counter() - started
            if answer == INSTANT_REPLY:
                times.append(elapsed)
            else:
                errors += 1
        cpu = (tree_cpu(server.pid) - cpu) / count
    finally:
        client.close()
    if not times:
        raise RuntimeError(f"{server.name}: every predict call failed")
    return Predict(percentile(times, 50), percentile(times, 99), cpu, errors)


# --- one streamed answer, read raw -------------------------------------------------------------


@dataclass
class Wire:
    received: int = 0  # every byte read from both sockets
    encoding: str = "identity"  # what the server sent on queue/data
    events: int = 0
    text: str = ""  # rebuilt from the diffs
    final: str = ""  # process_completed's value
    error: str = ""


def apply_diff(value: Any, diff: Any) -> Any:
    """Gradio's sse_v3 diff (a list of ``[action, path, value]``) applied to ``value``; only
    what a chat answer's string needs (``replace`` and ``append`` at the root)."""
    for action, path, change in diff:
        if path:
            raise ValueError(f"unexpected diff path {path!r}")
        if action == "replace":
            value = change
        elif action == "append":
            value = (value or "") + change
        else:
            raise ValueError(f"unexpected diff action {action!r}")
    return value


async def stream_once(port: int, api_name: str, encoding: str) -> Wire:
    """One answer through queue/join + queue/data, every byte counted."""
    endpoint = gradio_endpoint(port, api_name)
    wire = Wire()
    session, join = join_request(port, endpoint, "go", encoding)
    joined, body = await exchange(port, join)
    wire.received = joined.received
    if joined.status != 200:
        wire.error = f"join: HTTP {joined.status}"
        return wire
    if joined.headers.get("content-encoding") == "gzip":
        body = zlib.decompress(body, wbits=31)
    event_id = json.loads(body)["event_id"]
    first = True

    def on_event(name: str | None, data: str) -> None:
        nonlocal first
        event = json.loads(data)
        wire.events += 1
        if event.get("event_id") not in (event_id, None):
            return
        kind = event.get("msg")
        if kind == "process_generating":
            value = event["output"]["data"][0]
            wire.text = value if first else apply_diff(wire.text, value)
            first = False
        elif kind == "process_completed":
            if event.get("success"):
                wire.final = str(event["output"]["data"][0])
            else:
                wire.error = f"failed: {str(event.get('output'))[:200]}"

    stream = data_request(port, session, encoding)
    result, raw = await exchange(port, stream)  # the whole body: bytes are counted, not time
    wire.received += result.received
    wire.encoding = result.headers.get("content-encoding", "identity")
    if result.status != 200:
        wire.error = f"queue/data: HTTP {result.status}"
        return wire
    SseParser(on_event).feed(zlib.decompress(raw, wbits=31) if wire.encoding == "gzip" else raw)
    return wire


# --- the run -----------------------------------------------------------------------------------


@dataclass
class ProtocolResults:
    requests: int
    text: str  # what the stream function yields in the end
    predict: dict[str, Predict] = field(default_factory=dict)
    wire: dict[tuple[str, str], Wire] = field(default_factory=dict)

    def rows(self) -> list[list[str]]:
        """Markdown rows: figure, chatbubble, Gradio, chatbubble/Gradio, target."""
        o, g = self.predict["chatbubble"], self.predict["Gradio"]
        goal = f"≤ {TARGET_OVERHEAD}× Gradio"
        rows = [
            [
                f"gradio_client predict p50 (instant fn, {self.requests} sequential)",
                ms(o.p50),
                ms(g.p50),
                ratio(o.p50, g.p50),
                "client-bound: gradio_client polls its messages every 50 ms",
            ],
            ["gradio_client predict p99", ms(o.p99), ms(g.p99), ratio(o.p99, g.p99), ""],
            [
                "server CPU per predict call",
                ms(o.cpu),
                ms(g.cpu),
                ratio(o.cpu, g.cpu),
                f"{goal}: {verdict(o.cpu <= TARGET_OVERHEAD * g.cpu)}",
            ],
        ]
        size = len(self.text.encode())
        for encoding in ENCODINGS:
            mine, theirs = self.wire[("chatbubble", encoding)], self.wire[("Gradio", encoding)]
            label = "identity" if encoding == "identity" else "gzip accepted"
            cells = [
                f"{w.received / size:.2f}× ({w.received} B, {w.events} events, {w.encoding})"
                for w in (mine, theirs)
            ]
            note = " (the protocol sends the text twice)" if encoding == "identity" else ""
            rows.append(
                [
                    f"Gradio protocol, 2,000-token stream: wire bytes / text, {label}",
                    *cells,
                    ratio(mine.received, theirs.received),
                    f"≤ {TARGET_WIRE}×: {verdict(mine.received <= TARGET_WIRE * size)}{note}",
                ]
            )
        return rows

    def warnings(self) -> list[str]:
        out: list[str] = []
        for name, result in self.predict.items():
            if result.errors:
                out.append(f"warning: {name}: {result.errors} failed predict calls")
        for (name, encoding), wire in self.wire.items():
            if wire.error or wire.text != self.text or wire.final != self.text:
                problem = wire.error or "the text rebuilt from the stream differs"
                out.append(f"warning: {name}, {encoding}: {problem}")
        return out

    def markdown(self) -> str:
        header = [
            "figure",
            "chatbubble",
            f"Gradio {GRADIO_VERSION}",
            "chatbubble/Gradio",
            "target",
        ]
        return "\n".join([table(header, self.rows()), *self.warnings()])


def measure(python: Path, workdir: Path, requests: int) -> ProtocolResults:
    """Starts each server in turn (ours with ``backend serve``, Gradio with ``python``)."""
    results = ProtocolResults(requests, "".join(tokens()))
    for name in ("chatbubble", "Gradio"):
        start = partial(_server, name, python, workdir)
        progress(f"{name}: {requests} gradio_client predict calls, instant fn")
        with start("instant") as server:
            results.predict[name] = predict_calls(server, requests)
        progress(f"{name}: a 2,000-token stream through the Gradio protocol")
        with start("stream_2000") as server:
            for encoding in ENCODINGS:
                wire = asyncio.run(stream_once(server.port, "stream_2000", encoding))
                results.wire[(name, encoding)] = wire
    return results


def _server(name: str, python: Path, workdir: Path, fn: str) -> AbstractContextManager[Server]:
    return ours(fn) if name == "chatbubble" else gradio(python, fn, "default", workdir)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="50 predict calls instead of 200")
    parser.add_argument("--requests", type=int, help="predict calls per server")
    parser.add_argument(
        "--gradio-python", type=Path, help="a python with gradio installed (default: the venv)"
    )
    parser.add_argument("--venv", type=Path, default=ROOT / "build" / "gradio-venv")
    args = parser.parse_args()
    requests = args.requests or (50 if args.quick else 200)
    if not (ROOT / "backend" / "static" / "widget.js").is_file():
        print("backend/static/widget.js is missing: run `make build` first", file=sys.stderr)
        return 1
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # gradio_client reads it too
    python = args.gradio_python or ensure_gradio(args.venv)
    progress(f"Gradio: {python} ({gradio_version(python)})")
    load_before = os.getloadavg()[0]
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="gradio-protocol-") as tmp:
        results = measure(python, Path(tmp), requests)
    load_after = os.getloadavg()[0]
    cpus = os.cpu_count() or 1
    print(
        f"\nThe Gradio protocol, chatbubble vs Gradio {GRADIO_VERSION}, the same chat functions; "
        f"run in {time.monotonic() - started:.0f} s on {cpus} CPUs, clients on the same "
        f"machine; load average {load_before:.1f} before, {load_after:.1f} after.\n"
    )
    if max(load_before, load_after) > cpus / 2:
        print("warning: the machine was busy with other work; figures are skewed by it.\n")
    print(results.markdown())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
