"""Answers kept in Redis (``--redis-url``), so any worker or machine behind a load balancer can
serve a reattach or a Stop for an answer another one is producing.

Per stream (keys under ``<prefix>:s:<id>``, all expiring ``retention`` seconds after the end):

- ``:ev``       a Redis Stream of the encoded events (entry ``0-<n+1>`` holds event ``n``);
- ``:meta``     a hash: ``token``, ``resumable``, ``done``;
- ``:readers``  a sorted set of reader ids scored by their last heartbeat;
- ``:alive``    the producer's heartbeat: a key it sets again and again, expiring
  ``PRODUCER_TTL`` seconds after the last time (Redis's clock, so machines' clocks may differ);
- ``:ch``       a pub/sub channel: ``e`` (new events), ``r`` (a reader left), ``stop``.

The producer (the worker that runs the chat function) appends events and watches the channel:
a ``stop`` cancels the function; when no reader has been alive for the grace period (at once
for a stream that is not resumable) the function is closed, as with one process. Readers poll
nothing: they wait on the channel, refreshing their heartbeat, and end with an error event if
Redis goes away or the producer's heartbeat lapses before the end (its process was killed:
``stream_lost``), never a hang.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from ..errors import StreamLostError, StreamStoreError, envelope
from . import sse
from .live_streams import FIRST_ATTACH_SECONDS, StreamTicket

log = logging.getLogger("backend.redis_hub")

#: A reader whose heartbeat is older than this is gone (it crashed with its worker).
READER_TTL = 10.0
#: A producer whose heartbeat is older than this is gone (its process died mid-answer); it
#: beats every third of it.
PRODUCER_TTL = 10.0
#: How often a running answer's watcher looks for readers (and waits for a Stop in between).
WATCH_INTERVAL = 0.5
REDIS_TIMEOUT = 5.0


class RedisHub:
    """Streams shared through Redis; same interface as :class:`.live_streams.StreamHub`."""

    def __init__(
        self,
        url: str,
        *,
        prefix: str,
        grace: float,
        retention: float,
        heartbeat: float,
        max_duration: float,
    ) -> None:
        self.redis = aioredis.from_url(
            url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT
        )
        self.prefix = prefix
        self.grace = grace
        self.retention = retention
        self.heartbeat = heartbeat
        self.max_duration = max_duration
        self._tasks: set[asyncio.Task[None]] = set()

    def _key(self, stream_id: str, part: str) -> str:
        return f"{self.prefix}:s:{stream_id}:{part}"

    # --- the interface --------------------------------------------------------------

    async def start(
        self,
        stream_id: str,
        source: AsyncIterator[bytes],
        *,
        token: str,
        resumable: bool,
        on_end: Callable[[], Awaitable[None]] | None = None,
    ) -> StreamTicket:
        meta = self._key(stream_id, "meta")
        ttl = int(self.max_duration + self.retention + 60)
        await self.redis.hset(
            meta, mapping={"token": token, "resumable": int(resumable), "done": 0}
        )
        await self.redis.expire(meta, ttl)
        await self._beat(stream_id)
        task = asyncio.get_running_loop().create_task(
            self._produce(stream_id, source, resumable, on_end)
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return StreamTicket(stream_id, token)

    async def find(self, stream_id: str) -> StreamTicket | None:
        token = await self.redis.hget(self._key(stream_id, "meta"), "token")
        if not token:
            return None
        return StreamTicket(stream_id, token.decode() if isinstance(token, bytes) else token)

    async def _beat(self, stream_id: str) -> None:
        """The producer of ``stream_id`` is alive, for ``PRODUCER_TTL`` seconds more."""
        await self.redis.set(self._key(stream_id, "alive"), b"1", px=int(PRODUCER_TTL * 1000))

    async def _lost(self, stream_id: str) -> bool:
        """Whether the producer of an unfinished answer died: its heartbeat lapsed and it never
        marked the answer done."""
        if await self.redis.exists(self._key(stream_id, "alive")):
            return False
        return await self.redis.hget(self._key(stream_id, "meta"), "done") == b"0"

    async def stop(self, stream: StreamTicket) -> None:
        await self.redis.publish(self._key(stream.id, "ch"), b"stop")

    async def follow(
        self, stream: Any, after: int = -1, *, batch: bool = False
    ) -> AsyncIterator[bytes]:
        events = self._key(stream.id, "ev")
        meta = self._key(stream.id, "meta")
        readers = self._key(stream.id, "readers")
        channel = self._key(stream.id, "ch")
        reader = secrets.token_hex(8)
        index = max(after + 1, 0)
        pubsub = self.redis.pubsub()
        try:
            try:
                await pubsub.subscribe(channel)
                await self.redis.zadd(readers, {reader: time.time()})
                await self.redis.expire(readers, int(self.max_duration + self.retention + 60))
                beat = last_sent = time.monotonic()
                while True:
                    # Entry ``0-<n+1>`` holds event ``n``: read from the next one on.
                    fresh = await self.redis.xrange(events, min=f"0-{index + 1}", max="+") or []
                    chunks = [_event_bytes(fields) for _, fields in fresh]
                    if batch and len(chunks) > 1:
                        chunks = [b"".join(chunks)]
                    for chunk in chunks:
                        yield chunk
                    index += len(fresh)
                    if fresh:
                        last_sent = time.monotonic()
                        continue
                    done = await self.redis.hget(meta, "done")
                    if done in (b"1", None):
                        if await self._more(events, index):
                            continue
                        if index == max(after + 1, 0):
                            # It had every event already: the last one again (done, or an
                            # error), so its stream ends as every stream does, never empty.
                            last = await self.redis.xrevrange(events, count=1) or []
                            for _, fields in last:
                                yield _event_bytes(fields)
                        return
                    message = await pubsub.get_message(
                        ignore_subscribe_messages=True, timeout=min(self.heartbeat, 1.0)
                    )
                    now = time.monotonic()
                    if now - beat >= READER_TTL / 3:
                        await self.redis.zadd(readers, {reader: time.time()})
                        beat = now
                        if await self._lost(stream.id):
                            log.error("the process producing stream %s is gone", stream.id)
                            yield sse.encode(envelope(StreamLostError()), event="error", id=index)
                            return
                    if message is None and now - last_sent >= self.heartbeat:
                        yield sse.KEEP_ALIVE
                        last_sent = now
            except (RedisError, OSError) as error:
                log.error("redis failed while following stream %s: %s", stream.id, error)
                yield sse.encode(envelope(StreamStoreError()), event="error", id=index)
        finally:
            with contextlib.suppress(RedisError, OSError):
                await self.redis.zrem(readers, reader)
                await self.redis.publish(channel, b"r")
            with contextlib.suppress(RedisError, OSError):
                await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def close(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        with contextlib.suppress(RedisError, OSError):
            await self.redis.aclose()

    # --- the producer ---------------------------------------------------------------

    async def _more(self, events: str, index: int) -> bool:
        length: int = await self.redis.xlen(events)
        return length > index

    async def _produce(
        self,
        stream_id: str,
        source: AsyncIterator[bytes],
        resumable: bool,
        on_end: Callable[[], Awaitable[None]] | None,
    ) -> None:
        events = self._key(stream_id, "ev")
        meta = self._key(stream_id, "meta")
        channel = self._key(stream_id, "ch")
        runner = asyncio.current_task()
        stopped = asyncio.Event()
        finished = asyncio.Event()
        watcher = asyncio.get_running_loop().create_task(
            self._watch(stream_id, resumable, runner, stopped, finished)
        )
        count = 0
        try:
            async for chunk in source:
                if chunk == sse.KEEP_ALIVE:
                    continue
                await self.redis.xadd(events, {"d": chunk}, id=f"0-{count + 1}")
                await self.redis.publish(channel, b"e")
                count += 1
        except asyncio.CancelledError:
            if stopped.is_set():
                with contextlib.suppress(RedisError, OSError):
                    stop = sse.encode({}, event="stopped", id=count)
                    await self.redis.xadd(events, {"d": stop}, id=f"0-{count + 1}")
        except (RedisError, OSError) as error:
            log.error("redis failed while producing stream %s: %s", stream_id, error)
        finally:
            # The watcher may sit in redis-py's get_message, which can swallow a cancel that
            # meets its own read timeout (Python 3.11's asyncio.timeout): it also ends at its
            # next look at ``finished``, so the answer is always marked done.
            finished.set()
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
            with contextlib.suppress(Exception):
                await source.aclose()  # type: ignore[attr-defined]
            with contextlib.suppress(RedisError, OSError):
                await self.redis.hset(meta, "done", 1)
                await self.redis.publish(channel, b"e")
                for part in ("ev", "meta", "readers", "alive"):
                    await self.redis.expire(self._key(stream_id, part), int(self.retention))
            if on_end is not None:
                with contextlib.suppress(Exception):
                    await on_end()

    async def _watch(
        self,
        stream_id: str,
        resumable: bool,
        runner: asyncio.Task[Any] | None,
        stopped: asyncio.Event,
        finished: asyncio.Event,
    ) -> None:
        """Cancels ``runner`` on a Stop, or when nobody reads for the grace period; returns
        once ``finished`` is set (the answer ended by itself)."""
        channel = self._key(stream_id, "ch")
        readers = self._key(stream_id, "readers")
        pubsub = self.redis.pubsub()
        started = time.monotonic()
        alone_since: float | None = None
        attached = False
        try:
            await pubsub.subscribe(channel)
            checked = -WATCH_INTERVAL
            beaten = time.monotonic()
            while True:
                # Every message waiting is read at once: the channel also carries one "e" per
                # event, and a Stop must not queue behind them when the machine is slow.
                message = await pubsub.get_message(
                    ignore_subscribe_messages=True, timeout=WATCH_INTERVAL
                )
                while message is not None and message.get("data") != b"stop":
                    message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=0)
                if finished.is_set():
                    return
                if message is not None:
                    stopped.set()
                    break
                if time.monotonic() - checked < WATCH_INTERVAL:
                    continue
                checked = time.monotonic()
                if checked - beaten >= PRODUCER_TTL / 3:
                    await self._beat(stream_id)
                    beaten = checked
                await self.redis.zremrangebyscore(readers, "-inf", time.time() - READER_TTL)
                count = await self.redis.zcard(readers)
                now = time.monotonic()
                if count:
                    attached = True
                    alone_since = None
                    continue
                if alone_since is None:
                    alone_since = now
                grace = self.grace if resumable else 0.0
                if (
                    attached or now - started > FIRST_ATTACH_SECONDS
                ) and now - alone_since >= grace:
                    break
        except (RedisError, OSError) as error:
            log.error("redis failed while watching stream %s: %s", stream_id, error)
        finally:
            with contextlib.suppress(RedisError, OSError):
                await pubsub.aclose()  # type: ignore[no-untyped-call]
        if runner is not None and not runner.done():
            runner.cancel()


def _event_bytes(fields: Any) -> bytes:
    """One event as a stream entry keeps it (field ``d``)."""
    chunk = (fields or {}).get(b"d", b"")
    return chunk if isinstance(chunk, bytes) else str(chunk).encode()
