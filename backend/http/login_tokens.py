"""Signed login tokens: what ``/login`` hands out and every protected route checks.

A token is ``<username>.<expiry>.<mac>``: the username (base64url), the Unix time it stops
being valid, and an HMAC-SHA256 over both and the app's id with the server's secret (the
``secret`` setting, else the one kept beside the feedback log, shared by every worker). Nothing
is stored: any worker can check a token, and a restart keeps visitors logged in.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time

#: Longest token accepted (a username of a few hundred characters fits).
MAX_LENGTH = 1024


class LoginTokens:
    def __init__(self, secret: bytes, app_id: str, lifetime: float) -> None:
        label = b"chatbubble login\0" + app_id.encode()
        self._key = hmac.new(secret, label, hashlib.sha256).digest()
        self.lifetime = lifetime

    def _mac(self, name: str, expiry: str) -> str:
        mac = hmac.new(self._key, f"{name}.{expiry}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac[:24]).decode()

    def issue(self, username: str, now: float | None = None) -> tuple[str, int]:
        """A token for ``username`` and the Unix time it expires."""
        expiry = int((time.time() if now is None else now) + self.lifetime)
        name = base64.urlsafe_b64encode(username.encode()).decode().rstrip("=")
        return f"{name}.{expiry}.{self._mac(name, str(expiry))}", expiry

    def verify(self, token: str, now: float | None = None) -> str | None:
        """The username ``token`` was issued for, or None (forged, expired or malformed)."""
        # Only ASCII is ever issued; compare_digest refuses other text with a TypeError.
        if len(token) > MAX_LENGTH or token.count(".") != 2 or not token.isascii():
            return None
        name, expiry, mac = token.split(".")
        if not expiry.isdigit() or not hmac.compare_digest(mac, self._mac(name, expiry)):
            return None
        if int(expiry) <= (time.time() if now is None else now):
            return None
        try:
            return base64.urlsafe_b64decode(name + "=" * (-len(name) % 4)).decode()
        except (binascii.Error, UnicodeDecodeError):
            return None
