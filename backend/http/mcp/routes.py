"""``/gradio_api/mcp/``: Quart hands the request to the SDK's Streamable HTTP transport
(stateless, as Gradio's: no session id, ``tools/list`` works without ``initialize``).

The request goes through Quart first, so every app-level rule holds (the origin policy, the
ambiguous-framing check, the body limit, and for ``tools/call`` the per-client message rate);
then its body and scope, with the caller (:class:`.server.Caller`), go to the SDK as one ASGI
request, and what the SDK sends comes back as a streamed Quart response. ``GET`` describes
the server in a short page, ``GET /gradio_api/mcp/schema`` lists the tool as plain JSON.

The older SSE transport, which MCP clients configured for Gradio's ``/gradio_api/mcp/sse``
use, is served too, by the SDK's own transport: ``GET /gradio_api/mcp/sse`` is the client's
event stream (its first event names where to post), ``POST /gradio_api/mcp/messages/`` takes
its JSON-RPC messages under the same rules as above."""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Awaitable,
    Callable,
    Coroutine,
    MutableMapping,
)
from typing import TYPE_CHECKING, Any

from mcp.server.sse import SseServerTransport
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from quart import Blueprint, Response, request
from werkzeug.datastructures import Headers

from ...errors import BodyTooLargeError, ChatbubbleError, NotFoundError, RequestError
from ..bodies import chunks, refuse_encoded
from ..gradio.config import API_PREFIX
from ..visitor_request import visitor_request
from .server import CALLER, Caller, mcp_server

if TYPE_CHECKING:
    from ..state import AppState

PATH = f"{API_PREFIX}/mcp/"
#: How long a posted message may take to reach its session after the ``202`` (``bridge``).
FINISH_SECONDS = 10.0
AsgiMessage = MutableMapping[str, Any]
Handler = Callable[
    [AsgiMessage, Callable[[], Awaitable[AsgiMessage]], Callable[[AsgiMessage], Awaitable[None]]],
    Coroutine[Any, Any, None],
]


def mcp_blueprint(state: AppState) -> Blueprint:
    bp = Blueprint("chatbubble_mcp", __name__)
    server, tool = mcp_server(state)
    manager = StreamableHTTPSessionManager(
        server, stateless=True, max_request_body_size=state.settings.max_body_bytes
    )

    @bp.while_app_serving
    async def run_manager() -> AsyncGenerator[None, None]:
        async with manager.run():
            yield

    legacy = SseServerTransport(
        f"{PATH}messages/", max_request_body_size=state.settings.max_body_bytes
    )

    async def read_checked() -> tuple[dict[str, Any], bytes]:
        """The request's scope with its caller, and its body, under the app's rules."""
        refuse_encoded()
        limit = state.settings.max_body_bytes
        body = b"".join([chunk async for chunk in chunks(limit, BodyTooLargeError())])
        if _calls_tool(body):
            await state.limit(state.limits.messages)
        scope = dict(request.scope)
        client = state.client()
        scope[CALLER] = Caller(client, state.base_url(), visitor_request(client))
        return scope, body

    @bp.post(PATH)
    @bp.post(f"{PATH}http/")
    async def messages() -> Response:
        scope, body = await read_checked()
        return await bridge(manager.handle_request, scope, body)

    @bp.get(f"{PATH}sse")
    async def sse_stream() -> Response:
        """The client's event stream; the address it is told to post to carries the prefix a
        proxy may have stripped (``root_path``)."""

        async def run(scope: AsgiMessage, receive: Any, send: Any) -> None:
            async with legacy.connect_sse(scope, receive, send) as (reader, writer):
                await server.run(reader, writer, server.create_initialization_options())

        scope = {**request.scope, "root_path": state.settings.path_prefix}
        return await bridge(run, scope, b"")

    @bp.post(f"{PATH}messages/")
    async def sse_message() -> Response:
        scope, body = await read_checked()
        response = await bridge(legacy.handle_post_message, scope, body, finish=True)
        if response.status_code == 404:  # the SDK's plain-text refusals, as our envelope
            raise NotFoundError("No MCP session with this id: open /gradio_api/mcp/sse first.")
        if response.status_code >= 400 and response.mimetype != "application/json":
            raise RequestError("Post JSON-RPC messages with the session_id the stream gave.")
        return response

    @bp.get(PATH)
    async def page() -> Response:
        url = html.escape(state.base_url() + PATH)
        name = html.escape(tool.name)
        text = (
            "<!doctype html><meta charset=utf-8><title>MCP server</title>"
            f"<h1>MCP server</h1><p>This chat is the MCP tool <code>{name}</code>, served "
            f"over Streamable HTTP at <code>{url}</code>. Add that URL to your MCP client.</p>"
        )
        return Response(text, content_type="text/html; charset=utf-8")

    @bp.get(f"{PATH}schema")
    async def schema() -> list[dict[str, Any]]:
        return [
            {"name": tool.name, "description": tool.description, "inputSchema": tool.input_schema}
        ]

    return bp


def _calls_tool(body: bytes) -> bool:
    """Whether a JSON-RPC message (or batch) in ``body`` calls a tool (the SDK judges the
    rest of it)."""
    try:
        data = json.loads(body)
    except ValueError:
        return False
    batch = data if isinstance(data, list) else [data]
    return any(isinstance(item, dict) and item.get("method") == "tools/call" for item in batch)


async def bridge(
    handle: Handler, scope: AsgiMessage, body: bytes, *, finish: bool = False
) -> Response:
    """Runs an ASGI ``handle`` on one request whose body was read already, as a Quart response
    streamed while ``handle`` sends; the client leaving tells ``handle`` (a disconnect) and
    ends it. With ``finish``, a response sent in full lets ``handle`` finish what it does after
    answering (the SSE transport hands the message on to its session after its ``202``), for
    up to ``FINISH_SECONDS``, before it is ended."""
    sent: asyncio.Queue[AsgiMessage] = asyncio.Queue()
    gone = asyncio.Event()
    first = True

    async def receive() -> AsgiMessage:
        nonlocal first
        if first:
            first = False
            return {"type": "http.request", "body": body, "more_body": False}
        await gone.wait()
        return {"type": "http.disconnect"}

    task: asyncio.Task[None] = asyncio.get_running_loop().create_task(
        handle(scope, receive, sent.put)
    )
    start = await _next(sent, task)
    if start is None or start.get("type") != "http.response.start":
        await _end(task, gone)
        raise ChatbubbleError()

    async def stream() -> AsyncIterator[bytes]:
        try:
            while (message := await _next(sent, task)) is not None:
                if message.get("body"):
                    yield message["body"]
                if not message.get("more_body", False):
                    if finish:
                        await asyncio.wait({task}, timeout=FINISH_SECONDS)
                    break
        finally:
            await _end(task, gone)

    headers = Headers(
        [(key.decode("latin-1"), value.decode("latin-1")) for key, value in start["headers"]]
    )
    response = Response(stream(), status=start["status"], headers=headers)
    response.timeout = None
    return response


async def _next(sent: asyncio.Queue[AsgiMessage], task: asyncio.Task[None]) -> AsgiMessage | None:
    """The next message ``task`` sends, or None once it ended without sending more."""
    if not sent.empty():
        return sent.get_nowait()
    getter = asyncio.ensure_future(sent.get())
    await asyncio.wait({getter, task}, return_when=asyncio.FIRST_COMPLETED)
    if getter.done():
        return getter.result()
    getter.cancel()
    if not sent.empty():
        return sent.get_nowait()
    task.result()  # raises what the handler raised
    return None


async def _end(task: asyncio.Task[None], gone: asyncio.Event) -> None:
    gone.set()
    if not task.done():
        task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
