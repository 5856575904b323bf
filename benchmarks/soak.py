"""A soak run: one `backend serve` under a steady mixed load for minutes; its memory, open file
descriptors and asyncio tasks must stay flat and no request may fail.

`make soak` (600 s), or `SOAK_SECONDS=60 make soak`, or
    python benchmarks/soak.py [--seconds S] [--clients N] [--every S] [--census] [--trace]

The server: benchmarks/apps/soak_app.py (uploads, feedback, saved history for signed-in
visitors, an async generator streaming a known answer over about 0.6 s) served by
`backend serve` on a free 127.0.0.1 port, with its feedback log, conversation store (SQLite,
`store_transcripts` on) and uploads in a temporary directory. Retentions are short
(`stream_retention` 5 s, `file_retention` 30 s), so what the server keeps for a while reaches
its steady size during the warm-up instead of looking like growth; the per-client limits are
off (every client here is 127.0.0.1).

The load: ``--clients`` asyncio clients (httpx, a keep-alive pool each, as a browser has), each
a visitor with its own `X-Visitor-Key`, conversation id and (every other one) a signed-in
identity token, doing one action after another, picked at random by weight:
- chat: a resumable streamed answer (gzip, as the widget asks), with the last turns as history;
- upload: `POST /api/upload` of a small text file, then a chat whose message carries it (the
  answer says the file's size, read by the chat function from the path it got);
- feedback: a chat, then `POST /api/feedback` with its signed id (Like, Dislike, or taken back);
- stop: a chat, Stop (`POST /api/streams/<id>/stop`) after its first words; the stream must end
  with `stopped`;
- resume: a chat left after its first words (the connection closed, as on a page change),
  then `POST /api/streams/<id>` from the last event read; the two halves must make the answer;
- fetch: `GET /api/config`, and for a signed-in visitor `GET /api/history`, one conversation
  of it, and the delete of its oldest ones past 10 (so the store stays the same size).
Every answer's text is compared with the one expected. An error is any unexpected status, an
`error` event, a stream that ends without `done` (or `stopped`), a wrong text, or an action
taking longer than 30 s.

The samples: every ``--every`` seconds, the server process tree's RSS (VmRSS from /proc), its
open file descriptors (entries of /proc/<pid>/fd) and the asyncio tasks of its event loop.
The task count is the app's own: with SOAK_TASKS_FILE set, soak_app.py runs a thread in the
server process that counts `asyncio.all_tasks()` inside the loop once a second and writes it to
that file (nothing in `backend` exposes it). One line per sample.

Finding where a growth comes from: ``--census`` adds the server's live objects (counted after a
full garbage collection every 2 s, by type; the types that grew most are printed), ``--trace``
runs the server under tracemalloc and prints the allocation sites that grew (both slow the
server and change how its memory behaves: a diagnosis, not the measurement).

The verdict: the baseline is the median of the samples of the second tenth of the run (the
first tenth warms up), the end the median of the last tenth; each figure may grow by at most 5 %
(``--max-growth``), errors must be 0. Exits 1 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import jwt

ROOT = Path(__file__).resolve().parent.parent
APPS = ROOT / "benchmarks" / "apps"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(APPS))

from soak_app import answer_text  # noqa: E402

from tests.servers import descendants, running_server, tree_rss  # noqa: E402

IDENTITY_SECRET = "soak-" + "s" * 40
ACTION_TIMEOUT = 30.0
HISTORY_TURNS = 3
KEEP_CONVERSATIONS = 10
WEIGHTS = {"chat": 4, "upload": 2, "feedback": 2, "stop": 1, "resume": 2, "fetch": 2}


class SoakError(Exception):
    """An action got something it should not have."""


@dataclass
class Event:
    name: str
    id: int | None
    data: Any


async def sse_events(response: httpx.Response) -> AsyncIterator[Event]:
    """The server-sent events of a streamed response, as they arrive (comments skipped)."""
    buffer = ""
    async for text in response.aiter_text():
        buffer += text
        while "\n\n" in buffer:
            block, buffer = buffer.split("\n\n", 1)
            name, event_id, data = "message", None, ""
            for line in block.split("\n"):
                if line.startswith(":"):
                    continue
                key, _, value = line.partition(":")
                value = value.removeprefix(" ")
                if key == "event":
                    name = value
                elif key == "id":
                    event_id = int(value)
                elif key == "data":
                    data += value
            if data:
                yield Event(name, event_id, json.loads(data))


@dataclass
class Reading:
    """What one reader of an answer got."""

    text: str = ""
    stream: str = ""
    token: str = ""
    last_id: int = -1
    end: str = ""
    done: dict[str, Any] = field(default_factory=dict)
    #: The ids of the events read, for the message of a failure.
    ids: list[int] = field(default_factory=list)


async def opened(response: httpx.Response) -> AsyncIterator[Event]:
    """The events of an answer's response, which must be a 200."""
    if response.status_code != 200:
        body = (await response.aread()).decode(errors="replace")
        raise SoakError(f"{response.request.url.path}: status {response.status_code}: {body}")
    return sse_events(response)


async def read_answer(
    events: AsyncIterator[Event], reading: Reading, *, words: int | None = None
) -> Reading:
    """Reads events into ``reading`` until the stream ends, or until ``words`` deltas came."""
    deltas = 0
    async for event in events:
        if event.id is not None:
            reading.last_id = event.id
            reading.ids.append(event.id)
        if event.name == "start":
            reading.stream, reading.token = event.data["stream"], event.data.get("token", "")
        elif event.name == "message":
            if "append" in event.data:
                reading.text += event.data["append"]
            elif "replace" in event.data:
                reading.text = event.data["replace"]
            else:
                raise SoakError(f"an unknown delta: {event.data}")
            deltas += 1
            if words is not None and deltas >= words:
                return reading
        elif event.name in ("done", "stopped"):
            reading.end, reading.done = event.name, event.data
            return reading
        elif event.name == "error":
            raise SoakError(f"error event: {event.data}")
        else:
            raise SoakError(f"an unexpected event {event.name}: {event.data}")
    raise SoakError(
        f"the stream {reading.stream} ended without done after events {reading.ids}: "
        f"{reading.text!r}"
    )


class Visitor:
    """One simulated visitor: a keep-alive pool, a visitor key, a conversation."""

    def __init__(self, base: str, number: int) -> None:
        self.number = number
        headers = {"X-Visitor-Key": secrets.token_urlsafe(32), "Accept-Encoding": "gzip"}
        self.user = f"soak-user-{number}" if number % 2 == 0 else None
        if self.user is not None:
            headers["X-Chatbubble-User"] = jwt.encode(
                {"sub": self.user, "exp": int(time.time()) + 7 * 24 * 3600},
                IDENTITY_SECRET,
                algorithm="HS256",
            )
        self.http = httpx.AsyncClient(base_url=base, headers=headers, timeout=ACTION_TIMEOUT)
        self.session = ""
        self.history: list[dict[str, Any]] = []
        self.turn = 0
        self.new_conversation()

    def new_conversation(self) -> None:
        self.session = secrets.token_urlsafe(12)
        self.history = []

    def message(self) -> str:
        self.turn += 1
        return f"visitor-{self.number}-turn-{self.turn}"

    def chat_body(self, text: str, files: list[str] | None = None) -> dict[str, Any]:
        return {
            "message": {"text": text, "files": files or []},
            "history": self.history[-2 * HISTORY_TURNS :],
            "resumable": True,
            "session": self.session,
            "page": {"url": "https://shop.example/soak", "title": "Soak"},
        }

    def remember(self, text: str, answer: str) -> None:
        self.history += [
            {"role": "user", "content": text},
            {"role": "assistant", "content": answer},
        ]
        if len(self.history) >= 20:
            self.new_conversation()

    async def answer(
        self, text: str, files: list[str] | None = None, sizes: list[int] | None = None
    ) -> Reading:
        async with self.http.stream("POST", "/api/chat", json=self.chat_body(text, files)) as r:
            reading = await read_answer(await opened(r), Reading())
        expect(reading, "done", answer_text(text, sizes or []))
        self.remember(text, reading.text)
        return reading

    # The actions.

    async def chat(self) -> None:
        await self.answer(self.message())

    async def upload(self) -> None:
        size = random.randint(200, 4000)
        content = (b"soak line of text\n" * 300)[:size]
        response = await self.http.post(
            "/api/upload",
            params={"name": "notes.txt"},
            content=content,
            headers={"Content-Type": "text/plain"},
        )
        status(response, 201)
        await self.answer(self.message(), [response.json()["id"]], [size])

    async def feedback(self) -> None:
        text = self.message()
        self.new_conversation()  # the flag's conversation is this one turn
        reading = await self.answer(text)
        response = await self.http.post(
            "/api/feedback",
            json={
                "id": reading.done["id"],
                "conversation": [
                    {"role": "user", "content": text},
                    {"role": "assistant", "content": reading.text},
                ],
                "flag": random.choice(["Like", "Dislike", ""]),
                "visitor": f"v_soak_{self.number}",
                "conversation_id": self.session,
            },
        )
        status(response, 200)

    async def stop(self) -> str:
        text = self.message()
        async with self.http.stream("POST", "/api/chat", json=self.chat_body(text)) as r:
            events = await opened(r)
            reading = await read_answer(events, Reading(), words=1)
            stopped = await self.http.post(
                f"/api/streams/{reading.stream}/stop", json={"token": reading.token}
            )
            status(stopped, 200)
            if not reading.end:
                await read_answer(events, reading)
        # A Stop that lands after the last word finds the answer done; both end the stream.
        if reading.end == "done":
            expect(reading, "done", answer_text(text, []))
            return "stop (after the end)"
        if not answer_text(text, []).startswith(reading.text):
            raise SoakError(f"stopped with a wrong text: {reading.text!r}")
        return "stop"

    async def resume(self) -> str:
        text = self.message()
        async with self.http.stream("POST", "/api/chat", json=self.chat_body(text)) as r:
            reading = await read_answer(await opened(r), Reading(), words=random.randint(1, 3))
        # The response is closed half-read: the next page reattaches from the last event (the
        # widget does not when the answer ended first: deltas close together are merged).
        resumed = not reading.end
        if resumed:
            body = {"token": reading.token, "after": reading.last_id}
            path = f"/api/streams/{reading.stream}"
            async with self.http.stream("POST", path, json=body) as r:
                await read_answer(await opened(r), reading)
        expect(reading, "done", answer_text(text, []))
        self.remember(text, reading.text)
        return "resume" if resumed else "resume (ended first)"

    async def fetch(self) -> None:
        status(await self.http.get("/api/config"), 200)
        if self.user is None:
            return
        listed = await self.http.get("/api/history", params={"limit": 100})
        status(listed, 200)
        conversations = listed.json()["conversations"]
        if conversations:
            status(await self.http.get(f"/api/history/{conversations[0]['id']}"), 200)
        for old in conversations[KEEP_CONVERSATIONS:]:
            if old["id"] != self.session:
                status(await self.http.post(f"/api/history/{old['id']}/delete"), 200)


def status(response: httpx.Response, wanted: int) -> None:
    if response.status_code != wanted:
        raise SoakError(
            f"{response.request.method} {response.request.url.path}: "
            f"status {response.status_code}: {response.text[:300]}"
        )


def expect(reading: Reading, end: str, text: str) -> None:
    if reading.end != end or reading.text != text:
        raise SoakError(f"ended with {reading.end!r} and {reading.text!r}, not {text!r}")


@dataclass
class Tally:
    done: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)


async def visitor_loop(visitor: Visitor, tally: Tally, until: float) -> None:
    actions: dict[str, Callable[[], Coroutine[Any, Any, str | None]]] = {
        "chat": visitor.chat,
        "upload": visitor.upload,
        "feedback": visitor.feedback,
        "stop": visitor.stop,
        "resume": visitor.resume,
        "fetch": visitor.fetch,
    }
    names = list(WEIGHTS)
    weights = [WEIGHTS[name] for name in names]
    while time.monotonic() < until:
        name = random.choices(names, weights)[0]
        try:
            kind = await asyncio.wait_for(actions[name](), ACTION_TIMEOUT)
        except TimeoutError:
            tally.errors.append(f"{name}: no answer within {ACTION_TIMEOUT:.0f} s")
        except Exception as error:  # noqa: BLE001 - every failure is counted and shown
            tally.errors.append(f"{name}: {type(error).__name__}: {error}")
        else:
            tally.done[kind or name] += 1
        await asyncio.sleep(random.uniform(0.05, 0.2))


@dataclass
class Sample:
    at: float
    rss: int
    fds: int
    tasks: int
    objects: int
    threads: int
    types: dict[str, int] = field(default_factory=dict)
    full_collections: tuple[int, int] = (0, 0)


def open_fds(pid: int) -> int:
    total = 0
    for current in [pid, *descendants(pid)]:
        with contextlib.suppress(OSError):
            total += len(os.listdir(f"/proc/{current}/fd"))
    return total


def threads(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Threads:"):
            return int(line.split()[1])
    return 0


def loop_counts(path: Path) -> dict[str, Any]:
    """What soak_app.py last wrote about the server (its loop's tasks, the objects the
    garbage collector tracks, by type), when at most a few seconds old."""
    try:
        record: dict[str, Any] = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return record if time.time() - record["at"] < 10 else {}


async def sampler(
    pid: int, tasks_file: Path, tally: Tally, start: float, until: float, every: float
) -> list[Sample]:
    samples: list[Sample] = []
    previous = 0
    while True:
        await asyncio.sleep(every)
        now = time.monotonic()
        counts = loop_counts(tasks_file)
        sample = Sample(
            now - start,
            tree_rss(pid),
            open_fds(pid),
            counts.get("tasks", -1),
            counts.get("objects", -1),
            threads(pid),
            counts.get("types", {}),
            tuple(counts.get("full_collections", (0, 0))),
        )
        samples.append(sample)
        total = sum(tally.done.values())
        print(
            f"{sample.at:7.0f} s  rss {sample.rss / 2**20:7.1f} MB  fds {sample.fds:5d}  "
            f"tasks {sample.tasks:5d}  "
            + (f"objects {sample.objects:7d}  " if sample.objects >= 0 else "")
            + f"threads {sample.threads:3d}  full gc {sample.full_collections[0]:3d}  "
            f"actions {total:7d} ({(total - previous) / every:5.1f}/s)  "
            f"errors {len(tally.errors)}",
            flush=True,
        )
        previous = total
        if now >= until:
            return samples


def median_in(samples: list[Sample], low: float, high: float, name: str) -> float:
    values = [getattr(s, name) for s in samples if low <= s.at < high]
    return statistics.median(values) if values else float("nan")


def verdict(samples: list[Sample], seconds: float, tally: Tally, max_growth: float) -> bool:
    ok = True
    print(f"\nbaseline: median of {0.1 * seconds:.0f}-{0.2 * seconds:.0f} s; "
          f"end: median of the last {0.1 * seconds:.0f} s")  # fmt: skip
    figures = (("rss", "MB", 2**20), ("fds", "", 1), ("tasks", "", 1), ("objects", "", 1))
    for name, unit, scale in figures:
        base = median_in(samples, 0.1 * seconds, 0.2 * seconds, name)
        end = median_in(samples, 0.9 * seconds, float("inf"), name)
        if name == "objects" and not any(sample.objects >= 0 for sample in samples):
            continue  # counted with --census only
        if base <= 0 or end < 0:
            print(f"{name:6} no samples")
            ok = False
            continue
        growth = (end - base) / base
        passed = growth <= max_growth
        ok = ok and passed
        print(
            f"{name:6} {base / scale:8.1f} -> {end / scale:8.1f} {unit:2}  growth "
            f"{growth:+6.1%}  (at most {max_growth:.0%})  {'ok' if passed else 'FAIL'}"
        )
    base_types = next((s.types for s in samples if s.at >= 0.1 * seconds and s.types), {})
    end_types = next((s.types for s in reversed(samples) if s.types), {})
    grown = sorted(
        ((end_types[name] - base_types.get(name, 0), name) for name in end_types), reverse=True
    )
    if end_types:
        print("objects that grew most, by type: " + ", ".join(
            f"{name} {count:+d}" for count, name in grown[:8] if count > 0
        ))  # fmt: skip
    total = sum(tally.done.values())
    kinds = ", ".join(f"{name} {count}" for name, count in sorted(tally.done.items()))
    print(f"actions {total} ({kinds}); errors {len(tally.errors)}")
    for error in tally.errors[:20]:
        print(f"  {error}")
    missing = [name for name in WEIGHTS if tally.done[name] == 0]
    if missing:
        print(f"never completed: {', '.join(missing)}")
    return ok and not tally.errors and not missing


async def soak(base: str, pid: int, tasks_file: Path, args: argparse.Namespace) -> bool:
    start = time.monotonic()
    until = start + args.seconds
    tally = Tally()
    visitors = [Visitor(base, number) for number in range(args.clients)]
    try:
        sampling = asyncio.ensure_future(sampler(pid, tasks_file, tally, start, until, args.every))
        await asyncio.gather(*(visitor_loop(visitor, tally, until) for visitor in visitors))
        samples = await sampling
    finally:
        for visitor in visitors:
            await visitor.http.aclose()
    return verdict(samples, args.seconds, tally, args.max_growth)


def where_memory_grew(directory: Path, after: float, lines: int = 15) -> None:
    """The allocation sites that grew most from the first snapshot after ``after`` (unix time,
    the baseline) to the last one."""
    snapshots = sorted(directory.glob("*.tm"), key=lambda path: float(path.stem))
    base = next((path for path in snapshots if float(path.stem) >= after), None)
    if base is None or base == snapshots[-1]:
        print("tracemalloc: not enough snapshots")
        return
    start = tracemalloc.Snapshot.load(str(base))
    end = tracemalloc.Snapshot.load(str(snapshots[-1]))
    ignore = [tracemalloc.Filter(False, tracemalloc.__file__)]
    changes = end.filter_traces(ignore).compare_to(start.filter_traces(ignore), "traceback")
    seconds = float(snapshots[-1].stem) - float(base.stem)
    traced = [sum(stat.size for stat in snap.statistics("filename")) for snap in (start, end)]
    print(
        f"\ntracemalloc: Python's traced memory {traced[0] / 2**20:.1f} -> "
        f"{traced[1] / 2**20:.1f} MB in the last {seconds:.0f} s; what grew most:"
    )
    for change in changes[:lines]:
        print(f"{change.size_diff / 1024:+9.1f} KiB {change.count_diff:+7d} blocks")
        for frame in change.traceback.format()[-6:]:
            print(f"    {frame}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default_seconds = float(os.environ.get("SOAK_SECONDS", "600"))
    parser.add_argument("--seconds", type=float, default=default_seconds)
    parser.add_argument("--clients", type=int, default=12)
    parser.add_argument("--every", type=float, default=0.0, help="default: the run / 60, 2-10 s")
    parser.add_argument("--max-growth", type=float, default=0.05)
    parser.add_argument(
        "--census",
        action="store_true",
        help="count the server's live objects by type (a full collection every 2 s: a "
        "diagnosis of a growth, which changes how its memory behaves)",
    )
    parser.add_argument(
        "--trace",
        action="store_true",
        help="run the server under tracemalloc and print where memory grew (slower)",
    )
    args = parser.parse_args()
    if not args.every:
        args.every = min(10.0, max(2.0, args.seconds / 60))
    with tempfile.TemporaryDirectory(prefix="soak-") as directory:
        work = Path(directory)
        tasks_file = work / "tasks.json"
        env = {
            "SOAK_TASKS_FILE": str(tasks_file),
            "SOAK_FLAG_DIR": str(work / "flagged"),
            "CHATBUBBLE_UPLOAD_DIR": str(work / "uploads"),
            "CHATBUBBLE_IDENTITY_SECRET": IDENTITY_SECRET,
            "CHATBUBBLE_STORE_TRANSCRIPTS": "true",
            "CHATBUBBLE_STREAM_RETENTION": "5",
            "CHATBUBBLE_FILE_RETENTION": "30",
            "CHATBUBBLE_FEEDBACK_RATE_LIMIT": "0",
            "CHATBUBBLE_QUIET": "true",
        }
        if args.census:
            env["SOAK_CENSUS"] = "1"
        if args.trace:
            (work / "trace").mkdir()
            env["PYTHONTRACEMALLOC"] = os.environ.get("SOAK_TRACE_FRAMES", "4")
            env["SOAK_TRACE_DIR"] = str(work / "trace")
            env["SOAK_TRACE_EVERY"] = str(max(5.0, args.seconds / 20))
        pid: list[int] = []
        log = work / "server.log"
        print(
            f"soak: {args.seconds:.0f} s, {args.clients} clients, a sample every "
            f"{args.every:.0f} s (benchmarks/apps/soak_app.py)",
            flush=True,
        )
        try:
            with running_server(str(APPS / "soak_app.py"), env=env, log=log, pid=pid) as base:
                passed = asyncio.run(soak(base, pid[0], tasks_file, args))
        finally:
            errors = [line for line in log.read_text().splitlines() if "ERROR" in line]
            if errors:
                print(f"server log: {len(errors)} ERROR lines, the first:\n  {errors[0]}")
        passed = passed and not errors
        if args.trace:
            where_memory_grew(work / "trace", time.time() - 0.85 * args.seconds)
    print("soak: PASS" if passed else "soak: FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
