"""The blueprint of Gradio's protocol: ``GET /config`` and the ``/gradio_api/...`` routes
(info, queue, cancel, the two-step REST calls, heartbeat, upload, files). Every route keeps
our own rules: the app's origin policy, the per-client rates and answer slots, the body
limits, the JSON error envelope for a refused request."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any

from quart import Blueprint, Response, jsonify, request

from ...components.i18n import resolve
from ...errors import (
    InvalidRequestError,
    NotFoundError,
    RequestError,
    UnsupportedMediaTypeError,
    ValidationFailedError,
)
from ..bodies import json_body, refuse_encoded
from ..chat_request import parse_json
from ..chat_routes import event_stream
from ..file_routes import MAX_NAME_CHARS, accepted_types, serve_file
from ..visitor_locale import vary_by_locale, visitor_locale
from .calls import Call, error_update, new_event_id
from .config import API_PREFIX, config_document
from .endpoint import FN_INDEX, Endpoint, endpoint
from .files import file_of, read_chunks, reference
from .info import info_document
from .inputs import chat_request, named, positional
from .queue import data_stream, frame
from .rest import call_stream, not_found
from .sessions import Session, Sessions, session_hash

if TYPE_CHECKING:
    from ..state import AppState

#: Calls kept for their readers (the finished ones go first past this many).
MAX_CALLS = 10_000


class Registry:
    """This worker's calls by event id."""

    def __init__(self, capacity: int = MAX_CALLS) -> None:
        self.capacity = capacity
        self._calls: OrderedDict[str, Call] = OrderedDict()

    def add(self, call: Call) -> None:
        self._calls[call.id] = call
        if len(self._calls) > self.capacity:
            for key in [key for key, old in self._calls.items() if old.done][
                : len(self._calls) - self.capacity
            ]:
                del self._calls[key]

    def get(self, event_id: Any) -> Call | None:
        return self._calls.get(event_id) if isinstance(event_id, str) else None


def gradio_blueprint(state: AppState) -> Blueprint:
    bp = Blueprint("chatbubble_gradio", __name__)
    api = endpoint(state.interface)
    sessions = Sessions()
    calls = Registry()
    settings = state.settings

    def callable_named(name: str) -> Endpoint:
        if name != api.name or not api.callable:
            raise NotFoundError(f"No endpoint named {'/' + name[:60]!r} here.")
        return api

    async def body_object() -> dict[str, Any]:
        data = parse_json(await json_body(settings.max_body_bytes))
        if not isinstance(data, dict):
            raise InvalidRequestError("The request body must be a JSON object.")
        return data

    async def start(session: Session | None, parse: Callable[[], tuple[Any, list[Any]]]) -> Call:
        """A call of the chat function with the message and values ``parse`` gives; input
        it refuses ends the call with an error event (what Gradio's clients show, as Gradio
        does), a full answer slot is a 429."""
        call = Call(new_event_id(), session, api.outputs)
        history = session.history if session is not None else []
        try:
            message, values = parse()
            request_ = chat_request(message, values, history, state)
        except RequestError as refused:
            call.publish(error_update(refused.message))
        else:
            try:
                await call.start(state, request_)
            except ValidationFailedError as refused:  # the validator's message, as Gradio
                call.publish(error_update(refused.message))
        calls.add(call)
        return call

    @bp.get("/config")
    async def config() -> dict[str, Any]:
        # As Gradio: the i18n("key") texts stay keys, with the translations for the client.
        catalog = state.interface.i18n
        return config_document(
            api, root=state.base_url(), title=state.interface.title,
            max_file_size=settings.max_file_size,
            translations=catalog.translations_dict if catalog is not None else None,
        )  # fmt: skip

    @bp.get(f"{API_PREFIX}/info")
    async def info() -> Response:
        # Labels in the visitor's language (Gradio sends a key object no client shows).
        catalog = state.interface.i18n
        locale = visitor_locale(catalog, state.settings.locale)
        response = jsonify(resolve(info_document(api), catalog, locale))
        vary_by_locale(response)
        return response

    @bp.post(f"{API_PREFIX}/queue/join")
    async def join() -> dict[str, str]:
        body = await body_object()
        index = body.get("fn_index", FN_INDEX)
        # ``type`` and not ``!=``: False == 0 and 0.0 == 0, but neither is an index.
        if type(index) is not int or index != FN_INDEX or not api.callable:
            raise NotFoundError("No endpoint with this fn_index here.")
        session = sessions.get(session_hash(body.get("session_hash")))
        await state.limit(state.limits.messages)
        call = await start(session, lambda: positional(body.get("data"), api))
        session.queued.append(call)
        return {"event_id": call.id}

    @bp.get(f"{API_PREFIX}/queue/data")
    async def queue_data() -> Response:
        session = sessions.find(session_hash(request.args.get("session_hash")))
        if session is None or not session.queued:
            lost = {"msg": "unexpected_error", "event_id": None, "message": "No pending call "
                    "in this session.", "session_not_found": True, "success": False}  # fmt: skip
            return event_stream(state, _once(frame(lost)), "")
        return event_stream(state, data_stream(session, state), "")

    @bp.post(f"{API_PREFIX}/cancel")
    async def cancel() -> dict[str, bool]:
        body = await body_object()
        call = calls.get(body.get("event_id"))
        hash_ = body.get("session_hash")
        if call is not None and (call.session is None or call.session.hash == hash_):
            await call.stop(state)
            return {"success": True}
        return {"success": False}

    @bp.post(f"{API_PREFIX}/reset")
    async def reset() -> dict[str, bool]:
        await body_object()
        return {"success": True}

    @bp.get(f"{API_PREFIX}/heartbeat/<session>")
    async def heartbeat(session: str) -> Response:
        session_hash(session)
        return event_stream(state, _alive(state), "")

    @bp.post(f"{API_PREFIX}/call/<name>")
    @bp.post(f"{API_PREFIX}/call/<name>/")
    async def call_positional(name: str) -> dict[str, str]:
        callable_named(name)
        body = await body_object()
        if "data" not in body:
            raise InvalidRequestError("The field 'data' is missing: send {\"data\": [...]}.")
        session = _optional_session(sessions, body)
        await state.limit(state.limits.messages)
        call = await start(session, lambda: positional(body["data"], api))
        return {"event_id": call.id}

    @bp.post(f"{API_PREFIX}/call/v2/<name>")
    @bp.post(f"{API_PREFIX}/call/v2/<name>/")
    async def call_named(name: str) -> dict[str, str]:
        callable_named(name)
        body = await body_object()
        session = _optional_session(sessions, body)
        await state.limit(state.limits.messages)
        call = await start(session, lambda: named(body, api))
        return {"event_id": call.id}

    @bp.get(f"{API_PREFIX}/call/<name>/<event_id>")
    @bp.get(f"{API_PREFIX}/call/v2/<name>/<event_id>")
    async def call_events(name: str, event_id: str) -> Response:
        call = calls.get(event_id)
        if call is None or name != api.name:
            return event_stream(state, _once(not_found()), "")
        return event_stream(state, call_stream(call, state), "")

    @bp.post(f"{API_PREFIX}/upload")
    async def upload() -> list[str]:
        multimodal = state.interface.multimodal_options
        if multimodal is None:
            raise NotFoundError("This chat does not take files.")
        await state.limit(state.limits.uploads)
        if request.mimetype != "multipart/form-data":
            raise UnsupportedMediaTypeError(
                "Send the files as a multipart form, in the field 'files'."
            )
        refuse_encoded()
        form = (await request.files).getlist("files")
        if not form:
            raise InvalidRequestError("Send the files in the form field 'files'.")
        if len(form) > settings.max_files:
            raise InvalidRequestError(f"At most {settings.max_files} files per upload.")
        references = []
        for item in form:
            name = item.filename or ""
            if len(name) > MAX_NAME_CHARS:
                raise InvalidRequestError("The file name is too long.")
            stored = await state.files.receive(
                read_chunks(item.stream),
                name=name,
                claimed=item.mimetype or "",
                limit=settings.max_file_size,
                file_types=accepted_types(multimodal),
            )
            references.append(reference(stored))
        return references

    @bp.get(f"{API_PREFIX}/file=<path:reference>")
    async def file(reference: str) -> Response:
        try:
            stored = file_of(reference, state.files)
        except RequestError:
            raise NotFoundError() from None
        return await serve_file(stored)

    return bp


def _optional_session(sessions: Sessions, body: dict[str, Any]) -> Session | None:
    """A REST call shares a session's history only when it names one."""
    if body.get("session_hash") is None:
        return None
    return sessions.get(session_hash(body["session_hash"]))


async def _once(chunk: bytes) -> AsyncIterator[bytes]:
    yield chunk


async def _alive(state: AppState) -> AsyncIterator[bytes]:
    """The session's heartbeat stream, until the server stops or the client leaves (and at
    most as long as an answer may last: the client reconnects)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + state.settings.stream_max_duration
    while not state.stopping.is_set() and loop.time() < end:
        yield b"data: ALIVE\n\n"
        try:
            async with asyncio.timeout(state.settings.heartbeat_interval):
                await state.stopping.wait()
        except TimeoutError:
            pass
