"""``POST /api/event``: one call of an event handler of the Blocks around the chat (a button's
``click``, a textbox's ``submit``, ``demo.load``, ...), answered as server-sent events.

The body names the handler by the index the config gave it (never code or a path) and carries
its inputs' current values, each checked as additional inputs are. Events: ``outputs``
(``{"outputs": [[component id, props], ...]}``, after each value the function returns or
yields), then ``done``, or ``error`` with the envelope (a ``gr.Error``'s message; other
exceptions as a generic message; a client with all its stream slots in use gets ``rate_limited``).
Same body limit, rate limit and stream slots as ``/api/chat``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from quart import Blueprint, Response

from ..chat.event_calls import arguments, call
from ..errors import InvalidRequestError, NotFoundError, RateLimitedError, envelope
from ..streams.events import failure
from ..streams.sse import encode
from .bodies import json_body
from .chat_request import parse_history, parse_json, parse_session
from .page_context import parse_page
from .visitor_request import visitor_request

if TYPE_CHECKING:
    from .state import AppState


def event_blueprint(state: AppState) -> Blueprint:
    bp = Blueprint("chatbubble_events", __name__)

    @bp.post("/api/event")
    async def event() -> Response:
        body = await json_body(state.settings.max_body_bytes)
        await state.limit(state.limits.messages)
        data = parse_json(body)
        if not isinstance(data, dict):
            raise InvalidRequestError('Send {"handler": <index>, "values": [...]}.')
        wiring = state.interface.wiring
        handler = wiring.handler(data.get("handler"))
        if handler is None:
            raise NotFoundError("This app has no such event handler.")
        session = parse_session(data.get("session"))
        page = parse_page(data.get("page"))
        get, keep = state.state_access(session)

        def conversation(raw: Any, where: str) -> list[Any]:
            """The chatbot's value: the conversation the widget sent, as Gradio's messages."""
            files, owner = state.files, state.visitor_owner()
            return state.interface.history(
                parse_history(raw or [], where, state.settings, files, owner)
            )

        args, kwargs = arguments(wiring, handler, data.get("values"), get, conversation)
        visitor = visitor_request(state.client(), page=page, session_hash=session)
        executor = state.require_executor()
        client = state.client()

        async def events() -> AsyncIterator[bytes]:
            # The slot is taken here, where the `finally` that gives it back is sure to run.
            if not await state.limits.streams.take(client):
                busy = RateLimitedError(2, "Several things are on the way already. Please wait.")
                yield encode(envelope(busy), event="error")
                return
            name = getattr(handler.fn, "__name__", "the event function")
            try:
                async for changes in call(wiring, handler, args, kwargs, executor, visitor, keep):
                    if changes:
                        yield encode({"outputs": changes}, event="outputs")
                yield encode({}, event="done")
            except Exception as error:  # noqa: BLE001 - the app's fn: shown as an error event
                shown = failure(error, name, state.settings.show_error)
                yield encode(envelope(shown), event="error")
            finally:
                await state.limits.streams.give_back(client)

        headers = {"Cache-Control": "no-cache, no-store", "X-Accel-Buffering": "no"}
        response = Response(events(), mimetype="text/event-stream", headers=headers)
        response.timeout = state.settings.stream_max_duration + 30
        return response

    return bp
