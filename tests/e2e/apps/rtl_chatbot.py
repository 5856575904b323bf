"""`gr.Chatbot(rtl=True)`: the whole widget reads right to left, whatever the visitor's
language."""

from __future__ import annotations

from typing import Any

import backend as gr


def answer(message: str, history: list[dict[str, Any]]) -> str:
    return f"אמרת: {message}"


demo = gr.ChatInterface(answer, title="RTL bot", chatbot=gr.Chatbot(rtl=True))
