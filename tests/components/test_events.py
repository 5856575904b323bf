"""Event listeners as Gradio's: what each records (triggers, inputs, outputs, chains), the listener
arguments accepted, ``gr.on``, the decorator form, ``demo.load``, ``Button``/``ClearButton``/
``LoginButton``, ``gr.update``, and ``ChatInterface.render()`` inside a Blocks."""

from __future__ import annotations

from typing import Any

import pytest

import backend as gr
from backend.chat.event_calls import arguments, outputs
from backend.components import events
from backend.components.events import Handler


@pytest.fixture(autouse=True)
def _warn_again() -> None:
    events._warned.clear()  # one warning per process: each test sees its own


def echo(message: str, history: list[Any]) -> str:
    return message


def test_a_listener_records_its_handler_and_chains() -> None:
    with gr.Blocks():
        box = gr.Textbox()
        md = gr.Markdown()
        button = gr.Button("Go")
        first = button.click(str.upper, box, md, api_name="shout", show_progress="hidden")
        then = first.then(lambda: "", None, box)
        ok = first.success(lambda: "ok", None, md)
        bad = first.failure(lambda: "bad", None, md)
    assert isinstance(first, Handler)
    assert first.triggers == ((button, "click"),)
    assert (first.inputs, first.outputs, first.outputs_as) == ((box,), (md,), "one")
    assert (first.api_name, first.show_progress) == ("shout", "hidden")
    assert [h.triggers[0] for h in (then, ok, bad)] == [
        (first, "then"), (first, "success"), (first, "failure")
    ]  # fmt: skip


def test_every_listener_argument_of_gradio_is_accepted() -> None:
    options = {
        "api_name": "x", "api_description": "d", "scroll_to_output": True,
        "show_progress": "minimal", "show_progress_on": None, "queue": False, "batch": False,
        "max_batch_size": 8, "preprocess": False, "postprocess": False, "cancels": [],
        "trigger_mode": "always_last", "concurrency_limit": 2, "concurrency_id": "c",
        "api_visibility": "private", "time_limit": 10, "stream_every": 1.0, "key": "k",
        "validator": None,
    }  # fmt: skip
    with gr.Blocks():
        box = gr.Textbox()
        for name in ("submit", "change", "input", "focus", "blur", "select"):
            getattr(box, name)(str.strip, box, box, **options)
        with pytest.raises(TypeError, match="unexpected keyword argument 'nonsense'"):
            box.change(str.strip, box, box, nonsense=1)
        with pytest.raises(ValueError, match="show_progress"):
            box.change(str.strip, box, box, show_progress="loud")
        with pytest.raises(TypeError, match="fn must be a function"):
            box.change(42, box, box)


def test_js_is_accepted_with_one_warning() -> None:
    with gr.Blocks():
        button = gr.Button()
        with pytest.warns(UserWarning, match="js= has no effect") as caught:
            button.click(None, js="() => 1")
        assert caught[0].filename == __file__  # points at the app's line
        button.click(None, js="() => 2")  # once per process: no second warning


def test_decorator_form_gr_on_and_load() -> None:
    with gr.Blocks() as demo:
        box = gr.Textbox()
        md = gr.Markdown()
        button = gr.Button()

        @button.click(inputs=box, outputs=md)  # type: ignore[untyped-decorator]
        def shout(text: str) -> str:
            return text.upper()

        both = gr.on([button.click, box.submit], shout, box, md)
        changed = gr.on(None, shout, [box], md)
        loaded = demo.load(lambda: "hi", None, md)
    assert shout("a") == "A"  # the decorator gives the function back
    assert both.triggers == ((button, "click"), (box, "submit"))
    assert changed.triggers == ((box, "change"),)
    assert loaded.triggers == ((demo, "load"),) and loaded.owner is demo
    with pytest.raises(TypeError, match="triggers must be listeners"):
        gr.on([box], shout)


def test_the_chatbots_own_listeners_stay_refused_here() -> None:
    with gr.Blocks():
        box = gr.Textbox()
        with pytest.raises(TypeError, match="not supported here"):
            box.like(lambda: None)


def test_arguments_as_gradio_passes_them() -> None:
    with gr.Blocks() as demo:
        box = gr.Textbox()
        slider = gr.Slider(0, 10)
        md = gr.Markdown()
        chat = gr.ChatInterface(echo)
        listed = gr.Button().click(lambda a, b: a, [box, slider], md)
        as_set = gr.Button().click(lambda d: d, {box, slider}, md)
        named = gr.Button().click(lambda **k: k, None, md, inputs_kwargs={"text": box})
    wiring = demo.interface.wiring
    assert wiring is chat.wiring
    no_state = lambda s: None  # noqa: E731
    assert arguments(wiring, listed, ["a", 3], no_state) == (("a", 3), {})
    sent = ["a" if component is box else 3 for component in as_set.inputs]  # the config's order
    (given,), _ = arguments(wiring, as_set, sent, no_state)
    assert given == {box: "a", slider: 3}
    assert arguments(wiring, named, ["a"], no_state) == ((), {"text": "a"})


def test_outputs_as_gradio_takes_them() -> None:
    with gr.Blocks() as demo:
        box = gr.Textbox()
        md = gr.Markdown()
        chat = gr.ChatInterface(echo)
        handler = gr.Button().click(None, None, [box, md, chat.chatbot])
    wiring = demo.interface.wiring
    ids = [wiring.id(c) for c in (box, md, chat.chatbot)]
    kept: list[Any] = []
    keep = lambda s, v: kept.append(v)  # noqa: E731
    assert outputs(wiring, handler, ("a", "**b**", []), keep) == [
        [ids[0], {"value": "a"}], [ids[1], {"value": "**b**"}], [ids[2], {"value": []}],
    ]  # fmt: skip
    assert outputs(wiring, handler, {md: gr.update(visible=False)}, keep) == [
        [ids[1], {"visible": False}]
    ]
    # A component's given arguments are the update (the value is left alone when not given).
    assert outputs(wiring, handler, {box: gr.Textbox(placeholder="p", render=False)}, keep) == [
        [ids[0], {"placeholder": "p"}]
    ]
    with pytest.raises(Exception, match="returned 2 values for 3 outputs"):
        outputs(wiring, handler, ("a", "b"), keep)


def test_buttons() -> None:
    with gr.Blocks() as demo:
        chat = gr.ChatInterface(echo)
        clear = gr.ClearButton([chat.chatbot], value="Wipe")
        with pytest.warns(UserWarning, match="LoginButton shows nothing") as caught:
            gr.LoginButton()
        assert caught[0].filename == __file__
        with pytest.raises(ValueError, match="variant"):
            gr.Button(variant="loud")
    config = demo.interface.wiring.config()
    assert config is not None
    [handler] = [
        h for h in config["handlers"] if h["on"] == [[demo.interface.wiring.id(clear), "click"]]
    ]
    assert handler["outputs"] == [config["chatbot"]]
    below = demo.interface.wiring.spec(clear)
    assert below is not None and below["value"] == "Wipe"
    assert gr.update(value=1) == {"__type__": "update", "value": 1}


def test_render_places_an_interface_made_outside() -> None:
    chat = gr.ChatInterface(echo)
    with gr.Blocks() as demo:
        gr.Markdown("# Title")
        chat.render()
        gr.Markdown("below")
    assert demo.interface is chat
    with gr.Blocks() as other:
        chat.render()  # moved: one interface per layout
    assert other.interface is chat
    with pytest.raises(ValueError, match="exactly one ChatInterface"):
        _ = demo.interface


def test_components_built_hidden_are_laid_out_hidden() -> None:
    with gr.Blocks() as demo:
        box = gr.Textbox(visible=False)
        md = gr.Markdown("x", visible=False)
        button = gr.Button("Later", visible=False)
        shown = gr.Slider(visible=True)
        gr.ChatInterface(echo)
    wiring = demo.interface.wiring
    specs = [wiring.spec(c) for c in (box, md, button, shown)]
    assert [spec and spec.get("visible", True) for spec in specs] == [False, False, False, True]
