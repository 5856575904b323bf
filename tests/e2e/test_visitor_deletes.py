"""An anonymous visitor's delete removes the server's copy too (``store_transcripts``): the
widget's "Delete <title>", "Delete all conversations" and, without ``save_history``, "Delete
this conversation" leave no row of the conversation in the store (read from its SQLite file);
a server that refuses leaves the local delete standing and says so. Chromium, host pages on
another origin."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, Route, expect

from tests.waiting import wait_until

from .conftest import Backend, HostServer
from .helpers import finished_answer, open_chat, send
from .test_history import history_key, show_history, stored, titles

pytestmark = pytest.mark.e2e

FLAGS = ("--store-transcripts", "--flush-interval", "0")
Backends = Callable[..., Backend]


def rows(bot: Backend, text: str) -> list[str]:
    """The conversations whose stored messages hold ``text`` (other tests share the server)."""
    database = bot.flags / "store.sqlite3"
    if not database.exists():
        return []
    query = "SELECT DISTINCT conversation_id FROM messages WHERE text LIKE ?"
    try:
        with sqlite3.connect(database) as db:
            return [row[0] for row in db.execute(query, (f"%{text}%",))]
    except sqlite3.OperationalError:  # made, its tables not yet
        return []


def conversation_rows(bot: Backend, cid: str) -> int:
    with sqlite3.connect(bot.flags / "store.sqlite3") as db:
        (count,) = db.execute("SELECT COUNT(*) FROM conversations WHERE id = ?", (cid,)).fetchone()
        return int(count)


def chat(page: Page, bot: Backend, text: str) -> str:
    """Asks ``text`` and waits for its turn in the store; the conversation's id."""
    send(page, text)
    expect(finished_answer(page)).to_contain_text(text)
    wait_until(lambda: len(rows(bot, text)) == 1, f"{text!r} in the store")
    return rows(bot, text)[0]


def test_deleting_a_saved_conversation_deletes_the_stored_one(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = backends("server_history", *FLAGS)
    page.goto(host.add(bot.url))
    open_chat(page)
    first = f"first {uuid.uuid4().hex}"
    cid = chat(page, bot, first)
    assert conversation_rows(bot, cid) == 1

    show_history(page)
    page.get_by_role("button", name=f"Delete {first[:39]}").click()
    expect(page.get_by_role("region", name="Chat history")).to_contain_text(
        "Conversation deleted."
    )
    wait_until(lambda: not rows(bot, first), "the conversation gone from the store")
    assert conversation_rows(bot, cid) == 0

    # "Delete all" names every conversation the browser keeps.
    page.get_by_role("button", name="Chat history").click()  # closes it
    second, third = f"second {uuid.uuid4().hex}", f"third {uuid.uuid4().hex}"
    chat(page, bot, second)
    show_history(page)
    page.get_by_role("button", name="New chat").click()
    expect(page.locator(".msg")).to_have_count(0)
    chat(page, bot, third)
    show_history(page)
    expect(titles(page)).to_have_count(2)
    page.get_by_role("button", name="Delete all conversations").click()
    page.get_by_role("button", name="Delete all", exact=True).click()
    expect(page.get_by_role("region", name="Chat history")).to_contain_text(
        "All conversations deleted."
    )
    wait_until(lambda: not rows(bot, second) and not rows(bot, third), "both gone from the store")
    assert stored(page, history_key(bot)) == []


def test_without_save_history_deleting_this_conversation_deletes_it_there(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = backends("feedback_bot", *FLAGS)
    page.goto(host.add(bot.url))
    open_chat(page)
    text = f"hello {uuid.uuid4().hex}"
    chat(page, bot, text)
    page.get_by_role("button", name="Conversation options").click()
    menu = page.get_by_role("region", name="Conversation options")
    menu.get_by_role("button", name="Delete this conversation").click()
    expect(page.locator(".msg.user")).to_have_count(0)
    wait_until(lambda: not rows(bot, text), "the conversation gone from the store")


def test_a_refused_server_delete_is_said_and_the_local_delete_stands(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = backends("server_history", *FLAGS)

    def refuse(route: Route) -> None:
        route.fulfill(
            status=503,
            content_type="application/json",
            headers={"Access-Control-Allow-Origin": "*"},
            body='{"error": "The conversation store is unavailable.", "code": "unavailable"}',
        )

    page.route("**/api/history/**", refuse)
    page.goto(host.add(bot.url))
    open_chat(page)
    text = f"kept {uuid.uuid4().hex}"
    chat(page, bot, text)
    show_history(page)
    page.get_by_role("button", name=f"Delete {text[:39]}").click()
    expect(page.locator(".hist-note")).to_contain_text("unavailable")
    expect(titles(page)).to_have_count(0)
    assert stored(page, history_key(bot)) == []
    assert rows(bot, text)  # the server's copy stays: its delete was refused
