"""Page context through the widget in Chromium (tests/e2e/apps/page_echo.py), the host page on
another origin: the chat function reads the page's URL, title, language and referrer and the
values set by ``data-context`` and ``chatbubble('context', ...)`` (before and after the widget
loads); ``data-page-context="off"`` sends none of it."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from .conftest import Backend, HostServer
from .helpers import finished_answer, open_chat, send

pytestmark = pytest.mark.e2e

STUB = (
    "<script>window.chatbubble=window.chatbubble||function(){"
    "(chatbubble.q=chatbubble.q||[]).push(arguments)};"
    "chatbubble('context', {seats: 3});</script>"
)


def test_the_function_sees_the_page_and_its_values(
    page: Page, host: HostServer, backends: Callable[..., Backend]
) -> None:
    bot = backends("page_echo")
    url = host.add(bot.url, head=STUB, attrs='data-context=\'{"plan": "pro"}\'')
    start = host.add(bot.url, body=f'<a href="{url}?q=1#top">Help</a>')
    page.goto(start)
    page.get_by_role("link", name="Help").click()
    page.wait_for_url(url + "?q=1#top")
    open_chat(page)
    with page.expect_request(lambda r: r.url.endswith("/api/chat")) as sent:
        send(page, "where am I?")
    answer = finished_answer(page)
    expect(answer).to_contain_text(f"url {url}?q=1 | page.url [{url}?q=1] |")
    expect(answer).to_contain_text("title [Host page] | lang [en] |")
    expect(answer).to_contain_text(f"referrer [{start}] |")
    expect(answer).to_contain_text("plan [pro] | seats [3]")
    body = json.loads(sent.value.post_data or "{}")
    assert body["page"]["context"] == {"plan": "pro", "seats": 3}

    # Values set later merge over the earlier ones, for the next message; what is not an
    # object is ignored.
    page.evaluate(
        "chatbubble('context', {plan: 'team'}); chatbubble('context'); "
        "chatbubble.context('x'); chatbubble('context', [1]); document.title = 'Checkout'"
    )
    send(page, "and now?")
    second = page.locator(".msg.bot").nth(1)
    expect(second).to_contain_text("title [Checkout]")
    expect(second).to_contain_text("plan [team] | seats [3]")


def test_page_context_off_sends_none_of_it(
    page: Page, host: HostServer, backends: Callable[..., Backend]
) -> None:
    bot = backends("page_echo")
    url = host.add(
        bot.url, head=STUB, attrs='data-page-context="off" data-context=\'{"plan": "pro"}\''
    )
    page.goto(url + "?secret=1")
    open_chat(page)
    with page.expect_request(lambda r: r.url.endswith("/api/chat")) as sent:
        send(page, "where am I?")
    answer = finished_answer(page)
    expect(answer).to_contain_text(f"url {bot.url}/api/chat | page.url [] | title [] | lang [] |")
    expect(answer).to_contain_text("referrer [] | plan [None] | seats [None]")
    body = json.loads(sent.value.post_data or "{}")
    assert "page" not in body and "secret" not in (sent.value.post_data or "")


def test_bad_data_context_is_ignored_with_a_warning(
    page: Page, host: HostServer, backends: Callable[..., Backend]
) -> None:
    bot = backends("page_echo")
    url = host.add(bot.url, attrs="data-context='{plan: pro}'")
    warnings: list[str] = []
    page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
    page.goto(url)
    open_chat(page)
    send(page, "hi")
    expect(finished_answer(page)).to_contain_text("plan [None]")
    assert any("data-context" in text for text in warnings), warnings


def test_too_large_a_context_is_a_readable_error_in_the_bubble(
    page: Page, host: HostServer, backends: Callable[..., Backend]
) -> None:
    bot = backends("page_echo")
    page.goto(host.add(bot.url))
    open_chat(page)  # the widget has loaded
    page.evaluate("chatbubble('context', {blob: 'x'.repeat(5000)})")
    send(page, "hi")
    expect(page.locator(".msg.bot").last).to_contain_text("'page.context' is too large")
