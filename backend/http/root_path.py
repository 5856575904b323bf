"""``root_path``: the app is served under a path prefix (``/bot``) behind a reverse proxy.

A proxy that strips the prefix (nginx ``location /bot/ { proxy_pass http://app/; }``) needs
nothing here; one that passes it on reaches the same routes, because this middleware names the
prefix as ASGI's ``root_path`` of such a request (Quart then routes the path after it). The URLs
the server hands out carry the prefix either way (``AppState.base_url``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

#: An ASGI app (the scope, receive and send as the server passes them).
ASGIApp = Callable[[Any, Any, Any], Awaitable[None]]


class StripPrefix:
    def __init__(self, app: ASGIApp, prefix: str) -> None:
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] in ("http", "websocket") and not scope.get("root_path"):
            if str(scope["path"]).startswith(self.prefix + "/"):
                scope = {**scope, "root_path": self.prefix}
        await self.app(scope, receive, send)
