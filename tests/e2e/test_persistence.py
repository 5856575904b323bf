"""The conversation and the panel's state survive navigation and reload within the tab."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from playwright.sync_api import ConsoleMessage, Page, Route, expect

from .conftest import Backend, HostServer
from .helpers import (
    chat_posts,
    finished_answer,
    held_route,
    open_chat,
    send,
    settled,
    storage_key,
)

pytestmark = pytest.mark.e2e
Backends = Callable[..., Backend]


def test_conversation_survives_navigation_and_reload(
    page: Page, host: HostServer, backends: Backends
) -> None:
    echo = backends("echo")
    first_page = host.add(echo.url)
    second_page = host.add(echo.url, body="<h1>Another page of the site</h1>")
    page.goto(first_page)
    open_chat(page)
    send(page, "first")
    expect(finished_answer(page)).to_contain_text("You said: first (0 earlier: none)")

    # Another page of the same site, same tab: the panel is open with the conversation in it.
    page.goto(second_page)
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(page.locator(".msg.user")).to_have_text(["first"])
    expect(finished_answer(page)).to_contain_text("You said: first")

    # The chat goes on, with the restored exchange as history.
    posts = chat_posts(page)
    send(page, "second")
    expect(finished_answer(page)).to_contain_text("You said: second (2 earlier: user,assistant)")
    history = json.loads(posts[0].post_data or "{}")["history"]
    assert history == [
        {"role": "user", "content": "first"},
        {"role": "assistant", "content": "You said: **first** (0 earlier: none)"},
    ]

    # A reload keeps the open panel and both exchanges; a closed panel stays closed.
    page.reload()
    expect(page.get_by_role("dialog")).to_be_visible()
    expect(page.locator(".msg.user")).to_have_text(["first", "second"])
    page.get_by_role("button", name="Close chat").first.click()
    expect(page.get_by_role("dialog")).to_be_hidden()
    panels: list[str] = []
    chunks = ("/panel.js", "/extras.js")
    page.on("request", lambda r: panels.append(r.url) if r.url.endswith(chunks) else None)
    page.reload()
    expect(page.get_by_role("button", name="Open chat")).to_be_visible()
    # The root gets its language with the config, in the step that reads the saved panel state
    # and asks for the panel when it was left open: it was not, so the panel is not even loaded
    # (nor the extras chunk, which shows the saved turns and comes only with the panel).
    expect(page.locator(".root")).to_have_attribute("lang", "en")
    settled(page)
    assert panels == []
    expect(page.locator(".panel")).to_have_count(0)
    open_chat(page)
    expect(page.locator(".msg.user")).to_have_text(["first", "second"])

    # "New chat" (the JS API) starts over, and that is what the next page sees.
    page.evaluate("chatbubble.newChat()")
    page.goto(first_page)
    expect(page.get_by_role("dialog")).to_be_visible()
    expect(page.locator(".msg")).to_have_count(0)

    # Another bot on the same site keeps its own (empty) conversation.
    page.goto(host.add(backends("yes_man").url))
    expect(page.get_by_role("button", name="Open chat")).to_be_visible()
    expect(page.locator(".root")).to_have_attribute("lang", "en")  # its config, read
    settled(page)
    expect(page.locator(".panel")).to_have_count(0)  # nothing of its own was left open
    open_chat(page)
    expect(page.locator(".header .title")).to_have_text("Yes Man")
    expect(page.locator(".msg")).to_have_count(0)


def test_stopped_and_failed_answers_are_restored(
    page: Page, host: HostServer, backends: Backends
) -> None:
    errors = backends("errors_bot")
    url = host.add(errors.url)
    page.goto(url)
    open_chat(page)
    send(page, "boom")
    failed = page.locator(".msg.bot.failed")
    expect(failed).to_have_count(1)
    message = failed.locator(".error p").inner_text()
    page.goto(host.add(errors.url))
    expect(page.locator(".msg.bot.failed .error p")).to_have_text(message)
    expect(page.get_by_role("button", name="Retry")).to_be_visible()


def test_corrupt_storage_is_discarded_with_one_warning(
    page: Page, host: HostServer, backends: Backends
) -> None:
    echo = backends("echo")
    key = storage_key(echo)
    warnings: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.text.startswith("chatbubble storage:"):
            warnings.append(message.text)

    page.on("console", on_console)
    # Before the widget's first load in this tab: a saved conversation cut in the middle.
    page.add_init_script(
        "if (!sessionStorage.getItem('corrupted')) {"
        " sessionStorage.setItem('corrupted', '1');"
        f' sessionStorage.setItem({json.dumps(key)}, \'{{"t": [["half\'); }}'
    )
    page.goto(host.add(echo.url))
    open_chat(page)
    send(page, "still works")
    expect(finished_answer(page)).to_contain_text("You said: still works (0 earlier")
    assert len(warnings) == 1, warnings
    saved = json.loads(page.evaluate("([key]) => sessionStorage.getItem(key)", [key]))
    assert saved["t"][0][:3] == [
        "still works",
        "You said: **still works** (0 earlier: none)",
        "done",
    ]


def test_saved_items_of_the_wrong_shape_are_skipped(
    page: Page, host: HostServer, backends: Backends
) -> None:
    echo = backends("echo")
    key = storage_key(echo)
    odd = {"o": True, "c": "bad id!", "t": [None, 5, ["ok", "fine", "done", None, 7], {"a": 1}]}
    page.add_init_script(
        "if (!sessionStorage.getItem('seeded')) {"
        " sessionStorage.setItem('seeded', '1');"
        f" sessionStorage.setItem({json.dumps(key)}, {json.dumps(json.dumps(odd))}); }}"
    )
    page.goto(host.add(echo.url))
    expect(page.get_by_role("dialog")).to_be_visible()
    expect(page.locator(".msg.user")).to_have_text(["ok"])
    expect(finished_answer(page).locator(".md")).to_have_text("fine")
    send(page, "next")
    expect(finished_answer(page)).to_contain_text("You said: next (2 earlier: user,assistant)")
    saved = json.loads(page.evaluate("([key]) => sessionStorage.getItem(key)", [key]))
    assert saved["c"] != "bad id!"


def test_refused_or_full_storage_never_breaks_the_widget(
    page: Page, host: HostServer, backends: Backends
) -> None:
    page.add_init_script(
        """
        Storage.prototype.getItem = () => { throw new DOMException("no", "SecurityError"); };
        Storage.prototype.setItem = () => {
          throw new DOMException("full", "QuotaExceededError");
        };
        """
    )
    echo = backends("echo")
    page.goto(host.add(echo.url))
    open_chat(page)
    send(page, "one")
    expect(finished_answer(page)).to_contain_text("You said: one (0 earlier: none)")
    send(page, "two")
    expect(finished_answer(page)).to_contain_text("You said: two (2 earlier: user,assistant)")


def saved_turns(page: Page, key: str) -> list[list[object]]:
    """The turns of the conversation saved in the tab under ``key``."""
    saved = json.loads(page.evaluate("([key]) => sessionStorage.getItem(key)", [key]))
    return list(saved["t"])


def test_the_extras_chunk_comes_with_the_panel_when_a_conversation_is_saved(
    page: Page, host: HostServer, backends: Backends
) -> None:
    echo = backends("echo")
    held: list[Route] = []
    for attrs in ("", 'data-mode="inline" data-target="#chat"'):
        # The saved turns are shown by the extras chunk: the core asks for it along with the
        # panel, so it comes without waiting for the panel first; both when the config comes
        # first (bubble: the panel left open) and when the panel is asked for before the config
        # (inline). The panel is held, so only the core can have asked.
        body = '<div id="chat" style="height: 500px"></div>'
        page.goto(host.add(echo.url, body=body, attrs=attrs))
        if not attrs:
            open_chat(page)
        send(page, "first")
        expect(finished_answer(page)).to_contain_text("You said: first (0 earlier: none)")
        held.clear()
        page.route(f"{echo.url}/widget/panel.js", lambda route: held.append(route))
        with page.expect_request(f"{echo.url}/widget/extras.js"):
            # Not until "load": the held panel's script holds it back.
            page.goto(host.add(echo.url, body=body, attrs=attrs), wait_until="commit")
        panel = held_route(page, held)
        expect(page.locator(".panel")).to_have_count(0)
        panel.continue_()
        page.unroute(f"{echo.url}/widget/panel.js")
        expect(page.locator(".msg.user")).to_have_text(["first"])
        page.evaluate("sessionStorage.clear()")


def test_a_message_sent_before_the_saved_turns_show_comes_after_them(
    page: Page, host: HostServer, backends: Backends
) -> None:
    echo = backends("echo")
    page.goto(host.add(echo.url))
    open_chat(page)
    send(page, "first")
    expect(finished_answer(page)).to_contain_text("You said: first (0 earlier: none)")

    # The next page: the saved turns wait for the extras chunk, held here.
    held: list[Route] = []
    page.route(f"{echo.url}/widget/extras.js", lambda route: held.append(route))
    page.goto(host.add(echo.url, body="<h1>Another page of the site</h1>"))
    extras = held_route(page, held)
    expect(page.get_by_role("dialog")).to_be_visible()
    box = page.get_by_role("textbox", name="Message")
    send(page, "second")
    expect(box).to_have_value("")  # sent: it waits for the saved turns, not before them
    expect(page.locator(".msg")).to_have_count(0)
    extras.continue_()
    expect(page.locator(".msg.user")).to_have_text(["first", "second"])
    expect(finished_answer(page)).to_contain_text("You said: second (2 earlier: user,assistant)")
    page.unroute(f"{echo.url}/widget/extras.js")

    # Both survive a navigation, in order.
    page.goto(host.add(echo.url))
    expect(page.locator(".msg.user")).to_have_text(["first", "second"])
    expect(finished_answer(page)).to_contain_text("You said: second (2 earlier")


def test_a_saved_conversation_survives_a_page_that_cannot_show_it(
    page: Page, host: HostServer, backends: Backends
) -> None:
    echo = backends("echo")
    key = storage_key(echo)
    page.goto(host.add(echo.url))
    open_chat(page)
    send(page, "first")
    expect(finished_answer(page)).to_contain_text("You said: first (0 earlier: none)")

    # A page where the extras chunk, which shows saved turns, cannot load: the chat still
    # answers, but this page saves nothing over the conversation it could not show.
    page.route(f"{echo.url}/widget/extras.js", lambda route: route.abort())
    page.goto(host.add(echo.url, body="<h1>Another page of the site</h1>"))
    expect(page.get_by_role("dialog")).to_be_visible()
    send(page, "second")  # sent once the chunk has failed
    expect(finished_answer(page)).to_contain_text("You said: second (0 earlier: none)")
    expect(page.locator(".msg.user")).to_have_text(["second"])
    page.get_by_role("button", name="Close chat").first.click()
    expect(page.get_by_role("dialog")).to_be_hidden()
    assert [turn[:3] for turn in saved_turns(page, key)] == [
        ["first", "You said: **first** (0 earlier: none)", "done"]
    ]

    # The next page, with the chunk working, shows it again.
    page.unroute(f"{echo.url}/widget/extras.js")
    page.goto(host.add(echo.url))
    expect(page.get_by_role("dialog")).to_be_visible()
    expect(page.locator(".msg.user")).to_have_text(["first"])
    expect(finished_answer(page)).to_contain_text("You said: first (0 earlier: none)")
