"""``SqlStore``: the ``ConversationStore`` on SQLAlchemy Core, for SQLite and PostgreSQL.

Why SQLAlchemy Core (with aiosqlite and asyncpg): one set of queries for both engines, a pool
per worker process, dialect-specific upserts where they differ, and no ORM. Every write is one
transaction; a conversation's owner is set by its first record (an anonymous conversation is
claimed by the first signed-in user who writes to it) and never changes after, so nobody
appends to another user's conversation.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from sqlalchemy import case, delete, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ...errors import StoreError
from . import queries
from .base import ALL
from .engine import (
    create_engine,
    database_url,
    describe,
    forget_deleted,
    redacted,
    transaction,
)
from .migrations import migrate
from .records import (
    ConversationSummary,
    DayStats,
    Feedback,
    FileRecord,
    Filters,
    Transcript,
    Turn,
    day_of,
    text_of,
)
from .schema import CHILDREN, conversations, feedback, files, messages
from .stats import day_stats

EXPORT_PAGE = 100
DAY = 86_400.0


class SqlStore:
    """The conversation store on one database (``url``); ``start()`` before use."""

    def __init__(self, url: URL) -> None:
        self.url = url
        self.engine = url.get_backend_name()
        self._db: AsyncEngine | None = None
        self._ready = False
        self._starting: asyncio.Lock | None = None

    def __repr__(self) -> str:
        return f"SqlStore({redacted(self.url)!r})"

    async def _engine(self) -> AsyncEngine:
        """The engine, started on first use (a failed start is tried again next time): each
        worker process connects after the fork, and an app that never records opens nothing."""
        if self._ready and self._db is not None:
            return self._db
        if self._starting is None:
            self._starting = asyncio.Lock()
        async with self._starting:
            if self._db is None:
                try:
                    self._db = create_engine(self.url)
                except OSError as error:  # the SQLite file's folder cannot be made
                    raise StoreError(describe(error, self.url)) from error
            if not self._ready:
                await migrate(self._db)
                self._ready = True
            return self._db

    async def start(self) -> None:
        await self._engine()

    async def close(self) -> None:
        if self._db is not None:
            await self._db.dispose()
        self._db, self._ready, self._starting = None, False, None

    def _insert(self) -> Any:
        return pg_insert if self.engine == "postgresql" else sqlite_insert

    async def _own(
        self, connection: AsyncConnection, conversation_id: str, user: str, visitor: str,
        page_url: str, at: float, title: str = "", started: float | None = None,
    ) -> None:  # fmt: skip
        """Creates the conversation or touches it; refuses one that is another user's."""
        await connection.execute(
            self._insert()(conversations)
            .values(
                id=conversation_id,
                user_id=user,
                visitor=visitor,
                page_url=page_url,
                title=title[:200],
                started=at if started is None else started,
                updated=at,
            )  # fmt: skip
            .on_conflict_do_nothing(index_elements=["id"])
        )
        c = conversations.c
        touched = await connection.execute(
            update(conversations)
            .where(c.id == conversation_id, or_(c.user_id == user, c.user_id == ""))
            .values(
                user_id=case((c.user_id == "", user), else_=c.user_id),
                visitor=case((c.visitor == "", visitor), else_=c.visitor),
                updated=case((c.updated < at, at), else_=c.updated),
                title=case((c.title == "", title[:200]), else_=c.title),
                page_url=case((c.page_url == "", page_url), else_=c.page_url),
            )
        )
        if touched.rowcount == 0:
            raise StoreError("this conversation id belongs to another user; nothing was stored")

    async def record_turn(self, turn: Turn) -> None:
        t = turn.timings
        at = t.finished or t.first_token or t.queued or time.time()
        queued = t.queued or at
        async with transaction(await self._engine(), writes=True) as connection:
            await self._own(
                connection, turn.conversation_id, turn.user, turn.visitor, turn.page_url, at,
                text_of(turn.message), queued,
            )  # fmt: skip
            await connection.execute(
                insert(messages),
                [
                    _message(turn.conversation_id, "user", turn.message, queued),
                    _message(
                        turn.conversation_id,
                        "assistant",
                        turn.answer,
                        at,
                        message_id=turn.message_id,
                        queued=t.queued,
                        first_token=t.first_token,
                        finished=t.finished,
                        error=turn.error,
                    ),  # fmt: skip
                ],
            )

    async def record_feedback(self, row: Feedback) -> int:
        f = feedback.c
        latest = (
            select(f.id, f.flag)
            .where(
                f.message_id == row.message_id, f.visitor == row.visitor, f.target == row.target
            )
            .order_by(f.id.desc())
            .limit(1)
        )
        async with transaction(await self._engine(), writes=True) as connection:
            if row.visitor:
                found = (await connection.execute(latest)).first()
                if found is not None and found.flag == row.flag:
                    return int(found.id)  # a repeat (sent to another machine): stored once
            await self._own(
                connection, row.conversation_id, row.user, row.visitor, row.page_url, row.at
            )
            result = await connection.execute(
                insert(feedback)
                .values(
                    conversation_id=row.conversation_id,
                    message_id=row.message_id,
                    target=row.target,
                    flag=row.flag,
                    rating=row.rating,
                    comment=row.comment,
                    conversation=json.dumps(row.conversation, ensure_ascii=False),
                    idx=row.index,
                    visitor=row.visitor,
                    user_id=row.user,
                    page_url=row.page_url,
                    at=row.at,
                    day=day_of(row.at),
                )  # fmt: skip
                .returning(feedback.c.id)
            )
            return int(result.scalar_one())

    async def comment_feedback(
        self, conversation_id: str, message_id: str, visitor: str, comment: str
    ) -> bool:
        f = feedback.c
        latest = (
            select(f.id, f.flag)
            .where(
                f.conversation_id == conversation_id,
                f.message_id == message_id,
                f.visitor == visitor,
                f.target == "assistant",
            )
            .order_by(f.id.desc())
            .limit(1)
        )
        async with transaction(await self._engine(), writes=True) as connection:
            row = (await connection.execute(latest)).first()
            if row is None or row.flag != "Dislike":
                return False
            await connection.execute(
                update(feedback).where(f.id == row.id).values(comment=comment)
            )
            return True

    async def record_file(self, file: FileRecord) -> None:
        async with transaction(await self._engine(), writes=True) as connection:
            await connection.execute(
                self._insert()(files)
                .values(
                    id=file.id,
                    name=file.name,
                    size=file.size,
                    mime=file.mime,
                    conversation_id=file.conversation_id,
                    at=file.at,
                )  # fmt: skip
                .on_conflict_do_nothing(index_elements=["id"])
            )

    async def delete_conversation(
        self, conversation_id: str, *, user: str | None = None, visitor: str | None = None
    ) -> bool:
        c = conversations.c
        query = select(c.id).where(c.id == conversation_id)
        if user is not None or visitor is not None:
            mine = [c.user_id == user] if user else []
            mine += [(c.visitor == visitor) & (c.user_id == "")] if visitor else []
            query = query.where(or_(*mine)) if mine else query.where(c.id != c.id)
        async with transaction(await self._engine(), writes=True) as connection:
            if (await connection.execute(query)).first() is None:
                return False
            await _delete(connection, [conversation_id])
        await forget_deleted(await self._engine())
        return True

    async def purge(self, older_than_days: float, *, now: float | None = None) -> int:
        cutoff = (time.time() if now is None else now) - older_than_days * DAY
        async with transaction(await self._engine(), writes=True) as connection:
            old = select(conversations.c.id).where(conversations.c.updated < cutoff)
            ids = list((await connection.execute(old)).scalars())
            removed = 0
            for start in range(0, len(ids), 500):
                await _delete(connection, ids[start : start + 500])
            # Rows of a conversation that was never recorded itself (none expected).
            for table in CHILDREN:
                removed += (
                    await connection.execute(delete(table).where(table.c.at < cutoff))
                ).rowcount
        if ids or removed:  # nothing deleted: no old copy to forget
            await forget_deleted(await self._engine())
        return len(ids)

    async def conversations(
        self, filters: Filters = ALL, *, limit: int = 50, offset: int = 0
    ) -> list[ConversationSummary]:
        async with transaction(await self._engine(), writes=False) as connection:
            return await queries.summaries(connection, filters, limit, offset)

    async def count(self, filters: Filters = ALL) -> int:
        async with transaction(await self._engine(), writes=False) as connection:
            return await queries.count(connection, filters)

    async def transcript(
        self, conversation_id: str, *, user: str | None = None
    ) -> Transcript | None:
        async with transaction(await self._engine(), writes=False) as connection:
            return await queries.transcript(connection, conversation_id, user)

    async def file(self, file_id: str) -> FileRecord | None:
        async with transaction(await self._engine(), writes=False) as connection:
            row = (await connection.execute(select(files).where(files.c.id == file_id))).first()
            return queries.file_of(row) if row is not None else None

    async def stats(self, since: float, until: float) -> list[DayStats]:
        async with transaction(await self._engine(), writes=False) as connection:
            return await day_stats(connection, since, until)

    async def export(self, filters: Filters = ALL) -> AsyncIterator[Transcript]:
        offset = 0
        while True:
            page = await self.conversations(filters, limit=EXPORT_PAGE, offset=offset)
            for summary in page:
                found = await self.transcript(summary.id)
                if found is not None:
                    yield found
            if len(page) < EXPORT_PAGE:
                return
            offset += EXPORT_PAGE


def _message(
    conversation_id: str, role: str, parts: list[dict[str, Any]], at: float, **more: Any
) -> dict[str, Any]:
    row = {
        "conversation_id": conversation_id, "role": role,
        "parts": json.dumps(parts, ensure_ascii=False), "text": text_of(parts),
        "at": at, "day": day_of(at), "message_id": "", "queued": None,
        "first_token": None, "finished": None, "error": "",
    }  # fmt: skip
    row.update(more)
    return row


async def _delete(connection: AsyncConnection, ids: list[str]) -> None:
    for table in CHILDREN:
        await connection.execute(delete(table).where(table.c.conversation_id.in_(ids)))
    await connection.execute(delete(conversations).where(conversations.c.id.in_(ids)))


def open_store(setting: str, directory: Path) -> SqlStore:
    """The store the ``database_url`` setting names (empty: ``store.sqlite3`` in
    ``directory``, the app's ``flagging_dir``); it connects on first use."""
    return SqlStore(database_url(setting, directory))
