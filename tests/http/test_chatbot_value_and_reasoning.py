"""``Chatbot(value=...)`` (the welcome) and ``reasoning_tags`` through the HTTP routes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from backend import Chatbot, ChatInterface, ChatMessage, Settings, create_app
from backend.loader import load_interface
from tests.conftest import FAST
from tests.helpers import parse_events

WELCOME = [{"role": "assistant", "content": "Welcome!"}, ChatMessage("Ask about $$x^2$$.")]
THINK = [("<think>", "</think>")]


def told(message: str, history: list[dict[str, Any]]) -> str:
    return json.dumps(history)


def thinker(message: str, history: list[dict[str, Any]]) -> Iterator[str]:
    text = ""
    for token in ["<think>", "Let me ", "see", "</think>", "The answer", " is 4."]:
        text += token
        yield text


async def post(interface: ChatInterface, path: str, body: Any) -> tuple[int, bytes]:
    app = create_app(interface, Settings.from_mapping(FAST))
    async with app.test_app() as test_app:
        response = await test_app.test_client().post(
            path, data=json.dumps(body), headers={"Content-Type": "application/json"}
        )
        return response.status_code, await response.get_data(as_text=False)


async def test_config_carries_the_welcome_and_the_latex_delimiters() -> None:
    interface = ChatInterface(told, chatbot=Chatbot(value=WELCOME, latex_delimiters=[]))
    app = create_app(interface, Settings.from_mapping(FAST))
    async with app.test_app() as test_app:
        config = await (await test_app.test_client().get("/api/config")).get_json()
    assert config["chatbot"]["value"] == [
        {"role": "assistant", "text": "Welcome!"},
        {"role": "assistant", "text": "Ask about $$x^2$$."},
    ]
    assert config["chatbot"]["latex_delimiters"] == []
    default = ChatInterface(told)
    app = create_app(default, Settings.from_mapping(FAST))
    async with app.test_app() as test_app:
        config = await (await test_app.test_client().get("/api/config")).get_json()
    assert config["chatbot"]["value"] == []
    assert config["chatbot"]["latex_delimiters"] == [
        {"left": "$$", "right": "$$", "display": True}
    ]


async def test_the_function_finds_the_welcome_first_in_history_as_in_gradio() -> None:
    interface = ChatInterface(told, chatbot=Chatbot(value=WELCOME))
    body = {"message": "hi", "history": [{"role": "user", "content": "before"}]}
    status, data = await post(interface, "/api/chat", body)
    assert status == 200
    text = "".join(e.data.get("append", "") for e in parse_events(data) if e.event == "message")
    history = json.loads(text)
    # As in Gradio 6.31 (measured): the welcome first, then the conversation, each message in
    # the history's one shape (chat/history.py).
    assert history == [
        {"role": "assistant", "content": "Welcome!"},
        {"role": "assistant", "content": "Ask about $$x^2$$."},
        {"role": "user", "content": "before"},
    ]


async def test_a_gradio_6_app_reads_the_welcome_as_typed_parts() -> None:
    def parts(message: str, history: list[dict[str, Any]]) -> str:
        return " | ".join(m["content"][0]["text"] for m in history)

    interface = ChatInterface(parts, chatbot=Chatbot(value=WELCOME))
    status, data = await post(interface, "/api/chat", {"message": "hi"})
    assert status == 200
    text = "".join(e.data.get("append", "") for e in parse_events(data) if e.event == "message")
    assert text == "Welcome! | Ask about $$x^2$$."


async def test_the_widget_gets_reasoning_as_a_thought_never_the_tags() -> None:
    interface = ChatInterface(thinker, chatbot=Chatbot(reasoning_tags=THINK))
    status, data = await post(interface, "/api/chat", {"message": "2+2?"})
    assert status == 200
    seen: list[dict[str, Any]] = []
    snapshots = []
    for event in parse_events(data):
        if event.event == "parts":
            seen = list(event.data["parts"])
        elif event.event == "message" and "append" in event.data:
            at = event.data.get("at", len(seen) - 1)
            if seen:
                seen[at] = {**seen[at], "text": seen[at]["text"] + event.data["append"]}
            else:
                seen = [{"type": "text", "text": event.data["append"]}]
        else:
            continue
        snapshots.append([dict(part) for part in seen])
    assert not any("<think>" in part["text"] for parts in snapshots for part in parts)
    assert seen == [
        {"type": "text", "text": "Let me see",
         "metadata": {"title": "Reasoning", "status": "done"}},
        {"type": "text", "text": "The answer is 4."},
    ]  # fmt: skip


async def test_api_clients_get_the_text_as_the_function_gave_it() -> None:
    interface = ChatInterface(thinker, chatbot=Chatbot(reasoning_tags=THINK))
    body = {"model": "x", "messages": [{"role": "user", "content": "2+2?"}]}
    status, data = await post(interface, "/v1/chat/completions", body)
    assert status == 200
    content = json.loads(data)["choices"][0]["message"]["content"]
    assert content == "<think>Let me see</think>The answer is 4."


THINKER_APP = """
import backend as gr

def thinker(message, history):
    return "<think>Let me see</think>The answer is 4."

demo = gr.ChatInterface(thinker, examples=["2+2?"], cache_examples=True, cache_mode="lazy",
                        chatbot=gr.Chatbot(reasoning_tags=[("<think>", "</think>")]))
"""


async def test_a_cached_examples_reasoning_is_split_for_the_widget(tmp_path: Path) -> None:
    (tmp_path / "thinker.py").write_text(THINKER_APP)
    interface = load_interface(str(tmp_path / "thinker.py"))
    app = create_app(interface, Settings.from_mapping(FAST))
    async with app.test_app() as test_app:
        for _ in range(2):  # the run that fills the cache, then the cached answer
            response = await test_app.test_client().post(
                "/api/chat",
                data=json.dumps({"message": "2+2?", "example": 0}),
                headers={"Content-Type": "application/json"},
            )
            events = parse_events(await response.get_data(as_text=False))
            parts = next(e.data["parts"] for e in events if e.event == "parts")
            assert parts == [
                {"type": "text", "text": "Let me see",
                 "metadata": {"title": "Reasoning", "status": "done"}},
                {"type": "text", "text": "The answer is 4."},
            ]  # fmt: skip
    assert interface.example_cache is not None and interface.example_cache.get(0)
