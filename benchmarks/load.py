"""The load generator of `compare_gradio.py`: raw HTTP/1.1 clients, spread over processes.

One chat answer is one client: a fresh connection (`Connection: close`), stdlib asyncio streams
on raw sockets, read until the answer ends. A level of N concurrent clients is shared out to
several client processes (one per CPU by default), each an asyncio loop running its share, all
starting at the same instant, so the generator is not what limits the figure: a single Python
process parsing 1,000 event streams saturates its core before a server does.

Each answer records, in seconds from its first byte sent: the connect time (the TCP handshake,
which a full listen queue stretches to a SYN retry, about 1 s), the time to the first byte of the
response (the server accepted, parsed and started answering), the time to the first token and to
the end. While a level runs, this process measures the server's event-loop lag from outside: a
`GET /healthz` every 50 ms on one kept-alive connection, so the probe pays no connect or listen
queue and its time is what the server's loop needs to come round to a ready socket (plus a small
constant for the route, the idle figure). From outside, because it needs no code in the product
and sees every stall the visitors see, the garbage collector's and the kernel's included. With
several workers it is the lag of the one worker that accepted the probe's connection.

Each level also says what limits it: the client processes' CPU (near a full core each: the
generator is the bottleneck), the server's CPU (near a full core per worker: the server is),
connects that took a SYN retry (the listen queue overflowed), other processes using the CPUs
meanwhile (/proc/stat: the figures are skewed), or clients and workers sharing too few CPUs.
"""

from __future__ import annotations

import asyncio
import codecs
import json
import math
import multiprocessing
import os
import resource
import time
import uuid
import zlib
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

HOST = "127.0.0.1"
#: Seconds between two event-loop lag probes.
PROBE_EVERY = 0.05
#: A connect slower than this waited for a SYN retry (the first one is after 1 s on Linux).
SYN_RETRY = 0.9
#: A client process busier than this share of its core is the bottleneck.
CLIENT_SATURATED = 0.85
#: Other processes busier than this share of all CPUs skew the level.
OTHERS_BUSY = 0.2
#: A server busier than this share of a core per worker is the bottleneck.
SERVER_SATURATED = 0.85


# --- raw HTTP/1.1 over asyncio streams ---------------------------------------------------------


@dataclass
class Exchange:
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    received: int = 0  # bytes read from the socket, all of them
    connected: float = 0.0  # perf_counter when the TCP handshake ended
    first_byte: float = 0.0  # perf_counter when the response's first bytes arrived


async def exchange(
    port: int,
    request: bytes,
    on_body: Callable[[bytes], None] | None = None,
) -> tuple[Exchange, bytes]:
    """Send ``request``, read the response to EOF; the body (de-chunked) goes to ``on_body``.

    Returns the exchange and, when ``on_body`` is None, the whole body.
    """
    reader, writer = await asyncio.open_connection(HOST, port)
    result = Exchange(connected=time.perf_counter())
    body = bytearray()
    sink = on_body or body.extend
    try:
        writer.write(request)
        first = await reader.read(1)
        result.first_byte = time.perf_counter()
        head = first + await reader.readuntil(b"\r\n\r\n")
        result.received += len(head)
        lines = head.decode("latin-1").split("\r\n")
        result.status = int(lines[0].split()[1])
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                result.headers[name.strip().lower()] = value.strip()
        if result.headers.get("transfer-encoding", "").lower() == "chunked":
            while True:
                size_line = await reader.readuntil(b"\r\n")
                result.received += len(size_line)
                size = int(size_line.split(b";")[0], 16)
                chunk = await reader.readexactly(size + 2)
                result.received += len(chunk)
                if size == 0:
                    break
                sink(chunk[:-2])
        else:
            while chunk := await reader.read(65536):
                result.received += len(chunk)
                sink(chunk)
        result.received += len(await reader.read())
    finally:
        writer.close()
    return result, bytes(body)


def http_request(
    method: str, port: int, path: str, body: bytes = b"", keep_alive: bool = False, **headers: str
) -> bytes:
    connection = "keep-alive" if keep_alive else "close"
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}", f"Connection: {connection}"]
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


class SseParser:
    """Splits a decoded event stream into (event name, data) pairs; comments are dropped."""

    def __init__(self, on_event: Callable[[str | None, str], None]) -> None:
        self.on_event = on_event
        self.buffer = ""
        self.decoder = codecs.getincrementaldecoder("utf-8")()

    def feed(self, chunk: bytes) -> None:
        self.buffer += self.decoder.decode(chunk).replace("\r\n", "\n")
        *blocks, self.buffer = self.buffer.split("\n\n")
        for block in blocks:
            name: str | None = None
            data: list[str] = []
            for line in block.split("\n"):
                if line.startswith("event:"):
                    name = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].removeprefix(" "))
            if data or name:
                self.on_event(name, "\n".join(data))


@dataclass
class Answer:
    """One chat request as a client saw it; times in seconds from the first byte sent."""

    ok: bool = False
    error: str = ""
    text: str = ""
    connect: float | None = None
    first_byte: float | None = None
    first_token: float | None = None
    done: float | None = None
    received: int = 0
    content_encoding: str = "identity"


async def ask_ours(port: int, message: str = "go", encoding: str = "identity") -> Answer:
    answer = Answer()
    body = json.dumps({"message": message}).encode()
    request = http_request(
        "POST",
        port,
        "/api/chat",
        body,
        Content_Type="application/json",
        Accept_Encoding=encoding,
    )
    started = time.perf_counter()
    inflate = zlib.decompressobj(wbits=31) if encoding == "gzip" else None

    def on_event(name: str | None, data: str) -> None:
        if name is None:
            delta = json.loads(data)
            if "append" in delta:
                answer.text += delta["append"]
            elif "replace" in delta:
                answer.text = delta["replace"]
            if answer.first_token is None:
                answer.first_token = time.perf_counter() - started
        elif name == "done":
            answer.done = time.perf_counter() - started
            answer.ok = True
        elif name == "error":
            answer.error = data[:200]

    parser = SseParser(on_event)

    def on_body(chunk: bytes) -> None:
        parser.feed(inflate.decompress(chunk) if inflate else chunk)

    result, _ = await exchange(port, request, on_body)
    answer.connect = result.connected - started
    answer.first_byte = result.first_byte - started
    answer.received = result.received
    answer.content_encoding = result.headers.get("content-encoding", "identity")
    if result.status != 200:
        answer.ok, answer.error = False, f"HTTP {result.status}"
    elif not answer.ok and not answer.error:
        answer.error = "stream ended without done"
    return answer


@dataclass(frozen=True)
class GradioEndpoint:
    fn_index: int
    inputs: int


def join_request(
    port: int, endpoint: GradioEndpoint, message: str, encoding: str
) -> tuple[str, bytes]:
    """A fresh session's ``POST /gradio_api/queue/join`` for ``message``, as Gradio's JS client
    sends it: the session hash (for ``queue/data``) and the raw request."""
    session = uuid.uuid4().hex[:11]
    payload = {
        "data": [message] + [None] * (endpoint.inputs - 1),
        "event_data": None,
        "fn_index": endpoint.fn_index,
        "trigger_id": None,
        "session_hash": session,
    }
    request = http_request(
        "POST",
        port,
        "/gradio_api/queue/join",
        json.dumps(payload).encode(),
        Content_Type="application/json",
        Accept_Encoding=encoding,
    )
    return session, request


def data_request(port: int, session: str, encoding: str) -> bytes:
    """The ``GET /gradio_api/queue/data`` that reads a session's events."""
    return http_request(
        "GET",
        port,
        f"/gradio_api/queue/data?session_hash={session}",
        Accept="text/event-stream",
        Accept_Encoding=encoding,
    )


async def ask_gradio(
    port: int, endpoint: GradioEndpoint, message: str = "go", encoding: str = "identity"
) -> Answer:
    answer = Answer()
    session, join = join_request(port, endpoint, message, "identity")
    started = time.perf_counter()
    joined, body = await exchange(port, join)
    answer.connect = joined.connected - started
    answer.first_byte = joined.first_byte - started
    answer.received = joined.received
    if joined.status != 200:
        answer.error = f"join: HTTP {joined.status}"
        return answer
    event_id = json.loads(body)["event_id"]

    def on_event(name: str | None, data: str) -> None:
        event = json.loads(data)
        if event.get("event_id") not in (event_id, None):
            return
        kind = event.get("msg")
        if kind == "process_generating" and answer.first_token is None:
            answer.first_token = time.perf_counter() - started
        elif kind == "process_completed":
            answer.done = time.perf_counter() - started
            if event.get("success"):
                answer.ok = True
                answer.text = str(event["output"]["data"][0])
                if answer.first_token is None:
                    answer.first_token = answer.done
            else:
                answer.error = f"failed: {str(event.get('output'))[:200]}"
        elif kind == "unexpected_error":
            answer.error = f"unexpected_error: {event.get('message')}"

    parser = SseParser(on_event)
    result, _ = await exchange(port, data_request(port, session, encoding), parser.feed)
    answer.received += result.received
    answer.content_encoding = result.headers.get("content-encoding", "identity")
    if result.status != 200:
        answer.ok, answer.error = False, f"queue/data: HTTP {result.status}"
    elif not answer.ok and not answer.error:
        answer.error = "stream ended without process_completed"
    return answer


@dataclass(frozen=True)
class Target:
    """A server to ask, in a form a client process can be handed: Gradio needs its endpoint."""

    port: int
    endpoint: GradioEndpoint | None = None
    #: A cheap GET answered on the server's event loop, probed for its lag (None: not probed).
    probe_path: str | None = "/healthz"

    async def ask(self, encoding: str = "identity") -> Answer:
        if self.endpoint is None:
            return await ask_ours(self.port, encoding=encoding)
        return await ask_gradio(self.port, self.endpoint, encoding=encoding)


# --- processes ---------------------------------------------------------------------------------


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by ``pid`` and its live descendants."""
    total = 0.0
    pending = [pid]
    tick = os.sysconf("SC_CLK_TCK")
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, ValueError, IndexError):
            continue
    return total


def machine_cpu() -> tuple[float, float]:
    """Busy and total CPU seconds of the whole machine so far, all CPUs (/proc/stat).

    Busy is processes' time (user, nice, system) and the hypervisor's (steal); the kernel's
    interrupt time is left out, as the loopback traffic of the level itself lands there.
    """
    try:
        line = Path("/proc/stat").read_text().split("\n")[0]
        user, nice, system, idle, iowait, irq, softirq, steal = map(int, line.split()[1:9])
    except (OSError, ValueError):
        return 0.0, 0.0
    tick = os.sysconf("SC_CLK_TCK")
    busy = user + nice + system + steal
    return busy / tick, (busy + idle + iowait + irq + softirq) / tick


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (nan for no values)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


#: One answer as a client process reports it: ok, error, connect, first byte, done (seconds
#: from its start, None when not reached), and when it ended on the shared monotonic clock.
Record = tuple[bool, str, float | None, float | None, float | None, float]


@dataclass(frozen=True)
class Share:
    """What one client process does: ``clients`` answers at once, from ``start_at``."""

    target: Target
    clients: int
    start_at: float  # time.monotonic(), the same clock in every process on Linux
    timeout: float
    expected: str


def _client_process(share: Share) -> tuple[list[Record], float]:
    """Runs in a client process: its answers, and the CPU seconds it used for them."""
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    records = asyncio.run(_answers(share))
    used = resource.getrusage(resource.RUSAGE_SELF)
    return records, used.ru_utime + used.ru_stime - cpu.ru_utime - cpu.ru_stime


async def _answers(share: Share) -> list[Record]:
    async def one() -> Record:
        try:
            answer = await asyncio.wait_for(share.target.ask(), share.timeout)
        except TimeoutError:
            answer = Answer(error="timeout")
        except Exception as error:  # any failure is this client's error, counted by the level
            answer = Answer(error=f"{type(error).__name__}: {error}"[:200])
        if answer.ok and answer.text != share.expected:
            answer.ok, answer.error = False, "wrong text"
        return (
            answer.ok,
            answer.error,
            answer.connect,
            answer.first_byte,
            answer.done,
            time.monotonic(),
        )

    await asyncio.sleep(max(0.0, share.start_at - time.monotonic()))
    return list(await asyncio.gather(*(one() for _ in range(share.clients))))


async def _probe_lag(port: int, path: str, stop: Callable[[], bool]) -> list[float]:
    """Times a GET of ``path`` every PROBE_EVERY seconds on one kept-alive connection."""
    times: list[float] = []
    request = http_request("GET", port, path, keep_alive=True, Accept_Encoding="identity")
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        while not stop():
            sent = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = next(
                int(line.split(b":", 1)[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
            await reader.readexactly(length)
            times.append(time.perf_counter() - sent)
            await asyncio.sleep(max(0.0, PROBE_EVERY - (time.perf_counter() - sent)))
    finally:
        writer.close()
    return times


def idle_lag(port: int, path: str, count: int = 20) -> float:
    """The probe's median time on an idle server: what the route costs without any lag."""
    done: list[int] = []

    def enough() -> bool:
        done.append(1)
        return len(done) > count

    return percentile(asyncio.run(_probe_lag(port, path, enough)), 50)


class RssSampler(Protocol):
    """Samples a server's RSS while its ``with`` block runs (``tests.servers.PeakRss``)."""

    peak: int

    def __enter__(self) -> object: ...
    def __exit__(self, *exc: object) -> None: ...


@dataclass
class Level:
    clients: int
    answers_per_s: float
    p50: float
    p99: float
    censored_p50: bool
    censored_p99: bool
    errors: int
    timeouts: int
    peak_rss: int
    server_cpu: float  # CPU seconds of the server's process tree during the level
    first_error: str
    connect_p50: float = float("nan")
    connect_p99: float = float("nan")
    slow_connects: int = 0  # connects that waited for a SYN retry
    first_byte_p50: float = float("nan")
    first_byte_p99: float = float("nan")
    lag_p50: float = float("nan")  # event-loop lag: probe time minus its idle time
    lag_p99: float = float("nan")
    lag_max: float = float("nan")
    elapsed: float = 0.0
    client_busy: float = 0.0  # the busiest client process's CPU share of the level's time
    client_procs: int = 1
    workers: int = 1
    others_busy: float = 0.0  # the CPUs' share used by other processes than ours meanwhile

    @property
    def server_busy(self) -> float:
        """The server's CPU share of the level's time, per worker (1.0: one full core each)."""
        return self.server_cpu / self.elapsed / self.workers if self.elapsed else 0.0

    def limits(self) -> list[str]:
        """What held this level back, most telling first (empty: nothing saturated)."""
        found = []
        if self.slow_connects:
            found.append(f"{self.slow_connects} connects waited for a SYN retry (listen queue)")
        if self.client_busy >= CLIENT_SATURATED:
            found.append(f"client CPU saturated ({self.client_busy:.0%} of a core per process)")
        if self.server_busy >= SERVER_SATURATED:
            found.append(f"server CPU saturated ({self.server_busy:.0%} of a core per worker)")
        if self.others_busy >= OTHERS_BUSY:
            found.append(f"other processes used {self.others_busy:.0%} of the CPUs")
        cores = os.cpu_count() or 1
        if self.client_procs + self.workers > cores:
            found.append(
                f"{self.client_procs} client processes and {self.workers} worker(s) "
                f"share {cores} CPUs"
            )
        return found


def run_level(
    target: Target,
    clients: int,
    timeout: float,
    expected: str,
    server_pid: int,
    procs: int,
    workers: int = 1,
    peak_rss: Callable[[], RssSampler] | None = None,
) -> Level:
    """N clients at once, spread over ``procs`` client processes; the lag probed meanwhile."""
    procs = max(1, min(procs, clients))
    shares = [clients // procs + (1 if index < clients % procs else 0) for index in range(procs)]
    idle = idle_lag(target.port, target.probe_path) if target.probe_path else float("nan")
    context = multiprocessing.get_context("spawn")
    with context.Pool(procs) as pool:
        pool.map(time.sleep, [0.0] * procs)  # every process started and imported
        start_at = time.monotonic() + 0.3
        work = [Share(target, count, start_at, timeout, expected) for count in shares]
        cpu_before = tree_cpu(server_pid)
        machine_before = machine_cpu()
        sampler = peak_rss() if peak_rss else None
        watching: AbstractContextManager[object] = sampler if sampler else nullcontext()
        with watching:
            pending = pool.map_async(_client_process, work)
            lags: list[float] = []
            if target.probe_path:
                lags = asyncio.run(_probe_lag(target.port, target.probe_path, pending.ready))
            results = pending.get()
        server_cpu = tree_cpu(server_pid) - cpu_before
        machine_after = machine_cpu()
    records = [record for part, _cpu in results for record in part]
    ended = max(record[5] for record in records)
    elapsed = ended - start_at
    good = [record for record in records if record[0] and record[4] is not None]
    timeouts = sum(1 for record in records if record[1] == "timeout")
    errors = len(records) - len(good) - timeouts
    latencies = sorted(record[4] for record in good if record[4] is not None)
    latencies += [timeout] * timeouts  # only known to exceed the timeout
    finished = max((record[5] for record in good), default=ended) - start_at
    connects = [record[2] for record in records if record[2] is not None]
    first_bytes = [record[3] for record in records if record[3] is not None]
    lag = [max(0.0, probe - idle) for probe in lags]
    first_error = next((record[1] or "failed" for record in records if record not in good), "")
    clients_cpu = sum(cpu for _part, cpu in results)
    machine_busy = machine_after[0] - machine_before[0]
    machine_total = machine_after[1] - machine_before[1]
    others = machine_busy - server_cpu - clients_cpu  # the probe's few requests count as ours
    return Level(
        clients=clients,
        answers_per_s=len(good) / (finished if timeouts == 0 else elapsed),
        p50=percentile(latencies, 50),
        p99=percentile(latencies, 99),
        censored_p50=timeouts > 0 and percentile(latencies, 50) >= timeout,
        censored_p99=timeouts > 0 and percentile(latencies, 99) >= timeout,
        errors=errors,
        timeouts=timeouts,
        peak_rss=sampler.peak if sampler else 0,
        server_cpu=server_cpu,
        first_error=first_error,
        connect_p50=percentile(connects, 50),
        connect_p99=percentile(connects, 99),
        slow_connects=sum(1 for value in connects if value >= SYN_RETRY),
        first_byte_p50=percentile(first_bytes, 50),
        first_byte_p99=percentile(first_bytes, 99),
        lag_p50=percentile(lag, 50),
        lag_p99=percentile(lag, 99),
        lag_max=max(lag, default=float("nan")),
        elapsed=elapsed,
        client_busy=max(cpu for _part, cpu in results) / elapsed if elapsed else 0.0,
        client_procs=procs,
        workers=workers,
        others_busy=max(0.0, others / machine_total) if machine_total else 0.0,
    )
