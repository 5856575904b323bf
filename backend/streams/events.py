"""Turns a running chat function into the event stream of ``POST /api/chat``.

An answer that has to wait for its turn (``concurrency_limit``) first sends ``queue`` events
with its place in line (``{"position": n}``: n callers ahead), and ``{"position": null}`` when
the chat function starts. Snapshots become diffs (``append`` when the text grew, ``replace``
otherwise; a ``parts`` event with the whole answer when it is more than one text), merged so
that deltas leave at least ``flush_interval`` apart, further apart when the worker is busy (the
first delta after a silence leaves at once). Keep-alive comments fill silences; the idle and
maximum-duration limits end a stream with an ``error`` event; every stream ends with ``done`` or
``error``.
"""

from __future__ import annotations

import asyncio
import logging
import math
import weakref
from collections.abc import AsyncIterator
from typing import Any

from ..chat.answers import Part, text_part
from ..chat.concurrency import Place
from ..chat.replies import PartMaker, ReplyError, cut, is_text
from ..chat.run import NOTHING, ChatRun
from ..chat.turns import Finish
from ..errors import ChatbubbleError, Error, ServerRestartingError, StreamTimeoutError, envelope
from ..settings import Settings
from . import sse

PROTOCOL = 1
log = logging.getLogger("backend.stream")


class Pacer:
    """When an answer may send its next delta, for every answer of a worker.

    Waits are rounded up to the next ``granularity`` step, so answers that wait for about the
    same time share one timer (a thousand streams cost a timer per step, not one each). The
    pacer also sees how late the loop runs those timers: a busy worker spaces deltas further
    apart (``spacing``, up to ``MAX_SPACING``), so each carries more text and the worker
    catches up.
    """

    #: Under load, deltas are spaced this many times the loop's recent lateness...
    LAG_FACTOR = 20.0
    #: ...but never further apart than this (seconds).
    MAX_SPACING = 0.5
    #: Lateness up to this is the loop's timer resolution (epoll counts milliseconds), not load:
    #: deltas stay ``flush_interval`` apart.
    SLACK = 0.002
    #: A lateness measured longer ago than this (seconds) no longer says anything.
    STALE = 1.0

    def __init__(self, granularity: float = 0.005) -> None:
        self.granularity = granularity
        #: How late the loop ran recent timers, in seconds (a moving average), and when it
        #: last rang one (loop time).
        self.lag = 0.0
        self.measured_at = 0.0
        # Per loop (tests run several, one after another): its steps and their sleepers.
        self._steps: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, dict[int, list[asyncio.Future[None]]]
        ] = weakref.WeakKeyDictionary()
        # The last loop's steps, found without the weak dictionary's lookup at every delta.
        self._last: weakref.ref[asyncio.AbstractEventLoop] | None = None
        self._last_steps: dict[int, list[asyncio.Future[None]]] = {}

    def spacing(self, interval: float, now: float) -> float:
        """The time to leave between two deltas at loop time ``now``: ``interval``, more when
        the loop has been running late."""
        if interval <= 0:
            return 0.0
        if now - self.measured_at > self.STALE or self.lag <= self.SLACK:
            return interval
        return max(interval, min(self.LAG_FACTOR * self.lag, self.MAX_SPACING))

    async def sleep(self, seconds: float, run: ChatRun) -> None:
        """Waits ``seconds`` (a little more: up to the next step), less if ``run`` ends or is
        woken meanwhile."""
        loop = asyncio.get_running_loop()
        if self._last is not None and self._last() is loop:
            steps = self._last_steps
        else:
            found = self._steps.get(loop)
            steps = self._steps[loop] = {} if found is None else found
            self._last, self._last_steps = weakref.ref(loop), steps
        step = math.ceil((loop.time() + seconds) / self.granularity)
        nap: asyncio.Future[None] = loop.create_future()
        sleepers = steps.get(step)
        if sleepers is None:
            sleepers = steps[step] = []
            loop.call_at(step * self.granularity, self._ring, loop, steps, step)
        sleepers.append(nap)
        run.interrupts(nap)
        await nap

    def _ring(
        self,
        loop: asyncio.AbstractEventLoop,
        steps: dict[int, list[asyncio.Future[None]]],
        step: int,
    ) -> None:
        now = loop.time()
        late = max(now - step * self.granularity, 0.0)
        if now - self.measured_at > self.STALE:
            self.lag = late  # an old average says nothing about now
        else:
            self.lag += (late - self.lag) / 4
        self.measured_at = now
        for nap in steps.pop(step, ()):
            if not nap.done():  # not cut short, not cancelled
                nap.set_result(None)


def delta(sent: str, text: str) -> dict[str, str] | None:
    """The event payload that turns ``sent`` into ``text``, or None when they are equal."""
    if text == sent:
        return None
    if text.startswith(sent):
        return {"append": text[len(sent) :]}
    return {"replace": text}


def failure(error: BaseException, fn_name: str, show_error: bool = False) -> ChatbubbleError:
    """What the visitor is told about ``error``; the operator's log gets the details. With
    ``show_error`` (``launch(show_error=True)``), any exception's own text, as Gradio's."""
    if isinstance(error, Error):
        if error.print_exception:
            log.info("%s raised backend.Error: %s", fn_name, error.message, exc_info=error)
        return error
    if isinstance(error, ChatbubbleError):
        return error
    log.error("the chat function %s failed", fn_name, exc_info=error)
    if show_error:
        return ChatbubbleError(f"{type(error).__name__}: {error}" if str(error) else None)
    return ChatbubbleError()


def change(sent: list[Part], parts: list[Part]) -> tuple[str | None, dict[str, Any]] | None:
    """The event (its name, None for a delta, and data) that turns the answer ``sent`` into
    ``parts``, or None when nothing changed. Text answers travel as deltas; so does one
    growing text part of a longer answer (``at``: its index, when it is not the last);
    anything else goes as a whole ``parts`` event."""
    if parts == sent:
        return None
    if is_text(parts) and (not sent or is_text(sent)):
        payload = delta(sent[0]["text"] if sent else "", parts[0]["text"])
        return (None, payload) if payload is not None else None
    if len(parts) == len(sent) > 1:
        changed = [i for i, (new, old) in enumerate(zip(parts, sent, strict=True)) if new != old]
        index = changed[0]
        new, old = parts[index], sent[index]
        if (
            len(changed) == 1
            and new["type"] == old["type"] == "text"
            and {**new, "text": ""} == {**old, "text": ""}
            and new["text"].startswith(old["text"])
        ):
            data: dict[str, Any] = {"append": new["text"][len(old["text"]) :]}
            if index != len(parts) - 1:
                data["at"] = index
            return None, data
    return "parts", {"parts": parts}


async def cached_events(
    answer: str | list[Part],
    stream_id: str,
    finish: Finish | None,
    start: dict[str, Any] | None = None,
) -> AsyncIterator[bytes]:
    """The SSE bytes of an answer known in advance (a cached example): all of it at once."""
    head = {"protocol": PROTOCOL, "stream": stream_id, **(start or {})}
    yield sse.encode(head, event="start", id=0)
    if isinstance(answer, str):
        parts = [text_part(answer)]
        yield sse.encode({"append": answer}, id=1)
    else:
        parts = answer
        yield sse.encode({"parts": parts}, event="parts", id=1)
    yield sse.encode(finish(parts, True) if finish else {}, event="done", id=2)


async def answer_events(
    run: ChatRun,
    settings: Settings,
    stream_id: str,
    finish: Finish | None = None,
    maker: PartMaker | None = None,
    stopping: asyncio.Event | None = None,
    start: dict[str, Any] | None = None,
    pacer: Pacer | None = None,
    place: Place | None = None,
    update_rate: float | str = "auto",
) -> AsyncIterator[bytes]:
    """The SSE bytes of one answer. Closing this generator cancels ``run``; ``finish`` gets
    the final parts of an answer that completed and returns the ``done`` event's data;
    ``maker`` turns snapshots into parts (text only without it). Once ``stopping`` is set
    (and the run woken), the stream ends with a ``server_restarting`` error event. ``pacer``
    spaces the deltas (the worker's, shared by its answers; a private one without it). A
    ``place`` not yet admitted waits for its turn first, telling the client its position at
    most every ``update_rate`` seconds ("auto": at every change); the time limits count from
    the function's start."""
    maker = maker or PartMaker(None, "")
    pacer = pacer or Pacer()
    loop = asyncio.get_running_loop()
    seq = 0
    head = {"protocol": PROTOCOL, "stream": stream_id, **(start or {})}
    waits = place is not None and not place.admitted
    if waits:
        head["queued"] = True
    yield sse.encode(head, event="start", id=seq)
    if place is not None and waits:
        last_write = last_sent = loop.time()
        shown: int | None = None
        while not place.admitted:
            if stopping is not None and stopping.is_set():
                seq += 1
                yield sse.encode(envelope(ServerRestartingError()), event="error", id=seq)
                return
            now = loop.time()
            gap = 0.0 if update_rate == "auto" else float(update_rate) - (now - last_sent)
            position = place.ahead()
            if position != shown and gap <= 0:
                seq += 1
                yield sse.encode({"position": position}, event="queue", id=seq)
                shown, last_sent = position, now
                last_write = now
            elif now - last_write >= settings.heartbeat_interval:
                yield sse.KEEP_ALIVE
                last_write = now
            wait = settings.heartbeat_interval - (now - last_write)
            if position != shown:
                wait = min(wait, gap)
            await place.moved(wait)
        seq += 1
        yield sse.encode({"position": None}, event="queue", id=seq)
    started = last_news = last_write = loop.time()
    sent: list[Part] = []
    outputs: list[Part | None] = []
    limit = settings.max_answer_chars
    truncated = False
    try:
        run.start()
        while True:
            now = loop.time()
            first_token = settings.stream_first_token_timeout if not sent else float("inf")
            wait = min(
                settings.heartbeat_interval - (now - last_write),
                settings.stream_idle_timeout - (now - last_news),
                settings.stream_max_duration - (now - started),
                first_token - (now - started),
            )
            has_news = await run.wait(max(wait, 0.0))
            now = loop.time()
            if stopping is not None and stopping.is_set():
                seq += 1
                yield sse.encode(envelope(ServerRestartingError()), event="error", id=seq)
                return
            # The longest answer is checked with news too: a function that yields all the time
            # always has news after the pause between deltas.
            if now - started >= settings.stream_max_duration or (
                not has_news
                and (
                    now - last_news >= settings.stream_idle_timeout or now - started >= first_token
                )
            ):
                seq += 1
                yield sse.encode(envelope(StreamTimeoutError()), event="error", id=seq)
                return
            if not has_news:
                if now - last_write >= settings.heartbeat_interval:
                    yield sse.KEEP_ALIVE
                    last_write = now
                continue
            last_news = now
            value, finished, error = run.take()
            if value is not NOTHING:
                try:
                    parts, updates = await maker.snapshot(value)
                except ReplyError as bad_value:
                    log.error("the chat function %s: %s", run.name, bad_value)
                    error = ChatbubbleError()
                else:
                    shorter = cut(parts, limit) if limit else None
                    if shorter is not None:  # too long: the last delta, then done
                        log.warning(
                            "the chat function %s: answer cut at %d chars", run.name, limit
                        )
                        parts, finished, truncated = shorter, True, True
                    event = change(sent, parts)
                    fresh = _fresh(outputs, updates)
                    if fresh is not None:
                        # Before the answer's change of the same yield, which "more" announces:
                        # a reader that takes both as one update (Gradio's protocol) waits.
                        seq += 1
                        news: dict[str, Any] = {"outputs": fresh}
                        if event is not None:
                            news["more"] = True
                        yield sse.encode(news, event="outputs", id=seq)
                        last_write = loop.time()
                    if event is not None:
                        seq += 1
                        yield sse.encode(event[1], event=event[0], id=seq)
                        sent = parts
                        last_write = loop.time()
            if error is not None:
                seq += 1
                yield sse.encode(
                    envelope(failure(error, run.name, settings.show_error)), event="error", id=seq
                )
                return
            if finished:
                seq += 1
                final = sent or [text_part("")]
                done = finish(final, not truncated) if finish else {}
                if truncated:
                    done = {**done, "truncated": True}
                yield sse.encode(done, event="done", id=seq)
                return
            gap = pacer.spacing(settings.flush_interval, loop.time())
            if gap > 0:
                await pacer.sleep(gap, run)
    finally:
        run.cancel()


def _fresh(
    shown: list[Part | None], updates: list[Part | None] | None
) -> list[Part | None] | None:
    """The ``outputs`` event's data: each output that changed (None for the rest), or None
    when nothing did. ``shown`` is updated to what the client now shows."""
    if updates is None:
        return None
    if not shown:
        shown.extend([None] * len(updates))
    fresh: list[Part | None] = []
    for index, update in enumerate(updates):
        if update is not None and update != shown[index]:
            shown[index] = update
            fresh.append(update)
        else:
            fresh.append(None)
    return fresh if any(item is not None for item in fresh) else None
