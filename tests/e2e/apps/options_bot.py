"""Chatbot and Textbox options: avatars, copy button, plain-text answers, text buttons..."""

from __future__ import annotations

from pathlib import Path

import backend as gr

AVATAR = Path(__file__).with_name("avatar.svg")


def options(message: str, history: list[dict[str, str]]) -> str:
    return f"**plain** answer to {message}"


demo = gr.ChatInterface(
    options,
    type="messages",
    title="Options",
    chatbot=gr.Chatbot(
        label="Conversation",
        avatar_images=(AVATAR, AVATAR),
        buttons=["copy"],
        render_markdown=False,
        rtl=True,
        height=420,
    ),
    textbox=gr.Textbox(
        placeholder="Type here",
        max_length=40,
        lines=2,
        max_lines=4,
        submit_btn="Go",
        stop_btn=False,
        autofocus=True,
    ),
    examples=["Fill me in"],
    example_labels=["Fill"],
    example_icons=[AVATAR],
    run_examples_on_click=False,
    css=".title { letter-spacing: 3px; }",
)
