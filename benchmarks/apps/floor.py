"""The floor of our stack: a bare ASGI app under Hypercorn, answering ``POST /api/chat`` with the
events of an instant answer (start, the text, done) and nothing else: no framework, no routing,
no JSON parsing, no chat function. What chatbubble adds to each request is its overhead minus
this one's. ``GET /healthz`` answers for the readiness check."""

from __future__ import annotations

import json
from typing import Any

from chat_fns import INSTANT_REPLY

EVENTS = (
    'event: start\nid: 0\ndata: {"protocol":1,"stream":"floor"}\n\n'
    f"id: 1\ndata: {json.dumps({'append': INSTANT_REPLY})}\n\n"
    "event: done\nid: 2\ndata: {}\n\n"
).encode()


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    while (await receive()).get("more_body"):
        pass
    chat = scope["path"] == "/api/chat"
    kind = b"text/event-stream" if chat else b"application/json"
    await send(
        {"type": "http.response.start", "status": 200, "headers": [(b"content-type", kind)]}
    )
    await send({"type": "http.response.body", "body": EVENTS if chat else b'{"ok":true}'})
