"""``load_chat`` against an OpenAI-compatible model server on 127.0.0.1 (tests/model_server.py)."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from quart import Quart

import backend
from backend import Settings, create_app, load_chat
from backend.chat.run import ChatRun
from backend.upstream.load_chat import to_openai
from tests.conftest import FAST
from tests.helpers import Event, answer_text, parse_events
from tests.model_server import ModelServer, model_server
from tests.servers import free_port, running_server
from tests.waiting import LIVENESS

KEY = "sk-test-secret-key"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@pytest.fixture(name="server")
def _server() -> Iterator[ModelServer]:
    with model_server(key=KEY) as server:
        yield server


def app_for(interface: backend.ChatInterface, **settings: Any) -> Quart:
    return create_app(interface, Settings.from_mapping({**FAST, **settings}))


async def chat(app: Quart, body: dict[str, Any]) -> list[Event]:
    async with app.test_app() as test_app:
        response = await test_app.test_client().post("/api/chat", json=body)
        assert response.status_code == 200
        return parse_events(await response.get_data(as_text=False))


# -- answers --


async def test_the_answer_streams_token_by_token(server: ModelServer) -> None:
    app = app_for(load_chat(server.url, "echo", KEY))
    events = await chat(app, {"message": "one two three four"})
    assert answer_text(events) == "You said: one two three four"
    assert len([e for e in events if e.event == "message"]) >= 2
    assert events[-1].event == "done"
    assert server.requests[0]["authorization"] == f"Bearer {KEY}"
    assert server.requests[0]["body"]["stream"] is True


async def test_history_and_system_message_become_openai_messages(server: ModelServer) -> None:
    app = app_for(load_chat(server.url, "echo", KEY, system_message="Be brief."))
    history = [
        {"role": "user", "content": "What is the capital of France?"},
        {"role": "assistant", "content": "Paris"},
    ]
    events = await chat(app, {"message": "And its largest city?", "history": history})
    assert answer_text(events) == "You said: And its largest city?"
    assert server.requests[0]["body"]["messages"] == [
        {"role": "system", "content": "Be brief."},
        *history,
        {"role": "user", "content": "And its largest city?"},
    ]


async def test_without_streaming_the_answer_comes_whole(server: ModelServer) -> None:
    app = app_for(load_chat(server.url, "echo", KEY, streaming=False))
    events = await chat(app, {"message": "hi"})
    assert answer_text(events) == "You said: hi"
    assert "stream" not in server.requests[0]["body"]


async def test_files_go_as_data_urls_and_text(server: ModelServer, tmp_path: Path) -> None:
    interface = load_chat(server.url, "echo", KEY)
    assert interface.multimodal
    options = interface.multimodal_options
    assert options is not None and options.file_types == ("text", "image")
    app = app_for(interface, upload_dir=str(tmp_path / "files"))
    async with app.test_app() as test_app:
        client = test_app.test_client()
        ids = []
        for name, data in (("dot.png", PNG), ("notes.txt", b"remember the milk")):
            upload = await client.post(f"/api/upload?name={name}", data=data)
            assert upload.status_code == 201
            ids.append((await upload.get_json())["id"])
        body = {"message": {"text": "look", "files": ids}}
        response = await client.post("/api/chat", json=body)
        events = parse_events(await response.get_data(as_text=False))
    assert answer_text(events) == "You said: look notes.txt:\n\nremember the milk"
    content = server.requests[0]["body"]["messages"][-1]["content"]
    assert content[0] == {"type": "text", "text": "look"}
    assert content[1]["type"] == "image_url"
    assert content[1]["image_url"]["url"] == "data:image/png;base64," + base64.b64encode(
        PNG
    ).decode("ascii")
    assert content[2] == {"type": "text", "text": "notes.txt:\n\nremember the milk"}


def test_files_in_history_follow_file_types(tmp_path: Path) -> None:
    image, text = tmp_path / "dot.png", tmp_path / "a.txt"
    image.write_bytes(PNG)
    text.write_text("hello")
    history: list[dict[str, Any]] = [
        {"role": "user", "content": (str(image),)},
        {"role": "user", "content": (str(text),)},
        {"role": "user", "content": "what are these?"},
        {"role": "assistant", "content": "an image and a note"},
    ]
    both = to_openai(history, {"text": "ok", "files": []}, ("text_encoded", "image"))
    assert [m["role"] for m in both] == ["user", "user", "user", "assistant", "user"]
    assert both[0]["content"][0]["type"] == "image_url"
    assert both[1]["content"] == [{"type": "text", "text": "a.txt:\n\nhello"}]
    assert both[-1] == {"role": "user", "content": "ok"}
    text_only = to_openai(history, "ok", ("text_encoded",))
    assert [m["content"] for m in text_only][0] == [{"type": "text", "text": "a.txt:\n\nhello"}]
    assert len(text_only) == 4


def test_without_file_types_the_chat_takes_text_only() -> None:
    interface = load_chat("http://127.0.0.1:9/v1", "echo", file_types=None, title="Plain")
    assert not interface.multimodal
    assert interface.title == "Plain"
    assert not load_chat("http://127.0.0.1:9/v1", "echo", multimodal=False).multimodal
    with pytest.raises(ValueError, match="file_types"):
        load_chat("http://127.0.0.1:9/v1", "echo", file_types=["audio"])
    with pytest.raises(ValueError, match="base_url"):
        load_chat("localhost:11434", "echo")


# -- failures: a clear message for the visitor, a log line for the operator --


@pytest.mark.parametrize(
    ("model", "token", "fragment"),
    [
        ("echo", "wrong-key", "refused this chat's key"),
        ("missing", KEY, "model this chat uses is not available"),
        ("busy", KEY, "busy"),
        ("cut", KEY, "cut off"),
        ("unfinished", KEY, "cut off"),
        ("oops", KEY, "failed while answering"),
    ],
)
async def test_upstream_failures_are_clear_and_leak_nothing(
    server: ModelServer,
    caplog: pytest.LogCaptureFixture,
    model: str,
    token: str,
    fragment: str,
) -> None:
    caplog.set_level(logging.WARNING, "backend.load_chat")
    app = app_for(load_chat(server.url, model, token))
    events = await chat(app, {"message": "hello there friend"})
    error = events[-1]
    assert error.event == "error"
    assert error.data["code"] == "chat_error"
    assert fragment in error.data["error"]
    raw = json.dumps([e.data for e in events])
    assert "127.0.0.1" not in raw and token not in raw
    assert any(f"load_chat({model})" in record.getMessage() for record in caplog.records)
    # The server goes on: the next answer works.
    assert answer_text(await chat(app_for(load_chat(server.url, "echo", KEY)), {"message": "a"}))


async def test_a_refused_connection_is_reported(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, "backend.load_chat")
    app = app_for(load_chat(f"http://127.0.0.1:{free_port()}/v1", "echo"))
    events = await chat(app, {"message": "hi"})
    assert events[-1].event == "error"
    assert "cannot be reached" in events[-1].data["error"]
    assert "ConnectError" in caplog.text or "Connection" in caplog.text


async def test_a_silent_server_times_out(server: ModelServer) -> None:
    app = app_for(load_chat(server.url, "silent", KEY, timeout=0.3))
    events = await chat(app, {"message": "hi"})
    assert events[-1].event == "error"
    assert "took too long" in events[-1].data["error"]


# -- Stop --


async def test_stop_closes_the_upstream_connection(server: ModelServer) -> None:
    interface = load_chat(server.url, "slow", KEY)
    with ThreadPoolExecutor(1) as executor:
        run = ChatRun(interface.fn, ("go", []), executor)
        run.start()
        assert await run.wait(LIVENESS)
        run.cancel()
    assert await asyncio.to_thread(server.disconnected.wait, LIVENESS)


def test_the_cli_serves_a_model_and_stop_reaches_it(server: ModelServer) -> None:
    args = ("--openai-base-url", server.url, "--model", "echo", "--token", KEY)
    with running_server(*args) as base:
        client = backend.Client(base)
        assert client.chat("hi there") == "You said: hi there"
        assert client.chat("again") == "You said: again"
        assert server.requests[-1]["body"]["messages"][:2] == [
            {"role": "user", "content": "hi there"},
            {"role": "assistant", "content": "You said: hi there"},
        ]
    env = {"OPENAI_BASE_URL": server.url, "OPENAI_API_KEY": KEY}
    with running_server("--model", "slow", env=env) as base:
        stream = backend.Client(base).stream("go")
        assert next(stream)
        stream.close()
        assert server.disconnected.wait(LIVENESS)


def test_the_cli_refuses_half_a_model(tmp_path: Path) -> None:
    from backend.cli import main

    assert main(["serve", "--openai-base-url", "http://127.0.0.1:9/v1"]) == 2
    assert main(["serve", "--model", "echo"]) == 2
    assert main(["serve", "app.py", "--model", "echo", "--openai-base-url", "http://x"]) == 2


async def test_the_system_template_puts_the_page_into_the_system_message(
    server: ModelServer,
) -> None:
    template = "You help on {page.title} ({page.url}) in {page.lang}; plan {page.context[plan]}."
    app = app_for(load_chat(server.url, "echo", KEY, system_template=template))
    page = {
        "url": "https://shop.example/help#top",
        "title": "Help",
        "lang": "de",
        "context": {"plan": "pro"},
    }
    events = await chat(app, {"message": "hi", "page": page})
    assert answer_text(events) == "You said: hi"
    assert server.requests[0]["body"]["messages"][0] == {
        "role": "system",
        "content": "You help on Help (https://shop.example/help) in de; plan pro.",
    }
    # Without a page (data-page-context="off", an API client) the fields are empty.
    await chat(app, {"message": "hi"})
    assert server.requests[1]["body"]["messages"][0]["content"] == "You help on  () in ; plan ."


def test_the_system_template_is_checked_when_the_chat_is_made(server: ModelServer) -> None:
    with pytest.raises(ValueError, match="page template field"):
        load_chat(server.url, "echo", KEY, system_template="{page.__class__}")
    with pytest.raises(ValueError, match="not both"):
        load_chat(server.url, "echo", KEY, system_message="a", system_template="b")
