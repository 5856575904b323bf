"""``save_history=True``: every conversation is kept in the visitor's localStorage and listed
under "Chat history" (switch, delete, New chat), across reloads and tabs, and storage trouble
(corrupt values, a full quota) never breaks the widget."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable

import pytest
from playwright.sync_api import ConsoleMessage, Locator, Page, expect

from tests.waiting import LIVENESS

from .conftest import Backend, HostServer
from .helpers import finished_answer, open_chat, send

pytestmark = pytest.mark.e2e
Backends = Callable[..., Backend]

# localStorage.setItem throws QuotaExceededError for values longer than window.__quota.
SMALL_QUOTA = """
const realSetItem = Storage.prototype.setItem;
Storage.prototype.setItem = function (key, value) {
  if (this === window.localStorage && window.__quota && String(value).length > window.__quota) {
    throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
  }
  return realSetItem.call(this, key, value);
};
"""


def history_key(backend: Backend) -> str:
    """The localStorage key of a backend's saved conversations: origin, app id, ":history"."""
    with urllib.request.urlopen(f"{backend.url}/api/config", timeout=LIVENESS) as response:
        config = json.load(response)
    assert config["save_history"] is True
    return f"chatbubble:{backend.url}:{config['app']}:history"


def ask(page: Page, text: str) -> None:
    send(page, text)
    expect(finished_answer(page)).to_contain_text(f"Answer to {text}")


def show_history(page: Page) -> None:
    page.get_by_role("button", name="Chat history").click()
    expect(page.get_by_role("region", name="Chat history")).to_be_visible()


def titles(page: Page) -> Locator:
    return page.locator(".hist-item")


def stored(page: Page, key: str) -> list[str]:
    """The first visitor message of each conversation in localStorage, in stored order."""
    raw = page.evaluate("(key) => localStorage.getItem(key)", key)
    return [conversation["t"][0][0] for conversation in json.loads(raw)] if raw else []


def test_two_conversations_switch_delete_and_new_chat(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = backends("history_bot")
    key = history_key(bot)
    page.goto(host.add(bot.url))
    open_chat(page)
    ask(page, "first question")

    show_history(page)
    expect(titles(page)).to_have_text(["first question"])
    page.get_by_role("button", name="New chat").click()
    expect(page.get_by_role("region", name="Chat history")).to_be_hidden()
    expect(page.locator(".msg")).to_have_count(0)
    ask(page, "second question")
    expect(page.locator(".msg.bot").last).to_contain_text("(0 earlier)")

    # After a reload both are listed, newest first, and kept in localStorage only.
    page.reload()
    expect(page.locator(".msg.user")).to_have_text(["second question"])
    show_history(page)
    expect(titles(page)).to_have_text(["second question", "first question"])
    expect(titles(page).first).to_have_attribute("aria-current", "true")
    assert stored(page, key) == ["second question", "first question"]

    # Switching shows the other conversation, which goes on with its own history.
    titles(page).filter(has_text="first question").click()
    expect(page.get_by_role("region", name="Chat history")).to_be_hidden()
    expect(page.locator(".msg.user")).to_have_text(["first question"])
    expect(page.locator(".msg.bot")).to_contain_text(["Answer to first question (0 earlier)"])
    ask(page, "follow-up")
    expect(page.locator(".msg.bot").last).to_contain_text("(2 earlier)")
    show_history(page)
    expect(titles(page)).to_have_text(["first question", "second question"])
    titles(page).filter(has_text="second question").click()
    expect(page.locator(".msg.user")).to_have_text(["second question"])

    # Delete the other one: gone from the list, and after a reload too.
    show_history(page)
    page.get_by_role("button", name="Delete first question").click()
    expect(titles(page)).to_have_text(["second question"])
    page.reload()
    show_history(page)
    expect(titles(page)).to_have_text(["second question"])
    assert stored(page, key) == ["second question"]

    # Deleting the conversation on screen empties it; a long first message makes a short title.
    page.get_by_role("button", name="Delete second question").click()
    expect(titles(page)).to_have_count(0)
    expect(page.locator(".msg")).to_have_count(0)
    assert stored(page, key) == []
    long = "a very long first message that goes on and on about many things"
    ask(page, long)
    # The list, still open, follows.
    expect(titles(page)).to_have_text([long[:39] + "\u2026"])
    expect(page.get_by_role("button", name=f"Delete {long[:39]}\u2026")).to_be_visible()


def test_without_save_history_there_is_no_history(
    page: Page, host: HostServer, backends: Backends
) -> None:
    echo = backends("echo")
    page.goto(host.add(echo.url))
    open_chat(page)
    send(page, "hello")
    expect(finished_answer(page)).to_contain_text("You said: hello")
    # The answer's actions come from the extras chunk once it has set up what it keeps: a
    # history it saved would be in localStorage by then.
    expect(finished_answer(page).get_by_role("button", name="Undo")).to_be_visible()
    expect(page.get_by_role("button", name="Chat history")).to_be_hidden()
    keys = page.evaluate("Object.keys(localStorage)")
    assert not [k for k in keys if k.endswith(":history")]


def test_another_tab_sees_changes(page: Page, host: HostServer, backends: Backends) -> None:
    bot = backends("history_bot")
    url = host.add(bot.url)
    other = page.context.new_page()
    other.goto(url)
    open_chat(other)
    show_history(other)
    expect(titles(other)).to_have_count(0)

    page.goto(url)
    open_chat(page)
    ask(page, "from tab one")
    # The other tab's open list follows without a reload.
    expect(titles(other)).to_have_text(["from tab one"])
    show_history(page)
    page.get_by_role("button", name="Delete from tab one").click()
    expect(titles(other)).to_have_count(0)


def test_corrupt_history_is_discarded_with_one_warning(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = backends("history_bot")
    key = history_key(bot)
    warnings: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.text.startswith("chatbubble storage:"):
            warnings.append(message.text)

    page.on("console", on_console)
    url = host.add(bot.url)
    page.goto(url)
    page.evaluate(
        "([key, value]) => localStorage.setItem(key, value)", [key, '[{"c": "x", "t": [']
    )
    page.reload()
    open_chat(page)
    show_history(page)
    expect(titles(page)).to_have_count(0)
    ask(page, "still works")
    expect(titles(page)).to_have_text(["still works"])
    assert stored(page, key) == ["still works"]
    assert len(warnings) == 1, warnings


def test_full_quota_drops_the_oldest_and_tells_the_visitor(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = backends("history_bot")
    key = history_key(bot)
    page.context.add_init_script(SMALL_QUOTA)
    page.goto(host.add(bot.url))
    open_chat(page)
    for text in ("aaa", "bbb"):
        ask(page, text)
        page.evaluate("chatbubble.newChat()")
    # A conversation left before the extras chunk arrived is saved once it has.
    page.wait_for_function(
        "(key) => JSON.parse(localStorage.getItem(key) || '[]').length === 2", arg=key
    )
    two = len(page.evaluate("(key) => localStorage.getItem(key)", key))
    # Room for two such conversations, not three (a quarter of slack for timing differences).
    page.evaluate("(quota) => { window.__quota = quota; }", two + two // 4)
    ask(page, "ccc")
    show_history(page)
    expect(titles(page)).to_have_text(["ccc", "bbb"])
    expect(page.get_by_role("status").filter(has_text="storage is full")).to_contain_text(
        "oldest conversations were removed"
    )
    assert stored(page, key) == ["ccc", "bbb"]
    # The widget goes on working.
    page.get_by_role("button", name="New chat").click()
    ask(page, "ddd")
    expect(page.locator(".msg.user")).to_have_text(["ddd"])
