"""Answers that survive a page change: reattach by stream id and token from a sequence number,
the grace period, Stop from any page, several readers, and refusals."""

from __future__ import annotations

import asyncio
import http.client
import json
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from backend.streams import sse
from backend.streams.live_streams import StreamHub
from tests.helpers import answer_text, complete_events, parse_events, until
from tests.servers import ROOT, read_until, running_server, stream_post
from tests.waiting import complete_lines, wait_until

APP = ROOT / "tests" / "apps" / "ticks.py"
FULL = "".join(f"tick {i} " for i in range(20))


CONNECTIONS: list[http.client.HTTPConnection] = []


@contextmanager
def ticks_server(tmp_path: Path, grace: float) -> Iterator[tuple[str, Path]]:
    probe = tmp_path / "probe"
    probe.touch()
    flags = ("--stream-reattach-grace", str(grace))
    try:
        with running_server(str(APP), *flags, env={"PROBE_FILE": str(probe)}) as base:
            yield base, probe
    finally:
        while CONNECTIONS:
            CONNECTIONS.pop().close()


@pytest.fixture(name="server")
def _server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    # An hour's grace: a visitor's return is never late, however slow the machine.
    with ticks_server(tmp_path, 3600) as server:
        yield server


def post(base: str, path: str, body: dict[str, Any]) -> http.client.HTTPResponse:
    connection, response = stream_post(base, path, body, CONNECTIONS)
    connection._chatbubble_response = response  # type: ignore[attr-defined]
    return response


def hang_up(response: http.client.HTTPResponse) -> None:
    """The visitor leaves the page: the connection closes."""
    response.close()
    for connection in list(CONNECTIONS):
        if getattr(connection, "_chatbubble_response", None) is response:
            connection.close()


def wait_for(probe: Path, start: str) -> str:
    """The first complete line of the probe starting with ``start``, once there is one."""

    def found() -> str | None:
        return next((line for line in complete_lines(probe) if line.startswith(start)), None)

    return wait_until(found, lambda: f"{start!r} not in {probe.read_text()!r}")


def test_reattach_continues_exactly_where_it_left(server: tuple[str, Path]) -> None:
    base, probe = server
    first = post(base, "/api/chat", {"message": "go", "resumable": True})
    before = complete_events(read_until(first, b"tick 2"))
    hang_up(first)  # the visitor followed a link
    start = before[0].data
    assert start["stream"] and len(start["token"]) >= 32
    # Between pages the function keeps running: two more ticks than the visitor saw.
    seen = answer_text(before).split()
    wait_for(probe, f"tick {int(seen[-1]) + 2}")
    last = int(before[-1].id or 0)
    again = post(base, f"/api/streams/{start['stream']}", {"token": start["token"], "after": last})
    assert again.status == 200
    after = parse_events(again.read())
    assert [int(e.id or 0) for e in after] == list(range(last + 1, last + 1 + len(after)))
    assert after[-1].event == "done"
    assert answer_text(before + after) == FULL  # nothing lost, nothing twice
    assert probe.read_text().count("started") == 1


def test_nobody_back_within_the_grace_period_closes_the_function(tmp_path: Path) -> None:
    with ticks_server(tmp_path, 1.5) as (base, probe):
        first = post(base, "/api/chat", {"message": "forever", "resumable": True})
        read_until(first, b"tick 0")
        left = time.monotonic()  # CLOCK_MONOTONIC: the server's clock too
        hang_up(first)
        closed_at = float(wait_for(probe, "closed ").split()[1])
    assert closed_at - left >= 1.5  # not before the grace period was over
    assert "finished" not in complete_lines(probe)  # closed by us, not run to its end


def test_without_resumable_a_disconnect_stops_at_once(server: tuple[str, Path]) -> None:
    base, probe = server
    first = post(base, "/api/chat", {"message": "forever"})
    data = read_until(first, b"tick 0")
    assert b'"token"' not in data
    hang_up(first)
    wait_for(probe, "closed")  # the server's grace is an hour: this one had none
    assert "finished" not in complete_lines(probe)


def test_stop_from_another_page(server: tuple[str, Path]) -> None:
    base, probe = server
    first = post(base, "/api/chat", {"message": "go", "resumable": True})
    start = complete_events(read_until(first, b"tick 1"))[0].data
    other_tab = post(base, f"/api/streams/{start['stream']}", {"token": start["token"]})
    read_until(other_tab, b"tick 1")
    stopped = post(base, f"/api/streams/{start['stream']}/stop", {"token": start["token"]})
    assert stopped.status == 200 and json.loads(stopped.read()) == {"ok": True}
    wait_for(probe, "closed")
    rest = other_tab.read()
    assert parse_events(rest)[-1].event == "stopped"
    assert parse_events(first.read())[-1].event == "stopped"


def test_several_readers_see_the_same_answer(server: tuple[str, Path]) -> None:
    base, _ = server
    first = post(base, "/api/chat", {"message": "go", "resumable": True})
    seen = read_until(first, b"tick 0")
    start = complete_events(seen)[0].data
    second = post(base, f"/api/streams/{start['stream']}", {"token": start["token"]})
    assert answer_text(parse_events(second.read())) == FULL
    assert answer_text(parse_events(seen + first.read())) == FULL


def test_a_finished_answer_can_be_read_again(server: tuple[str, Path]) -> None:
    base, probe = server
    first = post(base, "/api/chat", {"message": "go", "resumable": True})
    events = parse_events(first.read())
    start = events[0].data
    again = post(base, f"/api/streams/{start['stream']}", {"token": start["token"], "after": 3})
    assert answer_text(events[:4] + parse_events(again.read())) == FULL
    assert probe.read_text().count("started") == 1


def test_a_reader_that_had_the_end_gets_it_again(server: tuple[str, Path]) -> None:
    """Reattaching after the last event (``done``) is not an empty stream: the end comes again,
    so the client knows the answer is over."""
    base, _ = server
    first = post(base, "/api/chat", {"message": "go", "resumable": True})
    events = parse_events(first.read())
    start, last = events[0].data, events[-1]
    assert last.event == "done"
    again = parse_events(
        post(
            base,
            f"/api/streams/{start['stream']}",
            {"token": start["token"], "after": int(last.id or 0)},
        ).read()
    )
    assert [(e.event, e.id, e.data) for e in again] == [(last.event, last.id, last.data)]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"token": "wrong-token-wrong-token-wrong-token"}, 403, "stream_forbidden"),
        ({}, 422, "invalid_request"),
        ({"token": 5}, 422, "invalid_request"),
    ],
)
def test_only_the_conversation_that_started_it(
    server: tuple[str, Path], body: dict[str, Any], status: int, code: str
) -> None:
    base, _ = server
    first = post(base, "/api/chat", {"message": "go", "resumable": True})
    start = complete_events(read_until(first, b"tick 0"))[0].data
    for path in (f"/api/streams/{start['stream']}", f"/api/streams/{start['stream']}/stop"):
        refused = post(base, path, body)
        assert refused.status == status
        assert json.loads(refused.read())["code"] == code
    hang_up(first)


@pytest.mark.parametrize("stream", ["A" * 22, "../../etc", "x" * 500])
def test_unknown_streams_are_404(server: tuple[str, Path], stream: str) -> None:
    base, _ = server
    refused = post(base, f"/api/streams/{stream}", {"token": "t" * 32})
    assert refused.status == 404


async def test_a_batched_reader_gets_the_events_already_there_in_one_chunk() -> None:
    """An SSE response reads with ``batch``: the events that are ready leave in one write;
    the API readers (``/v1``, Gradio's protocol, MCP) still get one event per chunk."""
    events = [
        sse.encode({"protocol": 1}, event="start", id=0),
        sse.encode({"append": "ok"}, id=1),
        sse.encode({}, event="done", id=2),
    ]

    async def source() -> AsyncIterator[bytes]:
        for event in events:
            yield event

    hub = StreamHub(grace=60, retention=60)
    stream = await hub.start("s", source(), token="t", resumable=True)
    assert stream.task is not None
    await stream.task  # every event is there
    assert [chunk async for chunk in hub.follow(stream, batch=True)] == [b"".join(events)]
    assert [chunk async for chunk in hub.follow(stream, 0, batch=True)] == [b"".join(events[1:])]
    assert [chunk async for chunk in hub.follow(stream, 1, batch=True)] == [events[2]]
    assert [chunk async for chunk in hub.follow(stream)] == events


async def test_a_reader_that_leaves_while_waiting_does_not_hold_up_the_others() -> None:
    """Readers wait on a future each, made when they wait: one cancelled while it waits (its
    visitor left) is skipped when the next event comes, and the others get it."""
    events = asyncio.Queue[bytes]()

    async def source() -> AsyncIterator[bytes]:
        while True:
            event = await events.get()
            yield event
            if event.startswith(b"event: done"):
                return

    hub = StreamHub(grace=60, retention=60)
    stream = await hub.start("s", source(), token="t", resumable=True)
    leaving = asyncio.ensure_future(anext(hub.follow(stream)))
    staying = hub.follow(stream)
    staying_next = asyncio.ensure_future(anext(staying))
    await until(lambda: len(stream.waiters) == 2, "both readers waiting")
    leaving.cancel()
    first = sse.encode({"append": "a"}, id=0)
    await events.put(first)
    assert await staying_next == first
    done = sse.encode({}, event="done", id=1)
    await events.put(done)
    assert [chunk async for chunk in staying] == [done]
    assert leaving.cancelled() and stream.done and stream.waiters == []
