"""Gradio 6's Chatbot options turned the other way: no line breaks, no custom tags, no file
downloads, each message its own bubble, Share only, and the examples of the Chatbot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import backend as gr

NOTE = Path(__file__).parent / "media" / "notes.txt"
CHECKER = Path(__file__).parent / "media" / "checker.png"


def answer(message: str, history: list[dict[str, Any]]) -> Any:
    text = f"First line\nsecond line <thinking>deep</thinking> about {message}"
    return [text, gr.Image(CHECKER, alt_text="A checkerboard"), gr.File(NOTE)]


demo = gr.ChatInterface(
    answer,
    title="Plain",
    chatbot=gr.Chatbot(
        buttons=["share"],
        line_breaks=False,
        allow_tags=False,
        allow_file_downloads=False,
        group_consecutive_messages=False,
        examples=[{"text": "Tell me about owls", "display_text": "Owls"}],
    ),
)
