"""``/v1/chat/completions`` and ``/v1/models``: the wire format through Quart's test client, the
official ``openai`` client against a real ``backend serve``, and ``load_chat`` at another
bubble."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import openai
import pytest
from quart import Quart

import backend
from backend import Settings, create_app, load_chat
from tests.conftest import FAST, make_app
from tests.helpers import answer_text, freeze_rate_clock, parse_events, slow_counter
from tests.servers import running_server
from tests.waiting import LIVENESS

APP = "tests/apps/history_echo.py"
History = list[dict[str, Any]]


def told(message: str, history: History) -> str:
    return json.dumps({"message": message, "history": history})


async def post(app: Quart, body: Any, **headers: str) -> tuple[int, str, bytes]:
    async with app.test_app() as test_app:
        response = await test_app.test_client().post(
            "/v1/chat/completions",
            data=body if isinstance(body, bytes) else json.dumps(body),
            headers={"Content-Type": "application/json", **headers},
        )
        data = await response.get_data(as_text=False)
        return response.status_code, response.mimetype or "", data


def chunks(data: bytes) -> list[Any]:
    """The ``data:`` of each event; ``[DONE]`` as the string."""
    out = []
    for block in data.decode().split("\n\n"):
        for line in block.split("\n"):
            if line.startswith("data: "):
                payload = line[len("data: ") :]
                out.append(payload if payload == "[DONE]" else json.loads(payload))
    return out


def assert_openai_error(data: bytes, code: str) -> str:
    body = json.loads(data)
    assert set(body) == {"error"}
    assert set(body["error"]) == {"message", "type", "param", "code"}
    assert body["error"]["code"] == code
    message: str = body["error"]["message"]
    return message


# -- the wire format --


async def test_a_completion_maps_messages_to_message_and_history() -> None:
    messages = [
        {"role": "system", "content": "You are terse."},
        {"role": "user", "content": "first"},
        {"role": "assistant", "content": [{"type": "text", "text": "one"}]},
        {"role": "user", "content": "second"},
    ]
    status, mimetype, data = await post(make_app(told), {"model": "m", "messages": messages})
    assert status == 200 and mimetype == "application/json"
    body = json.loads(data)
    assert body["object"] == "chat.completion"
    assert body["model"] == "m"
    assert body["id"].startswith("chatcmpl-")
    assert isinstance(body["created"], int)
    (choice,) = body["choices"]
    assert choice["finish_reason"] == "stop"
    assert choice["message"]["role"] == "assistant"
    assert json.loads(choice["message"]["content"]) == {
        "message": "second",
        "history": [
            {"role": "user", "content": "first"},
            {"role": "assistant", "content": "one"},
        ],
    }
    assert body["usage"]["total_tokens"] == 0


async def test_a_streamed_completion_is_chunks_then_done() -> None:
    async def words(message: str, history: History) -> AsyncIterator[str]:
        text = ""
        for word in ("alpha", " beta", " gamma"):
            text += word
            yield text

    body = {
        "model": "m",
        "stream": True,
        "stream_options": {"include_usage": True},
        "messages": [{"role": "user", "content": "go"}],
    }
    status, mimetype, data = await post(make_app(words), body)
    assert status == 200 and mimetype == "text/event-stream"
    events = chunks(data)
    assert events[-1] == "[DONE]"
    objects = events[:-1]
    assert {event["object"] for event in objects} == {"chat.completion.chunk"}
    assert len({event["id"] for event in objects}) == 1
    assert objects[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    text = "".join(e["choices"][0]["delta"].get("content", "") for e in objects if e["choices"])
    assert text == "alpha beta gamma"
    assert objects[-2]["choices"][0]["finish_reason"] == "stop"
    assert objects[-1]["choices"] == [] and objects[-1]["usage"]["total_tokens"] == 0


async def test_files_in_an_answer_become_markdown_links(tmp_path: Any) -> None:
    picture = tmp_path / "dot.gif"
    picture.write_bytes(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")

    def with_image(message: str, history: History) -> list[Any]:
        return ["Here:", backend.Image(str(picture))]

    app = make_app(with_image, allowed_paths=str(tmp_path), upload_dir=str(tmp_path / "up"))
    status, _, data = await post(app, {"messages": [{"role": "user", "content": "hi"}]})
    assert status == 200
    content = json.loads(data)["choices"][0]["message"]["content"]
    assert content.startswith("Here:\n\n![dot.gif](http://")
    assert "/api/files/" in content


async def test_a_failing_chat_function_is_an_openai_error() -> None:
    def failing(message: str, history: History) -> str:
        raise backend.Error("No answers today.")

    app = make_app(failing)
    status, _, data = await post(app, {"messages": [{"role": "user", "content": "hi"}]})
    assert status == 500
    assert assert_openai_error(data, "chat_error") == "No answers today."
    body = {"stream": True, "messages": [{"role": "user", "content": "hi"}]}
    status, _, data = await post(app, body)
    assert status == 200
    events = chunks(data)
    assert events[-1]["error"]["message"] == "No answers today."
    assert "[DONE]" not in events


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"messages": []}, "non-empty"),
        ({"messages": [{"role": "assistant", "content": "hi"}]}, "last message"),
        ({"messages": [{"role": "system", "content": "only rules"}]}, "last message"),
        ({"messages": [{"role": "tool", "content": "x"}]}, "role"),
        ({"messages": [{"role": "user", "content": "  "}]}, "empty"),
        ({"messages": [{"role": "user", "content": "x" * 20_000}]}, "too long"),
        ({"messages": [{"role": "user", "content": [{"type": "image_url"}]}]}, "text parts"),
        ({"messages": [{"role": "user", "content": "x"}], "n": 2}, "one choice"),
        ({"messages": [{"role": "user", "content": "x"}], "stream": "yes"}, "stream"),
        ([], "object"),
    ],
)
async def test_bad_requests_get_openai_errors(body: Any, fragment: str) -> None:
    status, _, data = await post(make_app(told), body)
    assert status == 422
    assert fragment in assert_openai_error(data, "invalid_request")


async def test_bad_json_and_wrong_routes_get_openai_errors() -> None:
    app = make_app(told)
    status, _, data = await post(app, b"{")
    assert status == 400
    assert_openai_error(data, "bad_json")
    async with app.test_app() as test_app:
        response = await test_app.test_client().get("/v1/nothing")
        assert response.status_code == 404
        assert_openai_error(await response.get_data(as_text=False), "not_found")
        response = await test_app.test_client().get("/api/nothing")
        assert (await response.get_json())["code"] == "not_found"  # our envelope off /v1


async def test_models_lists_this_chat() -> None:
    app = create_app(backend.ChatInterface(told, title="Yes Man"), Settings.from_mapping(FAST))
    async with app.test_app() as test_app:
        response = await test_app.test_client().get("/v1/models")
        body = await response.get_json()
    assert body == {
        "object": "list",
        "data": [{"id": "yes-man", "object": "model", "created": 0, "owned_by": "chatbubble"}],
    }


async def test_an_api_key_guards_v1_only() -> None:
    app = make_app(told, api_key="s3cret")
    body = {"messages": [{"role": "user", "content": "hi"}]}
    status, _, data = await post(app, body)
    assert status == 401
    assert_openai_error(data, "invalid_api_key")
    status, _, _ = await post(app, body, Authorization="Bearer wrong")
    assert status == 401
    status, _, _ = await post(app, body, Authorization="Bearer s3cret")
    assert status == 200
    async with app.test_app() as test_app:
        client = test_app.test_client()
        assert (await client.get("/v1/models")).status_code == 401
        response = await client.post("/api/chat", json={"message": "hi"})
        assert response.status_code == 200  # the widget's route needs no key


async def test_the_routes_can_be_turned_off() -> None:
    app = make_app(told, openai_api=False)
    status, _, data = await post(app, {"messages": [{"role": "user", "content": "hi"}]})
    assert status == 404
    assert_openai_error(data, "not_found")
    async with app.test_app() as test_app:
        document = await (await test_app.test_client().get("/openapi.json")).get_json()
    assert not [path for path in document["paths"] if path.startswith("/v1")]


async def test_closing_a_streamed_completion_stops_the_chat_function() -> None:
    closed = asyncio.Event()
    app = make_app(slow_counter(closed))
    body = {"stream": True, "messages": [{"role": "user", "content": "go"}]}
    async with app.test_app() as test_app:
        async with test_app.test_client().request(
            "/v1/chat/completions", method="POST", headers={"Content-Type": "application/json"}
        ) as connection:
            await connection.send(json.dumps(body).encode())
            await connection.send_complete()
            await connection.receive()
            await connection.disconnect()
        await asyncio.wait_for(closed.wait(), LIVENESS)  # set when closed before its end


# -- the official client against a real server --


@pytest.fixture(name="bubble", scope="module")
def _bubble() -> Iterator[str]:
    with running_server(APP, "--api-key", "k-123") as base:
        yield base


def test_the_openai_client_gets_whole_answers(bubble: str) -> None:
    client = openai.OpenAI(base_url=bubble + "/v1", api_key="k-123", max_retries=0)
    answer = client.chat.completions.create(
        model="history-echo",
        messages=[
            {"role": "user", "content": "hi"},
            {"role": "assistant", "content": "hello"},
            {"role": "user", "content": "how are you?"},
        ],
    )
    assert answer.choices[0].message.content == "You said: how are you? (2 earlier)"
    assert [model.id for model in client.models.list()] == ["history-echo"]


def test_the_openai_client_streams(bubble: str) -> None:
    client = openai.OpenAI(base_url=bubble + "/v1", api_key="k-123", max_retries=0)
    stream = client.chat.completions.create(
        model="history-echo", messages=[{"role": "user", "content": "stream me"}], stream=True
    )
    pieces = [chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices]
    assert len([piece for piece in pieces if piece]) > 1
    assert "".join(pieces) == "You said: stream me (0 earlier)"


async def test_the_async_openai_client_streams(bubble: str) -> None:
    client = openai.AsyncOpenAI(base_url=bubble + "/v1", api_key="k-123", max_retries=0)
    stream = await client.chat.completions.create(
        model="x", messages=[{"role": "user", "content": "async"}], stream=True
    )
    text = ""
    async for chunk in stream:
        if chunk.choices:
            text += chunk.choices[0].delta.content or ""
    assert text == "You said: async (0 earlier)"
    await client.close()


def test_the_openai_client_sees_a_wrong_key(bubble: str) -> None:
    client = openai.OpenAI(base_url=bubble + "/v1", api_key="nope", max_retries=0)
    with pytest.raises(openai.AuthenticationError) as caught:
        client.chat.completions.create(model="x", messages=[{"role": "user", "content": "hi"}])
    assert caught.value.code == "invalid_api_key"


async def test_load_chat_talks_to_another_bubble(bubble: str) -> None:
    app = create_app(
        load_chat(bubble + "/v1", "history-echo", "k-123"), Settings.from_mapping(FAST)
    )
    history = [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}]
    async with app.test_app() as test_app:
        response = await test_app.test_client().post(
            "/api/chat", json={"message": "relayed", "history": history}
        )
        events = parse_events(await response.get_data(as_text=False))
    assert events[-1].event == "done"
    assert answer_text(events) == "You said: relayed (2 earlier)"


async def test_v1_counts_against_the_same_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """/v1 is no way around message_rate_limit: it shares the per-client counter."""
    freeze_rate_clock(monkeypatch)  # no refill, however slowly the requests go
    from backend import ChatInterface, Settings, create_app

    settings = Settings.from_mapping({"flush_interval": 0.0, "message_rate_limit": 2})
    app = create_app(ChatInterface(lambda m, h: "ok"), settings)
    async with app.test_app() as test_app:
        client = test_app.test_client()
        body = {"model": "x", "messages": [{"role": "user", "content": "hi"}]}
        statuses = [
            (await client.post("/v1/chat/completions", json=body)).status_code for _ in range(3)
        ]
        chat = await client.post("/api/chat", json={"message": "hi"})
    assert statuses == [200, 200, 429]
    assert chat.status_code == 429


@pytest.mark.parametrize("stream", [False, True])
async def test_a_cut_answer_finishes_with_length(stream: bool) -> None:
    def long(message: str, history: History) -> str:
        return "x" * 500

    body = {"model": "m", "stream": stream, "messages": [{"role": "user", "content": "go"}]}
    status, _, data = await post(make_app(long, max_answer_chars=100), body)
    assert status == 200
    if stream:
        events = [event for event in chunks(data)[:-1] if event["choices"]]
        text = "".join(e["choices"][0]["delta"].get("content", "") for e in events)
        finish = events[-1]["choices"][0]["finish_reason"]
    else:
        (choice,) = json.loads(data)["choices"]
        text, finish = choice["message"]["content"], choice["finish_reason"]
    assert finish == "length"
    assert len(text) == 100 and text.startswith("x" * 40)
