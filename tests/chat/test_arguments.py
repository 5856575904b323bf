"""Every argument of Gradio 6.31's ``ChatInterface`` is accepted, and each does what it says
(the checks in chat/arguments.py, the values the widget gets in tests/http/test_widget_config.py,
the browser in tests/e2e/test_arguments.py)."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest

import backend as gr

# Copied from Gradio 6.31.0: list(inspect.signature(gr.ChatInterface).parameters), in order.
GRADIO_6_31_CHATINTERFACE = [
    "fn", "multimodal", "chatbot", "textbox", "additional_inputs",
    "additional_inputs_accordion", "additional_outputs", "editable", "examples", "examples_label",
    "example_labels", "example_icons", "run_examples_on_click", "cache_examples", "cache_mode",
    "title", "description", "flagging_mode", "flagging_options", "flagging_dir",
    "analytics_enabled", "autofocus", "autoscroll", "submit_btn", "stop_btn", "concurrency_limit",
    "delete_cache", "show_progress", "fill_height", "fill_width", "api_name", "api_description",
    "api_visibility", "save_history", "validator",
]  # fmt: skip


def echo(message: str, history: list[dict[str, Any]], *inputs: Any) -> str:
    return message


def check(message: str) -> dict[str, Any]:
    return gr.validate(True, "")


# A value a Gradio 6.31 app may pass for each argument (not its default, where it has one);
# a function makes it afresh (components, and the validator itself).
VALUES: dict[str, Any] = {
    "multimodal": True,
    "chatbot": lambda: gr.Chatbot(height=300),
    "textbox": lambda: gr.MultimodalTextbox(),
    "additional_inputs": lambda: [gr.Slider(0, 1, value=0.5, label="Temperature")],
    "additional_inputs_accordion": "Settings",
    "additional_outputs": lambda: [gr.Code(render=False)],
    "editable": True,
    "examples": [{"text": "Hi", "files": []}],
    "examples_label": "Try these",
    "example_labels": ["Say hi"],
    "example_icons": [None],
    "run_examples_on_click": False,
    "cache_examples": False,
    "cache_mode": "lazy",
    "title": "Bot",
    "description": "A bot",
    "flagging_mode": "manual",
    "flagging_options": ["Like", "Dislike", "Spam"],
    "flagging_dir": "flags",
    "analytics_enabled": False,
    "autofocus": False,
    "autoscroll": False,
    "submit_btn": "Ask",
    "stop_btn": False,
    "concurrency_limit": 2,
    "delete_cache": (3600, 86400),
    "show_progress": "full",
    "fill_height": False,
    "fill_width": True,
    "api_name": "chat",
    "api_description": "Chats",
    "api_visibility": "private",
    "save_history": True,
    "validator": lambda: check,
}


@pytest.mark.parametrize("name", GRADIO_6_31_CHATINTERFACE[1:])
def test_every_gradio_argument_builds_an_app(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # flagging_mode writes its secret under ./.gradio/flagged
    value = VALUES[name]
    value = value() if callable(value) else value
    needs: dict[str, dict[str, Any]] = {
        "textbox": {"multimodal": True},
        "example_labels": {"examples": ["Hi"]},
        "example_icons": {"examples": ["Hi"]},
    }
    extra = needs.get(name, {})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        demo = gr.ChatInterface(echo, **extra, **{name: value})
    assert not caught, [str(warning.message) for warning in caught]
    assert callable(demo.app)


def test_every_gradio_argument_is_in_the_signature() -> None:
    import inspect

    ours = inspect.signature(gr.ChatInterface).parameters
    missing = [name for name in GRADIO_6_31_CHATINTERFACE if name not in ours]
    assert missing == []


def test_buttons_go_to_the_composer() -> None:
    demo = gr.ChatInterface(echo, submit_btn="Ask", stop_btn=False)
    assert demo.textbox.submit_btn == "Ask" and demo.textbox.stop_btn is False
    multimodal = gr.ChatInterface(echo, multimodal=True, submit_btn=None, stop_btn="Halt")
    assert multimodal.textbox.submit_btn is False and multimodal.textbox.stop_btn == "Halt"
    with pytest.raises(TypeError, match="submit_btn must be True, False or a label"):
        gr.ChatInterface(echo, submit_btn=3)  # type: ignore[arg-type]


def test_a_custom_textbox_wins_over_the_buttons_with_a_warning() -> None:
    box = gr.Textbox(submit_btn="Go")
    with pytest.warns(UserWarning, match=r"ChatInterface\(`submit_btn`, `stop_btn`\) is ignored"):
        demo = gr.ChatInterface(echo, textbox=box, submit_btn="Ask", stop_btn="Halt")
    assert demo.textbox.submit_btn == "Go" and demo.textbox.stop_btn is True
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        gr.ChatInterface(echo, textbox=gr.Textbox(submit_btn="Go"), submit_btn="Go")


def test_flags_and_progress_are_checked() -> None:
    demo = gr.ChatInterface(echo)
    assert (demo.autofocus, demo.autoscroll, demo.show_progress) == (True, True, "minimal")
    with pytest.raises(TypeError, match="autoscroll must be True or False"):
        gr.ChatInterface(echo, autoscroll="yes")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="autofocus must be True or False"):
        gr.ChatInterface(echo, autofocus=None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="show_progress must be 'full', 'minimal' or 'hidden'"):
        gr.ChatInterface(echo, show_progress="spinner")
    with pytest.raises(TypeError, match="analytics_enabled must be True or False"):
        gr.ChatInterface(echo, analytics_enabled="off")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="examples_label must be a string"):
        gr.ChatInterface(echo, examples_label=3)  # type: ignore[arg-type]


def test_concurrency_limit_and_queue() -> None:
    # Nothing set: no limit (Gradio's default of 1 would answer one visitor at a time).
    assert gr.ChatInterface(echo).concurrency is None
    assert gr.ChatInterface(echo).queue().concurrency is None
    assert gr.ChatInterface(echo, concurrency_limit=3).concurrency == 3
    assert (
        gr.ChatInterface(echo, concurrency_limit=None)
        .queue(default_concurrency_limit=2)
        .concurrency
        is None
    )
    demo = gr.ChatInterface(echo)
    assert demo.queue(default_concurrency_limit=2, max_size=5) is demo  # chainable
    assert demo.concurrency == 2 and demo.max_size == 5
    assert (
        gr.ChatInterface(echo, concurrency_limit=4).queue(default_concurrency_limit=2).concurrency
        == 4
    )
    demo.queue(status_update_rate=0.5, api_open=False, default_concurrency_limit=None)
    assert demo.concurrency is None and demo.status_update_rate == 0.5 and demo.api_open is False
    with pytest.raises(ValueError, match="concurrency_limit must be an int of at least 1"):
        gr.ChatInterface(echo, concurrency_limit=0)
    with pytest.raises(ValueError, match="default_concurrency_limit must be an int"):
        gr.ChatInterface(echo).queue(default_concurrency_limit="default")
    with pytest.raises(ValueError, match="max_size must be an int of at least 0"):
        gr.ChatInterface(echo).queue(max_size=-1)
    with pytest.raises(ValueError, match="status_update_rate must be 'auto' or seconds"):
        gr.ChatInterface(echo).queue(status_update_rate="often")
    with pytest.raises(TypeError, match="unexpected keyword argument 'concurrency_count'"):
        gr.ChatInterface(echo).queue(concurrency_count=4)


def test_blocks_queue_reaches_its_chat() -> None:
    with gr.Blocks() as demo:
        chat = gr.ChatInterface(echo)
    assert demo.queue(default_concurrency_limit=3) is demo
    assert chat.concurrency == 3


def test_validator_must_take_the_message() -> None:
    with pytest.raises(TypeError, match="validator must be a function"):
        gr.ChatInterface(echo, validator="strict")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"validator must accept \(message\)"):
        gr.ChatInterface(echo, validator=lambda: None)
    inputs = [gr.Slider(0, 1), gr.Textbox()]
    assert gr.ChatInterface(echo, validator=check, additional_inputs=inputs).validator_arity == 1
    both = gr.ChatInterface(echo, validator=lambda m, t, s: None, additional_inputs=inputs)
    assert both.validator_arity == 3
    starred = gr.ChatInterface(echo, validator=lambda *a: None, additional_inputs=inputs)
    assert starred.validator_arity == 3


@pytest.mark.parametrize("name", ["retry_btn", "undo_btn", "clear_btn"])
def test_gradio_4_buttons_are_accepted_with_one_warning(name: str) -> None:
    with pytest.warns(UserWarning, match=f"{name}=...\\) was removed in Gradio 6") as caught:
        legacy: dict[str, Any] = {name: None}
        demo = gr.ChatInterface(echo, **legacy)
    assert len(caught) == 1
    assert caught[0].filename == __file__  # points at the app's line
    assert callable(demo.app)


def test_show_api_maps_onto_api_visibility() -> None:
    with pytest.warns(UserWarning, match="show_api=...\\) was removed in Gradio 6"):
        hidden = gr.ChatInterface(echo, show_api=False)
    assert hidden.api_visibility == "undocumented"
    with pytest.warns(UserWarning):
        shown = gr.ChatInterface(echo, show_api=True)
    assert shown.api_visibility == "public"
    with pytest.warns(UserWarning):
        private = gr.ChatInterface(echo, show_api=False, api_visibility="private")
    assert private.api_visibility == "private"
