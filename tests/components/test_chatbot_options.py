"""Gradio 6's Chatbot message options: every argument of Gradio 6.31's signature accepted,
the Gradio 4/5 ones it removed accepted with one warning each and mapped."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest

import backend as gr
from backend.components.chatbot_options import MessageOptions

# Gradio 6.31's gr.Chatbot.__init__ parameters (inspect.signature on the real package), each
# with a value other than its default.
ICON = Path(__file__).parent.parent / "e2e" / "apps"
GRADIO_631_CHATBOT: dict[str, Any] = {
    "label": "Conversation", "every": 5, "inputs": [], "show_label": False, "container": False,
    "scale": 2, "min_width": 300, "visible": False, "elem_id": "c", "elem_classes": ["c"],
    "autoscroll": False, "render": False, "key": "k", "preserved_by_key": ["value"],
    "height": 500, "resizable": True, "max_height": 800, "min_height": 200, "editable": "all",
    "rtl": True, "buttons": ["copy"], "watermark": "(AI)", "avatar_images": None,
    "render_markdown": False, "feedback_options": ["Like", "Dislike", "Spam"],
    "feedback_value": ["Spam"], "line_breaks": False, "layout": "panel",
    "placeholder": "Ask", "examples": [{"text": "Hi", "display_text": "Say hi"}],
    "allow_file_downloads": False, "group_consecutive_messages": False,
    "allow_tags": ["thinking"], "like_user_message": True,
    "value": [{"role": "assistant", "content": "Welcome!"}],
    "latex_delimiters": [{"left": "$", "right": "$", "display": False}],
    "reasoning_tags": [("<think>", "</think>")],
}  # fmt: skip
#: Documented to warn: the sanitizer cannot be turned off in a widget on other people's pages.
WARNS: dict[str, Any] = {"sanitize_html": False}


@pytest.mark.parametrize("name", sorted(GRADIO_631_CHATBOT))
def test_each_gradio_6_argument_builds_a_chatbot_without_warning(name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        chatbot = gr.Chatbot(**{name: GRADIO_631_CHATBOT[name]})
    assert isinstance(chatbot, gr.Chatbot)


def test_all_gradio_6_arguments_at_once_are_kept() -> None:
    chatbot = gr.Chatbot(**GRADIO_631_CHATBOT)
    options = chatbot.options
    assert options.buttons == ("copy",) and chatbot.show_copy_button
    assert options.watermark == "(AI)" and options.layout == "panel" and options.resizable
    assert options.feedback_options == ("Like", "Dislike", "Spam")
    assert options.feedback_value == ("Spam",) and options.like_user_message
    assert options.allow_tags == ("thinking",) and not options.line_breaks
    assert not options.group_consecutive_messages and not options.allow_file_downloads
    assert options.editable == "all"
    assert chatbot.examples == ({"text": "Hi", "display_text": "Say hi"},)


def test_sanitize_html_false_warns() -> None:
    with pytest.warns(UserWarning, match="always sanitizes"):
        gr.Chatbot(**WARNS)


def test_defaults_are_gradio_6s() -> None:
    options = gr.Chatbot().options
    assert options == MessageOptions()
    assert options.buttons == ("share", "copy", "copy_all")
    assert options.feedback_options == ("Like", "Dislike") and options.line_breaks
    assert options.allow_tags is True and options.layout == "bubble"


REMOVED: dict[str, Any] = {
    "show_copy_button": ({"show_copy_button": False}, lambda o: "copy" not in o.buttons),
    "show_copy_all_button": (
        {"show_copy_all_button": False, "buttons": ["copy"]}, lambda o: o.buttons == ("copy",)),
    "show_share_button": ({"show_share_button": False}, lambda o: "share" not in o.buttons),
    "likeable": ({"likeable": True}, lambda o: o.likeable),
    "bubble_full_width": ({"bubble_full_width": True}, lambda o: o.layout == "panel"),
    "resizeable": ({"resizeable": True}, lambda o: o.resizable),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(REMOVED))
def test_gradio_4_and_5_arguments_warn_once_and_map(name: str) -> None:
    kwargs, mapped = REMOVED[name]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        chatbot = gr.Chatbot(**kwargs)
    assert [str(w.message).split("=")[0] for w in caught] == [f"Chatbot({name}"]
    assert caught[0].filename == __file__  # points at the app's line
    assert mapped(chatbot.options)


def test_bubble_full_width_false_is_bubbles() -> None:
    with pytest.warns(UserWarning, match="bubble_full_width"):
        assert gr.Chatbot(bubble_full_width=False).options.layout == "bubble"


BAD: dict[str, Any] = {
    "buttons": ["download"], "layout": "grid", "editable": True, "watermark": 3,
    "feedback_value": [3], "allow_tags": "thinking", "like_user_message": "yes",
    "examples": ["Hi"], "feedback_options": "Like",
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(BAD))
def test_wrong_values_are_refused_clearly(name: str) -> None:
    with pytest.raises((TypeError, ValueError), match=r"Chatbot\(\)"):
        gr.Chatbot(**{name: BAD[name]})


def test_chatbot_examples_become_the_interfaces_examples() -> None:
    chatbot = gr.Chatbot(examples=[{"text": "Hi there", "display_text": "Greet"}, {"text": "Bye"}])
    demo = gr.ChatInterface(lambda m, h: m, chatbot=chatbot)
    assert [(e.text, e.label) for e in demo.examples] == [("Hi there", "Greet"), ("Bye", None)]


def test_the_interfaces_own_examples_win_with_gradios_warning() -> None:
    chatbot = gr.Chatbot(examples=[{"text": "Hi there"}])
    with pytest.warns(UserWarning, match="examples provided in the chatbot will be ignored"):
        demo = gr.ChatInterface(lambda m, h: m, chatbot=chatbot, examples=["Mine"])
    assert [e.text for e in demo.examples] == ["Mine"]


@pytest.mark.parametrize("editable", ["user", "all"])
def test_chatbot_editable_makes_the_interface_editable(editable: str) -> None:
    demo = gr.ChatInterface(lambda m, h: m, chatbot=gr.Chatbot(editable=editable))
    assert demo.editable
    # The widget reads it: "all" puts Edit on answers too.
    assert demo.chatbot.options.config()["editable"] == editable


def test_like_registers_a_listener_with_its_likedata_parameter() -> None:
    def voted(data: gr.LikeData) -> None:
        pass

    chatbot = gr.Chatbot()
    found = chatbot.like(voted, None, None)
    assert chatbot.likes == [found] and found.event_parameter == "data"
    with pytest.raises(TypeError, match="must be a function"):
        chatbot.like("voted")
