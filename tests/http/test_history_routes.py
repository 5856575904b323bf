"""A signed-in visitor's history on the server (``save_history`` with a verified identity):
each turn is recorded under the token's ``sub`` although ``store_transcripts`` is off, and
``/api/history`` lists, opens and deletes only the caller's own conversations: another user's
is a 404 like a missing one, an anonymous caller a 401, a bad token a 401."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from quart import Quart
from quart.typing import TestClientProtocol as Client

import backend as gr
from backend import Settings, create_app
from tests.helpers import answer_text, parse_events
from tests.waiting import LIVENESS

SECRET = "a-shared-secret-of-the-host-site-0123456789"
HEADER = "X-Chatbubble-User"
ALICE_CHAT = "conv_alice001"
BOB_CHAT = "conv_bob00001"


def token(sub: str) -> str:
    return jwt.encode({"sub": sub, "exp": int(time.time()) + 86_400}, SECRET, "HS256")


ALICE = {HEADER: token("alice")}
BOB = {HEADER: token("bob")}


def echo(message: str, history: list[Any]) -> str:
    return f"Echo {len(history)}: {message}"


def make(tmp_path: Path, save_history: bool = True, **settings: Any) -> Quart:
    demo = gr.ChatInterface(
        echo, save_history=save_history, flagging_mode="manual", flagging_dir=tmp_path / "flags"
    )
    base = {"flush_interval": 0, "message_rate_limit": 0, "identity_secret": SECRET}
    return create_app(demo, Settings.from_mapping({**base, **settings}))


@pytest.fixture(name="client")
async def _client(tmp_path: Path) -> AsyncIterator[Client]:
    async with make(tmp_path).test_app() as test_app:
        yield test_app.test_client()


async def chat(
    client: Client, headers: dict[str, str], session: str, message: str, history: Any = ()
) -> Any:
    response = await client.post(
        "/api/chat",
        json={"message": message, "history": list(history), "session": session},
        headers={"Accept-Encoding": "identity", **headers},
    )
    assert response.status_code == 200
    return parse_events(await response.get_data(as_text=False))


async def get(client: Client, path: str, headers: dict[str, str]) -> tuple[int, Any]:
    response = await client.get(path, headers=headers)
    return response.status_code, await response.get_json()


async def post(client: Client, path: str, headers: dict[str, str]) -> tuple[int, Any]:
    response = await client.post(path, json={}, headers=headers)
    return response.status_code, await response.get_json()


async def listed(client: Client, headers: dict[str, str], count: int) -> list[Any]:
    """The caller's list once it has ``count`` conversations (turns are written in the
    background, after the answer's last event)."""
    deadline = time.monotonic() + LIVENESS
    while True:
        status, body = await get(client, "/api/history", headers)
        assert status == 200, body
        found = body["conversations"]
        if len(found) >= count:
            return list(found)
        assert time.monotonic() < deadline, f"not listed within {LIVENESS} s: {found}"
        await asyncio.sleep(0.02)  # poll: the background write gives no event to await


async def turns_of(client: Client, headers: dict[str, str], cid: str, count: int) -> Any:
    deadline = time.monotonic() + LIVENESS
    while True:
        status, body = await get(client, f"/api/history/{cid}", headers)
        if status == 200 and len(body["turns"]) >= count:
            return body
        assert time.monotonic() < deadline, f"not stored within {LIVENESS} s: {body}"
        await asyncio.sleep(0.02)  # poll: the background write gives no event to await


async def test_each_user_lists_and_opens_only_their_own(client: Client) -> None:
    first = await chat(client, ALICE, ALICE_CHAT, "Where is my parcel?")
    answer = answer_text(first)
    history = [
        {"role": "user", "content": "Where is my parcel?"},
        {"role": "assistant", "content": answer},
    ]
    await chat(client, ALICE, ALICE_CHAT, "And the invoice?", history)
    await chat(client, BOB, BOB_CHAT, "Bob's secret question")

    body = await turns_of(client, ALICE, ALICE_CHAT, 2)
    mine = await listed(client, ALICE, 1)
    assert [(c["id"], c["title"], c["messages"]) for c in mine] == [
        (ALICE_CHAT, "Where is my parcel?", 4)
    ]
    assert body["id"] == ALICE_CHAT
    assert [(t["message"], t["answer"], t["error"]) for t in body["turns"]] == [
        ([{"type": "text", "text": "Where is my parcel?"}],
         [{"type": "text", "text": answer}], ""),
        ([{"type": "text", "text": "And the invoice?"}],
         [{"type": "text", "text": "Echo 2: And the invoice?"}], ""),
    ]  # fmt: skip
    assert body["turns"][0]["id"] == first[-1].data["id"]  # feedback works on a resumed turn

    theirs = await listed(client, BOB, 1)
    assert [c["id"] for c in theirs] == [BOB_CHAT]
    # Another user's conversation is exactly as absent as one that never was.
    assert await get(client, f"/api/history/{BOB_CHAT}", ALICE) == await get(
        client, "/api/history/conv_nothing1", ALICE
    )
    status, refused = await get(client, f"/api/history/{BOB_CHAT}", ALICE)
    assert status == 404 and "Bob" not in json.dumps(refused)
    assert [c["id"] for c in await listed(client, ALICE, 1)] == [ALICE_CHAT]


async def test_a_conversation_id_of_another_user_takes_no_turn(client: Client) -> None:
    await chat(client, ALICE, ALICE_CHAT, "Alice's words")
    await listed(client, ALICE, 1)
    # Bob names Alice's conversation: his turn is refused by the store (logged), not added.
    await chat(client, BOB, ALICE_CHAT, "Bob sneaks in")
    await chat(client, BOB, BOB_CHAT, "Bob's own")
    await listed(client, BOB, 1)
    body = await turns_of(client, ALICE, ALICE_CHAT, 1)
    assert [t["message"][0]["text"] for t in body["turns"]] == ["Alice's words"]
    assert [c["id"] for c in await listed(client, BOB, 1)] == [BOB_CHAT]


async def test_anonymous_and_bad_tokens_are_refused(client: Client) -> None:
    for path in ("/api/history", f"/api/history/{ALICE_CHAT}"):
        status, body = await get(client, path, {})
        assert (status, body["code"]) == (401, "identity_required")
        status, body = await get(client, path, {HEADER: "not-a-jwt"})
        assert (status, body["code"]) == (401, "identity_invalid")
    status, body = await post(client, f"/api/history/{ALICE_CHAT}/delete", {})
    assert (status, body["code"]) == (401, "identity_required")
    status, body = await post(client, "/api/history/delete", {})
    assert (status, body["code"]) == (401, "identity_required")
    forged = jwt.encode({"sub": "alice", "exp": int(time.time()) + 86_400}, "x" * 40, "HS256")
    status, body = await get(client, "/api/history", {HEADER: forged})
    assert (status, body["code"]) == (401, "identity_invalid")
    status, body = await get(client, "/api/history/not ok", ALICE)
    assert status == 422 and "conversation id" in body["error"]
    status, body = await get(client, "/api/history?limit=lots", ALICE)
    assert status == 422 and "'limit'" in body["error"]


async def test_anonymous_turns_are_not_kept_without_store_transcripts(
    client: Client, tmp_path: Path
) -> None:
    await chat(client, {}, "conv_anonymous", "anonymous words")
    await chat(client, ALICE, ALICE_CHAT, "signed in")
    await listed(client, ALICE, 1)
    state = client.app.extensions["chatbubble"]
    assert state.store_writes is not None
    assert await state.store_writes.store.transcript("conv_anonymous") is None


async def test_delete_one_and_all_only_the_callers(client: Client) -> None:
    await chat(client, ALICE, ALICE_CHAT, "one")
    await chat(client, ALICE, "conv_alice002", "two")
    await chat(client, BOB, BOB_CHAT, "bob's")
    await listed(client, ALICE, 2)
    await listed(client, BOB, 1)

    status, body = await post(client, f"/api/history/{BOB_CHAT}/delete", ALICE)
    assert (status, body["code"]) == (404, "not_found")
    assert [c["id"] for c in await listed(client, BOB, 1)] == [BOB_CHAT]

    assert await post(client, f"/api/history/{ALICE_CHAT}/delete", ALICE) == (200, {"ok": True})
    assert [c["id"] for c in await listed(client, ALICE, 1)] == ["conv_alice002"]
    assert (await get(client, f"/api/history/{ALICE_CHAT}", ALICE))[0] == 404

    await chat(client, ALICE, "conv_alice003", "three")
    await listed(client, ALICE, 2)
    assert await post(client, "/api/history/delete", ALICE) == (200, {"ok": True, "deleted": 2})
    assert await listed(client, ALICE, 0) == []
    assert [c["id"] for c in await listed(client, BOB, 1)] == [BOB_CHAT]


@pytest.mark.parametrize(
    ("save_history", "settings"),
    [(False, {}), (True, {"identity_secret": ""})],
    ids=["without-save_history", "without-identity"],
)
async def test_off_without_save_history_or_identity(
    tmp_path: Path, save_history: bool, settings: dict[str, Any]
) -> None:
    async with make(tmp_path, save_history, **settings).test_app() as test_app:
        client = test_app.test_client()
        config = await (await client.get("/api/config")).get_json()
        assert config["server_history"] is False
        status, body = await get(client, "/api/history", ALICE)
        assert (status, body["code"]) == (404, "not_found")
        await chat(client, ALICE, ALICE_CHAT, "hello")
    # Nothing was recorded: without store_transcripts no message text is kept.
    database = tmp_path / "flags" / "store.sqlite3"
    if database.exists():
        import sqlite3

        with sqlite3.connect(database) as db:
            assert db.execute("SELECT count(*) FROM messages").fetchone() == (0,)


async def test_config_says_server_history(client: Client) -> None:
    config = await (await client.get("/api/config")).get_json()
    assert config["server_history"] is True and config["save_history"] is True
