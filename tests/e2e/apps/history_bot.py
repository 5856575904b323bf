"""Answers with the visitor's message and how many earlier messages came with it; keeps history."""

from __future__ import annotations

import backend as gr


def answer(message: str, history: list[dict[str, str]]) -> str:
    return f"Answer to {message} ({len(history)} earlier)"


demo = gr.ChatInterface(answer, type="messages", title="History bot", save_history=True)
