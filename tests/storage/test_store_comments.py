"""``comment_feedback`` on both engines: a comment lands on the visitor's latest thumbs-down on
that answer, and on nothing else (another visitor, another answer, a thumbs-up)."""

from __future__ import annotations

from backend.storage.store import Feedback
from backend.storage.store.sql_store import SqlStore

T0 = 1_780_000_000.0
CONVERSATION = [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]


def flag(value: str, at: float, visitor: str = "visitor-1", message: str = "m1") -> Feedback:
    return Feedback("conv-0001", message, value, CONVERSATION, 1, at, visitor=visitor)


async def comments(store: SqlStore) -> list[tuple[str, str, str]]:
    found = await store.transcript("conv-0001")
    assert found is not None
    return [(row.visitor, row.flag, row.comment) for row in found.feedback]


async def test_a_comment_goes_on_the_visitors_latest_thumbs_down(store: SqlStore) -> None:
    await store.record_feedback(flag("Like", T0))
    await store.record_feedback(flag("Dislike", T0 + 1))
    await store.record_feedback(flag("Dislike", T0 + 2, visitor="visitor-2"))
    assert await store.comment_feedback("conv-0001", "m1", "visitor-1", "Wrong price: €12")
    assert await comments(store) == [
        ("visitor-1", "Like", ""),
        ("visitor-1", "Dislike", "Wrong price: €12"),
        ("visitor-2", "Dislike", ""),
    ]


async def test_no_thumbs_down_no_comment(store: SqlStore) -> None:
    await store.record_feedback(flag("Dislike", T0))
    await store.record_feedback(flag("Like", T0 + 1))  # changed their mind
    assert not await store.comment_feedback("conv-0001", "m1", "visitor-1", "late")
    assert not await store.comment_feedback("conv-0001", "m2", "visitor-1", "other answer")
    assert not await store.comment_feedback("conv-0001", "m1", "visitor-9", "not theirs")
    assert [c for _, _, c in await comments(store)] == ["", ""]
