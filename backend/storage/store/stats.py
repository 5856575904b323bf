"""The overview's numbers per UTC day: conversations, messages, thumbs, flags by option,
errors, and time to first token (p50/p95, computed here from the day's answers so both
engines agree)."""

from __future__ import annotations

import math
from collections import defaultdict

from sqlalchemy import distinct, func, select, union
from sqlalchemy.ext.asyncio import AsyncConnection

from .records import DayStats, day_of
from .schema import feedback, messages


def percentile(values: list[float], share: float) -> float | None:
    """The nearest-rank percentile (``share`` in 0..1) of ``values``; None for none."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


async def day_stats(connection: AsyncConnection, since: float, until: float) -> list[DayStats]:
    first, last = day_of(since), day_of(until)
    in_messages = messages.c.at >= since, messages.c.at < until
    in_feedback = feedback.c.at >= since, feedback.c.at < until

    active = union(
        select(messages.c.day, messages.c.conversation_id).where(*in_messages),
        select(feedback.c.day, feedback.c.conversation_id).where(*in_feedback),
    ).subquery()
    conversations: dict[str, int] = dict(
        (
            await connection.execute(
                select(active.c.day, func.count(distinct(active.c.conversation_id))).group_by(
                    active.c.day
                )
            )
        ).all()
    )
    counts: dict[str, tuple[int, int]] = {}
    query = (
        select(
            messages.c.day,
            func.count(),
            func.count().filter(messages.c.error != ""),
        )
        .where(*in_messages)
        .group_by(messages.c.day)
    )
    for day, total, errors in (await connection.execute(query)).all():
        counts[day] = (total, errors)
    ratings: dict[str, dict[str, int]] = defaultdict(dict)
    flags: dict[str, dict[str, int]] = defaultdict(dict)
    query = (
        select(feedback.c.day, feedback.c.rating, feedback.c.flag, func.count())
        .where(*in_feedback, feedback.c.rating != "none")
        .group_by(feedback.c.day, feedback.c.rating, feedback.c.flag)
    )
    for day, rating, flag, n in (await connection.execute(query)).all():
        ratings[day][rating] = ratings[day].get(rating, 0) + n
        if rating == "flag":
            flags[day][flag] = n
    waits: dict[str, list[float]] = defaultdict(list)
    query = select(messages.c.day, messages.c.first_token - messages.c.queued).where(
        *in_messages,
        messages.c.role == "assistant",
        messages.c.queued.is_not(None),
        messages.c.first_token.is_not(None),
    )
    for day, wait in (await connection.execute(query)).all():
        waits[day].append(max(0.0, float(wait)))
    days = sorted(set(conversations) | set(counts) | set(ratings))
    return [
        DayStats(
            day=day,
            conversations=conversations.get(day, 0),
            messages=counts.get(day, (0, 0))[0],
            ups=ratings[day].get("up", 0),
            downs=ratings[day].get("down", 0),
            flags=dict(sorted(flags[day].items())),
            errors=counts.get(day, (0, 0))[1],
            ttft_p50=percentile(waits[day], 0.5),
            ttft_p95=percentile(waits[day], 0.95),
        )
        for day in days
        if first <= day <= last
    ]
