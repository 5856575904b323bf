"""``POST /api/event``: a Blocks app's handler called by its index with its inputs' values; the
outputs' new props streamed back; bad handlers and bad values refused with a 4xx envelope;
``gr.Error`` shown, other exceptions generic; generators stream; State per conversation."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from quart import Quart

import backend as gr
from backend import ChatInterface, Settings, create_app
from tests.conftest import FAST
from tests.helpers import parse_events

KEY = "k" * 22
PEER = {"client": ("127.0.0.1", 50123)}


def echo(message: str, history: list[Any], temperature: float = 0.5) -> str:
    return f"{message} at {temperature}"


def fail(name: str) -> str:
    raise gr.Error(f"No greeting for {name}")


def crash() -> str:
    raise RuntimeError("secret internals")


def count(name: str) -> Iterator[str]:
    for i in range(3):
        yield f"{name} {i}"


def summarize(messages: list[dict[str, Any]]) -> str:
    """Reads the conversation as a Gradio 6 app does (typed parts) and as the guide's."""
    said = ["".join(p["text"] for p in m["content"] if p["type"] == "text") for m in messages]
    return f"{len(messages)} messages: " + " / ".join(
        f"{m['role']}={s}" for m, s in zip(messages, said, strict=True)
    )


def build() -> tuple[ChatInterface, dict[str, Any]]:
    with gr.Blocks() as demo:
        md = gr.Markdown("start")
        name = gr.Textbox(label="Name", max_length=20)
        greet = gr.Button("Greet")
        temp = gr.Slider(0, 1, 0.5, step=0.1, label="Temperature", render=False)
        chat = gr.ChatInterface(echo, additional_inputs=[temp])
        preset = gr.Button("Creative")
        clear = gr.Button("Clear")
        oops = gr.Button("Oops")
        boom = gr.Button("Boom")
        stream = gr.Button("Stream")
        counter = gr.State(0)
        bump = gr.Button("Bump")
        summary = gr.Button("Summary")
        greet.click(lambda n: f"Hello **{n}**", name, md).then(
            lambda: gr.update(value="", placeholder="again?"), None, name
        )
        preset.click(lambda: 0.9, None, temp)
        clear.click(lambda: [], None, chat.chatbot)
        oops.click(fail, name, md)
        boom.click(crash, None, md)
        stream.click(count, name, md)
        bump.click(lambda n: (n + 1, f"bumped {n + 1}"), counter, [counter, md])
        summary.click(summarize, chat.chatbot, md)
        demo.load(lambda: gr.Markdown("loaded", visible=True), None, md)
    return chat, {"md": md, "name": name, "temp": temp}


def app_of(interface: ChatInterface) -> Quart:
    return create_app(interface, Settings.from_mapping(FAST))


def config_of(interface: ChatInterface) -> dict[str, Any]:
    config = interface.wiring.config()
    assert config is not None
    return config


def handler_index(interface: ChatInterface, label: str) -> int:
    config = config_of(interface)
    button = next(c for c in interface.wiring.components if getattr(c, "value", None) == label)
    wanted = interface.wiring.id(button)
    return next(i for i, h in enumerate(config["handlers"]) if [wanted, "click"] in h["on"])


async def call(app: Quart, body: Any) -> tuple[int, Any]:
    async with app.test_app() as test_app:
        response = await test_app.test_client().post(
            "/api/event",
            data=body if isinstance(body, str) else json.dumps(body),
            headers={"Content-Type": "application/json", "X-Visitor-Key": KEY},
            scope_base=PEER,
        )
        data = await response.get_data(as_text=False)
    if response.status_code != 200:
        return response.status_code, json.loads(data)
    return 200, [(event.event, event.data) for event in parse_events(data)]


async def test_a_button_fills_the_markdown_from_the_textbox_then_clears_the_textbox() -> None:
    chat, parts = build()
    app = app_of(chat)
    ids = {name: chat.wiring.id(component) for name, component in parts.items()}
    greet = handler_index(chat, "Greet")
    status, events = await call(app, {"handler": greet, "values": ["Ada"]})
    assert status == 200
    assert events[0] == ("outputs", {"outputs": [[ids["md"], {"value": "Hello **Ada**"}]]})
    assert events[-1][0] == "done"
    then = next(
        i for i, h in enumerate(config_of(chat)["handlers"]) if h["after"] == [greet, "then"]
    )
    status, events = await call(app, {"handler": then, "values": []})
    assert events[0][1]["outputs"] == [[ids["name"], {"value": "", "placeholder": "again?"}]]


async def test_outputs_reach_the_chatbot_and_the_additional_inputs() -> None:
    chat, parts = build()
    app = app_of(chat)
    config = config_of(chat)
    _, events = await call(app, {"handler": handler_index(chat, "Clear"), "values": []})
    assert events[0][1]["outputs"] == [[config["chatbot"], {"value": []}]]
    _, events = await call(app, {"handler": handler_index(chat, "Creative"), "values": []})
    temp = chat.wiring.id(parts["temp"])
    assert config["inputs"] == [temp]
    assert events[0][1]["outputs"] == [[temp, {"value": 0.9}]]


async def test_load_returns_a_component_whose_given_arguments_are_the_update() -> None:
    chat, parts = build()
    config = config_of(chat)
    load = next(i for i, h in enumerate(config["handlers"]) if h["load"])
    _, events = await call(app_of(chat), {"handler": load, "values": []})
    md = chat.wiring.id(parts["md"])
    assert events[0][1]["outputs"] == [[md, {"value": "loaded", "visible": True}]]


async def test_a_generator_streams_its_updates() -> None:
    chat, _ = build()
    _, events = await call(
        app_of(chat), {"handler": handler_index(chat, "Stream"), "values": ["x"]}
    )
    values = [data["outputs"][0][1]["value"] for name, data in events if name == "outputs"]
    assert values[-1] == "x 2"
    assert events[-1][0] == "done"


async def test_gr_error_is_shown_and_other_exceptions_are_generic() -> None:
    chat, _ = build()
    app = app_of(chat)
    _, events = await call(app, {"handler": handler_index(chat, "Oops"), "values": ["Bo"]})
    assert events[-1][0] == "error"
    assert events[-1][1]["error"] == "No greeting for Bo"
    _, events = await call(app, {"handler": handler_index(chat, "Boom"), "values": []})
    assert events[-1][0] == "error"
    assert "secret" not in events[-1][1]["error"]
    assert events[-1][1]["code"] == "internal_error"


async def test_a_state_counts_per_conversation() -> None:
    chat, _ = build()
    app = app_of(chat)
    bump = handler_index(chat, "Bump")
    body = {"handler": bump, "values": [None], "session": "conversation-1"}
    _, first = await call(app, body)
    _, second = await call(app, body)
    _, other = await call(app, {**body, "session": "conversation-2"})
    shown = [events[0][1]["outputs"][0][1]["value"] for events in (first, second, other)]
    assert shown == ["bumped 1", "bumped 2", "bumped 1"]


async def test_a_bad_handler_is_404_and_bad_values_are_400() -> None:
    chat, _ = build()
    app = app_of(chat)
    greet = handler_index(chat, "Greet")
    for handler in (999, -1, "0", None, True, "__import__('os')"):
        status, body = await call(app, {"handler": handler, "values": []})
        assert status == 404, handler
        assert body["code"] == "not_found"
    for values in ([], ["a", "b"], [42], ["x" * 21], "Ada", None):
        status, body = await call(app, {"handler": greet, "values": values})
        assert status == 400, values
        assert body["ok"] is False and body["error"]
    status, body = await call(app, "{not json")
    assert status == 400
    status, body = await call(app, ["a list"])
    assert status == 422


async def test_an_app_without_blocks_has_no_handlers() -> None:
    chat = ChatInterface(echo)
    assert chat.wiring.config() is None
    status, body = await call(app_of(chat), {"handler": 0, "values": []})
    assert status == 404


async def test_each_call_gives_its_stream_slot_back() -> None:
    chat, _ = build()
    app = create_app(chat, Settings.from_mapping({**FAST, "max_streams_per_client": 1}))
    greet = handler_index(chat, "Greet")
    for name in ("a", "b", "c"):
        _, events = await call(app, {"handler": greet, "values": [name]})
        assert events[-1][0] == "done", events


async def test_the_chats_own_textbox_is_read_and_filled() -> None:
    with gr.Blocks():
        shown = gr.Markdown()
        chat = gr.ChatInterface(echo, textbox=gr.Textbox(max_length=10))
        fill = gr.Button("Suggest")
        read = gr.Button("Read")
        fill.click(lambda: "Tell me", None, chat.textbox)
        read.click(lambda text: text.upper(), chat.textbox, shown)
    config = config_of(chat)
    app = app_of(chat)
    _, events = await call(app, {"handler": handler_index(chat, "Suggest"), "values": []})
    assert events[0][1]["outputs"] == [[config["textbox"], {"value": "Tell me"}]]
    _, events = await call(app, {"handler": handler_index(chat, "Read"), "values": ["draft"]})
    assert events[0][1]["outputs"] == [[chat.wiring.id(shown), {"value": "DRAFT"}]]
    status, body = await call(app, {"handler": handler_index(chat, "Read"), "values": ["x" * 11]})
    assert (status, body["code"]) == (400, "invalid_input")  # the composer's max_length


async def test_the_body_limit_of_the_chat_applies() -> None:
    chat, _ = build()
    app = create_app(chat, Settings.from_mapping({**FAST, "max_body_bytes": 2000}))
    greet = handler_index(chat, "Greet")
    status, body = await call(app, {"handler": greet, "values": ["x" * 5000]})
    assert (status, body["code"]) == (413, "body_too_large")


async def test_the_chatbot_as_an_input_is_the_conversation_the_widget_sent() -> None:
    chat, parts = build()
    app = app_of(chat)
    summary = handler_index(chat, "Summary")
    history = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hi at 0.5"}]
    _, events = await call(app, {"handler": summary, "values": [history]})
    md = chat.wiring.id(parts["md"])
    assert events[0][1]["outputs"] == [
        [md, {"value": "2 messages: user=hi / assistant=hi at 0.5"}]
    ]
    _, events = await call(app, {"handler": summary, "values": [None]})
    assert events[0][1]["outputs"] == [[md, {"value": "0 messages: "}]]
    # It is checked as a chat request's history: shape, and files only by this visitor's ids.
    status, error = await call(app, {"handler": summary, "values": [[{"role": "system"}]]})
    assert status == 422 and "values[0][0]" in error["error"]
    unknown = [{"role": "user", "content": {"file": "A" * 43}}]
    status, error = await call(app, {"handler": summary, "values": [unknown]})
    assert status == 400 and error["code"] == "unknown_file"


async def test_the_chatbot_input_opens_with_the_welcome_as_the_chat_function_sees_it() -> None:
    with gr.Blocks():
        md = gr.Markdown("")
        summary = gr.Button("Summary")
        welcome = gr.Chatbot(value=[{"role": "assistant", "content": "Welcome!"}])
        chat = gr.ChatInterface(echo, chatbot=welcome)
        summary.click(summarize, chat.chatbot, md)
    history = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hi at 0.5"}]
    _, events = await call(
        app_of(chat), {"handler": handler_index(chat, "Summary"), "values": [history]}
    )
    said = "3 messages: assistant=Welcome! / user=hi / assistant=hi at 0.5"
    assert events[0][1]["outputs"] == [[chat.wiring.id(md), {"value": said}]]
