"""Which page origins may use the API, and the CORS headers that say so."""

from __future__ import annotations

from collections.abc import Iterable

from werkzeug.datastructures import Headers

from ..files.store import VISITOR_KEY_HEADER

ALLOWED_METHODS = "GET, POST, OPTIONS"
ALLOWED_HEADERS = f"Content-Type, Authorization, {VISITOR_KEY_HEADER}"
EXPOSED_HEADERS = "X-Stream-Id"
MAX_AGE = "600"


def normalize(origin: str) -> str:
    """Scheme and host are case-insensitive; default ports are implied."""
    origin = origin.strip().lower()
    for scheme, port in (("http://", ":80"), ("https://", ":443")):
        if origin.startswith(scheme) and origin.endswith(port):
            return origin[: -len(port)]
    return origin


class OriginPolicy:
    """Any origin when ``allowed`` is empty, else exactly the listed ones."""

    def __init__(self, allowed: Iterable[str]) -> None:
        self._allowed = frozenset(normalize(origin) for origin in allowed)

    @property
    def open(self) -> bool:
        return not self._allowed

    def allows(self, origin: str | None) -> bool:
        """``origin`` is the request's ``Origin`` header; requests without one are not from a
        cross-origin page (a script tag, a same-origin page or a program) and pass."""
        if origin is None or self.open:
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
        headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS

    def preflight(self, headers: Headers, origin: str | None) -> None:
        self.apply(headers, origin)
        headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
        headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        headers["Access-Control-Max-Age"] = MAX_AGE
