"""Issue 6 on the server: ChatMessage (thoughts, options), additional inputs and outputs,
and Blocks layouts, through the HTTP API."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

import backend as gr
from backend import ChatInterface, Settings, create_app
from backend.loader import load_interface
from tests.helpers import Event, answer_parts, parse_events, streamed_events
from tests.waiting import LIVENESS

FAST = Settings.from_mapping({"flush_interval": 0.0})


async def post(interface: ChatInterface, body: dict[str, Any]) -> tuple[int, Any]:
    app = create_app(interface, FAST)
    async with app.test_app() as test_app:
        response = await test_app.test_client().post(
            "/api/chat", data=json.dumps(body), headers={"Content-Type": "application/json"}
        )
        data = await response.get_data(as_text=False)
    if response.status_code != 200:
        return response.status_code, json.loads(data)
    return 200, parse_events(data)


async def config_of(interface: ChatInterface) -> dict[str, Any]:
    app = create_app(interface, FAST)
    async with app.test_app() as test_app:
        return dict(await (await test_app.test_client().get("/api/config")).get_json())


def parts_of(events: list[Event]) -> list[dict[str, Any]]:
    return answer_parts(events)


# -- ChatMessage --


async def test_a_thought_streams_then_collapses_with_its_duration() -> None:
    def thinking(message: str, history: Any) -> Iterator[Any]:
        thought = gr.ChatMessage(
            "", metadata={"title": "_Thinking_", "id": 0, "status": "pending"}
        )
        yield thought
        for step in ("one", "one, two"):
            thought.content = step
            time.sleep(0.01)  # plays a slow model (the asserts hold however yields merge)
            yield thought
        thought.metadata["status"] = "done"
        thought.metadata["duration"] = 1.23456
        yield thought
        yield [thought, gr.ChatMessage("The answer.")]

    status, events = await post(ChatInterface(thinking), {"message": "why?"})
    assert status == 200
    parts = parts_of(events)
    assert parts == [
        {"type": "text", "text": "one, two",
         "metadata": {"title": "_Thinking_", "id": "0", "duration": 1.235, "status": "done"}},
        {"type": "text", "text": "The answer."},
    ]  # fmt: skip
    names = [event.event for event in events]
    assert names[0] == "start" and names[-1] == "done" and "parts" in names


async def test_a_growing_earlier_message_travels_as_an_indexed_append() -> None:
    # The second yield waits until the client has the first: they are not merged into one.
    got_first = threading.Event()

    def fn(message: str, history: Any) -> Iterator[Any]:
        step = gr.ChatMessage("a", metadata={"title": "Tool"})
        answer = gr.ChatMessage("done")
        yield [step, answer]
        assert got_first.wait(LIVENESS)
        step.content = "ab"
        yield [step, answer]

    def received(events: list[Event]) -> None:
        if any(event.event == "parts" for event in events):
            got_first.set()

    app = create_app(ChatInterface(fn), FAST)
    events = await streamed_events(app, {"message": "go"}, received)
    deltas = [event.data for event in events if event.event == "message"]
    assert {"append": "b", "at": 0} in deltas
    assert parts_of(events)[0]["text"] == "ab"


async def test_options_and_dict_messages() -> None:
    def fn(message: str, history: Any) -> Any:
        return {
            "role": "assistant",
            "content": "Is this correct?",
            "options": [{"value": "Yes, that's correct.", "label": "Yes"}, {"value": "No"}],
        }

    _, events = await post(ChatInterface(fn), {"message": "x"})
    assert parts_of(events) == [
        {"type": "text", "text": "Is this correct?",
         "options": [{"value": "Yes, that's correct.", "label": "Yes"}, {"value": "No"}]},
    ]  # fmt: skip


@pytest.mark.parametrize(
    "bad",
    [
        gr.ChatMessage("x", metadata={"status": "running"}),
        gr.ChatMessage("x", metadata={"title": 3}),
        gr.ChatMessage("x", options=[{"label": "no value"}]),
        gr.ChatMessage("x", options="Yes"),  # type: ignore[arg-type]
        gr.ChatMessage("x", role="user"),
        gr.ChatMessage("x", metadata="title"),  # type: ignore[arg-type]
    ],
)
async def test_malformed_messages_are_a_clear_error(
    bad: Any, caplog: pytest.LogCaptureFixture
) -> None:
    _, events = await post(ChatInterface(lambda m, h: bad), {"message": "x"})
    assert events[-1].event == "error"
    assert events[-1].data["code"] == "internal_error"
    assert "Traceback" not in json.dumps(events[-1].data)
    assert any("chat function" in record.getMessage() for record in caplog.records)


# -- additional inputs --


def system_prompt_demo() -> ChatInterface:
    def echo(message: str, history: Any, system_prompt: str, tokens: float) -> str:
        return f"System prompt: {system_prompt}\n Message: {message}. ({tokens})"

    return ChatInterface(
        echo,
        additional_inputs=[gr.Textbox("You are helpful AI.", label="System Prompt"),
                           gr.Slider(10, 100)],
    )  # fmt: skip


async def test_inputs_reach_fn_and_default_when_absent() -> None:
    _, events = await post(system_prompt_demo(), {"message": "hi", "inputs": ["Be brief.", 42]})
    assert parts_of(events)[0]["text"] == "System prompt: Be brief.\n Message: hi. (42)"
    _, events = await post(system_prompt_demo(), {"message": "hi"})
    assert parts_of(events)[0]["text"].startswith("System prompt: You are helpful AI.")


@pytest.mark.parametrize(
    "inputs",
    [["ok", 101], ["ok", 9], ["ok", "50"], ["ok", True], [3, 50], ["ok"], ["ok", 50, 1], "x",
     ["ok", None], ["x" * 20_001, 50]],
)  # fmt: skip
async def test_tampered_inputs_are_400_and_fn_is_not_called(inputs: Any) -> None:
    calls: list[Any] = []

    def fn(message: str, history: Any, prompt: str, tokens: float) -> str:
        calls.append(tokens)
        return "no"

    interface = ChatInterface(fn, additional_inputs=[gr.Textbox(), gr.Slider(10, 100)])
    status, body = await post(interface, {"message": "hi", "inputs": inputs})
    assert status == 400 and body["code"] == "invalid_input" and body["error"]
    assert calls == []


async def test_choice_inputs() -> None:
    def fn(message: str, history: Any, *values: Any) -> str:
        return json.dumps(values)

    interface = ChatInterface(
        fn,
        additional_inputs=[
            gr.Dropdown(["small", "large"], value="small", label="Size"),
            gr.Radio([("Fast", "f"), ("Slow", "s")], value="f"),
            gr.CheckboxGroup(["a", "b", "c"]),
            gr.Checkbox(),
            gr.Number(3, precision=0, minimum=0),
        ],
    )
    _, events = await post(
        interface, {"message": "x", "inputs": ["large", "s", ["a", "c"], True, 2.6]}
    )
    assert json.loads(parts_of(events)[0]["text"]) == ["large", "s", ["a", "c"], True, 3]
    for tampered in (["huge", "s", [], False, 1], ["large", "Slow", [], False, 1],
                     ["large", "s", ["z"], False, 1], ["large", "s", [], "yes", 1],
                     ["large", "s", [], False, -1]):  # fmt: skip
        status, body = await post(interface, {"message": "x", "inputs": tampered})
        assert (status, body["code"]) == (400, "invalid_input"), tampered


async def test_input_config_and_accordion() -> None:
    config = await config_of(system_prompt_demo())
    section = config["additional_inputs"]
    assert section["accordion"] == {"label": "Additional Inputs", "open": False}
    assert section["inputs"][0]["type"] == "textbox"
    assert section["inputs"][0]["value"] == "You are helpful AI."
    assert (
        section["inputs"][1] | {"minimum": 10, "maximum": 100, "step": 1} == section["inputs"][1]
    )
    assert config["layout"] == {"above": [], "below": [], "accordion": [0, 1]}
    named = ChatInterface(
        lambda m, h, x: m, additional_inputs="slider",
        additional_inputs_accordion=gr.Accordion("Settings", open=True),
    )  # fmt: skip
    assert (await config_of(named))["additional_inputs"]["accordion"] == {
        "label": "Settings", "open": True,
    }  # fmt: skip


def test_examples_as_lists_are_checked() -> None:
    fn = lambda m, h, p, t: m  # noqa: E731
    inputs = [gr.Textbox(), gr.Slider(10, 100)]
    ChatInterface(fn, additional_inputs=inputs, examples=[["hi", "Be nice", 20]])
    with pytest.raises(ValueError, match="each example is \\[message, up to 2 value"):
        ChatInterface(fn, additional_inputs=inputs, examples=[["hi", "Be nice", 20, 3]])
    short = ChatInterface(fn, additional_inputs=inputs, examples=[["hi", "Be nice"]])
    assert short.examples[0].inputs == ("Be nice", 10)  # the slider's default: its minimum
    with pytest.raises(ValueError, match="between 10 and 100"):
        ChatInterface(fn, additional_inputs=inputs, examples=[["hi", "Be nice", 500]])


async def test_an_example_runs_with_its_own_inputs() -> None:
    def fn(message: str, history: Any, prompt: str, tokens: float) -> str:
        return f"{prompt}/{tokens}"

    interface = ChatInterface(
        fn, additional_inputs=[gr.Textbox(), gr.Slider(10, 100)], examples=[["hi", "Pirate", 20]]
    )
    config = await config_of(interface)
    assert config["examples"][0]["inputs"] == ["Pirate", 20]
    body = {"message": "hi", "example": 0, "inputs": ["Pirate", 20]}
    _, events = await post(interface, body)
    assert parts_of(events)[0]["text"] == "Pirate/20"
    status, _ = await post(interface, {**body, "inputs": ["Other", 20]})
    assert status == 422


# -- additional outputs --


async def test_additional_outputs_stream_as_an_outputs_event() -> None:
    def chat(message: str, history: Any) -> Any:
        if "python" in message:
            return "Here:", gr.Code(language="python", value="print(1)")
        return "Nothing new.", None

    code = gr.Code(render=False)
    interface = ChatInterface(chat, additional_outputs=[code])
    _, events = await post(interface, {"message": "python please"})
    names = [event.event for event in events]
    [outputs] = [event.data for event in events if event.event == "outputs"]
    # First, announcing the answer's change of the same return, which follows.
    assert outputs == {
        "outputs": [{"type": "code", "value": "print(1)", "language": "python"}],
        "more": True,
    }
    assert names == ["start", "outputs", "message", "done"]
    assert parts_of(events) == [{"type": "text", "text": "Here:"}]
    _, events = await post(interface, {"message": "hello"})
    assert not [event for event in events if event.event == "outputs"]
    assert parts_of(events)[0]["text"] == "Nothing new."


def test_only_showable_outputs() -> None:
    with pytest.raises(TypeError, match="additional_outputs\\[0\\]"):
        ChatInterface(lambda m, h: m, additional_outputs=[gr.Slider()])


# -- Blocks --


async def test_blocks_layout_above_and_below() -> None:
    def echo(message: str, history: Any, system_prompt: str, tokens: float) -> str:
        return message

    with gr.Blocks() as demo:
        gr.Markdown("# Welcome")
        system_prompt = gr.Textbox("You are helpful AI.", label="System Prompt")
        slider = gr.Slider(10, 100, render=False)
        gr.ChatInterface(echo, additional_inputs=[system_prompt, slider])
    config = await config_of(demo.interface)
    assert config["layout"] == {
        "above": [
            {"type": "markdown", "value": "# Welcome", "id": 0},
            {"type": "input", "index": 0, "id": 1},
        ],
        "below": [],
        "accordion": [1],
    }


async def test_artifacts_layout_with_rows_and_render() -> None:
    with gr.Blocks() as demo:
        code = gr.Code(render=False)
        with gr.Row():
            with gr.Column():
                gr.Markdown("<h1>Write code</h1>")
                gr.ChatInterface(lambda m, h: (m, None), additional_outputs=[code])
            with gr.Column():
                gr.Markdown("<h1>Artifacts</h1>")
                code.render()
    config = await config_of(demo.interface)
    assert config["layout"]["above"] == [
        {"type": "markdown", "value": "<h1>Write code</h1>", "id": 0}
    ]
    assert config["layout"]["below"] == [
        {"type": "markdown", "value": "<h1>Artifacts</h1>", "id": 1},
        {"type": "output", "index": 0},
    ]
    assert config["additional_outputs"][0]["type"] == "code"


def test_chatbot_listeners_of_other_modules_stay_a_clear_error() -> None:
    with gr.Blocks():
        box = gr.Textbox()
        box.submit(lambda: None)  # an event listener (tests/components/test_events.py)
        with pytest.raises(TypeError, match="not supported here"):
            box.like(lambda: None)


def test_the_loader_finds_the_chat_in_blocks(tmp_path: Any) -> None:
    app = tmp_path / "blocks_app.py"
    app.write_text(
        "import backend as gr\n"
        "with gr.Blocks() as demo:\n"
        "    gr.Markdown('hi')\n"
        "    chat = gr.ChatInterface(lambda m, h: m)\n"
        "demo.launch()\n"
    )
    found = load_interface(str(app))
    assert isinstance(found, ChatInterface)


async def test_a_cached_example_keeps_its_thoughts(tmp_path: Any) -> None:
    calls: list[str] = []

    def fn(message: str, history: Any) -> Any:
        calls.append(message)
        return [gr.ChatMessage("checked", metadata={"title": "Tool"}), "Done."]

    interface = ChatInterface(fn, examples=["Go"], cache_examples=True, cache_mode="lazy")
    assert interface.example_cache is not None
    interface.example_cache.path.unlink(missing_ok=True)
    try:
        first = await post(interface, {"message": "Go", "example": 0})
        second = await post(interface, {"message": "Go", "example": 0})
    finally:
        interface.example_cache.path.unlink(missing_ok=True)
    assert calls == ["Go"]
    expected = [
        {"type": "text", "text": "checked", "metadata": {"title": "Tool"}},
        {"type": "text", "text": "Done."},
    ]
    assert parts_of(first[1]) == parts_of(second[1]) == expected
