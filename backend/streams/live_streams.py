"""Answers that outlive their HTTP response: a stream's events are kept (in memory, in this
worker) so a client can reattach from a sequence number after a page change, and its chat
function keeps running for a short grace period while nobody is reading.

One producer task per answer drives the event source (``stream.answer_events``) into a list
of encoded events (the list index is the event id); every HTTP response that reads the answer
is a consumer that follows the list from where it wants. When the last consumer goes away, a
resumable stream waits ``grace`` seconds for a new one before its chat function is closed; a
plain one (API clients) is closed at once, as the foundation promises. Finished streams are
kept ``retention`` seconds for late reattaches, then dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from . import sse

log = logging.getLogger("backend.live_streams")

#: A stream nobody attached to at all (the client left before the first byte) is closed
#: after this many seconds.
FIRST_ATTACH_SECONDS = 10.0


@dataclass(eq=False)
class StreamTicket:
    """An answer as a route sees it: its id, and the token that lets a client read or stop it
    (what :class:`.redis_hub.RedisHub` hands out; :class:`LiveStream` is one too)."""

    id: str
    token: str

    def allows(self, token: str) -> bool:
        return hmac.compare_digest(self.token.encode(), token.encode())


@dataclass(eq=False)
class LiveStream(StreamTicket):
    resumable: bool
    events: list[bytes] = field(default_factory=list)
    done: bool = False
    stopped: bool = False
    consumers: int = 0
    #: Keep-alives the source produced (not kept: readers pass each on once they see it).
    ticks: int = 0
    finished_at: float = 0.0
    #: The readers waiting for the next change, a future each (made only when one waits).
    waiters: list[asyncio.Future[None]] = field(default_factory=list)
    task: asyncio.Task[None] | None = None
    timer: asyncio.TimerHandle | None = None

    def _publish(self) -> None:
        waiters = self.waiters
        if waiters:
            self.waiters = []
            for waiter in waiters:
                if not waiter.done():  # not a reader cancelled while it waited
                    waiter.set_result(None)

    async def _changed(self) -> None:
        """Waits for the next event, keep-alive or end."""
        waiter = asyncio.get_running_loop().create_future()
        self.waiters.append(waiter)
        await waiter


class Hub(Protocol):
    """Where answers live while they stream: this worker's memory (:class:`StreamHub`) or
    Redis (:class:`backend.streams.redis_hub.RedisHub`), shared by every worker and machine."""

    async def start(
        self,
        stream_id: str,
        source: AsyncIterator[bytes],
        *,
        token: str,
        resumable: bool,
        on_end: Callable[[], Awaitable[None]] | None = None,
    ) -> StreamTicket: ...

    async def find(self, stream_id: str) -> StreamTicket | None: ...

    def follow(self, stream: Any, after: int = -1, *, batch: bool = False) -> AsyncIterator[bytes]:
        """The stream's events after event ``after``; with ``batch``, the events already there
        come joined in one chunk (an SSE response writes them to the socket at once)."""
        ...

    async def stop(self, stream: Any) -> None: ...

    async def close(self) -> None: ...


class StreamHub:
    """The live streams of this worker."""

    def __init__(self, *, grace: float, retention: float) -> None:
        self.grace = grace
        self.retention = retention
        self._streams: dict[str, LiveStream] = {}
        self._next_sweep = 0.0

    async def start(
        self,
        stream_id: str,
        source: AsyncIterator[bytes],
        *,
        token: str,
        resumable: bool,
        on_end: Callable[[], Awaitable[None]] | None = None,
    ) -> LiveStream:
        """Runs ``source`` in the background, keeping its events; ``token`` lets the client
        that started it reattach (it travels in the ``start`` event of resumable streams)."""
        self._sweep()
        stream = LiveStream(stream_id, token, resumable)
        self._streams[stream_id] = stream
        stream.task = asyncio.get_running_loop().create_task(self._produce(stream, source, on_end))
        self._arm(stream, FIRST_ATTACH_SECONDS)
        return stream

    async def find(self, stream_id: str) -> LiveStream | None:
        self._sweep()
        stream = self._streams.get(stream_id)
        if stream is not None and self._expired(stream, time.monotonic()):
            return None  # the sweep only looks once a second
        return stream

    async def follow(
        self, stream: Any, after: int = -1, *, batch: bool = False
    ) -> AsyncIterator[bytes]:
        """The stream's events after event ``after``, then the new ones as they come, with
        keep-alive comments in silences; with ``batch``, those already there in one chunk."""
        stream.consumers += 1
        self._disarm(stream)
        index = max(after + 1, 0)
        ticks = stream.ticks
        try:
            if stream.done and stream.events and index >= len(stream.events):
                # A reader that had every event asks again: it gets the last one (done, or an
                # error) once more, so its stream too ends as every stream does, never empty.
                yield stream.events[-1]
                return
            while True:
                if batch and index < len(stream.events) - 1:
                    ready = stream.events[index:]
                    index += len(ready)
                    yield b"".join(ready)
                while index < len(stream.events):
                    yield stream.events[index]
                    index += 1
                if stream.done:
                    return
                if ticks != stream.ticks:
                    ticks = stream.ticks
                    yield sse.KEEP_ALIVE
                    continue
                # No timer per wait: the source's own keep-alives (a silent function) and
                # every new event wake readers.
                await stream._changed()
        finally:
            stream.consumers -= 1
            if stream.consumers == 0 and not stream.done:
                self._arm(stream, self.grace if stream.resumable else 0.0)

    async def stop(self, stream: LiveStream) -> None:
        """The visitor pressed Stop: the chat function is closed, readers see ``stopped``."""
        if stream.done:
            return
        stream.stopped = True
        if stream.task is not None:
            stream.task.cancel()

    async def close(self) -> None:
        """Cancels every producer (the app stops)."""
        tasks = [s.task for s in self._streams.values() if s.task and not s.task.done()]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    # --- internals ------------------------------------------------------------------

    async def _produce(
        self,
        stream: LiveStream,
        source: AsyncIterator[bytes],
        on_end: Callable[[], Awaitable[None]] | None,
    ) -> None:
        try:
            async for chunk in source:
                if chunk == sse.KEEP_ALIVE:
                    stream.ticks += 1
                else:
                    stream.events.append(chunk)
                stream._publish()
        except asyncio.CancelledError:
            if stream.stopped:
                stream.events.append(sse.encode({}, event="stopped", id=len(stream.events)))
        except Exception:  # noqa: BLE001 - answer_events turns fn failures into events already
            log.exception("stream %s failed", stream.id)
        finally:
            with contextlib.suppress(Exception):
                await source.aclose()  # type: ignore[attr-defined]
            stream.done = True
            stream.finished_at = time.monotonic()
            self._disarm(stream)
            stream._publish()
            if on_end is not None:
                with contextlib.suppress(Exception):
                    await on_end()
            # The finished task holds the request's context (the request, its app context):
            # a stream kept for late reattaches keeps only its events.
            stream.task = None

    def _arm(self, stream: LiveStream, delay: float) -> None:
        """Closes the stream's chat function in ``delay`` seconds unless a reader comes."""
        self._disarm(stream)
        loop = asyncio.get_running_loop()

        def give_up() -> None:
            stream.timer = None
            if stream.consumers == 0 and stream.task is not None and not stream.done:
                stream.task.cancel()

        if delay <= 0:
            give_up()
        else:
            stream.timer = loop.call_later(delay, give_up)

    @staticmethod
    def _disarm(stream: LiveStream) -> None:
        if stream.timer is not None:
            stream.timer.cancel()
            stream.timer = None

    def _sweep(self) -> None:
        """Drops finished streams past their retention; looks at most once a second (it walks
        every stream, and answers start many times a second under load)."""
        now = time.monotonic()
        if now < self._next_sweep:
            return
        self._next_sweep = now + 1.0
        for stream_id, stream in list(self._streams.items()):
            if self._expired(stream, now):
                del self._streams[stream_id]

    def _expired(self, stream: LiveStream, now: float) -> bool:
        return stream.done and stream.consumers == 0 and now - stream.finished_at > self.retention
