"""The two-step REST flow that ``curl`` users read (``GET /gradio_api/call/<name>/<id>``):
``event: generating`` with the whole answer so far at every update (no diffs), ``event:
complete`` with the final one, ``event: error`` (``gr.Error``'s message, or a generic one),
``event: heartbeat`` in silences; the stream ends after ``complete`` or ``error``. A reader
that leaves before the end stops the call."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from .calls import STOPPED, Call, error_update

if TYPE_CHECKING:
    from ..state import AppState


def event(name: str, data: Any) -> bytes:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"event: {name}\ndata: {body}\n\n".encode("utf-8", "replace")


def not_found() -> bytes:
    return event("error", error_update("No call with this event id (it ended long ago, or "
                                      "was never started here).").value)  # fmt: skip


async def call_stream(call: Call, state: AppState) -> AsyncIterator[bytes]:
    interval = state.settings.heartbeat_interval
    index = 0
    try:
        while True:
            changed = call.changed
            while index < len(call.updates):
                update = call.updates[index]
                index += 1
                if update.kind in ("queued", "started"):
                    continue  # curl readers see the answer, not the line
                if update.kind == "generating":
                    yield event("generating", update.value)
                elif update.kind == "complete":
                    yield event("complete", update.value)
                elif update.kind == "error":
                    yield event("error", update.value)
                else:
                    yield event("error", error_update(STOPPED).value)
            if call.done:
                return
            try:
                async with asyncio.timeout(interval):
                    await changed.wait()
            except TimeoutError:
                yield event("heartbeat", None)
    finally:
        if not call.done:
            await call.stop(state)
