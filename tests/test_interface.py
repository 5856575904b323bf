from __future__ import annotations

import pytest

import backend as gr


def echo(message: str, history: list[dict[str, str]]) -> str:
    return message


def test_gradio_signature() -> None:
    demo = gr.ChatInterface(fn=echo, type="messages", title="T")
    assert demo.fn is echo and demo.title == "T" and demo.queue() is demo
    assert callable(demo.app)  # an ASGI app to mount elsewhere


def test_tuples_is_refused_clearly() -> None:
    with pytest.raises(ValueError, match="type='tuples' is not supported"):
        gr.ChatInterface(fn=echo, type="tuples")


def test_unknown_keyword_names_it() -> None:
    with pytest.raises(TypeError, match="'colour'"):
        gr.ChatInterface(fn=echo, colour="red")
    with pytest.raises(TypeError, match="'examples' \\(a Gradio argument chatbubble does not"):
        gr.ChatInterface(fn=echo, examples=["hi"])
    with pytest.raises(TypeError, match="launch\\(\\) got an unexpected keyword argument 'share'"):
        gr.ChatInterface(fn=echo).launch(share=True)


def test_fn_must_take_message_and_history() -> None:
    with pytest.raises(TypeError, match="two arguments"):
        gr.ChatInterface(fn=lambda message: message)
    with pytest.raises(TypeError, match="callable"):
        gr.ChatInterface(fn="echo")  # type: ignore[arg-type]
