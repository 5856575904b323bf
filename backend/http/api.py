"""The HTTP routes: ``/widget.js``, ``/api/config``, ``/api/chat`` (see ARCHITECTURE.md)."""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import AsyncIterator
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quart import Blueprint, Response, jsonify, request, send_file, send_from_directory

from ..chat.answers import Part, contents
from ..chat.examples import Answer
from ..chat.message_ids import MessageSigner
from ..chat.outputs import Outputs
from ..chat.replies import PartMaker, cacheable, is_text
from ..chat.run import ChatRun
from ..errors import (
    InvalidRequestError,
    NotFoundError,
    RateLimitedError,
    RequestError,
    StreamForbiddenError,
    UnknownMessageError,
)
from ..files.store import VISITOR_KEY, VISITOR_KEY_HEADER, FileStore, StoredFile, owner_of
from ..settings import Settings
from ..storage.feedback import CsvFeedbackLog
from ..streams.events import Finish, Pacer, answer_events, cached_events
from ..streams.live_streams import Hub, StreamTicket
from .bodies import json_body
from .chat_request import ChatRequest, Multimodal, parse_chat_request, parse_json
from .client_address import Network, client_address, networks
from .cors import OriginPolicy
from .feedback_request import parse_feedback_request
from .gzip_stream import GzipStream, accepts_gzip
from .limits import Limits, Rate, make_limits
from .widget_asset import CHUNKS, WidgetAsset
from .widget_config import widget_config

if TYPE_CHECKING:
    from ..chat.interface import ChatInterface

WIDGET_CACHE = "public, max-age=300, stale-while-revalidate=86400"
STREAM_ID = re.compile(r"\A[A-Za-z0-9_-]{22}\Z")
CHUNK_NAME = re.compile(r"\A[a-z0-9-]{1,40}\Z")
SITE_FILE = re.compile(r"\A[A-Za-z0-9_-]+\.(html|css|svg|png|ico)\Z")


@dataclass
class AppState:
    """Everything the routes need, passed explicitly."""

    interface: ChatInterface
    settings: Settings
    origins: OriginPolicy
    files: FileStore
    outputs: Outputs
    #: Each example's files, stored for good (``multimodal=True``).
    example_files: tuple[tuple[StoredFile, ...], ...] = ()
    widget: WidgetAsset = field(default_factory=WidgetAsset)
    chunks: dict[str, WidgetAsset] = field(default_factory=dict)
    site_dir: Path | None = None
    executor: Executor | None = None
    signer: MessageSigner | None = None
    feedback_log: CsvFeedbackLog | None = None
    #: Set when the server stops: streams in flight end with a final event.
    stopping: asyncio.Event = field(default_factory=asyncio.Event)
    runs: set[ChatRun] = field(default_factory=set)
    limits: Limits = field(init=False)
    #: Spaces the deltas of every answer of this worker.
    pacer: Pacer = field(default_factory=Pacer)
    proxies: tuple[Network, ...] = field(init=False)

    def __post_init__(self) -> None:
        self.limits = make_limits(self.settings, self.interface.app_id)
        self.proxies = networks(self.settings.trusted_proxies)

    @property
    def hub(self) -> Hub:
        return self.limits.hub

    def drain(self) -> None:
        """Ends every answer in flight with a ``server_restarting`` event (SIGTERM)."""
        self.stopping.set()
        for run in list(self.runs):
            run.wake()

    def client(self) -> str:
        """The requesting client's address (through trusted proxies)."""
        return client_address(
            request.remote_addr, request.headers.get("X-Forwarded-For"), self.proxies
        )

    def visitor_owner(self) -> str | None:
        """The owner (a digest) of this request's ``X-Visitor-Key``: the widget sends it with
        uploads and messages, so the files a visitor uploads can only be sent by them."""
        key = request.headers.get(VISITOR_KEY_HEADER)
        if key is None:
            return None
        if not VISITOR_KEY.match(key):
            raise RequestError(
                f"{VISITOR_KEY_HEADER} must be 22 to 128 letters, digits, '-' or '_'."
            )
        return owner_of(key)

    async def limit(self, rate: Rate) -> None:
        wait = await rate.allow(self.client())
        if wait:
            raise RateLimitedError(wait)

    async def start_answer(
        self,
        chat_request: ChatRequest,
        stream_id: str,
        *,
        finish: Finish | None = None,
        cached: Answer | None = None,
        token: str = "",
    ) -> StreamTicket:
        """Takes one of the client's stream slots and starts the answer (the chat function, or
        a cached answer) in the stream hub, which gives the slot back however it ends. The
        caller reads it with ``hub.follow``."""
        client = self.client()
        if not await self.limits.streams.take(client):
            raise RateLimitedError(
                2, "You have several answers on the way already. Please wait for one to finish."
            )
        start = {"token": token} if chat_request.resumable else {}
        run: ChatRun | None = None
        events: AsyncIterator[bytes]
        if cached is not None:
            events = cached_events(cached, stream_id, finish, start)
        else:
            run = ChatRun(
                self.interface.fn,
                (
                    chat_request.message_for_fn(),
                    chat_request.history_for_fn(),
                    *chat_request.inputs,
                ),
                self.require_executor(),
            )
            maker = PartMaker(self.outputs, self.base_url(), self.interface.additional_outputs)
            events = answer_events(
                run, self.settings, stream_id, finish, maker, self.stopping, start, self.pacer
            )
            self.runs.add(run)

        async def ended() -> None:
            if run is not None:
                self.runs.discard(run)
            await self.limits.streams.give_back(client)

        return await self.hub.start(
            stream_id, events, token=token, resumable=chat_request.resumable, on_end=ended
        )

    def base_url(self) -> str:
        """Absolute URLs the widget loads: the configured public URL, else the URL this
        request came in on (what the widget used to reach us)."""
        if self.settings.public_url:
            return self.settings.base_url
        return request.host_url.rstrip("/")

    def require_executor(self) -> Executor:
        if self.executor is None:
            raise RuntimeError("the app is not serving (before_serving has not run)")
        return self.executor


def api_blueprint(state: AppState) -> Blueprint:
    bp = Blueprint("chatbubble", __name__)
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

    @bp.get("/widget.js")
    async def widget_js() -> Response:
        return _script(state.widget)

    @bp.get("/widget/<name>.js")
    async def widget_chunk(name: str) -> Response:
        """Parts of the widget it loads on first use (not needed before the first answer)."""
        if not CHUNK_NAME.match(name):
            raise NotFoundError()
        chunk = state.chunks.get(name)
        if chunk is None:
            chunk = WidgetAsset(CHUNKS / f"{name}.js")
            if not chunk.built:
                raise NotFoundError()  # never remembered: asking for names costs no memory
            state.chunks[name] = chunk
        return _script(chunk)

    @bp.get("/healthz")
    async def healthz() -> Response:
        """For load balancers: 200 while this worker serves."""
        response = jsonify({"ok": True})
        response.headers["Cache-Control"] = "no-store"
        return response

    @bp.get("/api/config")
    async def config() -> Response:
        response = jsonify(
            widget_config(state.interface, state.settings, state.base_url(), state.example_files)
        )
        response.headers["Cache-Control"] = "no-cache"
        return response

    @bp.get("/api/assets/<asset_id>")
    async def asset(asset_id: str) -> Response:
        found = state.interface.assets.get(asset_id)
        if found is None:
            raise NotFoundError()
        path, mimetype = found
        response = await send_file(path, mimetype=mimetype)
        response.headers["Cache-Control"] = "public, max-age=3600"
        response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; sandbox"
        )
        return response

    @bp.post("/api/chat")
    async def chat() -> Response:
        body = await json_body(state.settings.max_body_bytes)
        await state.limit(state.limits.messages)
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
        )
        stream_id = secrets.token_urlsafe(16)
        cache = interface.example_cache
        index = chat_request.example

        def finish(parts: list[Part], whole: bool) -> dict[str, Any]:
            if whole and cache is not None and index is not None and cache.get(index) is None:
                if is_text(parts):
                    cache.store(index, parts[0]["text"])
                elif cacheable(parts):
                    cache.store(index, parts)
            if state.signer is None:
                return {}
            turns = chat_request.conversation()
            turns.extend(("assistant", content) for content in contents(parts))
            return {"id": state.signer.sign(turns)}

        token = secrets.token_urlsafe(24)
        cached = cache.get(index) if cache is not None and index is not None else None
        if cached is not None and interface.additional_outputs:
            cached = None  # the outputs are not cached: run the function
        live = await state.start_answer(
            chat_request, stream_id, finish=finish, cached=cached, token=token
        )
        return event_stream(state, state.hub.follow(live), stream_id)

    @bp.post("/api/streams/<stream_id>")
    async def reattach(stream_id: str) -> Response:
        """Reads an answer again from event ``after`` on (a new page of the site)."""
        live, data = await _own_stream(state, stream_id)
        after = data.get("after", -1)
        if not isinstance(after, int) or isinstance(after, bool) or after < -1:
            raise InvalidRequestError("'after' must be the id of the last event read (or -1).")
        return event_stream(state, state.hub.follow(live, after), stream_id)

    @bp.post("/api/streams/<stream_id>/stop")
    async def stop_stream(stream_id: str) -> dict[str, Any]:
        """Stop, from any page: the chat function is closed, readers get ``stopped``."""
        live, _ = await _own_stream(state, stream_id)
        await state.hub.stop(live)
        return {"ok": True}

    @bp.post("/api/feedback")
    async def feedback() -> dict[str, Any]:
        interface = state.interface
        if state.signer is None or state.feedback_log is None:
            raise NotFoundError("Feedback is not enabled for this chat.")
        await state.limit(state.limits.feedback)
        body = await json_body(state.settings.max_body_bytes)
        flag = parse_feedback_request(body, state.settings, interface.flagging_options)
        if not state.signer.verify(flag.message_id, flag.conversation):
            raise UnknownMessageError()
        await asyncio.to_thread(
            state.feedback_log.append,
            flag.conversation,
            flag.flag,
            flag.visitor,
            flag.conversation_id,
            flag.message_id,
        )
        return {"ok": True}  # also when it repeated the visitor's flag (stored once)

    @bp.get("/")
    async def site_index() -> Response:
        return await site_file("index.html")

    @bp.get("/<name>")
    async def site_file(name: str) -> Response:
        if state.site_dir is None or not SITE_FILE.match(name):
            raise NotFoundError()
        if not (state.site_dir / name).is_file():
            raise NotFoundError()
        return await send_from_directory(state.site_dir, name)

    return bp


def _script(asset: WidgetAsset) -> Response:
    """A built script with its ETag, gzip when accepted, and caching for many embedding sites."""
    built = asset.get()
    headers = {
        "ETag": built.etag,
        "Cache-Control": WIDGET_CACHE,
        "Vary": "Accept-Encoding",
        "Cross-Origin-Resource-Policy": "cross-origin",
    }
    if built.etag in request.headers.get("If-None-Match", ""):
        return Response(b"", status=304, headers=headers)
    body = built.body
    if accepts_gzip(request.headers.get("Accept-Encoding", "")):
        body = built.gzipped
        headers["Content-Encoding"] = "gzip"
    return Response(body, mimetype="application/javascript", headers=headers)


def event_stream(state: AppState, events: AsyncIterator[bytes], stream_id: str) -> Response:
    """An SSE response (of /api/chat, a reattach, /v1), gzipped when the client accepts it
    (flushed after every event)."""
    headers = {
        "Cache-Control": "no-cache, no-store",
        "X-Accel-Buffering": "no",
        "X-Stream-Id": stream_id,
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
