"""The ``gr.Request`` a chat function gets, built from the HTTP request being answered."""

from __future__ import annotations

from quart import request

from ..chat.page import Page
from ..chat.request import Client, Request
from .identity import current_identity
from .login import current_user

#: Our own credentials, which the chat function has no use for: the widget's visitor key
#: (it binds the visitor's uploads) and the host site's token (``request.claims`` has what it
#: proves) are left out of ``headers``.
HIDDEN_HEADERS = frozenset({"x-visitor-key", "x-chatbubble-user"})


def visitor_request(
    host: str, *, page: Page | None = None, session_hash: str | None = None
) -> Request:
    """The request as the chat function sees it. ``host`` is the client's address through the
    trusted proxies; ``page`` the page the widget is on (``request.page``; with its URL,
    ``url`` and ``query_params`` are the page's, else those of this request)."""
    scope_client = request.scope.get("client")
    port = None
    if scope_client and scope_client[0] == host and len(scope_client) > 1:
        port = int(scope_client[1])
    headers = [
        (name, value)
        for name, value in request.headers.items()
        if name.lower() not in HIDDEN_HEADERS
    ]
    identity = current_identity()
    url = page.url if page is not None and page.url else None
    query = None if url is not None else list(request.args.items(multi=True))
    return Request(
        headers=headers,
        client=Client(host, port),
        url=url if url is not None else request.url,
        query_params=query,
        cookies=dict(request.cookies),
        session_hash=session_hash,
        username=current_user() or (identity.subject if identity else None),
        claims=identity.claims if identity else None,
        page=page,
    )
