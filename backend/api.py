"""The HTTP routes: ``/widget.js``, ``/api/config``, ``/api/chat`` (see ARCHITECTURE.md)."""

from __future__ import annotations

import re
import secrets
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from quart import Blueprint, Response, request, send_from_directory
from werkzeug.exceptions import RequestEntityTooLarge

from .chat import ChatRun
from .chat_request import parse_chat_request
from .cors import OriginPolicy
from .errors import BodyTooLargeError, NotFoundError, UnsupportedMediaTypeError
from .gzip_stream import GzipStream, accepts_gzip
from .settings import Settings
from .stream import PROTOCOL, answer_events
from .widget_asset import WidgetAsset

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from .interface import ChatInterface

WIDGET_CACHE = "public, max-age=300, stale-while-revalidate=86400"
SITE_FILE = re.compile(r"^[A-Za-z0-9_-]+\.(html|css|svg|png|ico)$")


@dataclass
class AppState:
    """Everything the routes need, passed explicitly."""

    interface: ChatInterface
    settings: Settings
    origins: OriginPolicy
    widget: WidgetAsset = field(default_factory=WidgetAsset)
    site_dir: Path | None = None
    executor: Executor | None = None

    def require_executor(self) -> Executor:
        if self.executor is None:
            raise RuntimeError("the app is not serving (before_serving has not run)")
        return self.executor


def api_blueprint(state: AppState) -> Blueprint:
    bp = Blueprint("chatbubble", __name__)

    @bp.get("/widget.js")
    async def widget_js() -> Response:
        asset = state.widget.get()
        headers = {
            "ETag": asset.etag,
            "Cache-Control": WIDGET_CACHE,
            "Vary": "Accept-Encoding",
            "Cross-Origin-Resource-Policy": "cross-origin",
        }
        if asset.etag in request.headers.get("If-None-Match", ""):
            return Response(b"", status=304, headers=headers)
        body = asset.body
        if accepts_gzip(request.headers.get("Accept-Encoding", "")):
            body = asset.gzipped
            headers["Content-Encoding"] = "gzip"
        return Response(body, mimetype="application/javascript", headers=headers)

    @bp.get("/api/config")
    async def config() -> dict[str, Any]:
        s = state.settings
        return {
            "protocol": PROTOCOL,
            "title": state.interface.title,
            "limits": {
                "max_message_chars": s.max_message_chars,
                "max_history_messages": s.max_history_messages,
                "max_history_entry_chars": s.max_history_entry_chars,
                "max_body_bytes": s.max_body_bytes,
            },
        }

    @bp.post("/api/chat")
    async def chat() -> Response:
        if request.mimetype != "application/json":
            raise UnsupportedMediaTypeError()
        if request.headers.get("Content-Encoding", "identity").lower() != "identity":
            raise UnsupportedMediaTypeError("Compressed request bodies are not accepted.")
        try:
            body = cast(bytes, await request.get_data(as_text=False))
        except RequestEntityTooLarge:
            raise BodyTooLargeError(
                f"The request is too large (the limit is {state.settings.max_body_bytes} bytes)."
            ) from None
        chat_request = parse_chat_request(body, state.settings)
        stream_id = secrets.token_urlsafe(16)
        run = ChatRun(
            state.interface.fn,
            (chat_request.message, chat_request.history_for_fn()),
            state.require_executor(),
        )
        events = answer_events(run, state.settings, stream_id)
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
        response.timeout = None  # our own idle and duration limits apply instead
        return response

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


async def _gzipped(events: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    gzip = GzipStream()
    try:
        async for chunk in events:
            yield gzip.chunk(chunk)
        yield gzip.end()
    finally:
        await events.aclose()  # type: ignore[attr-defined]
