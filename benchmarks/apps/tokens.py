"""A 2,000-token answer, yielded growing as an LLM stream would (TOKEN_DELAY seconds apart)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from typing import Any

from chat_fns import WORDS, tokens

import backend as gr

__all__ = ["WORDS", "demo", "stream", "tokens"]


async def stream(message: str, history: list[dict[str, Any]]) -> AsyncIterator[str]:
    delay = float(os.environ.get("TOKEN_DELAY", "0"))
    text = ""
    for token in tokens():
        text += token
        if delay:
            await asyncio.sleep(delay)
        yield text


demo = gr.ChatInterface(fn=stream, type="messages")
