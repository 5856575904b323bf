"""Fails on purpose: "crash" raises a plain exception, anything else a `backend.Error`."""

from __future__ import annotations

from collections.abc import Iterator

import backend as gr

REFUSAL = "Sorry, I can't help with that."


def failing(message: str, history: list[dict[str, str]]) -> Iterator[str]:
    yield "Let me think"
    if "crash" in message:
        raise RuntimeError("internal detail that must stay on the server")
    raise gr.Error(REFUSAL)


demo = gr.ChatInterface(fn=failing, type="messages")
