"""An anonymous visitor's delete of their stored conversations (``store_transcripts``): their
turns are kept under the widget's conversation id and the digest of their ``X-Visitor-Key``,
so that key, and only it, deletes them. Rows of a signed-in user are never theirs to delete,
nor another visitor's: the store matches the digest and an empty user (``delete_conversation``).

"Delete all" deletes the conversations the widget names (``{"ids": [...]}``, at most
``MAX_NAMED``), not every row of the digest: a leaked visitor key alone cannot wipe a
visitor's stored conversations without also knowing their random ids, and the server deletes
exactly what the visitor saw listed and confirmed."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..errors import BadJSONError, InvalidRequestError, VisitorKeyRequiredError
from .bodies import json_body
from .chat_request import SESSION

if TYPE_CHECKING:
    from ..storage.store import ConversationStore
    from .state import AppState

#: Most conversation ids one anonymous "delete all" names.
MAX_NAMED = 500
#: Largest body of that request (500 ids of 64 characters, quoted, with commas).
BODY_LIMIT = 64 * 1024


def anonymous_copy(state: AppState) -> bool:
    """Whether anonymous visitors' turns are kept on the server (``store_transcripts`` with a
    store): the widget then deletes the server's copy too (``server_copy`` in /api/config)."""
    return bool(state.settings.store_transcripts and state.store_writes is not None)


def visitor_digest(state: AppState) -> str:
    """The digest of the request's ``X-Visitor-Key``; a 401 without one (a malformed one is a
    400, as everywhere)."""
    owner = state.visitor_owner()
    if not owner:
        raise VisitorKeyRequiredError(
            "Deleting a conversation kept on the server needs the X-Visitor-Key header "
            "the widget sends."
        )
    return owner


async def named_ids() -> list[str]:
    """The ``ids`` of an anonymous "delete all" body: conversation ids, at most ``MAX_NAMED``."""
    raw = await json_body(BODY_LIMIT)
    try:
        body: Any = json.loads(raw or b"{}")
    except ValueError as error:
        raise BadJSONError("The request body is not valid JSON.") from error
    ids = body.get("ids") if isinstance(body, dict) else None
    if not isinstance(ids, list) or len(ids) > MAX_NAMED:
        raise InvalidRequestError(
            f"'ids' must be a list of at most {MAX_NAMED} conversation ids to delete."
        )
    if not all(isinstance(cid, str) and SESSION.match(cid) for cid in ids):
        raise InvalidRequestError("A conversation id is 8 to 64 letters, digits, '-' or '_'.")
    return list(dict.fromkeys(ids))


async def delete_named(store: ConversationStore, visitor: str, ids: list[str]) -> int:
    """Deletes those of ``ids`` that are the visitor's own; how many went."""
    deleted = 0
    for cid in ids:
        deleted += await store.delete_conversation(cid, visitor=visitor)
    return deleted
