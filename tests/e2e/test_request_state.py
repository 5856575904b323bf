"""``gr.Request`` and ``gr.State`` through the widget in Chromium (tests/e2e/apps/request_echo.py):
the chat function sees the URL of the host page (another origin) with its query, the visitor's
address and the conversation id, and a State counts the conversation's turns; a new
conversation starts counting again."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from .conftest import Backend, HostServer
from .helpers import finished_answer, open_chat, send


def test_the_function_sees_the_page_and_counts_turns(
    page: Page, host: HostServer, backends: Callable[..., Backend]
) -> None:
    bot = backends("request_echo")
    url = host.add(bot.url)
    page.goto(url + "?campaign=spring&lang=fr#reviews")
    open_chat(page)
    send(page, "hello")
    first = finished_answer(page)
    expect(first).to_contain_text("turn 1 |")
    expect(first).to_contain_text(f"page {url}?campaign=spring&lang=fr |")
    expect(first).to_contain_text("query campaign=spring,lang=fr |")
    expect(first).to_contain_text("host 127.0.0.1 |")
    session = re.search(r"session (\S+)", first.inner_text())
    assert session and re.fullmatch(r"[\w-]{8,64}", session.group(1)), first.inner_text()

    send(page, "again")
    expect(page.locator(".msg.bot").nth(1)).to_contain_text("turn 2 |")
    second = finished_answer(page)
    expect(second).to_contain_text(f"session {session.group(1)}")

    # The conversation survives a reload (the panel reopens, the same id: the State goes on).
    page.reload()
    expect(page.locator(".msg.bot")).to_have_count(2)
    send(page, "after reload")
    expect(page.locator(".msg.bot").nth(2)).to_contain_text("turn 3 |")
