from __future__ import annotations

import pytest

import backend as gr


def test_dicts_chat_messages_and_typed_parts_become_the_welcome() -> None:
    chatbot = gr.Chatbot(
        value=[
            {"role": "assistant", "content": "Hi! Ask me **anything**."},
            gr.ChatMessage("I know $$x^2$$."),
            {"role": "assistant", "content": [{"type": "text", "text": "Typed"}]},
            {"role": "user", "content": "Earlier question"},
        ]
    )
    assert [(m.role, m.text) for m in chatbot.value] == [
        ("assistant", "Hi! Ask me **anything**."),
        ("assistant", "I know $$x^2$$."),
        ("assistant", "Typed"),
        ("user", "Earlier question"),
    ]


def test_the_welcome_is_the_first_turns_of_every_history() -> None:
    chatbot = gr.Chatbot(
        value=[{"role": "assistant", "content": "Welcome!"}, gr.ChatMessage("Second")]
    )
    assert chatbot.welcome_turns() == [("assistant", "Welcome!"), ("assistant", "Second")]
    assert gr.Chatbot().welcome_turns() == []


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        ("Hello", TypeError, "value must be a list of at most 50 messages"),
        ([["hi", "there"]], TypeError, "Gradio 6 has no tuples format"),
        ([{"role": "system", "content": "x"}], ValueError, "role must be 'assistant' or 'user'"),
        ([{"role": "assistant", "content": {"path": "a.png"}}], TypeError, "must be text"),
        (lambda: [], TypeError, "a callable is not supported"),
    ],
)
def test_bad_values_name_themselves(value: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        gr.Chatbot(value=value)  # type: ignore[arg-type]
