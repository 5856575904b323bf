"""With ``store_transcripts``: one widget turn (the visitor's message and the answer, with its
timings or its error) recorded in the conversation store once the answer ends, however it
ends. ``TurnRecord`` watches the answer's events where they are made (in the stream hub, so an
answer that outlives its response is still recorded) and its ``finish`` (the final parts and
the signed id); the write runs in the background: the stream never waits for the store."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Any

from ..chat.answers import Part
from ..chat.turns import Finish
from ..storage.store import ConversationStore, FileRecord, Timings, Turn
from .chat_request import ChatRequest
from .store_writes import StoreWrites

#: The named events that carry the answer's content; a delta has no name (its frame starts
#: with its id). The first of them is the answer's first token.
CONTENT = (b"event: parts\n", b"event: outputs\n", b"id: ", b"data: ")
ERROR = b"event: error\n"


def message_parts(chat_request: ChatRequest) -> list[Part]:
    """The visitor's message as parts: its files (by id, with name, type and size), its text."""
    parts: list[Part] = [
        {"type": "file", "id": f.id, "name": f.name, "mime": f.mime, "size": f.size}
        for f in chat_request.files
    ]
    if chat_request.message or not parts:
        parts.append({"type": "text", "text": chat_request.message})
    return parts


class TurnRecord:
    """One answer being watched; ``events`` and ``finish`` wrap the stream's own."""

    def __init__(
        self,
        writes: StoreWrites,
        chat_request: ChatRequest,
        conversation_id: str,
        *,
        user: str = "",
        visitor: str = "",
    ) -> None:
        self.writes = writes
        self.request = chat_request
        self.conversation_id = conversation_id
        self.user = user
        self.visitor = visitor
        self.queued = time.time()
        self.first_token: float | None = None
        self.parts: list[Part] = []
        self.message_id = ""
        self.error = ""

    def finish(self, inner: Finish | None) -> Finish:
        def finish(parts: list[Part], whole: bool) -> dict[str, Any]:
            self.parts = list(parts)
            done = inner(parts, whole) if inner is not None else {}
            self.message_id = str(done.get("id", ""))
            return done

        return finish

    async def events(self, inner: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
        try:
            async for event in inner:
                if self.first_token is None and event.startswith(CONTENT):
                    self.first_token = time.time()
                elif event.startswith(ERROR):
                    self.error = _error_text(event)
                yield event
        finally:
            if hasattr(inner, "aclose"):
                await inner.aclose()
            self._record()

    def _record(self) -> None:
        page = self.request.page
        turn = Turn(
            conversation_id=self.conversation_id,
            message=message_parts(self.request),
            answer=self.parts,
            timings=Timings(self.queued, self.first_token, time.time()),
            message_id=self.message_id,
            error=self.error,
            user=self.user,
            visitor=self.visitor,
            page_url=page.url if page is not None else "",
        )
        files = [
            FileRecord(f.id, f.name, f.size, f.mime, self.conversation_id, f.created)
            for f in self.request.files
        ]
        self.writes.submit(_write(self.writes.store, turn, files), "a turn", self.conversation_id)


async def _write(store: ConversationStore, turn: Turn, files: list[FileRecord]) -> None:
    await store.record_turn(turn)
    for record in files:
        await store.record_file(record)


def _error_text(event: bytes) -> str:
    """The visitor-safe message of an ``error`` event (the envelope's ``error``)."""
    for line in event.split(b"\n"):
        if line.startswith(b"data: "):
            try:
                data = json.loads(line[len(b"data: ") :])
            except ValueError:
                return "error"
            if isinstance(data, dict):
                return str(data.get("error") or data.get("code") or "error")
    return "error"
