"""What the stack's floor servers (floor.py, floor_quart.py) send: our protocol's events for a
chat function of chat_fns.py, encoded by hand (no import of backend), so a floor pays for the
events and the function and for nothing of ours.

The environment variable FLOOR_FN picks the function a floor server runs: ``instant`` (the
default: start, the text, done) or ``paced_50`` (start, each delta its own event as
``{"append": ...}``, done), as chatbubble sends them; ``compare_gradio.py`` sets it.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator

from chat_fns import INSTANT_REPLY, instant, paced_50

#: The environment variable naming the chat function.
FN_VARIABLE = "FLOOR_FN"
FUNCTIONS = ("instant", "paced_50")

#: Made once, as chatbubble's (``json.dumps`` with options builds an encoder on every call).
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
START = b'event: start\nid: 0\ndata: {"protocol":1,"stream":"floor"}\n\n'


def chosen() -> str:
    """The chat function a floor server runs (FLOOR_FN), checked."""
    name = os.environ.get(FN_VARIABLE, "instant")
    if name not in FUNCTIONS:
        raise SystemExit(f"{FN_VARIABLE}={name!r}: expected one of {', '.join(FUNCTIONS)}")
    return name


def delta(index: int, text: str) -> bytes:
    """One delta event, as chatbubble encodes it."""
    return f"id: {index}\ndata: {_JSON.encode({'append': text})}\n\n".encode()


def done(index: int) -> bytes:
    return f"event: done\nid: {index}\ndata: {{}}\n\n".encode()


#: The instant answer's events, made once: the bare ASGI floor sends them as they are.
INSTANT_EVENTS = START + delta(1, INSTANT_REPLY) + done(2)


async def events(fn: str, message: str) -> AsyncIterator[bytes]:
    """The events of one answer of ``fn`` to ``message``: start, the deltas, done."""
    yield START
    if fn == "instant":
        yield delta(1, instant(message, []))
        yield done(2)
        return
    sent = ""
    index = 0
    async for text in paced_50(message, []):
        index += 1
        yield delta(index, text[len(sent) :])
        sent = text
    yield done(index + 1)
