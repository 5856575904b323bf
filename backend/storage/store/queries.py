"""The operator's reads: the filters as SQL, the conversations list with its counts, one
transcript. Plain Core expressions that read the same on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from typing import Any, cast

from sqlalchemy import ColumnElement, Row, and_, exists, func, literal, select, true
from sqlalchemy.ext.asyncio import AsyncConnection

from .records import (
    ConversationSummary,
    Feedback,
    FileRecord,
    Filters,
    Message,
    Role,
    Timings,
    Transcript,
)
from .schema import conversations, feedback, files, messages

c = conversations.c


def _like(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, its wildcards taken literally."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def where(filters: Filters) -> ColumnElement[bool]:
    """The conversations ``filters`` keep."""
    clauses: list[ColumnElement[bool]] = []
    if filters.since is not None:
        clauses.append(c.updated >= filters.since)
    if filters.until is not None:
        clauses.append(c.updated < filters.until)
    if filters.user is not None:
        clauses.append(c.user_id == filters.user)
    if filters.page_url:
        clauses.append(func.lower(c.page_url).like(_like(filters.page_url), escape="\\"))
    if filters.rating is not None:
        clauses.append(
            exists().where(feedback.c.conversation_id == c.id, feedback.c.rating == filters.rating)
        )
    if filters.flag is not None:
        clauses.append(
            exists().where(feedback.c.conversation_id == c.id, feedback.c.flag == filters.flag)
        )
    if filters.text:
        pattern = _like(filters.text)
        in_messages = exists().where(
            messages.c.conversation_id == c.id,
            func.lower(messages.c.text).like(pattern, escape="\\"),
        )
        in_feedback = exists().where(
            feedback.c.conversation_id == c.id,
            func.lower(feedback.c.comment).like(pattern, escape="\\")
            | func.lower(feedback.c.conversation).like(pattern, escape="\\"),
        )
        clauses.append(in_messages | in_feedback)
    return and_(true(), *clauses)


def _count(table: Any, *conditions: ColumnElement[bool]) -> Any:
    return (
        select(func.count())
        .select_from(table)
        .where(table.c.conversation_id == c.id, *conditions)
        .scalar_subquery()
    )


def _summaries_query(filters: Filters) -> Any:
    return select(
        c.id,
        c.started,
        c.updated,
        c.user_id,
        c.visitor,
        c.page_url,
        c.title,
        _count(messages).label("messages"),
        _count(feedback, feedback.c.rating == "up").label("ups"),
        _count(feedback, feedback.c.rating == "down").label("downs"),
        _count(feedback, feedback.c.rating == "flag").label("flags"),
        _count(messages, messages.c.error != "").label("errors"),
    ).where(where(filters))


def _summary(row: Row[Any], title: str = "") -> ConversationSummary:
    return ConversationSummary(
        id=row.id,
        started=row.started,
        updated=row.updated,
        user=row.user_id,
        visitor=row.visitor,
        page_url=row.page_url,
        messages=row.messages,
        ups=row.ups,
        downs=row.downs,
        flags=row.flags,
        errors=row.errors,
        title=row.title or title,
    )


async def summaries(
    connection: AsyncConnection, filters: Filters, limit: int, offset: int
) -> list[ConversationSummary]:
    query = _summaries_query(filters).order_by(c.updated.desc(), c.id).limit(limit).offset(offset)
    rows = (await connection.execute(query)).all()
    untitled = [row.id for row in rows if not row.title]
    titles = await _feedback_titles(connection, untitled) if untitled else {}
    return [_summary(row, titles.get(row.id, "")) for row in rows]


async def count(connection: AsyncConnection, filters: Filters) -> int:
    query = select(func.count()).select_from(conversations).where(where(filters))
    return int((await connection.execute(query)).scalar_one())


async def _feedback_titles(connection: AsyncConnection, ids: list[str]) -> dict[str, str]:
    """Without transcripts, a conversation's title is the first visitor message of its first
    feedback row (read from that row, not stored again)."""
    first = (
        select(feedback.c.conversation_id, func.min(feedback.c.id).label("first"))
        .where(feedback.c.conversation_id.in_(ids))
        .group_by(feedback.c.conversation_id)
        .subquery()
    )
    query = select(feedback.c.conversation_id, feedback.c.conversation).join(
        first, feedback.c.id == first.c.first
    )
    titles = {}
    for cid, body in (await connection.execute(query)).all():
        for message in json.loads(body):
            if message.get("role") == "user" and isinstance(message.get("content"), str):
                titles[cid] = message["content"][:200]
                break
    return titles


def message_of(row: Row[Any], position: int) -> Message:
    return Message(
        id=row.id,
        conversation_id=row.conversation_id,
        position=position,
        role=cast(Role, row.role),
        parts=json.loads(row.parts),
        at=row.at,
        message_id=row.message_id,
        timings=Timings(row.queued, row.first_token, row.finished),
        error=row.error,
    )


def feedback_of(row: Row[Any]) -> Feedback:
    return Feedback(
        conversation_id=row.conversation_id,
        message_id=row.message_id,
        flag=row.flag,
        conversation=json.loads(row.conversation),
        index=row.idx,
        at=row.at,
        target=cast(Role, row.target),
        comment=row.comment,
        visitor=row.visitor,
        user=row.user_id,
        page_url=row.page_url,
        id=row.id,
    )


def file_of(row: Row[Any]) -> FileRecord:
    return FileRecord(row.id, row.name, row.size, row.mime, row.conversation_id, row.at)


async def transcript(
    connection: AsyncConnection, conversation_id: str, user: str | None
) -> Transcript | None:
    owned = literal(True) if user is None else c.user_id == user
    query = _summaries_query(Filters()).where(c.id == conversation_id, owned)
    row = (await connection.execute(query)).first()
    if row is None:
        return None
    found = (
        await connection.execute(
            select(messages)
            .where(messages.c.conversation_id == conversation_id)
            .order_by(messages.c.id)
        )
    ).all()
    flags = (
        await connection.execute(
            select(feedback)
            .where(feedback.c.conversation_id == conversation_id)
            .order_by(feedback.c.id)
        )
    ).all()
    kept = (
        await connection.execute(
            select(files).where(files.c.conversation_id == conversation_id).order_by(files.c.at)
        )
    ).all()
    fallback = ""
    if not row.title and flags:
        fallback = (await _feedback_titles(connection, [conversation_id])).get(conversation_id, "")
    return Transcript(
        summary=_summary(row, fallback),
        messages=[message_of(m, i) for i, m in enumerate(found)],
        feedback=[feedback_of(f) for f in flags],
        files=[file_of(f) for f in kept],
    )
