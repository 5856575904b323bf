"""Server-sent events (one JSON ``data`` line per event): encoding them, and reading back one
that ``encode`` made (the ``/v1`` route re-shapes the answer's own events)."""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any

KEEP_ALIVE = b": keep-alive\n\n"
#: Made once: ``json.dumps`` with options builds a new encoder on every call.
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _json(data: Any) -> str:
    """``data`` as ``_JSON`` writes it. A delta (``{"append": text}``, one string for one
    key, the event of every token) is written directly: the encoder's dict path builds its
    machinery anew at each call, three times the work for the same text."""
    if type(data) is dict and len(data) == 1:
        ((key, value),) = data.items()
        if type(key) is str and type(value) is str:
            return "{" + encode_basestring(key) + ":" + encode_basestring(value) + "}"
    return _JSON.encode(data)


def encode(data: Any, *, event: str | None = None, id: int | None = None) -> bytes:  # noqa: A002
    """One event. The JSON never holds a raw newline, so one ``data:`` line is always enough."""
    head = ""
    if event is not None:
        head += f"event: {event}\n"
    if id is not None:
        head += f"id: {id}\n"
    body = _json(data)
    # A lone surrogate from the chat function cannot be UTF-8: show U+FFFD instead of failing.
    return (head + "data: " + body + "\n\n").encode("utf-8", "replace")


def decode(raw: bytes) -> tuple[str | None, Any] | None:
    """The name and data of one event that ``encode`` made; None for a keep-alive."""
    if raw.startswith(b":"):
        return None
    name: str | None = None
    data: Any = None
    for line in raw.decode("utf-8").split("\n"):
        if line.startswith("event: "):
            name = line[len("event: ") :]
        elif line.startswith("data: "):
            data = json.loads(line[len("data: ") :])
    return name, data
