"""The Gradio routes in process (Quart's test client): the endpoint's name, description and
visibility in /config and /gradio_api/info, the queue's messages and diffs, cancel, and
bounded sessions."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from quart import Quart

import backend as gr
from backend import Settings, create_app
from backend.http.gradio.queue import diff
from backend.http.gradio.sessions import Sessions
from tests.conftest import FAST


def echo(message: str, history: list[Any]) -> str:
    """Says it back.

    Args:
        message: anything
    """
    return message


def app_for(**arguments: Any) -> Quart:
    return create_app(gr.ChatInterface(echo, **arguments), Settings.from_mapping(FAST))


async def get_json(app: Quart, path: str) -> Any:
    async with app.test_app() as test_app:
        response = await test_app.test_client().get(path)
        assert response.status_code == 200
        return await response.get_json()


async def test_the_endpoint_is_named_by_api_name_else_by_the_function() -> None:
    info = await get_json(app_for(), "/gradio_api/info")
    assert list(info["named_endpoints"]) == ["/echo"]
    assert info["named_endpoints"]["/echo"]["description"] == "Says it back."
    info = await get_json(app_for(api_name="talk", api_description="Talks."), "/gradio_api/info")
    assert info["named_endpoints"]["/talk"]["description"] == "Talks."
    config = await get_json(app_for(api_name="talk"), "/config")
    assert config["api_prefix"] == "/gradio_api" and config["protocol"] == "sse_v3"
    [dependency] = config["dependencies"]
    assert dependency["api_name"] == "talk" and dependency["api_visibility"] == "public"


@pytest.mark.parametrize("visibility", ["private", "undocumented"])
async def test_hidden_endpoints_are_not_listed(visibility: str) -> None:
    app = app_for(api_visibility=visibility)
    assert (await get_json(app, "/gradio_api/info"))["named_endpoints"] == {}
    async with app.test_app() as test_app:
        called = await test_app.test_client().post("/gradio_api/call/echo", json={"data": ["x"]})
    # Undocumented: callable, only not listed; private: not callable by Gradio's clients.
    assert called.status_code == (404 if visibility == "private" else 200)


def test_diffs_append_grown_text_and_replace_the_rest() -> None:
    assert diff("ab", "abc") == [["append", [], "c"]]
    assert diff("ab", "xb") == [["replace", [], "xb"]]
    assert diff(None, "a") == [["replace", [], "a"]]


async def read_queue(app: Quart, data: list[Any], session: str) -> list[dict[str, Any]]:
    async with app.test_app() as test_app:
        client = test_app.test_client()
        joined = await client.post(
            "/gradio_api/queue/join",
            json={"data": data, "fn_index": 0, "session_hash": session},
        )
        assert joined.status_code == 200
        stream = await client.get(f"/gradio_api/queue/data?session_hash={session}")
        text = await stream.get_data(as_text=True)
    return [json.loads(line[6:]) for line in text.splitlines() if line.startswith("data: ")]


async def test_the_queue_sends_a_whole_value_then_diffs() -> None:
    async def words(message: str, history: list[Any]) -> AsyncIterator[str]:
        for text in ("one", "one two", "three"):
            yield text

    app = create_app(gr.ChatInterface(words), Settings.from_mapping(FAST))
    messages = await read_queue(app, ["go", None], "s1")
    kinds = [message["msg"] for message in messages]
    assert kinds[:2] == ["estimation", "process_starts"]
    assert kinds[-2:] == ["process_completed", "close_stream"]
    generating = [m["output"]["data"] for m in messages if m["msg"] == "process_generating"]
    assert generating[0] == ["one", None]
    assert all(data[1] == [] for data in generating[1:])
    done = messages[-2]
    assert done["success"] is True and done["output"]["data"] == ["three", None]


async def test_an_unknown_session_has_no_stream() -> None:
    async with app_for().test_app() as test_app:
        response = await test_app.test_client().get("/gradio_api/queue/data?session_hash=none")
        text = await response.get_data(as_text=True)
    assert '"session_not_found":true' in text
    async with app_for().test_app() as test_app:
        bad = await test_app.test_client().get("/gradio_api/queue/data?session_hash=../x")
    assert bad.status_code == 422


def test_sessions_are_bounded() -> None:
    sessions = Sessions(capacity=2)
    first = sessions.get("a")
    first.history.append(("user", "hi"))
    sessions.get("b")
    assert sessions.get("a") is first  # used again: now the newest
    sessions.get("c")
    assert len(sessions) == 2 and sessions.find("b") is None
    assert sessions.find("a") is first


@pytest.mark.parametrize("index", [False, 0.0, "0", 1, -1])
async def test_queue_join_takes_only_the_integer_fn_index(index: Any) -> None:
    """``False`` and ``0.0`` equal 0 in Python, yet name no endpoint: 404 like any other."""
    async with app_for().test_app() as test_app:
        client = test_app.test_client()
        body = {"data": ["hi"], "fn_index": index, "session_hash": "s1"}
        response = await client.post("/gradio_api/queue/join", json=body)
        assert response.status_code == 404
        body["fn_index"] = 0
        assert (await client.post("/gradio_api/queue/join", json=body)).status_code == 200
