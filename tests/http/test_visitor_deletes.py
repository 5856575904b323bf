"""An anonymous visitor's delete of their stored turns (``store_transcripts``): the two
``/api/history`` deletes, authorized by the ``X-Visitor-Key``, remove only conversations stored
under that key's digest: never another visitor's, never a signed-in user's (a 404 like a
missing one); without a key, a 401 ``visitor_key_required``."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from quart.typing import TestClientProtocol as Client

from backend.storage.store import ConversationStore
from tests.http.test_history_routes import ALICE, chat, get, make, post
from tests.waiting import LIVENESS

KEY = "HEADER_KEY_" + "a" * 24
OTHER = "HEADER_KEY_" + "b" * 24
MINE = {"X-Visitor-Key": KEY}
THEIRS = {"X-Visitor-Key": OTHER}


@pytest.fixture(name="client")
async def _client(tmp_path: Path) -> AsyncIterator[Client]:
    app = make(tmp_path, store_transcripts=True)
    async with app.test_app() as test_app:
        yield test_app.test_client()


def store_of(client: Client) -> ConversationStore:
    writes = client.app.extensions["chatbubble"].store_writes
    assert writes is not None
    return writes.store  # type: ignore[no-any-return]


async def stored(client: Client, *ids: str) -> None:
    """Waits for each conversation's turn (written in the background after the answer)."""
    deadline = time.monotonic() + LIVENESS
    for cid in ids:
        while await store_of(client).transcript(cid) is None:
            assert time.monotonic() < deadline, f"{cid} not stored within {LIVENESS} s"
            await asyncio.sleep(0.02)  # poll: the background write gives no event to await


async def post_json(client: Client, path: str, headers: dict[str, str], body: Any) -> Any:
    response = await client.post(path, json=body, headers=headers)
    return response.status_code, await response.get_json()


async def test_config_says_the_server_keeps_a_copy(client: Client, tmp_path: Path) -> None:
    assert (await (await client.get("/api/config")).get_json())["server_copy"] is True
    async with make(tmp_path / "off").test_app() as other:
        body = await (await other.test_client().get("/api/config")).get_json()
        assert body["server_copy"] is False


async def test_a_visitor_deletes_their_own_conversation(client: Client) -> None:
    await chat(client, MINE, "conv_mine0001", "my words")
    await chat(client, MINE, "conv_mine0002", "kept")
    await stored(client, "conv_mine0001", "conv_mine0002")

    assert await post(client, "/api/history/conv_mine0001/delete", MINE) == (200, {"ok": True})
    assert await store_of(client).transcript("conv_mine0001") is None
    assert await store_of(client).transcript("conv_mine0002") is not None
    # Gone: a second delete is a 404.
    status, body = await post(client, "/api/history/conv_mine0001/delete", MINE)
    assert (status, body["code"]) == (404, "not_found")


async def test_another_visitor_key_cannot_delete_it(client: Client) -> None:
    await chat(client, MINE, "conv_mine0001", "my words")
    await stored(client, "conv_mine0001")
    status, body = await post(client, "/api/history/conv_mine0001/delete", THEIRS)
    assert (status, body["code"]) == (404, "not_found")
    status, body = await post_json(
        client, "/api/history/delete", THEIRS, {"ids": ["conv_mine0001"]}
    )
    assert (status, body) == (200, {"ok": True, "deleted": 0})
    assert await store_of(client).transcript("conv_mine0001") is not None


async def test_a_signed_in_users_conversation_is_not_a_visitors(client: Client) -> None:
    # Alice's browser sends its visitor key too: her rows still belong to her `sub` only.
    await chat(client, {**ALICE, **MINE}, "conv_alice001", "signed in")
    await stored(client, "conv_alice001")
    status, body = await post(client, "/api/history/conv_alice001/delete", MINE)
    assert (status, body["code"]) == (404, "not_found")
    status, body = await post_json(client, "/api/history/delete", MINE, {"ids": ["conv_alice001"]})
    assert (status, body) == (200, {"ok": True, "deleted": 0})
    assert await store_of(client).transcript("conv_alice001") is not None
    # Alice herself deletes it with her token.
    assert await post(client, "/api/history/conv_alice001/delete", ALICE) == (200, {"ok": True})
    assert await store_of(client).transcript("conv_alice001") is None


async def test_delete_all_deletes_the_named_ones_that_are_the_visitors(client: Client) -> None:
    await chat(client, MINE, "conv_mine0001", "one")
    await chat(client, MINE, "conv_mine0002", "two")
    await chat(client, MINE, "conv_mine0003", "not named")
    await chat(client, THEIRS, "conv_theirs01", "theirs")
    await stored(client, "conv_mine0001", "conv_mine0002", "conv_mine0003", "conv_theirs01")
    named = ["conv_mine0001", "conv_mine0002", "conv_theirs01", "conv_missing1"]
    status, body = await post_json(client, "/api/history/delete", MINE, {"ids": named})
    assert (status, body) == (200, {"ok": True, "deleted": 2})
    store = store_of(client)
    assert await store.transcript("conv_mine0001") is None
    assert await store.transcript("conv_mine0002") is None
    assert await store.transcript("conv_mine0003") is not None
    assert await store.transcript("conv_theirs01") is not None


async def test_bad_requests_get_clear_errors(client: Client) -> None:
    for path in ("/api/history/conv_mine0001/delete", "/api/history/delete"):
        status, body = await post(client, path, {})
        assert (status, body["code"]) == (401, "visitor_key_required")
        assert "X-Visitor-Key" in body["error"]
    status, body = await post(client, "/api/history/conv_mine0001/delete", {"X-Visitor-Key": "x"})
    assert status == 400 and "X-Visitor-Key" in body["error"]
    status, body = await post(client, "/api/history/not ok/delete", MINE)
    assert status == 422 and "conversation id" in body["error"]
    for bad in ({}, {"ids": "conv_mine0001"}, {"ids": ["../etc"]}, {"ids": ["c" * 10] * 501}):
        status, body = await post_json(client, "/api/history/delete", MINE, bad)
        assert status == 422 and "conversation id" in body["error"], (bad, body)
    response = await client.post(
        "/api/history/delete", data=b"{nope", headers={**MINE, "Content-Type": "application/json"}
    )
    assert response.status_code == 400
    # Listing and reading stay a signed-in visitor's only.
    response = await client.get("/api/history", headers=MINE)
    assert (await response.get_json())["code"] == "identity_required"


async def test_a_signed_in_visitor_without_server_history_deletes_with_their_token(
    tmp_path: Path,
) -> None:
    async with make(tmp_path, save_history=False, store_transcripts=True).test_app() as app:
        client = app.test_client()
        await chat(client, {**ALICE, **MINE}, "conv_alice001", "stored, not listed")
        await stored(client, "conv_alice001")
        assert (await get(client, "/api/history", ALICE))[0] == 404  # no server history
        status, body = await post(client, "/api/history/conv_alice001/delete", MINE)
        assert (status, body["code"]) == (404, "not_found")
        assert await post(client, "/api/history/conv_alice001/delete", ALICE) == (
            200,
            {"ok": True},
        )
        assert await store_of(client).transcript("conv_alice001") is None
