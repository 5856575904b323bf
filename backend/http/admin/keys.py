"""Who may open the operator console: the ``admin_password`` and each of the ``admin_tokens``.

A key is checked against every configured one, each compared in constant time on SHA-256
digests (so neither a key's length nor how much of it matched shows in the time taken), with
no early return.
"""

from __future__ import annotations

import hashlib
import hmac

from ...settings import Settings


class AdminKeys:
    def __init__(self, keys: tuple[str, ...]) -> None:
        self._digests = tuple(_digest(key) for key in keys if key)

    @classmethod
    def from_settings(cls, settings: Settings) -> AdminKeys:
        return cls((settings.admin_password, *settings.admin_tokens))

    @property
    def enabled(self) -> bool:
        """Whether the console is on (some key is set)."""
        return bool(self._digests)

    def check(self, candidate: str) -> bool:
        given = _digest(candidate)
        found = False
        for digest in self._digests:
            found |= hmac.compare_digest(given, digest)
        return found and bool(candidate)

    def fingerprint(self) -> bytes:
        """A digest of every key: sessions are signed with it, so changing a key (or removing
        a token) ends every session opened before."""
        return hashlib.sha256(b"".join(sorted(self._digests))).digest()


def _digest(key: str) -> bytes:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).digest()
