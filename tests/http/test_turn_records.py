"""What the chat and feedback routes leave in the conversation store: with
``store_transcripts`` every finished turn (message, answer, timings, signed id, or the error)
under the widget's conversation id; without it, no message text but in feedback rows; a store
that fails never fails a chat or a flag (the CSV row is still written)."""

from __future__ import annotations

import csv
import json
import logging
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from quart.typing import TestClientProtocol as Client

import backend as gr
from backend import Settings, create_app
from backend.storage.store.sql_store import SqlStore, open_store
from tests.helpers import answer_text, parse_events
from tests.servers import free_port

SESSION = "conv_abcdefgh"
VISITOR = "v_abcdefgh"
SECRET_WORDS = "my parcel number is 4711"


def shy(message: str, history: list[Any]) -> str:
    if "fail" in message:
        raise gr.Error("The model is asleep.")
    return f"Noted: {len(message)} characters."


def demo(tmp_path: Path) -> gr.ChatInterface:
    return gr.ChatInterface(shy, flagging_mode="manual", flagging_dir=tmp_path / "flags")


async def send(client: Client, message: str, history: list[Any] | None = None) -> Any:
    response = await client.post(
        "/api/chat",
        data=json.dumps({"message": message, "history": history or [], "session": SESSION}),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 200
    return parse_events(await response.get_data(as_text=False))


async def flag(client: Client, answer_id: str, answer: str) -> Any:
    body = {
        "id": answer_id,
        "conversation": [
            {"role": "user", "content": SECRET_WORDS},
            {"role": "assistant", "content": answer},
        ],
        "flag": "Dislike",
        "visitor": VISITOR,
        "conversation_id": SESSION,
    }
    response = await client.post(
        "/api/feedback", data=json.dumps(body), headers={"Content-Type": "application/json"}
    )
    return response.status_code, json.loads(await response.get_data(as_text=False))


async def chat_and_flag(tmp_path: Path, **settings: Any) -> tuple[str, str]:
    app = create_app(demo(tmp_path), Settings.from_mapping({"flush_interval": 0, **settings}))
    async with app.test_app() as test_app:
        client = test_app.test_client()
        events = await send(client, SECRET_WORDS)
        answer = answer_text(events)
        assert answer == f"Noted: {len(SECRET_WORDS)} characters."
        done = events[-1].data
        assert await flag(client, done["id"], answer) == (200, {"ok": True})
        failed = await send(client, "please fail", [
            {"role": "user", "content": SECRET_WORDS}, {"role": "assistant", "content": answer},
        ])  # fmt: skip
        assert failed[-1].event == "error"
    return done["id"], answer


async def stored(tmp_path: Path, url: str = "") -> SqlStore:
    store = open_store(url, tmp_path / "flags")
    await store.start()
    return store


async def test_store_transcripts_keeps_each_turn_with_timings(tmp_path: Path) -> None:
    answer_id, answer = await chat_and_flag(tmp_path, store_transcripts=True)
    store = await stored(tmp_path)
    try:
        found = await store.transcript(SESSION)
    finally:
        await store.close()
    assert found is not None
    assert [(m.role, m.text, m.error) for m in found.messages] == [
        ("user", SECRET_WORDS, ""),
        ("assistant", answer, ""),
        ("user", "please fail", ""),
        ("assistant", "", "The model is asleep."),
    ]
    first = found.messages[1]
    assert first.message_id == answer_id
    timings = first.timings
    assert timings.queued is not None and timings.first_token is not None
    assert timings.finished is not None
    assert timings.queued <= timings.first_token <= timings.finished
    assert [(f.flag, f.rating, f.visitor, f.message_id) for f in found.feedback] == [
        ("Dislike", "down", VISITOR, answer_id)
    ]
    assert found.summary.title == SECRET_WORDS
    # The Gradio CSV is written as before.
    with (tmp_path / "flags" / "log.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["flag"] for row in rows] == ["Dislike"]


async def test_without_store_transcripts_only_feedback_rows_hold_text(tmp_path: Path) -> None:
    await chat_and_flag(tmp_path)
    database = tmp_path / "flags" / "store.sqlite3"
    with sqlite3.connect(database) as db:
        tables = [
            row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        holding = {
            table
            for table in tables
            for row in db.execute(f"SELECT * FROM {table}")  # noqa: S608 - our own table names
            if any("parcel" in str(cell) or "please fail" in str(cell) for cell in row)
        }
        assert db.execute("SELECT count(*) FROM messages").fetchone() == (0,)
    assert holding == {"feedback"}
    store = await stored(tmp_path)
    try:
        listed = await store.conversations()
    finally:
        await store.close()
    assert [(c.id, c.downs, c.messages) for c in listed] == [(SESSION, 1, 0)]
    assert listed[0].title == SECRET_WORDS  # read from the feedback row


async def test_a_failing_store_never_fails_a_chat_or_a_flag(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    nowhere = f"postgresql://someone:hunter2-secret@127.0.0.1:{free_port()}/gone"
    caplog.set_level(logging.ERROR, logger="backend.store")
    await chat_and_flag(tmp_path, store_transcripts=True, database_url=nowhere)
    with (tmp_path / "flags" / "log.csv").open(newline="") as handle:
        assert [row["flag"] for row in csv.DictReader(handle)] == ["Dislike"]
    messages = [record.getMessage() for record in caplog.records]
    assert any("could not store a turn" in m for m in messages), messages
    assert any("could not store a flag" in m for m in messages), messages
    assert not any("hunter2-secret" in m for m in messages)


async def test_a_turn_is_stored_in_postgresql(tmp_path: Path, postgres: Any) -> None:
    url = postgres.new_database()
    answer_id, _ = await chat_and_flag(tmp_path, store_transcripts=True, database_url=url)
    store = await stored(tmp_path, url)
    try:
        found = await store.transcript(SESSION)
    finally:
        await store.close()
    assert found is not None and found.messages[1].message_id == answer_id
    assert not (tmp_path / "flags" / "store.sqlite3").exists()


async def test_no_ip_address_is_stored(tmp_path: Path) -> None:
    """The visitor's address reaches the chat function (``request.client.host``, through a
    trusted proxy), but no table of the store holds it, nor the database's files."""
    address = "203.0.113.77"
    seen: list[str] = []

    def answer(message: str, history: list[Any], request: gr.Request) -> str:
        seen.append(request.client.host)
        return "Noted."

    app = create_app(
        gr.ChatInterface(answer, flagging_mode="manual", flagging_dir=tmp_path / "flags"),
        Settings.from_mapping(
            {"flush_interval": 0, "store_transcripts": True, "trusted_proxies": ["127.0.0.1"]}
        ),
    )
    async with app.test_app() as test_app:
        client = test_app.test_client()
        headers = {
            "Content-Type": "application/json",
            "X-Forwarded-For": address,
            "X-Visitor-Key": "k" * 32,
        }
        body = {"message": SECRET_WORDS, "history": [], "session": SESSION}
        # As behind a reverse proxy on this machine that names the visitor's address.
        proxy = {"client": ("127.0.0.1", 40_000)}
        response = await client.post(
            "/api/chat", data=json.dumps(body), headers=headers, scope_base=proxy
        )
        done = parse_events(await response.get_data(as_text=False))[-1].data
        feedback = {
            "id": done["id"],
            "conversation": [
                {"role": "user", "content": SECRET_WORDS},
                {"role": "assistant", "content": "Noted."},
            ],
            "flag": "Dislike",
            "visitor": VISITOR,
            "conversation_id": SESSION,
        }
        flagged = await client.post(
            "/api/feedback", data=json.dumps(feedback), headers=headers, scope_base=proxy
        )
        assert flagged.status_code == 200
    assert seen == [address]
    store = await stored(tmp_path)
    try:
        found = await store.transcript(SESSION)
    finally:
        await store.close()
    assert found is not None and [m.text for m in found.messages] == [SECRET_WORDS, "Noted."]
    assert [f.flag for f in found.feedback] == ["Dislike"]
    with sqlite3.connect(tmp_path / "flags" / "store.sqlite3") as db:
        tables = [
            row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        cells = [
            str(cell)
            for table in tables
            for row in db.execute(f"SELECT * FROM {table}")  # noqa: S608 - our own table names
            for cell in row
        ]
    assert any(SECRET_WORDS in cell for cell in cells)  # the scan reads what is stored
    assert not any(address in cell for cell in cells)
    for path in (tmp_path / "flags").glob("store.sqlite3*"):
        assert address.encode() not in path.read_bytes(), path.name
