"""A 2,000-token answer, yielded growing as an LLM stream would (TOKEN_DELAY seconds apart)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from typing import Any

import backend as gr

WORDS = (
    "the quick brown fox jumps over a lazy dog while streaming markdown tokens "
    "arrive at the widget one by one and render as they come"
).split()


def tokens(count: int = 2000) -> list[str]:
    return [WORDS[i % len(WORDS)] + ("\n\n" if i % 97 == 96 else " ") for i in range(count)]


async def stream(message: str, history: list[dict[str, Any]]) -> AsyncIterator[str]:
    delay = float(os.environ.get("TOKEN_DELAY", "0"))
    text = ""
    for token in tokens():
        text += token
        if delay:
            await asyncio.sleep(delay)
        yield text


demo = gr.ChatInterface(fn=stream, type="messages")
