"""The conversation store on both engines: what is written reads back, the operator's filters,
the per-day numbers from seeded rows, deletes (the operator's and a visitor's own), purging, and
a conversation that belongs to one user taking no writes from another."""

from __future__ import annotations

from pathlib import Path

import pytest

from backend.errors import StoreError
from backend.storage.store import Feedback, FileRecord, Filters, Timings, Turn, open_store
from backend.storage.store.sql_store import SqlStore

DAY = 86_400.0
T0 = 1_780_000_000.0  # 2026-05-28, a fixed clock for the seeded rows


def text(words: str) -> list[dict[str, object]]:
    return [{"type": "text", "text": words}]


def turn(cid: str, asked: str, answer: str, at: float, **more: object) -> Turn:
    timings = Timings(queued=at, first_token=at + 0.5, finished=at + 2)
    return Turn(cid, text(asked), text(answer), timings, **more)  # type: ignore[arg-type]


def flag(cid: str, value: str, at: float, **more: object) -> Feedback:
    conversation = [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]
    return Feedback(cid, "mid-" + cid, value, conversation, 1, at, **more)  # type: ignore[arg-type]


async def test_a_turn_and_its_feedback_read_back(store: SqlStore) -> None:
    await store.record_turn(
        turn("conv-0001", "What is WAL?", "A log.", T0, message_id="m1", user="alice",
             visitor="visitor-1", page_url="https://shop.example/help")
    )  # fmt: skip
    await store.record_turn(
        Turn("conv-0001", text("And then?"), [], Timings(T0 + 10, None, T0 + 11),
             error="The model server did not answer.", user="alice")
    )  # fmt: skip
    row = await store.record_feedback(
        flag("conv-0001", "Dislike", T0 + 20, comment="wrong", user="alice")
    )
    await store.record_file(FileRecord("file-1", "a.png", 12, "image/png", "conv-0001", T0))
    await store.record_file(FileRecord("file-1", "other", 1, "text/plain", "x", T0))

    found = await store.transcript("conv-0001")
    assert found is not None
    assert [(m.role, m.text) for m in found.messages] == [
        ("user", "What is WAL?"), ("assistant", "A log."),
        ("user", "And then?"), ("assistant", ""),
    ]  # fmt: skip
    answer = found.messages[1]
    assert answer.message_id == "m1" and answer.parts == text("A log.")
    assert answer.timings.time_to_first_token == pytest.approx(0.5)
    assert found.messages[3].error == "The model server did not answer."
    assert [(f.id, f.flag, f.rating, f.comment) for f in found.feedback] == [
        (row, "Dislike", "down", "wrong")
    ]
    assert found.feedback[0].conversation[1] == {"role": "assistant", "content": "Hello"}
    assert [f.name for f in found.files] == ["a.png"]
    summary = found.summary
    assert (summary.user, summary.page_url, summary.title) == (
        "alice", "https://shop.example/help", "What is WAL?"
    )  # fmt: skip
    assert (summary.messages, summary.downs, summary.errors) == (4, 1, 1)
    assert summary.started == T0 and summary.updated == T0 + 20
    assert await store.file("file-1") == FileRecord(
        "file-1", "a.png", 12, "image/png", "conv-0001", T0
    )
    assert await store.file("nope") is None
    assert await store.transcript("conv-0001", user="bob") is None
    assert await store.transcript("conv-0001", user="alice") is not None


async def test_unicode_and_files_parts_round_trip(store: SqlStore) -> None:
    parts = [{"type": "text", "text": "Grüße 你好 \U0001f600"}, {"type": "file", "id": "f"}]
    await store.record_turn(Turn("conv-uni1", parts, parts, Timings(T0, T0, T0)))
    found = await store.transcript("conv-uni1")
    assert found is not None and found.messages[0].parts == parts


async def seed(store: SqlStore) -> None:
    await store.record_turn(
        turn("conv-a", "refund policy?", "30 days.", T0, user="alice",
             page_url="https://shop.example/refunds")
    )  # fmt: skip
    await store.record_turn(
        turn("conv-b", "shipping to Peru?", "Yes.", T0 + DAY, page_url="https://shop.example/")
    )
    await store.record_turn(turn("conv-c", "hello", "hi", T0 + 2 * DAY, user="bob"))
    await store.record_feedback(flag("conv-a", "Like", T0 + 100, user="alice"))
    await store.record_feedback(flag("conv-b", "Dislike", T0 + DAY + 100))
    await store.record_feedback(
        flag("conv-c", "Inaccurate", T0 + 2 * DAY + 100, comment="Nope", user="bob")
    )


async def test_a_visitors_repeated_flag_is_stored_once(store: SqlStore) -> None:
    first = await store.record_feedback(flag("conv-r", "Like", T0, visitor="visitor-1"))
    assert (
        await store.record_feedback(flag("conv-r", "Like", T0 + 1, visitor="visitor-1")) == first
    )
    other = await store.record_feedback(flag("conv-r", "Like", T0 + 2, visitor="visitor-2"))
    changed = await store.record_feedback(flag("conv-r", "Dislike", T0 + 3, visitor="visitor-1"))
    back = await store.record_feedback(flag("conv-r", "Like", T0 + 4, visitor="visitor-1"))
    assert len({first, other, changed, back}) == 4
    found = await store.transcript("conv-r")
    assert found is not None and [f.flag for f in found.feedback] == [
        "Like", "Like", "Dislike", "Like"
    ]  # fmt: skip


async def ids(store: SqlStore, **filters: object) -> list[str]:
    return [c.id for c in await store.conversations(Filters(**filters))]  # type: ignore[arg-type]


async def test_filters_narrow_the_list(store: SqlStore) -> None:
    await seed(store)
    assert await ids(store) == ["conv-c", "conv-b", "conv-a"]
    assert await ids(store, since=T0 + DAY, until=T0 + 2 * DAY) == ["conv-b"]
    assert await ids(store, rating="up") == ["conv-a"]
    assert await ids(store, rating="down") == ["conv-b"]
    assert await ids(store, flag="Inaccurate") == ["conv-c"]
    assert await ids(store, user="alice") == ["conv-a"]
    assert await ids(store, page_url="refunds") == ["conv-a"]
    assert await ids(store, page_url="shop.example") == ["conv-b", "conv-a"]
    assert await ids(store, text="PERU") == ["conv-b"]
    assert await ids(store, text="nope") == ["conv-c"]  # a feedback comment
    assert await ids(store, text="100%_") == []  # wildcards are literal
    assert await ids(store, rating="up", user="bob") == []
    assert await store.count(Filters(page_url="shop")) == 2
    page = await store.conversations(limit=1, offset=1)
    assert [c.id for c in page] == ["conv-b"]
    exported = [t.summary.id async for t in store.export(Filters(since=T0 + DAY))]
    assert exported == ["conv-c", "conv-b"]


async def test_stats_per_day(store: SqlStore) -> None:
    await seed(store)
    await store.record_turn(
        Turn("conv-a", text("again"), [], Timings(T0 + 50, T0 + 53, T0 + 54), error="boom",
             user="alice")
    )  # fmt: skip
    await store.record_feedback(flag("conv-a", "Dislike", T0 + 200, user="alice"))
    await store.record_feedback(flag("conv-a", "", T0 + 300, user="alice"))  # unflag: no count
    days = await store.stats(T0 - DAY, T0 + 10 * DAY)
    assert [d.day for d in days] == ["2026-05-28", "2026-05-29", "2026-05-30"]
    first = days[0]
    assert (first.conversations, first.messages, first.errors) == (1, 4, 1)
    assert (first.ups, first.downs, first.thumbs_up_share) == (1, 1, 0.5)
    assert first.ttft_p50 == pytest.approx(0.5) and first.ttft_p95 == pytest.approx(3.0)
    assert days[2].flags == {"Inaccurate": 1} and days[2].thumbs_up_share is None
    assert [d.day for d in await store.stats(T0 + DAY, T0 + 2 * DAY)] == ["2026-05-29"]


async def test_operator_delete_and_a_visitors_own(store: SqlStore) -> None:
    await seed(store)
    await store.record_turn(turn("conv-anon", "hi", "yo", T0, visitor="visitor-9"))
    assert not await store.delete_conversation("conv-a", user="bob")
    assert not await store.delete_conversation("conv-a", visitor="visitor-9")
    assert not await store.delete_conversation("conv-anon", visitor="visitor-8")
    assert await store.delete_conversation("conv-anon", visitor="visitor-9")
    assert await store.delete_conversation("conv-a", user="alice")
    assert await store.delete_conversation("conv-b")
    assert not await store.delete_conversation("conv-b")
    assert await ids(store) == ["conv-c"]
    assert await store.transcript("conv-a") is None
    assert [d.day for d in await store.stats(T0 - DAY, T0 + 10 * DAY)] == ["2026-05-30"]


async def test_purge_keeps_what_is_recent(store: SqlStore) -> None:
    await seed(store)
    await store.record_file(FileRecord("old-file", "a.txt", 1, "text/plain", "conv-a", T0))
    gone = await store.purge(0.9, now=T0 + 2 * DAY + 200)
    assert gone == 2
    assert await ids(store) == ["conv-c"]
    assert await store.file("old-file") is None
    assert await store.purge(30, now=T0 + 2 * DAY + 200) == 0
    assert await ids(store) == ["conv-c"]


async def test_another_users_conversation_takes_no_writes(store: SqlStore) -> None:
    await store.record_turn(turn("conv-own", "mine", "ok", T0, user="alice"))
    with pytest.raises(StoreError, match="another user"):
        await store.record_turn(turn("conv-own", "sneaky", "ok", T0 + 1, user="mallory"))
    with pytest.raises(StoreError):
        await store.record_feedback(flag("conv-own", "Like", T0 + 2))  # anonymous
    # An anonymous conversation is taken over by the first signed-in writer.
    await store.record_turn(turn("conv-anon", "hi", "yo", T0))
    await store.record_turn(turn("conv-anon", "signed in now", "ok", T0 + 5, user="bob"))
    found = await store.transcript("conv-own")
    assert found is not None and [m.text for m in found.messages] == ["mine", "ok"]
    assert found.feedback == []
    assert await ids(store, user="bob") == ["conv-anon"]


async def test_start_twice_and_a_second_store_on_the_same_database(
    store: SqlStore, database_url: str, tmp_path: object
) -> None:
    from backend.storage.store import open_store

    await store.record_turn(turn("conv-1", "a", "b", T0))
    other = open_store(database_url, tmp_path)  # type: ignore[arg-type]
    await other.start()
    await other.start()
    try:
        assert [c.id for c in await other.conversations()] == ["conv-1"]
    finally:
        await other.close()


@pytest.mark.parametrize("how", ["purge", "delete"])
async def test_deleted_text_leaves_the_sqlite_files(how: str, tmp_path: Path) -> None:
    """SQLite: a purged or deleted conversation's words are in neither the database file nor
    its write-ahead log afterwards (``secure_delete`` and a checkpoint), the store open."""
    database = tmp_path / "store.sqlite3"
    store = open_store(f"sqlite:///{database}", tmp_path)
    await store.start()
    try:
        await store.record_turn(turn("conv-old", "secret-words-4f1e", "reply-words-9c2b", T0))
        await store.record_turn(turn("conv-new", "kept-words-7a3d", "fine", T0 + 40 * DAY))
        if how == "purge":
            assert await store.purge(30, now=T0 + 40 * DAY) == 1
        else:
            assert await store.delete_conversation("conv-old")
        data = b"".join(p.read_bytes() for p in tmp_path.glob("store.sqlite3*"))
        assert b"secret-words-4f1e" not in data and b"reply-words-9c2b" not in data
        assert b"kept-words-7a3d" in data
    finally:
        await store.close()
