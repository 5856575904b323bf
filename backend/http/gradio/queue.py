"""The queue's wire format (``/gradio_api/queue/data``): one event stream per session that
carries every call the session joined, as ``data: {"msg": ...}`` lines: ``estimation`` and
``process_starts`` when a call starts, ``process_generating`` per update (the first with the
whole answer, the next ones with diffs Gradio's clients apply), ``process_completed`` (the
answer, or ``success: false`` with the error), ``heartbeat`` in silences, and
``close_stream`` once nothing is pending. A reader that leaves before that stops the
session's calls (the chat function is closed)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from ...streams import sse
from .calls import Call, Update

if TYPE_CHECKING:
    from ..state import AppState
    from .sessions import Session


def frame(message: dict[str, Any]) -> bytes:
    """One message of Gradio's stream: an unnamed event, as our own are encoded."""
    return sse.encode(message)


def diff(before: Any, after: Any) -> list[list[Any]]:
    """Gradio's edits turning ``before`` into ``after`` (the path ``[]``: the whole value):
    text that only grew is appended, anything else replaced; nothing for an unchanged value."""
    if before == after:
        return []
    if isinstance(before, str) and isinstance(after, str) and after.startswith(before):
        return [["append", [], after[len(before) :]]]
    return [["replace", [], after]]


def output(data: list[Any], generating: bool) -> dict[str, Any]:
    return {
        "data": data,
        "is_generating": generating,
        "duration": None,
        "average_duration": None,
        "render_config": None,
        "changed_state_ids": [],
        "used_cache": None,
    }


class Reader:
    """What one call has sent on the stream so far."""

    def __init__(self, call: Call) -> None:
        self.call = call
        self.index = 0
        self.estimated = False
        self.started = False
        self.shown: Any = None
        self.generated = False

    def pending(self) -> list[Update]:
        fresh = self.call.updates[self.index :]
        self.index = len(self.call.updates)
        return fresh

    @property
    def finished(self) -> bool:
        return self.call.done and self.index == len(self.call.updates)

    def messages(self) -> list[dict[str, Any]]:
        """Its place in line (``estimation``: how many wait ahead, ``rank``), the start of the
        function (``process_starts``), then its outputs."""
        out: list[dict[str, Any]] = []
        for update in self.pending():
            if update.kind == "queued":
                if not self.started:
                    out.append(self._estimation(update.value))
                continue
            if not self.started:
                if not self.estimated:
                    out.append(self._estimation(0))
                self.started = True
                out.append({"msg": "process_starts", "event_id": self.call.id, "eta": None})
            if update.kind != "started":
                out.append(self._message(update))
        return out

    def _estimation(self, rank: int) -> dict[str, Any]:
        self.estimated = True
        return {"msg": "estimation", "event_id": self.call.id, "rank": rank,
                "queue_size": rank + 1, "rank_eta": None}  # fmt: skip

    def _message(self, update: Update) -> dict[str, Any]:
        event_id = self.call.id
        if update.kind == "generating":
            now = update.value
            data = (
                [diff(a, b) for a, b in zip(self.shown, now, strict=True)]
                if self.generated
                else now
            )
            self.generated, self.shown = True, update.value
            return {"msg": "process_generating", "event_id": event_id,
                    "output": output(data, True), "success": True, "time_limit": None}  # fmt: skip
        completed: dict[str, Any] = {"msg": "process_completed", "event_id": event_id}
        if update.kind == "complete":
            return {**completed, "output": output(update.value, False), "success": True,
                    "title": None}  # fmt: skip
        if update.kind == "error":
            return {**completed, "output": update.value, "success": False, "title": None}
        return {**completed, "output": {}, "success": True, "title": None}  # stopped


#: How long the data stream stays open after its last call, for the client's next join.
LINGER_SECONDS = 5.0


async def data_stream(session: Session, state: AppState) -> AsyncIterator[bytes]:
    """The session's stream, until every call it joined has been sent (or the reader goes)."""
    readers: dict[str, Reader] = {}
    lingered = False
    interval = state.settings.heartbeat_interval
    closed = False
    try:
        while True:
            changed = session.changed
            ready: list[bytes] = []  # what is there leaves in one write
            for call in list(session.queued):
                reader = readers.setdefault(call.id, Reader(call))
                ready += [frame(message) for message in reader.messages()]
                if reader.finished:
                    session.queued.remove(call)
            if ready:
                yield b"".join(ready)
            if session.queued:
                lingered = False  # after these calls, linger again
            elif not lingered and not state.stopping.is_set():
                # A client joins its next call on the stream it believes open (@gradio/client
                # opens one only when it has read close_stream): linger a moment first.
                lingered = True
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(LINGER_SECONDS):
                        await changed.wait()
                continue
            if not session.queued or state.stopping.is_set():
                closed = True
                yield frame({"msg": "close_stream", "event_id": None})
                return
            try:
                async with asyncio.timeout(interval):
                    await changed.wait()
            except TimeoutError:
                yield frame({"msg": "heartbeat"})
    finally:
        if not closed:
            for call in list(session.queued):
                await call.stop(state)
            session.queued.clear()
