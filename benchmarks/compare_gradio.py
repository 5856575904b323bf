"""chatbubble against Gradio 6.31's ChatInterface: the same chat functions, both servers, one run.

Creates (or reuses) a virtualenv with gradio==6.31.0 in build/gradio-venv (Gradio is not a
project dependency and is never imported in this process), then serves each chat function of
benchmarks/apps/chat_fns.py with `backend serve` (this interpreter) and with Gradio (a small
launcher run by the Gradio venv's python, GRADIO_ANALYTICS_ENABLED=False), each on a free
127.0.0.1 port, and prints Markdown tables: each figure for both, the ratio chatbubble/Gradio and
our targets.

How it measures (the clients are benchmarks/load.py: stdlib asyncio streams on raw sockets, a
fresh connection per request, `Connection: close`; no request leaves 127.0.0.1):
- chatbubble: one `POST /api/chat` per answer, read until `event: done`.
- Gradio: its streaming API as its JS client uses it (protocol sse_v3): `POST
  /gradio_api/queue/join` for the public endpoint (fn_index from /config, a fresh session_hash
  per request), then `GET /gradio_api/queue/data?session_hash=...` until `process_completed`.
- Wire bytes: everything the client receives (headers, chunk framing, the join response), over
  the UTF-8 length of the answer's text; the text is checked against what was sent.
- Concurrency: N clients start at once, shared out to --clients-procs client processes (one per
  CPU by default), one answer each; answers/s = answers completed / time until the last client
  finished. A client still waiting after --timeout seconds gives up and counts as a timeout (its
  latency is then only known to exceed the timeout, printed as ">"). After a level with
  timeouts the server is restarted, so its queue does not leak into the next. For chatbubble
  each level also reports connect time, time to the first response byte, the event loop's lag
  (a /healthz probe every 50 ms on a kept-alive connection) and what limited it.
- Workers: the concurrent levels of --workers-levels (1,000 and 5,000 clients) for `backend
  serve --workers N`, N in --workers (1, 2, 4), with the ratio to one worker.
- RSS: VmRSS from /proc of the server process and its descendants, sampled every 20 ms.
- The stack's floors: the same chat fn answered in our protocol with no code of ours, by a bare
  ASGI app (benchmarks/apps/floor.py) and by one bare Quart route (floor_quart.py), each on
  Hypercorn with `backend serve`'s listen backlog: the instant fn beside the overhead, paced_50
  at the largest concurrency level only. What no code of ours can go below, on this machine.
Our server runs with its per-client limits off (--message-rate-limit 0 --max-streams-per-client
0): every client here is 127.0.0.1, and Gradio has no such limits.

Usage (after `make build`; not part of `make bench`, as it installs Gradio and runs for minutes):
    python benchmarks/compare_gradio.py [--quick] [--levels 1,10,100,1000] [--timeout S]
                                        [--venv DIR | --gradio-python PATH] [--clients-procs N]
    python benchmarks/compare_gradio.py --workers-table [--workers 1,2,4]
                                        [--workers-levels 1000,5000]
--quick (about 3 minutes, plus about 1 minute the first time for the venv): 100 sequential
requests, one 2,000-token stream, clients give up after 20 s, no workers table. The full run:
200 requests, the median of 3 streams, 180 s, then the workers table (about 2 minutes more).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import gzip
import json
import math
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parent.parent
APPS = ROOT / "benchmarks" / "apps"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(APPS))
sys.path.insert(0, str(ROOT / "benchmarks"))

from chat_fns import INSTANT_REPLY, PACED_DELAY, PACED_TOKENS, tokens  # noqa: E402
from floor_events import FN_VARIABLE  # noqa: E402
from load import (  # noqa: E402
    HOST,
    Answer,
    GradioEndpoint,
    Level,
    Target,
    percentile,
    run_level,
    tree_cpu,
)

from backend.settings import Settings  # noqa: E402
from tests.servers import PeakRss, free_port, running_server, spawned, tree_rss  # noqa: E402

GRADIO_VERSION = "6.31.0"
# Measured in Chromium (../shared/reference/gradio-measured.md, section 13): the default page
# makes 57 requests, ~248 KB gzip. Most of it is loaded by dynamic imports, which a fetcher
# cannot tell from the hundreds of chunks the page never loads.
GRADIO_PAGE_MEASURED = 248 * 1024
TARGET_OVERHEAD = 0.1  # chatbubble/Gradio, p50 and server CPU per request
TARGET_WIRE = 1.5
TARGET_P99_S = 1.5
TARGET_IDLE_MB = 60.0
# The per-client limits of `backend serve` would refuse most of these 127.0.0.1 clients.
OUR_FLAGS = ("--message-rate-limit", "0", "--max-streams-per-client", "0")
# The floors listen with the backlog `backend serve` uses by default (Hypercorn's is 100).
BACKLOG = next(f.default for f in dataclasses.fields(Settings) if f.name == "backlog")


class Floor(NamedTuple):
    """One of the stack's floors: the module of benchmarks/apps/ serving it, its name in the
    verdicts and in the overhead table."""

    module: str
    short: str
    what: str


# The stack's floors by their rows' names in the concurrency table.
FLOORS = {
    "bare Hypercorn ASGI, same fn": Floor("floor", "bare ASGI app", "bare ASGI on Hypercorn"),
    "bare Quart route, same fn": Floor(
        "floor_quart", "bare Quart route", "a bare Quart route on Hypercorn"
    ),
}


NOTES = f"""
How: clients are stdlib asyncio on raw sockets (benchmarks/load.py), a new connection per request,
each level's clients shared out to several client processes. chatbubble: one
POST /api/chat read to `event: done`. Gradio: its streaming API as its JS client uses it,
POST /gradio_api/queue/join then GET /gradio_api/queue/data (two connections per answer), read to
`process_completed`. Overhead: the instant fn, sequential requests after 10 warm-up ones. Wire
bytes: all bytes received (headers and chunk framing included) over the text's UTF-8 length.
Concurrency: N clients at once, one answer each; answers/s = answers / time to the last one.
RSS: VmRSS of the server process tree. Page bytes, measured: chatbubble's /widget.js,
/api/config and /widget/panel.js (loaded when the chat opens); Gradio's page and the scripts
and stylesheets its HTML names, a lower bound (the rest is loaded by dynamic imports); cited:
gradio-measured.md section 13, Chromium. chatbubble runs with --message-rate-limit 0
--max-streams-per-client 0 (all clients are 127.0.0.1); Gradio with its defaults, then
concurrency_limit=None. The stack's floors (benchmarks/apps/floor.py, a bare ASGI app;
floor_quart.py, one Quart route: await request.get_json(), a streamed Response) answer
POST /api/chat in our protocol with the same chat fn and no code of ours, on Hypercorn with
`backend serve`'s listen backlog ({BACKLOG}): the instant fn for the overhead (the ASGI one sends
its events made once), paced_50 with each delta its own event at the largest level only."""


def progress(message: str) -> None:
    print(f"... {message}", file=sys.stderr, flush=True)


# --- the Gradio virtualenv ---------------------------------------------------------------------


def gradio_version(python: Path) -> str | None:
    if not python.exists():
        return None
    result = subprocess.run(
        [str(python), "-c", "import gradio; print(gradio.__version__)"],
        capture_output=True,
        text=True,
        env={**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"},
    )
    return result.stdout.strip() if result.returncode == 0 else None


def ensure_gradio(venv: Path) -> Path:
    python = venv / "bin" / "python"
    if gradio_version(python) == GRADIO_VERSION:
        return python
    progress(f"creating {venv} and installing gradio=={GRADIO_VERSION} (a few minutes)")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "-qq", f"gradio=={GRADIO_VERSION}"],
        check=True,
    )
    found = gradio_version(python)
    if found != GRADIO_VERSION:
        raise SystemExit(f"{python}: gradio {found} after installing {GRADIO_VERSION}")
    return python


# --- servers -----------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    port: int
    pid: int
    workers: int = 1
    gradio: bool = False  # asked through Gradio's API; else our protocol


@contextmanager
def ours(fn: str, workers: int = 1) -> Iterator[Server]:
    pid: list[int] = []
    app = f"{APPS / 'compare.py'}:{fn}_demo"
    with running_server(app, *OUR_FLAGS, "--workers", str(workers), pid=pid) as base:
        yield Server("chatbubble", int(base.rsplit(":", 1)[1]), pid[0], workers)


@contextmanager
def floor(name: str, fn: str) -> Iterator[Server]:
    """A floor of FLOORS (benchmarks/apps/floor.py or floor_quart.py) under Hypercorn, with our
    listen backlog, answering with the chat fn ``fn`` (FLOOR_FN): the stack's own cost."""
    module = FLOORS[name].module
    port = free_port()
    command = [sys.executable, "-m", "hypercorn", "--backlog", str(BACKLOG),
               "--bind", f"{HOST}:{port}", f"{module}:app"]  # fmt: skip
    with (
        tempfile.TemporaryDirectory() as tmp,
        spawned(
            command,
            log=Path(tmp) / f"{module}.log",
            ready_url=f"http://{HOST}:{port}/healthz",
            name=f"hypercorn ({name})",
            cwd=APPS,
            env={**os.environ, FN_VARIABLE: fn},
        ) as process,
    ):
        yield Server(name, port, process.pid)


@contextmanager
def gradio(python: Path, fn: str, limit: str, workdir: Path) -> Iterator[Server]:
    port = free_port()
    env = {
        **os.environ,
        "GRADIO_ANALYTICS_ENABLED": "False",
        "GRADIO_TEMP_DIR": str(workdir / "gradio-tmp"),  # not /tmp/gradio
        "PYTHONUNBUFFERED": "1",
    }
    command = [str(python), str(APPS / "gradio_app.py"), fn, str(port), limit]
    log = workdir / f"gradio-{fn}-{limit}.log"
    ready = f"http://{HOST}:{port}/config"
    with spawned(
        command, log=log, ready_url=ready, name="Gradio", startup=120, cwd=workdir, env=env,
        poll=0.1, stop_after=15,
    ) as process:  # fmt: skip
        label = "Gradio" if limit == "default" else "Gradio, concurrency_limit=None"
        yield Server(label, port, process.pid, gradio=True)


def gradio_endpoint(port: int, api_name: str) -> GradioEndpoint:
    with urllib.request.urlopen(f"http://{HOST}:{port}/config", timeout=10) as response:
        config = json.load(response)
    for dependency in config["dependencies"]:
        if dependency.get("api_name") == api_name:
            return GradioEndpoint(int(dependency["id"]), len(dependency["inputs"]))
    raise RuntimeError(f"no Gradio endpoint /{api_name}")


@dataclass
class Client:
    """Asks one server for answers; Gradio needs its endpoint's fn_index."""

    server: Server
    endpoint: GradioEndpoint | None

    @property
    def target(self) -> Target:
        """The server as the load generator's client processes take it (Gradio has no
        /healthz to probe its event loop with)."""
        probe = "/healthz" if self.endpoint is None else None
        return Target(self.server.port, self.endpoint, probe)

    async def ask(self) -> Answer:
        return await self.target.ask()


def client_for(server: Server, api_name: str) -> Client:
    if not server.gradio:  # chatbubble and the floors answer in our protocol
        return Client(server, None)
    return Client(server, gradio_endpoint(server.port, api_name))


# --- the figures -------------------------------------------------------------------------------


@dataclass
class Overhead:
    p50: float
    p99: float
    errors: int
    cpu: float  # server CPU seconds per request


async def overhead(client: Client, count: int) -> Overhead:
    for _ in range(10):  # warm-up
        await client.ask()
    times: list[float] = []
    errors = 0
    cpu = tree_cpu(client.server.pid)
    for _ in range(count):
        answer = await client.ask()
        if answer.ok and answer.done is not None and answer.text == INSTANT_REPLY:
            times.append(answer.done)
        else:
            errors += 1
    cpu = (tree_cpu(client.server.pid) - cpu) / count
    return Overhead(percentile(times, 50), percentile(times, 99), errors, cpu)


@dataclass
class StreamRun:
    first_token: float
    total: float
    received: int
    gzip_received: int
    gzip_encoding: str  # what the server sent when gzip was accepted
    text_ok: bool


async def stream_runs(client: Client, runs: int, expected: str) -> StreamRun:
    results: list[Answer] = []
    for _ in range(runs):
        results.append(await client.ask())
    zipped = await client.target.ask(encoding="gzip")
    ok = all(answer.ok and answer.text == expected for answer in [*results, zipped])
    return StreamRun(
        statistics.median(answer.first_token or 0.0 for answer in results),
        statistics.median(answer.done or 0.0 for answer in results),
        round(statistics.median(answer.received for answer in results)),
        zipped.received,
        zipped.content_encoding,
        ok,
    )


@dataclass
class PageBytes:
    total: int
    files: int


def fetch_gzip_size(port: int, path: str) -> tuple[int, bytes]:
    """Bytes a browser receives for ``path`` (gzip accepted) and the decoded body.

    A body the server sends uncompressed is counted as gzip -9, as a compressing proxy would.
    """
    request = urllib.request.Request(
        f"http://{HOST}:{port}{path}", headers={"Accept-Encoding": "gzip"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        raw = response.read()
        encoding = response.headers.get("Content-Encoding", "")
    if encoding == "gzip":
        return len(raw), gzip.decompress(raw)
    return len(gzip.compress(raw, 9)), raw


def our_widget_bytes(port: int) -> PageBytes:
    """The core (/widget.js, /api/config) and the chunk the widget loads when the chat opens.

    The panel chunk (the panel, markdown and the sanitizer's policy) comes at the first opening.
    """
    paths = ("/widget.js", "/api/config", "/widget/panel.js")
    return PageBytes(sum(fetch_gzip_size(port, path)[0] for path in paths), len(paths))


def gradio_page_bytes(port: int) -> PageBytes:
    """The page and the scripts and stylesheets it names: a lower bound (see above)."""
    size, page = fetch_gzip_size(port, "/")
    refs = re.findall(
        r'<(?:script[^>]*\bsrc|link[^>]*rel="(?:stylesheet|modulepreload)"[^>]*\bhref)="([^"]+)"',
        page.decode(),
    )
    total, files = size, 1
    for ref in refs:
        if ref.startswith(("http:", "https:", "//")):
            continue
        total += fetch_gzip_size(port, "/" + ref.removeprefix("./").lstrip("/"))[0]
        files += 1
    return PageBytes(total, files)


# --- formatting --------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    if math.isnan(seconds):
        return "n/a"
    if seconds < 0.001:  # the overheads: tenths of a millisecond tell them apart
        return f"{seconds * 1000:.2f} ms"
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def sec(seconds: float) -> str:
    return f"{seconds:.2f} s"


def mb(size: int) -> str:
    return f"{size / 1e6:.0f} MB"


def ratio(ours_value: float, theirs: float) -> str:
    return f"{ours_value / theirs:.2f}×" if theirs else "n/a"


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


# --- the run -----------------------------------------------------------------------------------


@dataclass
class Results:
    overhead: dict[str, Overhead] = field(default_factory=dict)
    stream: dict[str, StreamRun] = field(default_factory=dict)
    idle: dict[str, int] = field(default_factory=dict)
    page: dict[str, PageBytes] = field(default_factory=dict)
    levels: dict[str, list[Level]] = field(default_factory=dict)
    workers: dict[int, list[Level]] = field(default_factory=dict)
    protocol: Any = None  # gradio_protocol.ProtocolResults


def idle_rss(server: Server) -> int:
    time.sleep(1.0)
    return tree_rss(server.pid)


def measure_sequential(name: str, server: Server, results: Results, requests: int) -> None:
    """Idle RSS, page bytes and overhead on the instant-fn server."""
    results.idle[name] = idle_rss(server)
    results.page[name] = (
        our_widget_bytes(server.port) if name == "chatbubble" else gradio_page_bytes(server.port)
    )
    progress(f"{name}: {requests} sequential requests, instant fn")
    results.overhead[name] = asyncio.run(overhead(client_for(server, "instant"), requests))


def one_level(server: Server, clients: int, args: argparse.Namespace) -> Level:
    """``clients`` concurrent paced_50 answers against ``server``, from several processes."""
    return run_level(
        client_for(server, "paced_50").target,
        clients,
        args.timeout,
        "".join(tokens(PACED_TOKENS)),
        server.pid,
        args.clients_procs,
        workers=server.workers,
        peak_rss=partial(PeakRss, server.pid),
    )


def describe(level: Level) -> str:
    text = (
        f"  {level.answers_per_s:.2f} answers/s, p50 {sec(level.p50)}, p99 {sec(level.p99)}, "
        f"{level.errors} errors, {level.timeouts} timeouts, peak {mb(level.peak_rss)}; "
        f"connect p99 {ms(level.connect_p99)}, first byte p99 {ms(level.first_byte_p99)}, "
        f"loop lag p99 {ms(level.lag_p99)}"
    )
    if level.first_error:
        text += f" (first error: {level.first_error})"
    limits = level.limits()
    return text + ("\n  limited by: " + "; ".join(limits) if limits else "")


def measure_levels(
    name: str,
    start: Callable[[], AbstractContextManager[Server]],
    levels: list[int],
    args: argparse.Namespace,
) -> list[Level]:
    measured: list[Level] = []
    context = start()
    server: Server = context.__enter__()
    try:
        for clients in levels:
            progress(f"{name}: {clients} concurrent clients, 50 tokens at 20 ms")
            level = one_level(server, clients, args)
            measured.append(level)
            progress(describe(level))
            if level.timeouts and clients != levels[-1]:
                progress(f"{name}: restarting after timeouts")
                context.__exit__(None, None, None)
                context = start()
                server = context.__enter__()
    finally:
        context.__exit__(None, None, None)
    return measured


def measure_workers(results: Results, args: argparse.Namespace) -> None:
    """The workers table: the same levels for each ``--workers`` count, one server each."""
    for workers in args.workers:
        name = f"{workers} worker" + ("s" if workers > 1 else "")
        start = partial(ours, "paced_50", workers)
        results.workers[workers] = measure_levels(
            f"chatbubble, {name}", start, args.workers_levels, args
        )


def level_details(labelled: list[tuple[str, Level]]) -> str:
    """Where each level's time went: connect, first byte, loop lag, and what limited it; each
    row named by its label."""
    rows = [
        [
            label,
            f"{ms(level.connect_p50)} / {ms(level.connect_p99)}",
            str(level.slow_connects),
            f"{ms(level.first_byte_p50)} / {ms(level.first_byte_p99)}",
            f"{ms(level.lag_p50)} / {ms(level.lag_p99)} / {ms(level.lag_max)}",
            f"{level.client_busy:.0%} ×{level.client_procs}",
            f"{level.server_busy:.0%} ×{level.workers}",
            "; ".join(level.limits()) or "nothing saturated",
        ]
        for label, level in labelled
    ]
    header = [
        "clients",
        "connect p50 / p99",
        "SYN retries",
        "first byte p50 / p99",
        "loop lag p50 / p99 / max",
        "client CPU",
        "server CPU",
        "limited by",
    ]
    return table(header, rows)


def workers_table(results: Results) -> str:
    one = results.workers.get(1, [])
    rows = []
    for workers, levels in results.workers.items():
        for index, level in enumerate(levels):
            base = one[index] if index < len(one) else None
            errors = str(level.errors) + (
                f" (+{level.timeouts} timeouts)" if level.timeouts else ""
            )
            rows.append(
                [
                    str(workers),
                    f"{level.clients:,}",
                    f"{level.answers_per_s:.0f}",
                    (">" if level.censored_p99 else "") + sec(level.p99),
                    errors,
                    ratio(level.answers_per_s, base.answers_per_s) if base else "",
                    ratio(level.p99, base.p99) if base else "",
                    f"{level.server_busy:.0%} ×{level.workers}",
                ]
            )
    rows.sort(key=lambda row: (int(row[1].replace(",", "")), int(row[0])))
    header = ["workers", "clients", "answers/s", "p99", "errors", "answers/s vs 1", "p99 vs 1",
              "server CPU"]  # fmt: skip
    details = [
        (f"{level.clients:,}, {level.workers} worker(s)", level)
        for levels in results.workers.values()
        for level in levels
    ]
    return table(header, rows) + "\n\n" + level_details(details)


def report(results: Results, args: argparse.Namespace, text_bytes: int) -> str:
    us, them = "chatbubble", "Gradio"
    out: list[str] = []
    o, g = results.overhead[us], results.overhead[them]
    s, t = results.stream[us], results.stream[them]
    page_us, page_them = results.page[us], results.page[them]
    rows = [
        [
            f"overhead p50 (instant fn, {args.requests} sequential)",
            ms(o.p50),
            ms(g.p50),
            ratio(o.p50, g.p50),
            f"≤ {TARGET_OVERHEAD}×: {verdict(o.p50 <= TARGET_OVERHEAD * g.p50)}",
        ],
        [
            "overhead p99",
            ms(o.p99),
            ms(g.p99),
            ratio(o.p99, g.p99),
            "",
        ],
        [
            "server CPU per request (instant fn)",
            ms(o.cpu),
            ms(g.cpu),
            ratio(o.cpu, g.cpu),
            f"≤ {TARGET_OVERHEAD}×: {verdict(o.cpu <= TARGET_OVERHEAD * g.cpu)}",
        ],
    ]
    for name, floor_app in FLOORS.items():
        f = results.overhead.get(name)
        if f is not None:
            rows.append(
                [
                    f"the stack's floor: {floor_app.what}, p50 / CPU per request",
                    f"{ms(f.p50)} / {ms(f.cpu)}",
                    "",
                    f"{ratio(f.p50, g.p50)} / {ratio(f.cpu, g.cpu)}",
                    "the stack alone, no code of ours",
                ]
            )
    rows += [
        [
            "2,000-token stream: time to first token",
            ms(s.first_token),
            ms(t.first_token),
            ratio(s.first_token, t.first_token),
            "",
        ],
        [
            "2,000-token stream: total time",
            sec(s.total),
            sec(t.total),
            ratio(s.total, t.total),
            "",
        ],
        [
            "wire bytes / text, identity",
            f"{s.received / text_bytes:.2f}× ({s.received} B)",
            f"{t.received / text_bytes:.2f}× ({t.received} B)",
            ratio(s.received, t.received),
            f"≤ {TARGET_WIRE}×: {verdict(s.received <= TARGET_WIRE * text_bytes)}",
        ],
    ]
    rows.append(
        [
            "wire bytes / text, gzip accepted",
            f"{s.gzip_received / text_bytes:.2f}× ({s.gzip_received} B, {s.gzip_encoding})",
            f"{t.gzip_received / text_bytes:.2f}× ({t.gzip_received} B, {t.gzip_encoding})",
            ratio(s.gzip_received, t.gzip_received),
            f"≤ {TARGET_WIRE}×: {verdict(s.gzip_received <= TARGET_WIRE * text_bytes)}",
        ]
    )
    rows += [
        [
            "idle RSS after startup",
            mb(results.idle[us]),
            mb(results.idle[them]),
            ratio(results.idle[us], results.idle[them]),
            f"≤ {TARGET_IDLE_MB:.0f} MB: {verdict(results.idle[us] <= TARGET_IDLE_MB * 1e6)}",
        ],
        [
            "bytes before the first answer, gzip (measured)",
            f"{page_us.total / 1024:.1f} KB ({page_us.files} files)",
            f"≥ {page_them.total / 1024:.0f} KB (page + {page_them.files - 1} files it names)",
            ratio(page_us.total, page_them.total),
            "",
        ],
        [
            "bytes before the first answer, gzip (Gradio in Chromium, cited)",
            f"{page_us.total / 1024:.1f} KB",
            f"{GRADIO_PAGE_MEASURED / 1024:.0f} KB (57 requests)",
            ratio(page_us.total, GRADIO_PAGE_MEASURED),
            "",
        ],
    ]
    header = ["figure", us, f"Gradio {GRADIO_VERSION}", "chatbubble/Gradio", "target"]
    out.append(table(header, rows))
    if o.errors or g.errors:
        out.append(f"\nwarning: failed sequential requests: {o.errors} ours, {g.errors} Gradio")
    if not (s.text_ok and t.text_ok):
        out.append("\nwarning: a streamed answer's text did not match what the function yielded")

    level_rows: list[list[str]] = []
    for name, levels in results.levels.items():
        for level in levels:
            errors = str(level.errors)
            if level.timeouts:
                errors += f" (+{level.timeouts} timeouts)"
            level_rows.append(
                [
                    f"{level.clients:,}",
                    name,
                    f"{level.answers_per_s:.2f}",
                    (">" if level.censored_p50 else "") + sec(level.p50),
                    (">" if level.censored_p99 else "") + sec(level.p99),
                    errors,
                    mb(level.peak_rss),
                    f"{level.server_cpu:.1f} s",
                ]
            )
    level_rows.sort(key=lambda row: int(row[0].replace(",", "")))
    out.append(
        f"\nConcurrent clients, one {PACED_TOKENS}-token answer each, "
        f"{PACED_DELAY * 1000:.0f} ms between tokens "
        f"(a client gives up after {args.timeout:.0f} s; `>`: some did):\n"
    )
    out.append(
        table(
            ["clients", "server", "answers/s", "p50", "p99", "errors", "peak RSS", "server CPU"],
            level_rows,
        )
    )
    if results.levels.get(us):
        out.append("\nchatbubble, where the time goes (connect and first byte per client; the "
                   "event loop's lag from a /healthz probe every 50 ms):\n")  # fmt: skip
        out.append(level_details([(f"{level.clients:,}", level) for level in results.levels[us]]))
    floors = [
        (f"{level.clients:,}, {floor_app.short}", level)
        for name, floor_app in FLOORS.items()
        for level in results.levels.get(name, [])
    ]
    if floors:
        out.append("\nThe stack's floors, the same fn with no code of ours (benchmarks/apps/"
                   "floor.py, floor_quart.py), where the time goes:\n")  # fmt: skip
        out.append(level_details(floors))
    ratio_rows: list[list[str]] = []
    none = "Gradio, concurrency_limit=None"
    for index, mine in enumerate(results.levels.get(us, [])):
        row = [f"{mine.clients:,}"]
        for other in (them, none):
            theirs = results.levels.get(other, [])
            if index >= len(theirs):
                row += ["", ""]
                continue
            level = theirs[index]
            # A censored Gradio p99 (some clients gave up) makes the true ratio smaller still.
            bound = "< " if level.censored_p99 else ""
            row += [
                ratio(mine.answers_per_s, level.answers_per_s),
                bound + ratio(mine.p99, level.p99),
            ]
        theirs_default = results.levels.get(them, [])
        if index < len(theirs_default):
            row.append(ratio(mine.peak_rss, theirs_default[index].peak_rss))
        ratio_rows.append(row)
    out.append("\nchatbubble/Gradio, concurrent clients:\n")
    header = [
        "clients",
        "answers/s vs default",
        "p99 vs default",
        "answers/s vs None",
        "p99 vs None",
        "peak RSS vs default",
    ]
    out.append(table(header, ratio_rows))
    out.append("")
    out.append(overhead_verdict(results))
    biggest = max(results.levels.get(us, []), key=lambda level: level.clients, default=None)
    if biggest is not None:
        out.append(streams_verdict(results, biggest))
    return "\n".join(out)


def overhead_verdict(results: Results) -> str:
    """The overhead target's line: ours, then whether even the floors meet it (same run)."""
    g = results.overhead["Gradio"]

    def figures(o: Overhead) -> tuple[str, bool]:
        met = o.p50 <= TARGET_OVERHEAD * g.p50 and o.cpu <= TARGET_OVERHEAD * g.cpu
        text = f"p50 {ms(o.p50)} ({ratio(o.p50, g.p50)}), CPU {ms(o.cpu)} ({ratio(o.cpu, g.cpu)})"
        return text, met

    text, met = figures(results.overhead["chatbubble"])
    line = (
        f"Target: overhead {1 / TARGET_OVERHEAD:.0f}× lower than Gradio's (p50 and server CPU "
        f"per request ≤ {TARGET_OVERHEAD}× its {ms(g.p50)} / {ms(g.cpu)}): {text} → {verdict(met)}"
    )
    for name, floor_app in FLOORS.items():
        floor_overhead = results.overhead.get(name)
        if floor_overhead is not None:
            text, met = figures(floor_overhead)
            line += f"; the {floor_app.short} alone: {text}, {verdict(met)}"
    return line


def streams_verdict(results: Results, biggest: Level) -> str:
    """The 1,000-stream target's line: ours, then whether even the floors meet it (same run)."""

    def met(level: Level) -> bool:
        ok = level.p99 <= TARGET_P99_S and level.errors == 0 and level.timeouts == 0
        return ok and level.clients >= 1000

    line = (
        f"Target: 1,000 concurrent streams on one worker, p99 ≤ {TARGET_P99_S} s, 0 errors:"
        f" {biggest.clients:,} streams, p99 {sec(biggest.p99)}, {biggest.errors} errors"
        f" → {verdict(met(biggest))}"
    )
    for name, floor_app in FLOORS.items():
        for level in results.levels.get(name, []):
            if level.clients == biggest.clients:
                errors = level.errors + level.timeouts
                line += (
                    f"; the {floor_app.short} alone: p99 {'>' if level.censored_p99 else ''}"
                    f"{sec(level.p99)}, {errors} errors, {verdict(met(level))}"
                )
    return line


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="smaller counts (a few minutes)")
    parser.add_argument(
        "--gradio-python", type=Path, help="a python with gradio installed (default: the venv)"
    )
    parser.add_argument("--venv", type=Path, default=ROOT / "build" / "gradio-venv")
    parser.add_argument("--timeout", type=float, help="seconds a concurrent client waits")
    parser.add_argument("--levels", help="comma-separated client counts (default 1,10,100,1000)")
    parser.add_argument(
        "--clients-procs",
        type=int,
        default=os.cpu_count() or 1,
        help="client processes sharing each level's clients (default: one per CPU)",
    )
    parser.add_argument(
        "--workers-table",
        action="store_true",
        help="only the workers table (chatbubble alone; part of the full run)",
    )
    parser.add_argument(
        "--workers", default="1,2,4", help="worker counts of the workers table (default 1,2,4)"
    )
    parser.add_argument(
        "--workers-levels",
        default="1000,5000",
        help="client counts of the workers table (default 1000,5000)",
    )
    args = parser.parse_args()
    args.requests = 100 if args.quick else 200
    stream_count = 1 if args.quick else 3
    if args.timeout is None:
        args.timeout = 20.0 if args.quick else 180.0
    levels = [int(n) for n in (args.levels or "1,10,100,1000").split(",")]
    args.workers = [int(n) for n in args.workers.split(",")]
    args.workers_levels = [int(n) for n in args.workers_levels.split(",")]

    if not (ROOT / "backend" / "static" / "widget.js").is_file():
        print("backend/static/widget.js is missing: run `make build` first", file=sys.stderr)
        return 1
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # servers inherit it too
    results = Results()
    load_before = os.getloadavg()[0]
    started = time.monotonic()
    if args.workers_table:
        measure_workers(results, args)
    else:
        python = args.gradio_python or ensure_gradio(args.venv)
        progress(f"Gradio: {python} ({gradio_version(python)})")
        compare(python, results, args, levels, stream_count)
        if not args.quick:
            measure_workers(results, args)
    load_after = os.getloadavg()[0]
    cpus = os.cpu_count() or 1
    what = "workers table" if args.workers_table else "--quick" if args.quick else "full"
    print()
    print(
        f"chatbubble vs Gradio {GRADIO_VERSION} ChatInterface, the same chat functions "
        f"(benchmarks/apps/chat_fns.py); {what} run in "
        f"{time.monotonic() - started:.0f} s on {cpus} CPUs, clients on the same machine "
        f"({args.clients_procs} client processes); "
        f"load average {load_before:.1f} before, {load_after:.1f} after.\n"
    )
    if max(load_before, load_after) > cpus / 2:
        print("warning: the machine was busy with other work; figures are skewed by it.\n")
    if results.overhead:
        print(report(results, args, len("".join(tokens()).encode())))
    if results.protocol is not None:
        print("\nThe Gradio protocol (benchmarks/gradio_protocol.py):\n")
        print(results.protocol.markdown())
    if results.workers:
        print(
            f"\nWorkers: answers/s and p99 for `--workers {','.join(map(str, args.workers))}`, "
            f"{PACED_TOKENS}-token answers at {PACED_DELAY * 1000:.0f} ms per token, "
            f"ratio to one worker:\n"
        )
        print(workers_table(results))
    print(NOTES)
    return 0


def compare(
    python: Path, results: Results, args: argparse.Namespace, levels: list[int], streams: int
) -> None:
    """Overhead, the 2,000-token stream and the concurrent levels, for both servers."""
    expected = "".join(tokens())
    with tempfile.TemporaryDirectory(prefix="compare-gradio-") as tmp:
        workdir = Path(tmp)
        progress("chatbubble: instant fn")
        with ours("instant") as server:
            measure_sequential("chatbubble", server, results, args.requests)
        progress("Gradio: instant fn")
        with gradio(python, "instant", "default", workdir) as server:
            measure_sequential("Gradio", server, results, args.requests)
        for name in FLOORS:
            progress(f"{name}: {args.requests} sequential requests, instant fn")
            with floor(name, "instant") as server:
                client = client_for(server, "instant")
                results.overhead[name] = asyncio.run(overhead(client, args.requests))
        stream_servers = {
            "chatbubble": partial(ours, "stream_2000"),
            "Gradio": partial(gradio, python, "stream_2000", "default", workdir),
        }
        for name, start in stream_servers.items():
            progress(f"{name}: 2,000-token stream x{streams}")
            with start() as server:
                client = client_for(server, "stream_2000")
                results.stream[name] = asyncio.run(stream_runs(client, streams, expected))
        paced = {
            "chatbubble": partial(ours, "paced_50"),
            "Gradio": partial(gradio, python, "paced_50", "default", workdir),
            "Gradio, concurrency_limit=None": partial(gradio, python, "paced_50", "none", workdir),
        }
        for name, start in paced.items():
            results.levels[name] = measure_levels(name, start, levels, args)
        for name in FLOORS:  # the largest level only: it is the one with a target
            start = partial(floor, name, "paced_50")
            results.levels[name] = measure_levels(name, start, [max(levels)], args)
        # The Gradio-protocol path (gradio_client, queue/join + queue/data): its own servers and
        # rows, from benchmarks/gradio_protocol.py (imported here: it imports this module).
        from gradio_protocol import measure as measure_protocol

        results.protocol = measure_protocol(python, workdir, 50 if args.quick else 200)


if __name__ == "__main__":
    raise SystemExit(main())
