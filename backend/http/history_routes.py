"""A signed-in visitor's own saved conversations (``save_history`` with a verified identity):
the widget's history panel lists, opens and deletes them on any device.

- ``GET /api/history``: the caller's conversations, the latest first (``limit``, ``offset``).
- ``GET /api/history/<id>``: one of them, as turns the widget shows and continues.
- ``POST /api/history/<id>/delete``: deletes one (and its feedback and file records).
- ``POST /api/history/delete``: deletes all of the caller's conversations.

Every route needs the host site's verified token (``X-Chatbubble-User``, checked before the
request by ``identity.py``): without one it is a 401 ``identity_required``. Rows are always
selected by the token's ``sub``: another user's conversation is a 404, exactly like one that
does not exist, so an id tells nothing. The turns are what the chat route recorded for that
``sub`` (``server_history``), whatever ``store_transcripts`` says.

The two deletes also serve an anonymous visitor when ``store_transcripts`` keeps their turns:
authorized by their ``X-Visitor-Key`` (``visitor_deletes.py``), they delete only conversations
stored under that key's digest and no signed-in user's; any other is a 404 like a missing one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from quart import Blueprint, request

from ..errors import IdentityRequiredError, InvalidRequestError, NotFoundError
from ..storage.store import Filters, Message, Transcript
from .chat_request import SESSION
from .identity import current_identity
from .visitor_deletes import anonymous_copy, delete_named, named_ids, visitor_digest

if TYPE_CHECKING:
    from ..storage.store import ConversationStore
    from .state import AppState

#: Most conversations one list request returns.
MAX_LIST = 100
#: Most conversations "delete all" goes through (pages of MAX_LIST).
MAX_DELETE_ALL = 10_000


def server_history(state: AppState) -> bool:
    """Whether signed-in visitors' conversations are kept on the server: ``save_history``, a
    way to verify the host site's tokens, and a conversation store."""
    settings = state.settings
    return bool(
        state.interface.save_history
        and (settings.identity_secret or settings.identity_public_key)
        and state.store_writes is not None
    )


def turns_of(messages: list[Message], flags: dict[str, str], base_url: str) -> list[Any]:
    """The stored messages paired into turns (a visitor's message, then the answer):
    ``{"message": parts, "answer": parts, "id", "error", "flag"}``; files get their URL."""
    out: list[dict[str, Any]] = []
    for message in messages:
        parts = [_with_url(part, base_url) for part in message.parts]
        if message.role == "user" or not out or "answer" in out[-1]:
            out.append({"message": parts if message.role == "user" else []})
            if message.role == "user":
                continue
        out[-1].update(
            answer=parts,
            id=message.message_id,
            error=message.error,
            flag=flags.get(message.message_id, ""),
        )
    return [turn for turn in out if "answer" in turn]


def _with_url(part: dict[str, Any], base_url: str) -> dict[str, Any]:
    if part.get("type") == "file" and isinstance(part.get("id"), str) and not part.get("url"):
        return {**part, "url": f"{base_url}/api/files/{part['id']}"}
    return part


def _flags(transcript: Transcript, user: str) -> dict[str, str]:
    """The user's latest flag on each answer ("" when taken back)."""
    latest: dict[str, str] = {}
    for row in transcript.feedback:
        if row.user == user and row.target == "assistant":
            latest[row.message_id] = row.flag
    return latest


def history_blueprint(state: AppState) -> Blueprint:
    bp = Blueprint("chatbubble_history", __name__)

    def caller(deleting: bool = False) -> tuple[ConversationStore, str]:
        """The store and the verified caller's ``sub``; refuses everyone else. A delete also
        works when only ``store_transcripts`` recorded their turns (under that ``sub`` too)."""
        kept = server_history(state) or (deleting and anonymous_copy(state))
        if not kept or state.store_writes is None:
            raise NotFoundError("This chat keeps no history on the server.")
        identity = current_identity()
        if identity is None or not identity.subject:
            raise IdentityRequiredError("Please sign in on this website to see your chats.")
        return state.store_writes.store, identity.subject

    def anonymous() -> tuple[ConversationStore, str] | None:
        """For a delete without the host site's token, when anonymous turns are stored: the
        store and the digest of the caller's visitor key (None: a signed-in caller, or nothing
        of anonymous visitors is stored)."""
        if current_identity() is not None or not anonymous_copy(state):
            return None
        assert state.store_writes is not None
        return state.store_writes.store, visitor_digest(state)

    def conversation_id(value: str) -> str:
        if not SESSION.match(value):
            raise InvalidRequestError("A conversation id is 8 to 64 letters, digits, '-' or '_'.")
        return value

    def number(name: str, default: int, most: int) -> int:
        raw = request.args.get(name, "")
        if not raw:
            return default
        if not raw.isdigit() or int(raw) > most:
            raise InvalidRequestError(f"'{name}' must be a whole number from 0 to {most}.")
        return int(raw)

    @bp.get("/api/history")
    async def list_history() -> dict[str, Any]:
        store, user = caller()
        await state.limit(state.limits.feedback)
        limit = number("limit", 50, MAX_LIST)
        offset = number("offset", 0, 1_000_000)
        found = await store.conversations(Filters(user=user), limit=limit, offset=offset)
        return {
            "conversations": [
                {"id": c.id, "title": c.title, "updated": c.updated, "messages": c.messages}
                for c in found
                if c.user == user and c.messages
            ]
        }

    @bp.get("/api/history/<string:cid>")
    async def get_history(cid: str) -> dict[str, Any]:
        store, user = caller()
        await state.limit(state.limits.feedback)
        found = await store.transcript(conversation_id(cid), user=user)
        if found is None or found.summary.user != user:
            raise NotFoundError("No such conversation in your history.")
        return {
            "id": found.summary.id,
            "title": found.summary.title,
            "updated": found.summary.updated,
            "turns": turns_of(found.messages, _flags(found, user), state.base_url()),
        }

    @bp.post("/api/history/<string:cid>/delete")
    async def delete_one(cid: str) -> dict[str, Any]:
        visitor = anonymous()
        if visitor is not None:
            await state.limit(state.limits.feedback)
            store, digest = visitor
            if not await store.delete_conversation(conversation_id(cid), visitor=digest):
                raise NotFoundError("No such conversation of yours on the server.")
            return {"ok": True}
        store, user = caller(deleting=True)
        await state.limit(state.limits.feedback)
        if not await store.delete_conversation(conversation_id(cid), user=user):
            raise NotFoundError("No such conversation in your history.")
        return {"ok": True}

    @bp.post("/api/history/delete")
    async def delete_all() -> dict[str, Any]:
        visitor = anonymous()
        if visitor is not None:
            await state.limit(state.limits.feedback)
            store, digest = visitor
            return {"ok": True, "deleted": await delete_named(store, digest, await named_ids())}
        store, user = caller(deleting=True)
        await state.limit(state.limits.feedback)
        deleted = 0
        while deleted < MAX_DELETE_ALL:
            page = await store.conversations(Filters(user=user), limit=MAX_LIST)
            gone = 0
            for summary in page:
                if summary.user == user:
                    gone += await store.delete_conversation(summary.id, user=user)
            deleted += gone
            if len(page) < MAX_LIST or not gone:
                break
        return {"ok": True, "deleted": deleted}

    return bp
