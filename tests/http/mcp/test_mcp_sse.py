"""The older SSE transport (``/gradio_api/mcp/sse``, what MCP clients configured for Gradio's
SSE URL use), with the official SDK's SSE client against a real ``backend serve --mcp``: the
tool listed, a call with its partials and final text, ``gr.Error`` as ``isError``, the app's
origin policy on the messages it posts."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from mcp import ClientSession, types
from mcp.client.sse import sse_client

from tests.servers import running_server

APPS = Path(__file__).resolve().parents[2] / "apps"
SSE = "/gradio_api/mcp/sse"


@pytest.fixture(name="bubble", scope="module")
def _bubble() -> Iterator[str]:
    with running_server(str(APPS / "gradio_chat.py"), "--mcp") as base:
        yield base


def run(base: str, work: Any) -> Any:
    async def session() -> Any:
        async with sse_client(base + SSE) as streams:
            async with ClientSession(streams[0], streams[1]) as client:
                await client.initialize()
                return await work(client)

    return asyncio.run(session())


def text_of(result: types.CallToolResult) -> str:
    content = result.content[0]
    assert isinstance(content, types.TextContent)
    return content.text


def test_the_tool_is_listed_and_called_over_sse(bubble: str) -> None:
    partials: list[str | None] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        partials.append(message)

    async def work(client: ClientSession) -> tuple[Any, ...]:
        tools = await client.list_tools()
        plain = await client.call_tool("respond", {"message": "hi", "temperature": 0.2})
        slow = await client.call_tool(
            "respond", {"message": "slow s"}, progress_callback=on_progress
        )
        failed = await client.call_tool("respond", {"message": "fail"})
        return tools, plain, slow, failed

    tools, plain, slow, failed = run(bubble, work)
    assert [tool.name for tool in tools.tools] == ["respond"]
    assert text_of(plain) == "hi | 0 | 0.2 | be brief | w0 w1 w2 w3"
    assert text_of(slow).endswith("w39")
    assert partials and all(p and text_of(slow).startswith(p) for p in partials)
    assert failed.is_error and text_of(failed) == "Error: You asked me to fail."


def test_the_stream_names_where_to_post(bubble: str) -> None:
    with httpx.stream("GET", bubble + SSE, timeout=30) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        lines = response.iter_lines()
        assert next(lines) == "event: endpoint"
        data = next(lines)
    assert data.startswith("data: /gradio_api/mcp/messages/?session_id=")


def test_the_apps_origin_policy_holds_for_posted_messages() -> None:
    with running_server(
        str(APPS / "gradio_chat.py"), "--mcp", "--allowed-origins", "https://ok.example"
    ) as base:
        response = httpx.post(
            base + "/gradio_api/mcp/messages/?session_id=00",
            json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
            headers={"Origin": "https://evil.example"},
        )
    assert response.status_code == 403
    assert response.json()["code"] == "origin_not_allowed"


def test_a_message_for_no_session_gets_a_json_error(bubble: str) -> None:
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
    unknown = httpx.post(f"{bubble}/gradio_api/mcp/messages/?session_id={'0' * 32}", json=body)
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "not_found"
    malformed = httpx.post(f"{bubble}/gradio_api/mcp/messages/?session_id=x", json=body)
    assert malformed.status_code == 400
    assert malformed.json()["code"] == "bad_request"


def test_behind_a_prefix_the_stream_names_the_prefixed_address() -> None:
    with running_server(str(APPS / "gradio_chat.py"), "--mcp", "--root-path", "/bot") as base:
        with httpx.stream("GET", base + SSE, timeout=30) as response:
            lines = response.iter_lines()
            assert next(lines) == "event: endpoint"
            data = next(lines)
    assert data.startswith("data: /bot/gradio_api/mcp/messages/?session_id=")
