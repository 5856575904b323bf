"""Signed ids for the answers the server produced.

Each finished answer gets an id that signs the whole conversation up to it (the history the
server received, the visitor's message and the answer it streamed). Feedback must present that
id with that conversation, so nobody can log a conversation this server never had.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .answers import Content

# Messages as the widget sends them back: text, or (file_id,) for a file.
Conversation = Sequence[tuple[str, Content]]


def _digest(conversation: Conversation) -> bytes:
    canonical = json.dumps([list(turn) for turn in conversation], ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8", "replace")).digest()


class MessageSigner:
    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def _mac(self, nonce: str, conversation: Conversation) -> str:
        mac = hmac.new(self._secret, nonce.encode() + _digest(conversation), hashlib.sha256)
        return base64.urlsafe_b64encode(mac.digest()[:18]).decode()

    def sign(self, conversation: Conversation) -> str:
        """An id for the last message of ``conversation``."""
        nonce = secrets.token_urlsafe(9)
        return f"{nonce}.{self._mac(nonce, conversation)}"

    def verify(self, message_id: str, conversation: Conversation) -> bool:
        nonce, dot, mac = message_id.partition(".")
        if not dot or not nonce or len(message_id) > 64:
            return False
        return hmac.compare_digest(mac, self._mac(nonce, conversation))


def load_secret(configured: str, directory: Path) -> bytes:
    """The configured secret, else one kept in ``directory/.secret`` (created once, shared by
    every worker process of this app)."""
    if configured:
        return configured.encode()
    path = directory / ".secret"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    directory.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=directory)
    try:
        os.write(handle, secrets.token_bytes(32))
        os.close(handle)
        try:
            os.link(temp, path)  # atomic: exactly one worker's secret wins
        except FileExistsError:
            pass
    finally:
        os.unlink(temp)
    return path.read_bytes()
