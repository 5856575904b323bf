"""Streams back the visitor's message and a summary of the history it received."""

from __future__ import annotations

import time
from collections.abc import Iterator

import backend as gr


def echo(message: str, history: list[dict[str, str]]) -> Iterator[str]:
    roles = ",".join(entry["role"] for entry in history)
    answer = f"You said: **{message}** ({len(history)} earlier: {roles or 'none'})"
    for end in range(0, len(answer), 6):
        time.sleep(0.01)  # plays a slow model (the chat function of a test app)
        yield answer[: end + 6]


demo = gr.ChatInterface(fn=echo, type="messages", title="Echo bot")
