"""The chat function as an MCP tool (backend/http/mcp/), with the official SDK's client against
a real ``backend serve --mcp``: the tool list, calls with and without a progress token,
``gr.Error`` as ``isError``, a multimodal call with an uploaded file, the app's own rules."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from mcp import ClientSession, types
from mcp.client.streamable_http import streamable_http_client

from tests.servers import running_server
from tests.waiting import complete_lines, wait_until

APPS = Path(__file__).resolve().parents[2] / "apps"
PATH = "/gradio_api/mcp/"


@pytest.fixture(name="bubble", scope="module")
def _bubble() -> Iterator[str]:
    with running_server(str(APPS / "gradio_chat.py"), "--mcp") as base:
        yield base


async def _session(base: str, work: Any) -> Any:
    async with streamable_http_client(base + PATH) as streams:
        async with ClientSession(streams[0], streams[1]) as session:
            await session.initialize()
            return await work(session)


def run(base: str, work: Any) -> Any:
    return asyncio.run(_session(base, work))


def text_of(result: types.CallToolResult) -> str:
    content = result.content[0]
    assert isinstance(content, types.TextContent)
    return content.text


def test_the_tool_is_named_and_described_after_the_chat_function(bubble: str) -> None:
    async def work(session: ClientSession) -> types.ListToolsResult:
        return await session.list_tools()

    tools = run(bubble, work).tools
    assert [tool.name for tool in tools] == ["respond"]  # the fn's name, not api_name="chat"
    tool = tools[0]
    assert tool.description == "Echoes the message with what it was given."
    schema = tool.input_schema
    assert list(schema["properties"]) == ["message", "temperature", "system"]
    assert schema["required"] == ["message"]  # the additional inputs have defaults
    assert schema["properties"]["message"]["description"] == "what the visitor wrote"
    assert schema["properties"]["temperature"]["default"] == 0.5
    assert "history" not in schema["properties"]


def test_a_call_returns_the_final_text(bubble: str) -> None:
    async def work(session: ClientSession) -> types.CallToolResult:
        return await session.call_tool("respond", {"message": "hi", "temperature": 0.2})

    result = run(bubble, work)
    assert not result.is_error
    assert text_of(result) == "hi | 0 | 0.2 | be brief | w0 w1 w2 w3"


def test_a_progress_token_gets_the_partials_first(bubble: str) -> None:
    partials: list[str | None] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        partials.append(message)

    async def work(session: ClientSession) -> types.CallToolResult:
        return await session.call_tool(
            "respond", {"message": "slow p"}, progress_callback=on_progress
        )

    result = run(bubble, work)
    assert text_of(result).endswith("w39")
    assert partials and all(p and text_of(result).startswith(p) for p in partials)
    assert partials[-1] != partials[0] or len(partials) == 1


def test_gr_error_is_an_error_result_with_its_message(bubble: str) -> None:
    async def work(session: ClientSession) -> list[types.CallToolResult]:
        return [
            await session.call_tool("respond", {"message": "fail"}),
            await session.call_tool("respond", {"message": "crash"}),
            await session.call_tool("respond", {"message": "  "}),
            await session.call_tool("nothing", {"message": "hi"}),
        ]

    failed, crashed, empty, unknown = run(bubble, work)
    assert failed.is_error and text_of(failed) == "Error: You asked me to fail."
    assert crashed.is_error and "secret detail" not in text_of(crashed)  # no show_error
    assert empty.is_error and text_of(empty) == "Error: The message is empty."
    assert unknown.is_error and "No tool named 'nothing'" in text_of(unknown)


def test_tools_list_works_without_initialize(bubble: str) -> None:
    response = httpx.post(
        bubble + PATH,
        json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
        headers={"Accept": "application/json, text/event-stream"},
    )
    assert response.status_code == 200, response.text
    assert "mcp-session-id" not in response.headers  # stateless, as Gradio's
    data = [line[6:] for line in response.text.splitlines() if line.startswith("data: ")]
    assert json.loads(data[-1])["result"]["tools"][0]["name"] == "respond"


def test_a_browser_gets_a_page_and_the_schema_is_plain_json(bubble: str) -> None:
    page = httpx.get(bubble + PATH)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert f"{bubble}{PATH}" in page.text
    schema = httpx.get(bubble + PATH + "schema").json()
    assert [tool["name"] for tool in schema] == ["respond"]


def test_a_multimodal_tool_takes_an_uploaded_file(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("hello file")
    with running_server(str(APPS / "gradio_files.py"), "--mcp") as base:
        with note.open("rb") as file:
            uploaded = httpx.post(base + "/gradio_api/upload", files={"files": file}).json()

        async def work(session: ClientSession) -> tuple[types.ListToolsResult, Any]:
            listed = await session.list_tools()
            message = {"text": "see", "files": [{"path": uploaded[0], "meta": {}}]}
            forged = {"text": "see", "files": ["/etc/passwd"]}
            return listed, (
                await session.call_tool("look", {"message": message}),
                await session.call_tool("look", {"message": forged}),
            )

        listed, (result, refused) = run(base, work)
    # Gradio 6.31 points at a $defs its tool schema lacks: here the schema stands alone.
    assert "$ref" not in json.dumps(listed.tools[0].input_schema)
    assert not result.is_error and text_of(result) == "see | .txt=hello file | 0"
    assert refused.is_error and "references this server gave them" in text_of(refused)


def test_without_the_setting_there_is_no_mcp_server() -> None:
    with running_server(str(APPS / "gradio_chat.py")) as base:
        response = httpx.post(base + PATH, json={"jsonrpc": "2.0", "id": 1, "method": "ping"})
    assert response.status_code == 404


def test_the_apps_origin_policy_holds(bubble: str) -> None:
    with running_server(
        str(APPS / "gradio_chat.py"), "--mcp", "--allowed-origins", "https://ok.example"
    ) as base:
        response = httpx.post(
            base + PATH,
            json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
            headers={"Origin": "https://evil.example", "Accept": "text/event-stream"},
        )
    assert response.status_code == 403
    assert response.json()["code"] == "origin_not_allowed"


def test_a_client_that_leaves_stops_the_chat_function(tmp_path: Path) -> None:
    probe = tmp_path / "probe"
    with running_server(
        str(APPS / "gradio_chat.py"), "--mcp", env={"PROBE_FILE": str(probe)}
    ) as base:
        started = asyncio.Event()

        async def on_progress(progress: float, total: float | None, message: str | None) -> None:
            started.set()

        async def leave(session: ClientSession) -> None:
            call = asyncio.ensure_future(
                session.call_tool(
                    "respond", {"message": "slow cancel"}, progress_callback=on_progress
                )
            )
            await started.wait()
            call.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await call

        run(base, leave)

        def ended() -> dict[str, Any] | None:
            lines = complete_lines(probe)
            return json.loads(lines[-1]) if lines else None

        record = wait_until(ended, "the chat function was not closed")
    assert record["message"] == "slow cancel" and record["ended"] == "GeneratorExit"
