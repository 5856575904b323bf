"""The app's use of the conversation store: which store (``database_url``, else SQLite in
``flagging_dir``), writes that must never fail a chat (run in the background, a failure logged),
and the ``retention_days`` purge at start and every hour."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable
from typing import TYPE_CHECKING

from ..errors import StoreError
from ..settings import Settings
from ..storage.feedback import feedback_conversation
from ..storage.store import ConversationStore, Feedback, open_store
from .feedback_request import FeedbackRequest

if TYPE_CHECKING:
    from ..chat.interface import ChatInterface

log = logging.getLogger("backend.store")

PURGE_INTERVAL = 3600.0
#: Seconds the server waits, when it stops, for writes still under way.
DRAIN_TIMEOUT = 10.0


def app_store(
    interface: ChatInterface, settings: Settings, *, feedback: bool, history: bool = False
) -> ConversationStore | None:
    """The store, when anything goes in it: ``feedback`` (the chat has feedback buttons),
    transcripts (``store_transcripts``), signed-in visitors' ``history`` (``save_history``
    with a verified identity) or a ``database_url``; None otherwise. The SQLite file is made
    on the first write, not before."""
    if not (feedback or history or settings.store_transcripts or settings.database_url):
        return None
    return open_store(settings.database_url, interface.flagging_dir)


class StoreWrites:
    """Writes that run beside the request (a finished turn): each is its own task, kept until
    it ends; a failure is logged, never raised into the answer. Writes of one conversation run
    in the order they were submitted (its turns are stored in the order they were answered,
    whatever a busy database does with concurrent transactions)."""

    def __init__(self, store: ConversationStore) -> None:
        self.store = store
        self.pending: set[asyncio.Task[None]] = set()
        #: The newest write of each conversation with writes under way.
        self._last: dict[str, asyncio.Task[None]] = {}

    def submit(self, write: Awaitable[None], what: str, conversation: str = "") -> None:
        before = self._last.get(conversation) if conversation else None
        task = asyncio.ensure_future(self._guarded(write, what, before))
        self.pending.add(task)
        task.add_done_callback(self.pending.discard)
        if conversation:
            self._last[conversation] = task
            task.add_done_callback(lambda done: self._forget(conversation, done))

    def _forget(self, conversation: str, done: asyncio.Task[None]) -> None:
        if self._last.get(conversation) is done:
            del self._last[conversation]

    async def _guarded(
        self, write: Awaitable[None], what: str, before: asyncio.Task[None] | None
    ) -> None:
        if before is not None:
            await asyncio.wait({before})  # its failure is its own (logged there)
        try:
            await write
        except StoreError as error:
            log.error("could not store %s: %s", what, error)
        except Exception:  # noqa: BLE001 - a store failure never reaches a visitor
            log.exception("could not store %s", what)

    async def drain(self) -> None:
        """Waits (a while) for the writes under way, then closes the store."""
        if self.pending:
            await asyncio.wait(set(self.pending), timeout=DRAIN_TIMEOUT)
        await self.store.close()


async def purge_now_and_then(store: ConversationStore, days: float) -> None:
    """Deletes what is older than ``days`` at start, then every hour, while the app serves."""
    while True:
        try:
            gone = await store.purge(days)
            if gone:
                log.info("purged %d conversation(s) older than %g days", gone, days)
        except StoreError as error:
            log.error("could not purge the conversation store: %s", error)
        await asyncio.sleep(PURGE_INTERVAL)


async def store_flag(
    writes: StoreWrites, flag: FeedbackRequest, message_id: str, user: str
) -> None:
    """A flag in the store too (the one the CSV log took, or with no CSV log, every flag, as
    the ``.like`` listeners get each): awaited, so an acknowledged flag is stored; a store
    failure is logged (the CSV row stands; the visitor is not told of it)."""
    conversation = flag.conversation
    index = max(i for i, (role, _) in enumerate(conversation) if role == flag.target)
    row = Feedback(
        conversation_id=flag.conversation_id,
        message_id=message_id,
        flag=flag.flag,
        conversation=feedback_conversation(conversation),
        index=index,
        at=time.time(),
        target="user" if flag.target == "user" else "assistant",
        visitor=flag.visitor,
        user=user,
        comment=flag.comment,
        page_url=flag.page_url,
    )
    try:
        await writes.store.record_feedback(row)
    except StoreError as error:
        log.error("could not store a flag: %s", error)


async def store_comment(writes: StoreWrites, flag: FeedbackRequest) -> bool:
    """``feedback_comments``: the visitor's words on the thumbs-down they gave just before
    (which the CSV log took once, so the flag is not stored again); False when that thumbs-down
    is not in the store (logged when the store failed)."""
    try:
        return await writes.store.comment_feedback(
            flag.conversation_id, flag.message_id, flag.visitor, flag.comment
        )
    except StoreError as error:
        log.error("could not store a comment: %s", error)
        return False
