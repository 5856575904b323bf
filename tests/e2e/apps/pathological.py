"""Streams markdown that is very slow to parse: 50,000 times "*a" (ATTACKS.md R-32)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import backend as gr

TEXT = "*a" * 50_000


def pathological(message: str, history: list[dict[str, str]]) -> Iterator[str]:
    steps = 25
    for step in range(1, steps + 1):
        time.sleep(0.05)
        yield TEXT[: len(TEXT) * step // steps]


demo = gr.ChatInterface(fn=pathological, type="messages")
