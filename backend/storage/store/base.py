"""``ConversationStore``: the one interface the app uses to keep and read conversations,
feedback and file metadata. ``open_store`` (``engine.py``) returns the SQL one, on SQLite or
PostgreSQL; every method is a coroutine, safe to call from any request of any worker."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol

from .records import (
    ConversationSummary,
    DayStats,
    Feedback,
    FileRecord,
    Filters,
    Transcript,
    Turn,
)

#: No filter: every conversation.
ALL = Filters()


class ConversationStore(Protocol):
    """Where the operator's records live. A store error raises ``backend.errors.StoreError``."""

    #: "sqlite" or "postgresql".
    engine: str

    async def start(self) -> None:
        """Connects and brings the schema up to date (safe when several processes start)."""

    async def close(self) -> None: ...

    # -- writes -------------------------------------------------------------------------------

    async def record_turn(self, turn: Turn) -> None:
        """Appends the turn's two messages to its conversation (created on first use)."""

    async def record_feedback(self, feedback: Feedback) -> int:
        """Stores one flag (its conversation created on first use, with no message text);
        returns the row's id. A visitor's flag that repeats their latest on the same message
        (the same flag sent to another machine) is not stored again: its row's id is returned."""

    async def comment_feedback(
        self, conversation_id: str, message_id: str, visitor: str, comment: str
    ) -> bool:
        """Puts ``comment`` on the visitor's latest thumbs-down ("Dislike") on ``message_id``
        in that conversation (``feedback_comments``); False when there is none."""

    async def record_file(self, file: FileRecord) -> None:
        """Remembers a file's metadata (a second record of one id changes nothing)."""

    async def delete_conversation(
        self, conversation_id: str, *, user: str | None = None, visitor: str | None = None
    ) -> bool:
        """Deletes the conversation, its messages, feedback and file records. With ``user`` or
        ``visitor`` (a visitor's own delete), only when the conversation is theirs. True when
        something was deleted."""

    async def purge(self, older_than_days: float, *, now: float | None = None) -> int:
        """Deletes the conversations last touched more than ``older_than_days`` ago, and every
        message, feedback or file row older than that; returns how many conversations went."""

    # -- the operator's queries ---------------------------------------------------------------

    async def conversations(
        self, filters: Filters = ALL, *, limit: int = 50, offset: int = 0
    ) -> list[ConversationSummary]:
        """The matching conversations, the latest activity first."""

    async def count(self, filters: Filters = ALL) -> int: ...

    async def transcript(
        self, conversation_id: str, *, user: str | None = None
    ) -> Transcript | None:
        """One conversation; with ``user``, only if it is that user's (else None)."""

    async def file(self, file_id: str) -> FileRecord | None: ...

    async def stats(self, since: float, until: float) -> list[DayStats]:
        """One row per UTC day in ``[since, until)`` that has activity, oldest first."""

    def export(self, filters: Filters = ALL) -> AsyncIterator[Transcript]:
        """Every matching conversation as a transcript, the latest first, read in pages."""
