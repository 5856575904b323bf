"""A 2,000-token answer streamed with no delay at all."""

from __future__ import annotations

from collections.abc import Iterator

import backend as gr

TOKENS = 2000


def fast(message: str, history: list[dict[str, str]]) -> Iterator[str]:
    text = ""
    for i in range(TOKENS):
        if i and i % 100 == 0:
            text += "\n\n"
        text += f"**word{i}** " if i % 10 == 0 else f"word{i} "
        yield text


demo = gr.ChatInterface(fn=fast, type="messages")
