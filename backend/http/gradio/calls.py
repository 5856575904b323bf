"""One call of the chat function through Gradio's protocol, and its updates.

A call is started like every answer (``AppState.start_answer``: the client's stream slot, the
chat function's run in the stream hub) and read back from the hub's events, as ``/v1`` does;
its updates (the outputs so far: the whole answer, null for the history State, each additional
output; then the final ones, an error or a stop) are kept for the reader that comes for them
(the queue's data stream, or a ``GET /gradio_api/call/...``). A finished answer joins the
session's history (string contents)."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, Literal, Protocol

from ...chat.answers import NOT_CONTENT, Answer
from ...streams import sse
from ..visitor_request import visitor_request
from .outputs import Output, values

if TYPE_CHECKING:
    from ...streams.live_streams import StreamTicket
    from ..chat_request import ChatRequest, Message
    from ..state import AppState

Kind = Literal["queued", "started", "generating", "complete", "error", "cancelled"]
#: The kinds after which a call goes on.
GOING_ON = frozenset({"queued", "started", "generating"})
#: ``gr.Error``'s fields besides its message, as Gradio sends them.
ERROR_FIELDS = {"duration": 10, "visible": True, "title": "Error"}
STOPPED = "The answer was stopped."


class Owner(Protocol):
    """The session a call belongs to (``sessions.Session``), as a call sees it."""

    hash: str

    def poke(self) -> None: ...

    def remember(self, turns: list[Message], keep: int) -> None: ...


@dataclass(frozen=True)
class Update:
    kind: Kind
    #: The outputs so far (generating, complete), the callers ahead (queued), or the error's
    #: fields.
    value: Any = None


def error_update(message: str) -> Update:
    return Update("error", {"error": message, **ERROR_FIELDS})


def new_event_id() -> str:
    return secrets.token_hex(16)


@dataclass(eq=False)
class Call:
    id: str
    session: Owner | None
    #: The chat function's additional outputs.
    outputs: tuple[Output, ...] = ()
    updates: list[Update] = field(default_factory=list)
    done: bool = False
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    ticket: StreamTicket | None = None
    task: asyncio.Task[None] | None = None

    def publish(self, update: Update) -> None:
        if self.done:
            return
        self.updates.append(update)
        self.done = update.kind not in GOING_ON
        self.changed.set()
        self.changed = asyncio.Event()
        if self.session is not None:
            self.session.poke()

    async def start(self, state: AppState, request: ChatRequest) -> None:
        """Starts the answer (raises what ``start_answer`` raises: the client's slots are
        taken) and reads it in the background."""
        hash_ = self.session.hash if self.session is not None else None
        self.ticket = await state.start_answer(
            request,
            self.id,
            visitor=partial(visitor_request, state.client(), session_hash=hash_),
            conversation=f"gradio:{hash_}" if hash_ else None,
        )
        events = state.hub.follow(self.ticket)
        self.task = asyncio.get_running_loop().create_task(self._read(state, request, events))

    async def stop(self, state: AppState) -> None:
        """Stop, as the widget's: the chat function is closed (its ``finally`` runs)."""
        if self.ticket is not None and not self.done:
            await state.hub.stop(self.ticket)

    async def _read(
        self, state: AppState, request: ChatRequest, events: AsyncIterator[bytes]
    ) -> None:
        answer = Answer()
        extra: list[Any] = [None] * len(self.outputs)
        try:
            async for raw in events:
                event = sse.decode(raw)
                if event is not None and event[0] == "outputs" and self.outputs:
                    extra = values(self.outputs, event[1].get("outputs") or [], extra)
                    if not event[1].get("more"):  # else the answer's change comes next
                        self.publish(Update("generating", [answer_value(answer), None, *extra]))
                    continue
                if event is not None and event[0] in ("start", "queue"):
                    self._place(event[0], event[1])
                    continue
                if event is None or event[0] in NOT_CONTENT:
                    continue
                name, data = event
                if name == "error":
                    self.publish(error_update(str(data.get("error") or "")))
                    return
                if name == "stopped":
                    break
                if name == "done":
                    value = [answer_value(answer), None, *extra]
                    if self.session is not None:
                        self.session.remember(
                            turns(request, answer), state.settings.max_history_messages
                        )
                    self.publish(Update("complete", value))
                    return
                answer.apply(name, data)
                self.publish(Update("generating", [answer_value(answer), None, *extra]))
        finally:
            with contextlib.suppress(Exception):
                await events.aclose()  # type: ignore[attr-defined]
            self.publish(Update("cancelled"))

    def _place(self, name: str, data: dict[str, Any]) -> None:
        """The call's place in line (``concurrency_limit``): how many wait ahead of it, and
        when it starts."""
        if name == "start" and not data.get("queued"):
            self.publish(Update("started"))
        elif name == "queue":
            position = data.get("position")
            self.publish(Update("started") if position is None else Update("queued", position))


def answer_value(answer: Answer) -> Any:
    """What Gradio's clients get as the response: the text (files as markdown links)."""
    return answer.text if answer.parts else None


def turns(request: ChatRequest, answer: Answer) -> list[Message]:
    """The user's message (its files first) and the answer, as the history keeps them."""
    out: list[Message] = [("user", file) for file in request.files]
    if request.message or not request.files:
        out.append(("user", request.message))
    out.append(("assistant", answer.text))
    return out
