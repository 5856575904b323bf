"""Small test helpers: reading an SSE body the way a browser would."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from typing import Any


@dataclass
class Event:
    event: str
    id: str | None
    data: Any


def parse_events(body: bytes, *, gzipped: bool = False) -> list[Event]:
    text = (gzip.decompress(body) if gzipped else body).decode("utf-8")
    events = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        name, ident, data = "message", None, []
        for line in block.split("\n"):
            if not line or line.startswith(":"):
                continue
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "event":
                name = value
            elif field == "id":
                ident = value
            elif field == "data":
                data.append(value)
        if data:
            events.append(Event(name, ident, json.loads("\n".join(data))))
    return events


def answer_text(events: list[Event]) -> str:
    """The answer as the widget would assemble it from the deltas."""
    text = ""
    for event in events:
        if event.event == "message":
            if "append" in event.data:
                text += event.data["append"]
            else:
                text = event.data["replace"]
    return text
