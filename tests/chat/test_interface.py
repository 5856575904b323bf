from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import backend as gr


def echo(message: str, history: list[dict[str, str]]) -> str:
    return message


def test_gradio_signature() -> None:
    demo = gr.ChatInterface(fn=echo, type="messages", title="T")
    assert demo.fn is echo and demo.title == "T" and demo.queue() is demo
    assert callable(demo.app)  # an ASGI app to mount elsewhere


def test_tuples_is_accepted_with_one_warning_at_the_apps_line() -> None:
    with pytest.warns(UserWarning, match="type='tuples' was removed in Gradio 6") as caught:
        demo = gr.ChatInterface(fn=echo, type="tuples")
    assert len(caught) == 1 and caught[0].filename == __file__
    assert demo.history_format == "tuples"
    assert gr.ChatInterface(fn=echo).history_format == "messages"
    with pytest.warns(UserWarning, match="Chatbot\\(\\): type='tuples'") as caught:
        chatbot = gr.Chatbot(type="tuples")
    assert len(caught) == 1 and caught[0].filename == __file__
    assert gr.ChatInterface(fn=echo, chatbot=chatbot).history_format == "tuples"
    with pytest.raises(ValueError, match="type must be 'messages', not 'pairs'"):
        gr.ChatInterface(fn=echo, type="pairs")


def test_unknown_keyword_names_it() -> None:
    with pytest.raises(TypeError, match="'colour'"):
        gr.ChatInterface(fn=echo, colour="red")
    with pytest.raises(TypeError, match="unexpected keyword argument 'show_apy'"):
        gr.ChatInterface(fn=echo, show_apy=False)
    with pytest.raises(
        TypeError, match="launch\\(\\): got an unexpected keyword argument 'colour'"
    ):
        gr.ChatInterface(fn=echo).launch(colour="red")


def test_fn_must_take_message_and_history() -> None:
    with pytest.raises(TypeError, match="fn must accept \\(message, history\\)"):
        gr.ChatInterface(fn=lambda message: message)
    with pytest.raises(TypeError, match="callable"):
        gr.ChatInterface(fn="echo")  # type: ignore[arg-type]


def test_customization_arguments_are_checked() -> None:
    with pytest.raises(TypeError, match="description must be a string"):
        gr.ChatInterface(fn=echo, description=3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="chatbot must be a gr.Chatbot"):
        gr.ChatInterface(fn=echo, chatbot="big")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="textbox must be a gr.Textbox"):
        gr.ChatInterface(fn=echo, textbox=gr.Chatbot())  # type: ignore[arg-type]
    with pytest.warns(UserWarning, match="theme 'sea' is not a built-in Gradio theme"):
        assert gr.ChatInterface(fn=echo, theme="sea").theme is None  # as Gradio: a Hub name
    with pytest.raises(TypeError, match="theme must be a Gradio theme"):
        gr.ChatInterface(fn=echo, theme=3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="cache_mode must be 'eager' or 'lazy'"):
        gr.ChatInterface(fn=echo, examples=["a"], cache_examples=True, cache_mode="soon")
    with pytest.raises(ValueError, match="cache_examples=True needs examples"):
        gr.ChatInterface(fn=echo, cache_examples=True)
    with pytest.raises(ValueError, match="css_paths: cannot read 'nope.css'"):
        gr.ChatInterface(fn=echo, css_paths="nope.css")


def test_full_page_arguments_are_kept_without_a_warning(tmp_path: Path) -> None:
    extra = tmp_path / "head.html"
    extra.write_text("<meta name=from-file>")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        demo = gr.ChatInterface(
            fn=echo, fill_height=False, fill_width=True, js="() => 1", head="<meta name=a>",
            head_paths=[extra],
        )  # fmt: skip
    page = demo.full_page
    assert (page.fill_height, page.fill_width, page.js) == (False, True, "() => 1")
    assert page.head == "<meta name=a>\n<meta name=from-file>"
    with pytest.raises(TypeError, match="fill_height must be True or False"):
        gr.ChatInterface(fn=echo, fill_height="yes")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="head_paths: cannot read"):
        gr.ChatInterface(fn=echo, head_paths=str(tmp_path / "nope.html"))


def test_editable_and_save_history() -> None:
    demo = gr.ChatInterface(fn=echo, editable=True, save_history=True)
    assert demo.editable is True and demo.save_history is True
    with pytest.raises(TypeError, match="editable must be True or False"):
        gr.ChatInterface(fn=echo, editable="user")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="save_history must be True or False"):
        gr.ChatInterface(fn=echo, save_history=1)  # type: ignore[arg-type]


def test_css_and_css_paths_are_joined(tmp_path: Path) -> None:
    extra = tmp_path / "extra.css"
    extra.write_text(".panel { border: 2px solid red; }")
    demo = gr.ChatInterface(fn=echo, css=".root { color: red; }", css_paths=[extra])
    assert demo.css.startswith(".root { color: red; }") and ".panel { border" in demo.css


def test_the_api_arguments() -> None:
    def respond(message: str, history: list[dict[str, str]]) -> str:
        """Answers.

        Args:
            message: the text
        """
        return message

    demo = gr.ChatInterface(respond)
    assert (demo.api_name, demo.api_description, demo.api_visibility) == (
        "respond", "Answers.", "public",
    )  # fmt: skip
    named = gr.ChatInterface(respond, api_name="/talk", api_description=False)
    assert (named.api_name, named.api_description) == ("talk", "")
    assert gr.ChatInterface(lambda m, h: m).api_name == "lambda"
    assert gr.ChatInterface(echo, api_visibility="private").api_visibility == "private"
    with pytest.raises(ValueError, match="api_visibility"):
        gr.ChatInterface(echo, api_visibility="hidden")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="api_name"):
        gr.ChatInterface(echo, api_name=3)  # type: ignore[arg-type]
