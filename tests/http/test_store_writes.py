"""The app and its store: ``retention_days`` purges at start, no store (and no file) for a chat
that records nothing, and ``database_url`` checked and never shown."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

import backend as gr
from backend import Settings, create_app
from backend.http.store_writes import StoreWrites
from backend.settings import SettingsError
from backend.storage.store import Timings, Turn, open_store
from tests.waiting import LIVENESS

DAY = 86_400.0


def text(words: str) -> list[dict[str, object]]:
    return [{"type": "text", "text": words}]


async def test_retention_days_purges_at_start(tmp_path: Path) -> None:
    store = open_store("", tmp_path / "flags")
    now = time.time()
    for name, age in (("old-conv", 40 * DAY), ("new-conv", DAY)):
        stamp = now - age
        await store.record_turn(Turn(name, text("hi"), text("yo"), Timings(stamp, stamp, stamp)))
    demo = gr.ChatInterface(lambda m, h: "yo", flagging_mode="manual",
                            flagging_dir=tmp_path / "flags")  # fmt: skip
    app = create_app(demo, Settings(retention_days=30))
    async with app.test_app():
        left: list[str] = []

        async def purged() -> bool:
            left[:] = [c.id for c in await store.conversations()]
            return left == ["new-conv"]

        deadline = time.monotonic() + LIVENESS
        while not await purged():  # each read lets the app's purge task run
            assert time.monotonic() < deadline, f"not purged: {left}"
    await store.close()


async def test_no_store_when_nothing_is_recorded(tmp_path: Path) -> None:
    demo = gr.ChatInterface(lambda m, h: "yo", flagging_dir=tmp_path / "flags")
    app = create_app(demo, Settings())
    assert app.extensions["chatbubble"].store_writes is None
    with_transcripts = create_app(demo, Settings(store_transcripts=True))
    assert with_transcripts.extensions["chatbubble"].store_writes is not None
    assert not (tmp_path / "flags").exists()  # made on the first write, not before


def test_database_url_is_checked_and_never_shown() -> None:
    settings = Settings(database_url="postgresql://bot:pa55word@db.example:5432/chat")
    assert "pa55word" not in repr(settings)
    with pytest.raises(SettingsError, match="database_url"):
        Settings(database_url="mysql://x@y/z")
    with pytest.raises(SettingsError, match="retention_days"):
        Settings(retention_days=-1)


async def test_writes_of_one_conversation_run_in_the_order_submitted(tmp_path: Path) -> None:
    """A turn's write waits for the one before it in the same conversation (the transcript's
    order is the answers' order even when the database holds the first one back); another
    conversation's writes do not wait."""
    writes = StoreWrites(open_store("", tmp_path))
    done: list[str] = []
    first_may_end = asyncio.Event()
    other_ended = asyncio.Event()

    async def write(name: str, wait: asyncio.Event | None = None) -> None:
        if wait is not None:
            await wait.wait()
        done.append(name)
        if name == "other conversation":
            other_ended.set()

    writes.submit(write("turn 1", first_may_end), "a turn", "conv-1")
    writes.submit(write("turn 2"), "a turn", "conv-1")
    writes.submit(write("other conversation"), "a turn", "conv-2")
    # Tasks take their steps in the order they were made: by the time the other conversation's
    # write has ended, turn 2's task has had its first step, where it would have written
    # unchained.
    await asyncio.wait_for(other_ended.wait(), LIVENESS)
    assert done == ["other conversation"]
    first_may_end.set()
    await asyncio.wait(set(writes.pending), timeout=LIVENESS)
    assert done == ["other conversation", "turn 1", "turn 2"]
    await writes.drain()
