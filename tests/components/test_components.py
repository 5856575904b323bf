from __future__ import annotations

from pathlib import Path

import pytest

import backend as gr


def test_chatbot_options_and_layout_only_arguments() -> None:
    chatbot = gr.Chatbot(
        height=300, max_height="80vh", placeholder="<strong>Hi</strong>", rtl=True,
        buttons=["copy"], label="Conversation", container=False, scale=7, elem_id="x",
    )  # fmt: skip
    assert chatbot.height == "300px" and chatbot.max_height == "80vh"
    assert chatbot.min_height is None and chatbot.rtl and chatbot.show_copy_button
    assert chatbot.placeholder == "<strong>Hi</strong>" and chatbot.label == "Conversation"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"height": "300px; background: red"}, ValueError, "height must be pixels"),
        ({"height": -5}, ValueError, "height must be positive"),
        ({"type": "pairs"}, ValueError, "type must be 'messages', not 'pairs'"),
        ({"rtl": "yes"}, TypeError, "rtl must be True or False"),
        ({"placeholder": 5}, TypeError, "placeholder must be a string"),
        ({"avatar_images": "me.png"}, TypeError, "avatar_images must be a pair"),
        (
            {"avatar_images": (None, "bot.exe")},
            ValueError,
            "avatar_images\\[1\\] must be an image",
        ),
        ({"avatar_images": (None, "missing.png")}, ValueError, "no such file 'missing.png'"),
        ({"colour": "red"}, TypeError, "unexpected keyword argument 'colour'"),
    ],
)
def test_chatbot_bad_arguments_name_themselves(
    kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        gr.Chatbot(**kwargs)  # type: ignore[arg-type]


def test_sanitizing_cannot_be_turned_off() -> None:
    with pytest.warns(UserWarning, match="always sanitizes"):
        gr.Chatbot(sanitize_html=False)


def test_avatar_files_and_urls(tmp_path: Path) -> None:
    image = tmp_path / "bot.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n")
    chatbot = gr.Chatbot(avatar_images=("https://example.com/me.png", image))
    assert chatbot.avatar_images == ("https://example.com/me.png", image.resolve())


def test_textbox_options() -> None:
    box = gr.Textbox(
        placeholder="Ask me", max_length=200, lines=2, max_lines=6, submit_btn="Ask",
        stop_btn=False, container=False, scale=7,
    )  # fmt: skip
    assert (box.placeholder, box.max_length, box.lines, box.max_lines) == ("Ask me", 200, 2, 6)
    assert box.submit_btn == "Ask" and box.stop_btn is False and box.autofocus is False


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_length": 0}, "max_length must be a positive int"),
        ({"lines": 0}, "lines must be an int from 1 to 100"),
        ({"lines": 5, "max_lines": 2}, "max_lines \\(2\\) is less than lines \\(5\\)"),
        ({"submit_btn": ""}, "submit_btn must be True, False or a label"),
        ({"value": 3}, "value must be a string"),
    ],
)
def test_textbox_bad_arguments(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises((ValueError, TypeError), match=message):
        gr.Textbox(**kwargs)  # type: ignore[arg-type]
