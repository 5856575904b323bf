"""The AI notice, the consent question and the privacy link (the `notice`, `consent` and
`privacy_url` settings; `data-notice`, `data-consent`, `data-privacy-url`): nothing of the
visitor's reaches the server before they accept, the answer is remembered, Decline closes the
chat with the question waiting behind the launcher, and the notice heads every conversation.
Chromium, host pages on another origin."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, Request, expect

from .conftest import Backend, HostServer
from .helpers import finished_answer, open_chat, send, storage_key
from .test_customization import serious_violations

pytestmark = pytest.mark.e2e

Backends = Callable[..., Backend]

NOTICE = "You are chatting with an **AI** assistant. Answers may be wrong."
PRIVACY = "https://example.com/privacy"
QUESTION = (
    "This chat is answered by an AI assistant. To answer, your messages are sent to our "
    "server. Do you agree?"
)


def consenting_echo(backends: Backends) -> Backend:
    return backends("echo", "--consent", "true", "--notice", NOTICE, "--privacy-url", PRIVACY)


def visitor_posts(page: Page, backend: Backend) -> list[Request]:
    """Every request the page makes to the backend other than reading its widget and config."""
    seen: list[Request] = []

    def note(request: Request) -> None:
        if request.url.startswith(backend.url) and "/api/config" not in request.url:
            if request.method != "GET" or "/api/" in request.url:
                seen.append(request)

    page.on("request", note)
    return seen


def test_nothing_reaches_the_chat_before_the_visitor_accepts(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = consenting_echo(backends)
    posts = visitor_posts(page, bot)
    page.goto(host.add(bot.url))
    dialog = open_chat(page)
    question = page.get_by_role("region", name="Before you chat")
    expect(question).to_be_visible()
    expect(question).to_contain_text(QUESTION)
    accept = question.get_by_role("button", name="Accept")
    expect(accept).to_be_focused()
    link = question.get_by_role("link", name="Privacy policy")
    expect(link).to_have_attribute("href", PRIVACY)
    expect(link).to_have_attribute("target", "_blank")
    assert "noopener" in (link.get_attribute("rel") or "")
    # The conversation and the composer wait behind the question.
    expect(page.get_by_role("textbox", name="Message")).to_be_hidden()
    assert serious_violations(page) == []

    # The page's API cannot go round it: the message waits in the composer.
    page.evaluate("chatbubble('send', 'Sent by the page')")
    expect(question).to_be_visible()
    assert page.locator(".msg.user").count() == 0
    assert posts == []

    # By keyboard: Enter on the focused Accept.
    page.keyboard.press("Enter")
    expect(question).to_have_count(0)
    box = page.get_by_role("textbox", name="Message")
    expect(box).to_be_focused()
    expect(box).to_have_value("Sent by the page")
    assert posts == []
    send(page, "hello")
    expect(finished_answer(page)).to_contain_text("You said: hello")
    assert [request.url.rsplit("/", 1)[-1] for request in posts] == ["chat"]
    key = storage_key(bot) + ":consent"
    assert page.evaluate("(key) => localStorage.getItem(key)", key) == "1"

    # Remembered: a reload (and a new tab) does not ask again.
    for shown in (page, page.context.new_page()):
        if shown is page:
            page.reload()
            expect(dialog).to_be_visible()
        else:
            shown.goto(page.url)
            open_chat(shown)
        expect(shown.get_by_role("textbox", name="Message")).to_be_visible()
        expect(shown.get_by_role("region", name="Before you chat")).to_have_count(0)


def test_decline_closes_the_chat_and_the_launcher_asks_again(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = consenting_echo(backends)
    posts = visitor_posts(page, bot)
    page.goto(host.add(bot.url))
    open_chat(page)
    page.get_by_role("button", name="Decline").click()
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(page.get_by_role("button", name="Open chat")).to_be_focused()
    key = storage_key(bot) + ":consent"
    assert page.evaluate("(key) => localStorage.getItem(key)", key) == "0"

    page.reload()
    open_chat(page)
    question = page.get_by_role("region", name="Before you chat")
    expect(question).to_be_visible()
    expect(question.get_by_role("button", name="Accept")).to_be_focused()
    assert posts == []


def test_the_notice_heads_every_conversation(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = backends("history_bot")
    page.goto(
        host.add(
            bot.url,
            attrs=f'data-notice="{NOTICE}" data-privacy-url="{PRIVACY}"',
        )
    )
    open_chat(page)
    notice = page.get_by_role("note", name="About this chat")
    expect(notice).to_be_visible()
    # Markdown through the one sanitizer, the privacy link after it.
    expect(notice.locator("strong")).to_have_text("AI")
    expect(notice.get_by_role("link", name="Privacy policy")).to_have_attribute("href", PRIVACY)
    send(page, "first")
    expect(finished_answer(page)).to_contain_text("Answer to first")
    expect(notice).to_be_visible()
    page.get_by_role("button", name="Chat history").click()
    page.get_by_role("button", name="New chat").click()
    expect(page.locator(".msg.user")).to_have_count(0)
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("You are chatting with an AI assistant.")
    page.reload()
    expect(page.get_by_role("note", name="About this chat")).to_be_visible()


def test_the_script_tag_wins(page: Page, host: HostServer, backends: Backends) -> None:
    bot = consenting_echo(backends)
    # Its own question.
    page.goto(host.add(bot.url, attrs='data-consent="May we read along?"'))
    open_chat(page)
    question = page.get_by_role("region", name="Before you chat")
    expect(question.locator("p")).to_have_text("May we read along?")
    # Off on this site: no question at all; and none of the server's notice (its privacy link
    # stays, alone).
    other = page.context.new_page()
    other.goto(host.add(bot.url, attrs='data-consent="false" data-notice=""'))
    open_chat(other)
    expect(other.get_by_role("note", name="About this chat")).to_have_text("Privacy policy")
    send(other, "no question")
    expect(finished_answer(other)).to_contain_text("You said: no question")
    expect(other.get_by_role("region", name="Before you chat")).to_have_count(0)


def test_the_blocks_load_events_wait_for_the_answer(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = backends("blocks_events", "--consent", "true")
    calls = visitor_posts(page, bot)
    page.goto(host.add(bot.url))
    dialog = open_chat(page)
    question = page.get_by_role("region", name="Before you chat")
    expect(question).to_be_visible()
    assert calls == []
    question.get_by_role("button", name="Accept").click()
    expect(dialog.get_by_text("Ready.")).to_be_visible()  # demo.load, once accepted
    assert [call.url.rsplit("/", 1)[-1] for call in calls] == ["event"]
