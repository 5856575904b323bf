"""A flag's ``page_url``: the page the widget is on, kept with the stored flag and on its
conversation, so the console's page URL filter finds conversations that exist only through
their feedback (``store_transcripts`` off, the default); a bad URL is a clear 422."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from quart import Quart
from quart.typing import TestClientProtocol as Client

import backend as gr
from backend import Settings, create_app
from backend.storage.store import open_store
from tests.helpers import answer_text, parse_events
from tests.http.admin.conftest import PASSWORD, log_in
from tests.http.admin.test_pages import listed, page

PRICING = "https://shop.example/pricing?plan=pro"
VISITOR = "v_pageurl01"


def make(tmp_path: Path) -> Quart:
    chat = gr.ChatInterface(
        lambda m, h: f"About {m}",
        chatbot=gr.Chatbot(value=[{"role": "assistant", "content": "Hello!"}]),
        flagging_mode="manual",
        flagging_dir=tmp_path / "flags",
    )
    return create_app(
        chat,
        Settings.from_mapping(
            {
                "flush_interval": 0,
                "secret": "test secret",
                "admin_password": PASSWORD,
                "database_url": f"sqlite:///{tmp_path / 'store.sqlite3'}",
            }
        ),
    )


async def answered(client: Client, session: str) -> dict[str, Any]:
    """A flag's body for the answer to one chat message in conversation ``session``."""
    response = await client.post(
        "/api/chat", json={"message": "prices", "history": [], "session": session}
    )
    events = parse_events(await response.get_data(as_text=False))
    return {
        "id": str(events[-1].data["id"]),
        "conversation": [
            {"role": "user", "content": "prices"},
            {"role": "assistant", "content": answer_text(events)},
        ],
        "flag": "Dislike",
        "visitor": VISITOR,
        "conversation_id": session,
    }


def on_welcome(session: str, page_url: Any) -> dict[str, Any]:
    """A flag's body for the welcome's answer, from the page ``page_url``."""
    return {"welcome": 0, "flag": "Like", "visitor": VISITOR, "conversation_id": session,
            "page_url": page_url}  # fmt: skip


async def flag(client: Client, body: dict[str, Any]) -> tuple[int, Any]:
    response = await client.post(
        "/api/feedback", data=json.dumps(body), headers={"Content-Type": "application/json"}
    )
    return response.status_code, await response.get_json()


async def test_a_flag_with_its_page_is_found_by_the_page_url_filter(tmp_path: Path) -> None:
    async with make(tmp_path).test_app() as test_app:
        client = test_app.test_client()
        on_pricing = await answered(client, "c_pricing01")
        assert await flag(client, {**on_pricing, "page_url": PRICING + "#plans"}) == (
            200,
            {"ok": True},
        )
        assert await flag(client, await answered(client, "c_nopage01")) == (200, {"ok": True})
        welcome = on_welcome("c_welcome01", "http://blog.example/post")
        assert await flag(client, welcome) == (200, {"ok": True})
        assert (await log_in(client)).status_code == 303
        everything = {"c_pricing01", "c_nopage01", "c_welcome01"}
        assert listed(await page(client, "/admin/transcripts")) == everything
        found = await page(client, "/admin/transcripts?page_url=shop.example%2Fpricing")
        assert listed(found) == {"c_pricing01"}
        assert PRICING in found.replace("&amp;", "&")
        assert listed(await page(client, "/admin/transcripts?page_url=blog.example")) == {
            "c_welcome01"
        }
    store = open_store(f"sqlite:///{tmp_path / 'store.sqlite3'}", tmp_path)
    try:
        pricing = await store.transcript("c_pricing01")
        plain = await store.transcript("c_nopage01")
    finally:
        await store.close()
    assert pricing is not None and plain is not None
    # The fragment is dropped (a browser never sends it either); no messages were stored.
    assert [f.page_url for f in pricing.feedback] == [PRICING]
    assert pricing.summary.page_url == PRICING and pricing.messages == []
    assert plain.summary.page_url == "" and [f.page_url for f in plain.feedback] == [""]


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("javascript:alert(1)", "must be an http(s) URL"),
        ("ftp://files.example/a", "must be an http(s) URL"),
        ("/pricing", "must be an http(s) URL"),
        ("https://shop.example/" + "a" * 2048, "at most 2048 characters"),
        (12, "must be a URL"),
        ("https://shop.example:99999/", "not a valid URL"),
    ],
    ids=["javascript", "ftp", "relative", "too-long", "not-text", "bad-port"],
)
async def test_a_bad_page_url_is_refused(tmp_path: Path, value: Any, says: str) -> None:
    async with make(tmp_path).test_app() as test_app:
        client = test_app.test_client()
        body = await answered(client, "c_badpage01")
        status, error = await flag(client, {**body, "page_url": value})
        welcome_status, welcome_error = await flag(client, on_welcome("c_badpage01", value))
    for code, answer in ((status, error), (welcome_status, welcome_error)):
        assert code == 422 and answer["code"] == "invalid_request", answer
        assert "'page_url'" in answer["error"] and says in answer["error"], answer
    log = tmp_path / "flags" / "log.csv"  # no row for a refused flag
    assert not log.exists() or "c_badpage01" not in log.read_text()
