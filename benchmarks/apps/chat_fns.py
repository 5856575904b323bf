"""The chat functions both servers run in `compare_gradio.py`, written once (stdlib only).

Imported by `compare.py` (served by `backend serve`) and by `gradio_app.py` (run with the
Gradio venv's python), so the two servers call exactly the same code.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

WORDS = (
    "the quick brown fox jumps over a lazy dog while streaming markdown tokens "
    "arrive at the widget one by one and render as they come"
).split()

INSTANT_REPLY = "ok"
PACED_TOKENS = 50
PACED_DELAY = 0.02


def tokens(count: int = 2000) -> list[str]:
    return [WORDS[i % len(WORDS)] + ("\n\n" if i % 97 == 96 else " ") for i in range(count)]


def instant(message: str, history: list[dict[str, Any]]) -> str:
    """A plain function that answers at once: what is left is the server's own overhead."""
    return INSTANT_REPLY


async def stream_2000(message: str, history: list[dict[str, Any]]) -> AsyncIterator[str]:
    """2,000 tokens as fast as the server takes them, each yield the whole text so far.

    It gives the event loop a turn between tokens, as an async LLM client reading a socket
    does (an async generator that never awaits would block Gradio's event loop).
    """
    text = ""
    for token in tokens():
        text += token
        await asyncio.sleep(0)
        yield text


async def paced_50(message: str, history: list[dict[str, Any]]) -> AsyncIterator[str]:
    """A 50-token answer with 20 ms between tokens: a model at 50 tokens/s."""
    text = ""
    for token in tokens(PACED_TOKENS):
        await asyncio.sleep(PACED_DELAY)
        text += token
        yield text
