"""Small test helpers: reading an SSE body the way a browser would; counting timers."""

from __future__ import annotations

import asyncio
import gzip
import json
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from quart import Quart

from backend.chat.run import ChatRun
from backend.http import rate_limit
from tests.waiting import LIVENESS


@dataclass
class Event:
    event: str
    id: str | None
    data: Any


def parse_events(body: bytes, *, gzipped: bool = False) -> list[Event]:
    text = (gzip.decompress(body) if gzipped else body).decode("utf-8")
    events = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        name, ident, data = "message", None, []
        for line in block.split("\n"):
            if not line or line.startswith(":"):
                continue
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "event":
                name = value
            elif field == "id":
                ident = value
            elif field == "data":
                data.append(value)
        if data:
            events.append(Event(name, ident, json.loads("\n".join(data))))
    return events


def complete_events(data: bytes) -> list[Event]:
    """The events fully received (a cut may leave half of the last one)."""
    return parse_events(data[: data.rfind(b"\n\n") + 2])


def answer_text(events: list[Event]) -> str:
    """The answer as the widget would assemble it from the deltas."""
    text = ""
    for event in events:
        if event.event == "message":
            if "append" in event.data:
                text += event.data["append"]
            else:
                text = event.data["replace"]
    return text


def answer_parts(events: list[Event]) -> list[dict[str, Any]]:
    """The answer's parts as the widget assembles them: deltas build a last text part,
    a ``parts`` event replaces the whole answer."""
    parts: list[dict[str, Any]] = []
    for event in events:
        if event.event == "parts":
            parts = [dict(part) for part in event.data["parts"]]
        elif event.event == "message":
            if "replace" in event.data:
                parts = [{"type": "text", "text": event.data["replace"]}]
            elif "at" in event.data:
                parts[event.data["at"]]["text"] += event.data["append"]
            elif parts and parts[-1]["type"] == "text":
                parts[-1]["text"] += event.data["append"]
            else:
                parts.append({"type": "text", "text": event.data["append"]})
    return parts


async def streamed_events(
    app: Quart, body: Any, received: Callable[[list[Event]], None] | None = None
) -> list[Event]:
    """The events of the answer to ``body`` as the client reads them (``received`` is told of
    them after each read), until ``done`` or ``error``."""
    async with app.test_app() as test_app:
        async with test_app.test_client().request(
            "/api/chat",
            method="POST",
            headers={"Content-Type": "application/json", "Accept-Encoding": "identity"},
        ) as connection:
            await connection.send(json.dumps(body).encode())
            await connection.send_complete()
            data = b""
            while True:
                data += await asyncio.wait_for(connection.receive(), LIVENESS)
                events = complete_events(data)
                if received is not None:
                    received(events)
                if events and events[-1].event in ("done", "error"):
                    return events


class FrozenClock:
    """A ``time`` module for backend.http.rate_limit whose clock moves only when the test says: a
    token bucket then refills by the test's time, never by how slowly the machine runs it."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def monotonic(self) -> float:
        return self.now


def freeze_rate_clock(monkeypatch: pytest.MonkeyPatch) -> FrozenClock:
    """Freezes the clock of the in-memory rate limits (backend.http.rate_limit) for the test."""
    clock = FrozenClock()
    monkeypatch.setattr(rate_limit, "time", clock)
    return clock


@contextmanager
def timers_armed() -> Iterator[list[float]]:
    """The times of the timers the running loop arms meanwhile (``loop.call_at``; ``call_later``
    goes through it)."""
    loop = asyncio.get_running_loop()
    armed: list[float] = []
    call_at = loop.call_at

    def counting(when: float, *args: Any, **kwargs: Any) -> asyncio.TimerHandle:
        armed.append(when)
        return call_at(when, *args, **kwargs)

    setattr(loop, "call_at", counting)  # noqa: B010 - an instance attribute, removed below
    try:
        yield armed
    finally:
        delattr(loop, "call_at")


async def until(condition: Callable[[], object], what: str, timeout: float = LIVENESS) -> None:
    """Lets the event loop's other tasks and callbacks run until ``condition()`` holds (a state
    they change); fails with ``what`` after ``timeout`` seconds. Arms no timer."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, f"not within {timeout:g} s: {what}"
        await asyncio.sleep(0)  # one turn of the loop for the others, not a wait for time


def gated_run(pool: Executor) -> tuple[ChatRun, asyncio.Event]:
    """A started run whose function answers "late" once the returned event is set."""
    gate = asyncio.Event()

    async def slow(message: str, history: list[dict[str, Any]]) -> str:
        await gate.wait()
        return "late"

    run = ChatRun(slow, ("m", []), pool)
    run.start()
    return run, gate


def slow_counter(closed: asyncio.Event) -> Callable[..., AsyncIterator[str]]:
    """A chat function counting to 1,000 every 10 ms; ``closed`` is set when it is closed
    before its end (by the exception that closes it), never when it finishes."""

    async def slow(message: str, history: list[dict[str, Any]]) -> AsyncIterator[str]:
        try:
            text = ""
            for i in range(1000):
                text += f"{i} "
                await asyncio.sleep(0.01)  # plays a slow model
                yield text
        except (GeneratorExit, asyncio.CancelledError):
            closed.set()
            raise

    return slow
