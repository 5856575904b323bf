"""The MCP server (the official SDK's low-level ``Server``) with the one tool: ``tools/list``
describes it, ``tools/call`` runs the chat function through ``AppState.start_answer`` (the
caller's answer slots, ``concurrency_limit``, the validator) and returns the final text. With
a progress token, every new partial answer is a progress notification first; without one the
call simply waits (Gradio 6.31 fails it). ``gr.Error`` and refused input come back as
``isError`` with the text ``"Error: <message>"``, as Gradio's."""

from __future__ import annotations

import contextlib
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mcp import types
from mcp.server.lowlevel import Server

from ...chat.answers import NOT_CONTENT, Answer
from ...chat.request import Request
from ...errors import RequestError
from ...streams import sse
from ...version import __version__
from ..gradio.calls import STOPPED, answer_value
from ..gradio.endpoint import endpoint
from ..gradio.inputs import chat_request, named
from .tool import Tool, tool_of

if TYPE_CHECKING:
    from mcp.server.context import ServerRequestContext

    from ..state import AppState

#: The key in the ASGI scope the route puts the caller under (the tool runs outside Quart's
#: request, in the SDK's task group).
CALLER = "chatbubble.caller"


@dataclass(frozen=True)
class Caller:
    """Who called, as the route saw it: the client's address (through trusted proxies), the
    URL returned files are served from, and the ``gr.Request`` the chat function gets."""

    client: str
    base_url: str
    visitor: Request


def error_result(message: str) -> types.CallToolResult:
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=f"Error: {message}")], is_error=True
    )


def mcp_server(state: AppState) -> tuple[Server[Any], Tool]:
    interface = state.interface
    api = endpoint(interface)
    tool = tool_of(api, interface.fn)

    async def list_tools(
        ctx: ServerRequestContext[Any, Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        listed = [
            types.Tool(
                name=tool.name, description=tool.description, input_schema=tool.input_schema
            )
        ]
        return types.ListToolsResult(tools=listed if api.callable else [])

    async def call_tool(
        ctx: ServerRequestContext[Any, Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        if params.name != tool.name or not api.callable:
            return error_result(f"No tool named {params.name[:60]!r} here.")
        caller = _caller(ctx)
        try:
            message, values = named(params.arguments or {}, api)
            request = chat_request(message, values, [], state)
            ticket = await state.start_answer(
                request,
                secrets.token_hex(16),
                client=caller.client,
                base_url=caller.base_url,
                visitor=caller.visitor,
            )
        except RequestError as refused:
            return error_result(refused.message)
        answer = Answer()
        events = state.hub.follow(ticket)
        done = False
        try:
            async for raw in events:
                event = sse.decode(raw)
                if event is None or event[0] in NOT_CONTENT:
                    continue
                name, data = event
                if name == "error":
                    done = True
                    return error_result(str(data.get("error") or ""))
                if name == "stopped":
                    done = True
                    return error_result(STOPPED)
                if name == "done":
                    done = True
                    text = answer_value(answer)
                    return types.CallToolResult(
                        content=[types.TextContent(type="text", text=text or "")]
                    )
                answer.apply(name, data)
                await ctx.session.report_progress(len(answer.text), None, answer.text)
            return error_result(STOPPED)
        finally:
            with contextlib.suppress(Exception):
                await events.aclose()  # type: ignore[attr-defined]
            if not done:  # the client went away: stop the chat function, as a Stop does
                await state.hub.stop(ticket)

    server: Server[Any] = Server(
        interface.title or "chatbubble",
        version=__version__,
        instructions=tool.description or None,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
    )
    return server, tool


def _caller(ctx: ServerRequestContext[Any, Any]) -> Caller:
    request = ctx.request
    caller = getattr(request, "scope", {}).get(CALLER) if request is not None else None
    if not isinstance(caller, Caller):
        raise RuntimeError("an MCP call arrived without the route's caller")
    return caller
