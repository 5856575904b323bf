"""The floor of our stack: a bare ASGI app under Hypercorn, answering ``POST /api/chat`` in our
protocol and nothing else: no framework, no routing, no chat state. What chatbubble adds to a
request is its cost minus this one's.

FLOOR_FN (floor_events.py) picks the chat function: ``instant`` (the default) sends the instant
answer's events made once at import (no JSON parsing, no call); ``paced_50`` reads the request's
JSON and streams the function's deltas, each its own event. ``GET /healthz`` (any other path)
answers ``{"ok":true}`` with a Content-Length, for the readiness check and load.py's lag probe.
"""

from __future__ import annotations

import json
from typing import Any

from floor_events import INSTANT_EVENTS, chosen, events

FN = chosen()
HEALTHY = b'{"ok":true}'
JSON_HEADERS = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(HEALTHY))]
SSE_HEADERS = [(b"content-type", b"text/event-stream")]


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    if scope["path"] != "/api/chat":
        await send({"type": "http.response.start", "status": 200, "headers": JSON_HEADERS})
        await send({"type": "http.response.body", "body": HEALTHY})
        return
    await send({"type": "http.response.start", "status": 200, "headers": SSE_HEADERS})
    if FN == "instant":
        await send({"type": "http.response.body", "body": INSTANT_EVENTS})
        return
    async for event in events(FN, json.loads(body)["message"]):
        await send({"type": "http.response.body", "body": event, "more_body": True})
    await send({"type": "http.response.body", "body": b""})
