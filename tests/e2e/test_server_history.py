"""A signed-in visitor's history lives on the server (``save_history`` with the host site's
verified token): a conversation started in one browser context is listed in another context
with the same identity, opens there with its turns and goes on with its history; a context with
another identity sees none of it; deleting it there deletes it everywhere. Nothing of theirs is
kept in localStorage. And ``feedback_comments``: a thumbs-down opens a comment box whose words
land on the stored thumbs-down. Chromium, host pages on another origin."""

from __future__ import annotations

import json
import sqlite3
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from typing import Any

import jwt
import pytest
from playwright.sync_api import Page, expect

from tests.waiting import LIVENESS, wait_until

from .conftest import Backend, HostServer
from .helpers import finished_answer, open_chat, send
from .test_customization import serious_violations
from .test_history import history_key, show_history, titles

pytestmark = pytest.mark.e2e

SECRET = "the host site's shared secret, 32+ bytes long"
FLAGS = ("--identity-secret", SECRET, "--flush-interval", "0", "--feedback-comments")
Backends = Callable[..., Backend]


def token(sub: str) -> str:
    return jwt.encode({"sub": sub, "exp": int(time.time()) + 86_400}, SECRET, "HS256")


def visit(page: Page, host: HostServer, bot: Backend, user_token: str) -> None:
    page.goto(host.add(bot.url, attrs=f'data-user-token="{user_token}"'))
    open_chat(page)


def ask(page: Page, text: str, earlier: int) -> None:
    send(page, text)
    expect(finished_answer(page)).to_contain_text(f"Answer to {text} ({earlier} earlier)")


def listed(bot: Backend, user_token: str) -> list[Any]:
    request = urllib.request.Request(
        f"{bot.url}/api/history", headers={"X-Chatbubble-User": user_token}
    )
    with urllib.request.urlopen(request, timeout=LIVENESS) as response:
        return list(json.load(response)["conversations"])


def test_a_signed_in_visitors_chats_follow_them_and_no_one_else(
    new_page: Callable[..., Page], host: HostServer, backends: Backends
) -> None:
    bot = backends("server_history", *FLAGS)
    alice, bob = token(f"alice-{uuid.uuid4().hex}"), token(f"bob-{uuid.uuid4().hex}")

    laptop = new_page()
    visit(laptop, host, bot, alice)
    ask(laptop, "Where is my parcel?", 0)
    ask(laptop, "And the invoice?", 2)
    # The turns are written after each answer: wait until the server lists both.
    wait_until(
        lambda: [c["messages"] for c in listed(bot, alice)] == [4],
        lambda: f"alice's conversation on the server: {listed(bot, alice)}",
    )
    # Nothing of a signed-in visitor's goes to the browser's localStorage history.
    assert laptop.evaluate("(key) => localStorage.getItem(key)", history_key(bot)) is None

    phone = new_page(viewport={"width": 390, "height": 844})
    visit(phone, host, bot, alice)
    show_history(phone)
    expect(titles(phone)).to_have_text(["Where is my parcel?"])
    titles(phone).first.click()
    messages = phone.locator(".msg.user")
    expect(messages).to_have_text(["Where is my parcel?", "And the invoice?"])
    expect(phone.locator(".msg.bot").last).to_contain_text("Answer to And the invoice? (2")
    # It goes on, with its history: the chat function gets the four earlier messages.
    ask(phone, "Thanks!", 4)
    wait_until(
        lambda: [c["messages"] for c in listed(bot, alice)] == [6],
        lambda: f"alice's conversation on the server: {listed(bot, alice)}",
    )

    stranger = new_page()
    visit(stranger, host, bot, bob)
    show_history(stranger)
    expect(stranger.get_by_role("region", name="Chat history")).to_contain_text(
        "No saved chats yet."
    )
    expect(titles(stranger)).to_have_count(0)
    assert serious_violations(stranger) == []
    # Bob asking for Alice's conversation by its id gets what a missing one gets.
    cid = listed(bot, alice)[0]["id"]
    status = stranger.evaluate(
        """([url, token]) => fetch(url, {headers: {"X-Chatbubble-User": token}})
            .then((r) => r.status)""",
        [f"{bot.url}/api/history/{cid}", bob],
    )
    assert status == 404

    # Deleting it on the phone deletes it on the server: the laptop's list is empty.
    show_history(phone)
    phone.get_by_role("button", name="Delete Where is my parcel?").click()
    expect(phone.get_by_role("region", name="Chat history")).to_contain_text(
        "Conversation deleted."
    )
    assert listed(bot, alice) == []
    show_history(laptop)  # read from the server each time it opens
    expect(laptop.get_by_role("region", name="Chat history")).to_contain_text(
        "No saved chats yet."
    )
    expect(titles(laptop)).to_have_count(0)

    # "Delete all" on the laptop empties the server's list too.
    laptop.get_by_role("button", name="Chat history").click()  # closes it
    ask(laptop, "One more thing", 4)
    wait_until(lambda: len(listed(bot, alice)) == 1, "the laptop's new turn on the server")
    show_history(laptop)
    expect(titles(laptop)).to_have_count(1)
    laptop.get_by_role("button", name="Delete all conversations").click()
    laptop.get_by_role("button", name="Delete all", exact=True).click()
    expect(laptop.get_by_role("region", name="Chat history")).to_contain_text(
        "All conversations deleted."
    )
    assert listed(bot, alice) == []


def stored_comments(bot: Backend, user: str) -> list[tuple[str, str]]:
    """The flags and comments the store holds from ``user`` (other tests share the server)."""
    database = bot.flags / "store.sqlite3"
    if not database.exists():
        return []
    with sqlite3.connect(database) as db:
        query = "SELECT flag, comment FROM feedback WHERE user_id = ? ORDER BY id"
        return list(db.execute(query, (user,)))


def test_a_thumbs_down_opens_a_comment_box(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = backends("server_history", *FLAGS)
    carol = f"carol-{uuid.uuid4().hex}"
    visit(page, host, bot, token(carol))
    ask(page, "What does shipping cost?", 0)
    answer = finished_answer(page)
    answer.get_by_role("button", name="Dislike").click()
    box = answer.get_by_label("What was wrong with this answer? (optional)")
    expect(box).to_be_focused()
    assert serious_violations(page) == []
    box.fill("The price is <b>wrong</b>: it is €4.90")
    answer.get_by_role("button", name="Send").click()
    expect(answer.get_by_role("status")).to_have_text("Thanks for your feedback.")
    expect(box).to_have_count(0)
    wait_until(
        lambda: (
            stored_comments(bot, carol) == [("Dislike", "The price is <b>wrong</b>: it is €4.90")]
        ),
        lambda: f"feedback rows: {stored_comments(bot, carol)}",
    )
    # Skip closes it and sends nothing; a thumbs-up closes an open one.
    ask(page, "And to Norway?", 2)
    second = finished_answer(page)
    second.get_by_role("button", name="Dislike").click()
    second.get_by_role("button", name="Skip").click()
    expect(second.get_by_label("What was wrong with this answer? (optional)")).to_have_count(0)
    like = second.get_by_role("button", name="Like", exact=True)
    like.click()
    # While a flag is on its way the thumbs ignore clicks (aria-busy): wait until it landed.
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(like).to_have_attribute("aria-busy", "false")
    second.get_by_role("button", name="Dislike").click()
    expect(second.get_by_label("What was wrong with this answer? (optional)")).to_be_visible()
    second.get_by_role("button", name="Like", exact=True).click()
    expect(second.get_by_label("What was wrong with this answer? (optional)")).to_have_count(0)
    wait_until(
        lambda: (
            [flag for flag, _ in stored_comments(bot, carol)]
            == ["Dislike", "Dislike", "Like", "Dislike", "Like"]
        ),
        lambda: f"feedback rows: {stored_comments(bot, carol)}",
    )
    assert [c for _, c in stored_comments(bot, carol)[1:]] == ["", "", "", ""]


def test_without_the_setting_a_thumbs_down_asks_nothing(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = backends("feedback_bot", "--flush-interval", "0")
    page.goto(host.add(bot.url))
    open_chat(page)
    send(page, "hi")
    answer = finished_answer(page)
    answer.get_by_role("button", name="Dislike").click()
    expect(answer.get_by_role("button", name="Dislike")).to_have_attribute("aria-pressed", "true")
    expect(answer.locator("textarea")).to_have_count(0)


def test_anonymous_visitors_keep_their_history_in_the_browser(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = backends("server_history", *FLAGS)
    page.goto(host.add(bot.url))
    open_chat(page)
    ask(page, "anonymous question", 0)
    key = history_key(bot)
    wait_until(
        lambda: page.evaluate("(key) => localStorage.getItem(key)", key),
        "the conversation in localStorage",
    )
    try:
        urllib.request.urlopen(f"{bot.url}/api/history", timeout=LIVENESS)
        raise AssertionError("an anonymous caller got a history")
    except urllib.error.HTTPError as error:
        assert error.code == 401
