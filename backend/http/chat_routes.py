"""The chat stream: ``POST /api/chat`` answers one message as server-sent events, and a
resumable answer is read again (``POST /api/streams/<id>``) or stopped (``.../stop``) from any
page; ``event_stream`` is the SSE response of these routes and of ``/v1``."""

from __future__ import annotations

import re
import secrets
from collections.abc import AsyncIterator
from functools import partial
from typing import TYPE_CHECKING, Any

from quart import Blueprint, Response, request

from ..chat.turns import cached_answer, finisher
from ..errors import InvalidRequestError, NotFoundError, StreamForbiddenError
from ..streams.live_streams import StreamTicket
from .bodies import json_body
from .chat_request import ChatRequest, Multimodal, parse_chat_request, parse_json
from .cors import STREAM_ID_HEADER
from .gzip_stream import GzipStream, accepts_gzip
from .history_routes import server_history
from .identity import current_identity
from .login import current_user
from .turn_records import TurnRecord
from .visitor_request import visitor_request

if TYPE_CHECKING:
    from .state import AppState

STREAM_ID = re.compile(r"\A[A-Za-z0-9_-]{22}\Z")


def chat_blueprint(state: AppState) -> Blueprint:
    bp = Blueprint("chatbubble_chat", __name__)
    # Fixed once the app is made: what each example sends (its text and file ids, its input
    # values) and how many files a message may carry.
    interface = state.interface
    examples_sent = tuple(
        (example.text, tuple(file.id for file in files))
        for example, files in zip(interface.examples, state.example_files, strict=True)
    )
    example_inputs = [example.inputs for example in interface.examples]
    options = interface.multimodal_options
    multimodal = (
        Multimodal(1 if options.file_count == "single" else state.settings.max_files)
        if options
        else None
    )

    @bp.post("/api/chat")
    async def chat() -> Response:
        body = await json_body(state.settings.max_body_bytes)
        client = state.client()
        await state.limit(state.limits.messages, client)
        interface = state.interface
        chat_request = parse_chat_request(
            body,
            state.settings,
            examples_sent,
            interface.textbox.max_length,
            files=state.files,
            owner=state.visitor_owner(),
            inputs=interface.additional_inputs,
            example_inputs=example_inputs,
            multimodal=multimodal,
            i18n=interface.i18n,
        )
        stream_id = secrets.token_urlsafe(16)
        example = chat_request.example
        finish = finisher(interface, example, state.signer, chat_request.conversation)
        token = secrets.token_urlsafe(24)
        cached = cached_answer(interface, example)
        session = chat_request.session
        record = _turn_record(state, chat_request, session or stream_id)
        if record is not None:
            finish = record.finish(finish)
        live = await state.start_answer(
            chat_request, stream_id, finish=finish, cached=cached, token=token, client=client,
            visitor=partial(visitor_request, client, page=chat_request.page, session_hash=session),
            conversation=state.conversation_key(session), reasoning=True,
            watch=record.events if record is not None else None,
        )  # fmt: skip
        return event_stream(state, state.hub.follow(live, batch=True), stream_id)

    @bp.post("/api/streams/<stream_id>")
    async def reattach(stream_id: str) -> Response:
        """Reads an answer again from event ``after`` on (a new page of the site)."""
        live, data = await _own_stream(state, stream_id)
        after = data.get("after", -1)
        if not isinstance(after, int) or isinstance(after, bool) or after < -1:
            raise InvalidRequestError("'after' must be the id of the last event read (or -1).")
        return event_stream(state, state.hub.follow(live, after, batch=True), stream_id)

    @bp.post("/api/streams/<stream_id>/stop")
    async def stop_stream(stream_id: str) -> dict[str, Any]:
        """Stop, from any page: the chat function is closed, readers get ``stopped``."""
        live, _ = await _own_stream(state, stream_id)
        await state.hub.stop(live)
        return {"ok": True}

    return bp


def _turn_record(
    state: AppState, chat_request: ChatRequest, conversation_id: str
) -> TurnRecord | None:
    """With ``store_transcripts``: the turn's record under the widget's conversation id (an
    answer without one is a conversation of its own), owned by the verified user. A signed-in
    visitor's turn of a widget conversation is recorded with ``save_history`` whatever
    ``store_transcripts`` says: they asked for their history (``history_routes.py``)."""
    if state.store_writes is None:
        return None
    identity = current_identity()
    history = identity is not None and chat_request.session is not None
    if not (state.settings.store_transcripts or (history and server_history(state))):
        return None
    return TurnRecord(
        state.store_writes, chat_request, conversation_id,
        user=current_user() or (identity.subject if identity else ""),
        visitor=state.visitor_owner() or "",
    )  # fmt: skip


def event_stream(state: AppState, events: AsyncIterator[bytes], stream_id: str) -> Response:
    """An SSE response (of /api/chat, a reattach, /v1), gzipped when the client accepts it
    (flushed after every event)."""
    headers = {
        "Cache-Control": "no-cache, no-store",
        "X-Accel-Buffering": "no",
        STREAM_ID_HEADER: stream_id,
    }
    if state.settings.compress_streams and accepts_gzip(
        request.headers.get("Accept-Encoding", "")
    ):
        headers["Content-Encoding"] = "gzip"
        headers["Vary"] = "Accept-Encoding"
        events = _gzipped(events)
    response = Response(events, mimetype="text/event-stream", headers=headers)
    # Our own idle and duration limits end the stream with an error event; Quart's timeout
    # (60 s by default, which would cut long answers) only backs them up.
    response.timeout = state.settings.stream_max_duration + 30
    return response


async def _own_stream(state: AppState, stream_id: str) -> tuple[StreamTicket, dict[str, Any]]:
    """The live stream ``stream_id`` and the request's JSON, if its token matches."""
    body = await json_body(state.settings.max_body_bytes)
    data = parse_json(body)
    if not isinstance(data, dict) or not isinstance(data.get("token"), str):
        raise InvalidRequestError('Send the stream\'s token as {"token": ...}.')
    live = await state.hub.find(stream_id) if STREAM_ID.match(stream_id) else None
    if live is None:
        raise NotFoundError("This answer is no longer available.")
    if not live.allows(data["token"]):
        raise StreamForbiddenError()
    return live, data


async def _gzipped(events: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    gzip = GzipStream()
    try:
        async for chunk in events:
            yield gzip.chunk(chunk)
        yield gzip.end()
    finally:
        await events.aclose()  # type: ignore[attr-defined]
