"""The request's ``Host`` header, checked before anything reads it.

With ``public_url`` unset, the URLs we hand out start with the host the request came to
(``AppState.base_url``), so that header must be a host name or address and a port, nothing
else: a request whose ``Host`` is anything more (a quote, a space, a path, user info, a label
Werkzeug cannot encode, which it answered with a 500) is a 400 with the error envelope before
it reaches a route. A request without ``Host`` (HTTP/1.0) goes on; the server's address is
used then.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..errors import RequestError, envelope
from .root_path import ASGIApp

#: A DNS name (labels of 1 to 63 letters, digits, '-' or '_'), an IPv4 address or a bracketed
#: IPv6 address, then an optional port.
HOST = re.compile(
    rb"\A(?:(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.)*"
    rb"[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.?|\[[0-9A-Fa-f:.]{2,45}\])"
    rb"(?::[0-9]{1,5})?\Z"
)
MAX_HOST = 255


def well_formed(host: bytes) -> bool:
    return len(host) <= MAX_HOST and HOST.match(host) is not None


class CheckHost:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            hosts = [value for name, value in scope.get("headers", ()) if name.lower() == b"host"]
            if len(hosts) > 1 or (hosts and not well_formed(hosts[0])):
                await _refuse(send)
                return
        await self.app(scope, receive, send)


async def _refuse(send: Any) -> None:
    error = RequestError("The Host header must be a host name or address and a port.")
    body = json.dumps(envelope(error)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": error.status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
