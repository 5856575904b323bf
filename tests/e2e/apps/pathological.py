"""Streams markdown that is very slow to parse: 50,000 times "*a" (ATTACKS.md R-32); a message
that is a number asks for that many instead."""

from __future__ import annotations

import time
from collections.abc import Iterator

import backend as gr

PAIRS = 50_000


def pathological(message: str, history: list[dict[str, str]]) -> Iterator[str]:
    text = "*a" * (int(message) if message.isdigit() else PAIRS)
    steps = 25
    for step in range(1, steps + 1):
        time.sleep(0.05)  # plays a slow model (the chat function of a test app)
        yield text[: len(text) * step // steps]


demo = gr.ChatInterface(fn=pathological, type="messages")
