from __future__ import annotations

import pytest

import backend as gr


def test_gradios_default_is_display_dollars_and_none_means_the_default() -> None:
    default = [{"left": "$$", "right": "$$", "display": True}]
    assert list(gr.Chatbot().latex_delimiters) == default
    assert list(gr.Chatbot(latex_delimiters=None).latex_delimiters) == default
    assert gr.Chatbot(latex_delimiters=[]).latex_delimiters == ()


def test_custom_delimiters_display_defaults_to_inline() -> None:
    chatbot = gr.Chatbot(latex_delimiters=[{"left": "\\(", "right": "\\)"}])
    assert list(chatbot.latex_delimiters) == [{"left": "\\(", "right": "\\)", "display": False}]


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        ("$$", TypeError, "latex_delimiters must be a list of dicts"),
        ([{"left": "$$"}], TypeError, "'left', 'right' and 'display'"),
        ([{"left": "", "right": "$"}], ValueError, "strings of 1 to 20 characters"),
        ([{"left": "$", "right": "$", "display": "yes"}], TypeError, "'display' must be True"),
    ],
)
def test_bad_delimiters_name_themselves(
    value: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        gr.Chatbot(latex_delimiters=value)  # type: ignore[arg-type]
