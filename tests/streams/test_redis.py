"""Scale-out on Redis (``--redis-url``) with several workers: reattach and Stop reach the
answer whichever worker runs it, limits count across workers, and Redis going away ends a
stream with an error event instead of a hang. Uses Debian's redis-server (.ci/run installs it)."""

from __future__ import annotations

import asyncio
import http.client
import shutil
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from backend.streams import sse
from backend.streams.live_streams import StreamTicket
from backend.streams.redis_hub import PRODUCER_TTL, RedisHub
from tests.helpers import answer_text, complete_events, parse_events
from tests.servers import ROOT, free_port, read_until, running_server, stream_post
from tests.waiting import LIVENESS, complete_lines, wait_until

REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"
APP = ROOT / "tests" / "apps" / "ticks.py"
FULL = "".join(f"tick {i} " for i in range(20))


class RedisServer:
    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(
            [REDIS, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_until(self.answers, "redis-server did not start")

    def answers(self) -> bool:
        assert self.process.poll() is None, "redis-server exited"
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=2).close()
        except OSError:
            return False
        return True

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


@pytest.fixture(name="redis")
def _redis(tmp_path: Path) -> Iterator[RedisServer]:
    if not Path(REDIS).exists():
        pytest.skip("redis-server is not installed (.ci/run installs it)")
    server = RedisServer(tmp_path)
    try:
        yield server
    finally:
        server.stop()


CONNECTIONS: list[http.client.HTTPConnection] = []


@pytest.fixture(autouse=True)
def _close_connections() -> Iterator[None]:
    yield
    while CONNECTIONS:
        CONNECTIONS.pop().close()


def post(
    base: str, path: str, body: dict[str, Any]
) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
    return stream_post(base, path, body, CONNECTIONS)


def serve(redis: RedisServer, probe: Path, *flags: str) -> Any:
    return running_server(
        # An hour's grace: a reattach is never late, however slow the machine.
        str(APP), "--workers", "4", "--redis-url", redis.url, "--stream-reattach-grace", "3600",
        *flags, env={"PROBE_FILE": str(probe)},
    )  # fmt: skip


def test_reattach_and_stop_across_workers(redis: RedisServer, tmp_path: Path) -> None:
    probe = tmp_path / "probe"
    probe.touch()
    with serve(redis, probe) as base:
        # Several answers, each read partly, left, and read again over new connections (the
        # kernel hands them to any of the four workers).
        for _ in range(3):
            connection, first = post(base, "/api/chat", {"message": "go", "resumable": True})
            before = complete_events(read_until(first, b"tick 1"))
            connection.close()
            start = before[0].data
            last = int(before[-1].id or 0)
            _, again = post(
                base, f"/api/streams/{start['stream']}", {"token": start["token"], "after": last}
            )
            after = parse_events(again.read())
            assert after[-1].event == "done"
            assert answer_text(before + after) == FULL
        assert probe.read_text().count("started") == 3

        # Stop through another connection reaches the worker that runs the function.
        _, first = post(base, "/api/chat", {"message": "go", "resumable": True})
        start = complete_events(read_until(first, b"tick 0"))[0].data
        for _ in range(4):
            _, stopped = post(
                base, f"/api/streams/{start['stream']}/stop", {"token": start["token"]}
            )
            assert stopped.status == 200
            stopped.read()
        assert parse_events(first.read())[-1].event == "stopped"
        wait_until(
            lambda: [line[:6] for line in complete_lines(probe)].count("closed") == 4,
            lambda: f"the stopped generator was not closed: {probe.read_text()!r}",
        )
        _, refused = post(base, f"/api/streams/{start['stream']}", {"token": "x" * 32})
        assert refused.status == 403


def test_limits_count_across_workers(redis: RedisServer, tmp_path: Path) -> None:
    probe = tmp_path / "probe"
    probe.touch()
    with serve(redis, probe, "--message-rate-limit", "3", "--max-streams-per-client", "8") as base:
        statuses = []
        started = time.monotonic()
        for _ in range(6):
            _, response = post(base, "/api/chat", {"message": "go"})
            statuses.append(response.status)
            response.close()
        refilled = int((time.monotonic() - started) / 20)  # 3 a minute: a token per 20 s
    # One budget for the four workers (each its own would allow all six), whatever the speed:
    # 3 at once, and one more per 20 s the requests took (none unless the machine crawls).
    assert statuses[:3] == [200, 200, 200]
    assert statuses.count(200) <= 3 + refilled and set(statuses) <= {200, 429}


def test_redis_going_away_ends_streams_with_an_error(redis: RedisServer, tmp_path: Path) -> None:
    probe = tmp_path / "probe"
    probe.touch()
    with serve(redis, probe) as base:
        _, first = post(base, "/api/chat", {"message": "go", "resumable": True})
        read_until(first, b"tick 0")
        redis.stop()
        events = parse_events(first.read())
        assert events and events[-1].event == "error"
        assert events[-1].data["code"] == "stream_store_unavailable"


async def _read(hub: RedisHub, ticket: StreamTicket) -> list[bytes]:
    """Everything a reader gets (keep-alives left out), bounded: a hang fails the test."""

    async def read() -> list[bytes]:
        return [chunk async for chunk in hub.follow(ticket) if chunk != sse.KEEP_ALIVE]

    return await asyncio.wait_for(read(), LIVENESS)


async def test_a_reader_learns_that_the_producer_died(redis: RedisServer) -> None:
    hub = RedisHub(redis.url, prefix="t", grace=60, retention=60, heartbeat=0.2, max_duration=600)
    try:
        # What a process killed mid-answer leaves in Redis: the stream's token, one event, no
        # end, and no heartbeat (it lapses PRODUCER_TTL after the kill).
        await hub.redis.hset("t:s:lost:meta", mapping={"token": "tok", "resumable": 1, "done": 0})
        await hub.redis.xadd("t:s:lost:ev", {"d": b"event 0"}, id="0-1")
        ticket = await hub.find("lost")
        assert ticket is not None
        chunks = await _read(hub, ticket)
        assert chunks[0] == b"event 0"
        (error,) = parse_events(chunks[1])
        assert (error.event, error.data["code"]) == ("error", "stream_lost")
        assert "went away" in error.data["error"] and len(chunks) == 2
    finally:
        await hub.close()


async def test_a_running_producer_keeps_its_heartbeat(redis: RedisServer) -> None:
    hub = RedisHub(redis.url, prefix="t", grace=60, retention=60, heartbeat=0.2, max_duration=600)
    release = asyncio.Event()

    async def source() -> AsyncIterator[bytes]:
        yield b"event 0"
        await release.wait()
        yield b"event 1"

    try:
        ticket = await hub.start("live", source(), token="tok", resumable=True)
        assert 0 < await hub.redis.pttl("t:s:live:alive") <= PRODUCER_TTL * 1000
        reader = asyncio.ensure_future(_read(hub, ticket))
        readers = "t:s:live:readers"

        async def score() -> float | None:
            scores = await hub.redis.zrange(readers, 0, -1, withscores=True)
            return float(scores[0][1]) if scores else None

        async def above(read: Callable[[], Awaitable[float | None]], before: float) -> float:
            while (now := await read()) is None or now <= before:
                await asyncio.sleep(0.05)  # poll: Redis's keys give no event to await
            return now

        async def alive() -> float:
            return float(await hub.redis.pttl("t:s:live:alive"))

        # The reader checks the producer's heartbeat when it renews its own: wait until it has
        # (its score moved) and the producer has renewed its heartbeat (a third of its TTL).
        first = await asyncio.wait_for(above(score, 0.0), LIVENESS)
        await asyncio.wait_for(above(score, first), LIVENESS)
        await asyncio.wait_for(above(alive, await alive()), LIVENESS)
        release.set()
        assert await reader == [b"event 0", b"event 1"]  # no stream_lost while it lived
    finally:
        await hub.close()


async def test_a_reader_that_had_the_end_gets_it_again(redis: RedisServer) -> None:
    hub = RedisHub(redis.url, prefix="t", grace=60, retention=60, heartbeat=0.2, max_duration=600)

    async def source() -> AsyncIterator[bytes]:
        yield b"event 0"
        yield b"the end"

    try:
        ticket = await hub.start("over", source(), token="tok", resumable=True)
        assert await _read(hub, ticket) == [b"event 0", b"the end"]

        async def after_the_end() -> list[bytes]:
            return [chunk async for chunk in hub.follow(ticket, after=1)]

        assert await asyncio.wait_for(after_the_end(), LIVENESS) == [b"the end"]
    finally:
        await hub.close()


def test_answers_end_with_stream_slots_counted_in_redis(
    redis: RedisServer, tmp_path: Path
) -> None:
    """The producer's watcher sat in redis-py's get_message, whose read timeout could swallow
    the cancel at the answer's end (Python 3.11): the answer was never marked done and its
    response never ended (keep-alives forever). The per-client slots, on by default, made it
    likely: most answers hung."""
    app = ROOT / "tests" / "apps" / "cluster.py"
    flags = ("--redis-url", redis.url, "--max-streams-per-client", "2")
    with running_server(str(app), *flags, env={"FLAG_DIR": str(tmp_path)}) as base:
        for n in range(5):
            _, response = post(base, "/api/chat", {"message": f"m{n}"})
            body = bytearray()

            def ended() -> bool:  # a chunk at a time: keep-alives would outlast a timeout
                chunk = response.read1(65536)  # noqa: B023 - read at once
                body.extend(chunk)  # noqa: B023
                return not chunk

            wait_until(ended, lambda: f"the answer did not end: {bytes(body)!r}")  # noqa: B023
            events = parse_events(bytes(body))
            assert events[-1].event == "done" and answer_text(events) == f"echo: m{n}"
