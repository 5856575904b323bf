"""The console's tests: an app with an admin password and a SQLite store in the test's temp
dir, seeded through the store's own interface, and a logged-in client."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from quart import Quart
from quart.typing import TestClientProtocol as Client

from backend import ChatInterface, Settings, create_app
from backend.storage.store import Feedback, Timings, Turn, open_store
from tests.conftest import FAST, echo

PASSWORD = "correct horse battery"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
#: 2026-03-10 12:00 UTC and the days after it.
T0 = 1_773_144_000.0
DAY = 86_400.0
SHOP, BLOG = "https://shop.example/", "https://blog.example/"
FLAGGED = [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]


def admin_app(tmp_path: Path, **settings: Any) -> Quart:
    return create_app(
        ChatInterface(fn=echo, type="messages", title="Test bot", flagging_dir=tmp_path / "flags"),
        Settings.from_mapping(
            {
                **FAST,
                "secret": "test secret",
                "admin_password": PASSWORD,
                "database_url": f"sqlite:///{tmp_path / 'store.sqlite3'}",
                **settings,
            }
        ),
    )


async def seed(tmp_path: Path) -> None:
    """Three conversations: one liked with a hostile message, one disliked on a pricing page
    by a signed-in user, one with a model error and a "Spam" flag."""
    store = open_store(f"sqlite:///{tmp_path / 'store.sqlite3'}", tmp_path)
    await store.start()
    try:
        turns = [
            ("c-hostile", HOSTILE, "a friendly answer", "", "", SHOP, T0),
            ("c-pricing", "how much is it?", "it is 10 €", "", "ann", SHOP + "pricing", T0 + DAY),
            ("c-error", "=HYPERLINK(1)", "", "model server down", "", BLOG, T0 + 2 * DAY),
        ]
        for cid, question, answer, error, user, page, at in turns:
            await store.record_turn(
                Turn(
                    conversation_id=cid,
                    message=[{"type": "text", "text": question}],
                    answer=[{"type": "text", "text": answer}] if answer else [],
                    timings=Timings(queued=at, first_token=at + 0.5, finished=at + 2),
                    message_id=f"m-{cid}",
                    error=error,
                    user=user,
                    visitor="v-" + cid,
                    page_url=page,
                )
            )
        for cid, flag, at in (("c-hostile", "Like", T0), ("c-pricing", "Dislike", T0 + DAY),
                              ("c-error", "Spam", T0 + 2 * DAY)):  # fmt: skip
            await store.record_feedback(
                Feedback(
                    conversation_id=cid,
                    message_id=f"m-{cid}",
                    flag=flag,
                    conversation=FLAGGED,
                    index=1,
                    at=at + 5,
                    comment=HOSTILE if cid == "c-pricing" else "",
                    user="ann" if cid == "c-pricing" else "",
                )
            )
    finally:
        await store.close()


def form_token(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found[1]


async def log_in(client: Client, password: str = PASSWORD) -> Any:
    page = await client.get("/admin/login")
    token = form_token(await page.get_data(as_text=True))
    return await client.post("/admin/login", form={"csrf": token, "password": password})


@pytest.fixture(name="admin")
async def _admin(tmp_path: Path) -> AsyncIterator[Client]:
    """A client logged in to the console of a seeded store."""
    await seed(tmp_path)
    async with admin_app(tmp_path).test_app() as test_app:
        client = test_app.test_client()
        response = await log_in(client)
        assert response.status_code == 303
        yield client
