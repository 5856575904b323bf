"""Which page origins may use the API, and the CORS headers that say so.

``strict_cors`` is Gradio's rule for a server reached at ``localhost``, ``127.0.0.1`` or
``0.0.0.0`` (the ``Host`` it was called by): only pages on one of those hosts may use it, and
not ``null`` origins (sandboxed frames, ``file://`` pages), so a website a developer visits
cannot drive the chat running on their machine. A server reached at any other host is not
concerned.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from werkzeug.datastructures import Headers

from ..files.store import VISITOR_KEY_HEADER

ALLOWED_METHODS = "GET, POST, OPTIONS"
ALLOWED_HEADERS = f"Content-Type, Authorization, {VISITOR_KEY_HEADER}, X-Chatbubble-User"
#: The header a chat stream carries its id in, the one header other origins may read.
STREAM_ID_HEADER = "X-Stream-Id"
EXPOSED_HEADERS = STREAM_ID_HEADER
MAX_AGE = "600"
#: Hosts that mean "this machine", as Gradio counts them.
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "0.0.0.0"})


def normalize(origin: str) -> str:
    """Scheme and host are case-insensitive; default ports are implied."""
    origin = origin.strip().lower()
    for scheme, port in (("http://", ":80"), ("https://", ":443")):
        if origin.startswith(scheme) and origin.endswith(port):
            return origin[: -len(port)]
    return origin


def hostname(value: str) -> str:
    """The host name of an origin or a ``Host`` header (``""`` when it has none)."""
    try:
        return (urlsplit(value if "://" in value else f"http://{value}").hostname or "").lower()
    except ValueError:
        return ""


class OriginPolicy:
    """Any origin when ``allowed`` is empty, else exactly the listed ones; with ``strict``
    (``strict_cors``), a server reached at a local host only answers local pages."""

    def __init__(self, allowed: Iterable[str], *, strict: bool = False) -> None:
        self._allowed = frozenset(normalize(origin) for origin in allowed)
        self.strict = strict

    @property
    def open(self) -> bool:
        return not self._allowed

    def allows(self, origin: str | None, host: str | None = None) -> bool:
        """``origin`` is the request's ``Origin`` header; requests without one are not from a
        cross-origin page (a script tag, a same-origin page or a program) and pass. ``host``
        is its ``Host`` header (for ``strict``)."""
        if origin is None:
            return True
        if self.strict and host is not None and hostname(host) in LOCAL_HOSTS:
            if origin.strip().lower() == "null" or hostname(origin) not in LOCAL_HOSTS:
                return False
        if self.open:
            return True
        return normalize(origin) in self._allowed

    def apply(self, headers: Headers, origin: str | None, *, refused: bool = False) -> None:
        """Add the response headers for a request from ``origin``."""
        if self.open:
            headers["Access-Control-Allow-Origin"] = "*"
        else:
            headers.add("Vary", "Origin")
            if origin is not None and (refused or self.allows(origin)):
                # A refusal is readable too, so the widget can tell the visitor why.
                headers["Access-Control-Allow-Origin"] = origin
        if STREAM_ID_HEADER in headers:
            # Only a chat stream carries it: no other response spends bytes on the list.
            headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS

    def preflight(self, headers: Headers, origin: str | None) -> None:
        self.apply(headers, origin)
        headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
        headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        headers["Access-Control-Max-Age"] = MAX_AGE
