"""The floor of our stack with its framework: one Quart route under Hypercorn answering
``POST /api/chat`` in our protocol (``await request.get_json()``, a streamed ``Response`` of
the events of floor_events.py for the FLOOR_FN chat function), and ``GET /healthz``. No
middleware, no settings, no chat state: what chatbubble adds to a request is its cost minus
this one's, and what this one adds to floor.py's is Quart's.
"""

from __future__ import annotations

from typing import Any

from floor_events import chosen, events
from quart import Quart, Response, request

FN = chosen()
app = Quart(__name__)


@app.get("/healthz")
async def healthz() -> dict[str, Any]:
    return {"ok": True}  # Quart sets its Content-Length (load.py's lag probe reads it)


@app.post("/api/chat")
async def chat() -> Response:
    body = await request.get_json()
    return Response(events(FN, body["message"]), content_type="text/event-stream")
