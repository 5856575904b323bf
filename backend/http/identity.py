"""The host site's word on who the visitor is (``chat/identity.py``), read from the
``X-Chatbubble-User`` header on every request.

Kept apart from the login of ``launch(auth=...)`` (``login.py``), which travels as
``Authorization: Bearer``: a request may carry both. A token that fails any check is a 401
``identity_invalid`` wherever it is sent (never an anonymous answer to a visitor who meant to be
someone); with ``identity_required``, a request without one is a 401 ``identity_required`` on
every route the login would guard too (everything but what a page loads to show the bubble).
"""

from __future__ import annotations

from quart import g, request

from ..chat.identity import Identity, IdentityVerifier
from ..errors import IdentityRequiredError
from .login import public

HEADER = "X-Chatbubble-User"


def check_identity(verifier: IdentityVerifier | None, *, required: bool) -> None:
    """Before every request: remember the verified visitor, or refuse the request."""
    g.chatbubble_identity = None
    endpoint = request.endpoint
    if verifier is None or public(endpoint):
        return
    token = request.headers.get(HEADER, "").strip()
    if token:
        g.chatbubble_identity = verifier.verify(token)
    elif required:
        raise IdentityRequiredError()


def current_identity() -> Identity | None:
    """The verified visitor of the request being answered (None: anonymous)."""
    found = g.get("chatbubble_identity")
    return found if isinstance(found, Identity) else None
