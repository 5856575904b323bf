"""ChatInterface's own arguments in Chromium (tests/e2e/apps/arguments_bot.py): a text Send
button, no Stop button, no autoscroll, no focus on open, a validator's message in the bubble,
and an answer waiting for its turn under ``concurrency_limit=1`` that shows its place and the
seconds elapsed (``show_progress="full"``)."""

from __future__ import annotations

import http.client
import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.servers import read_until, stream_post
from tests.waiting import complete_lines, wait_until

from .conftest import Backend, HostServer
from .helpers import Gate, catalog, finished_answer, open_chat, send

Backends = Callable[..., Backend]


def test_chatinterface_arguments(
    new_page: Callable[..., Page], host: HostServer, backends: Backends
) -> None:
    bot = backends("arguments_bot")
    page = new_page(viewport={"width": 1280, "height": 420})
    page.goto(host.add(bot.url))
    dialog = open_chat(page)
    box = page.get_by_role("textbox", name="Message")
    # autofocus=False: opening the panel leaves the composer alone (focus stays on the launcher).
    expect(page.get_by_role("button", name="Close chat")).to_be_focused()
    expect(box).not_to_be_focused()

    # submit_btn="Ask": a text button; the validator's message shows in the answer's bubble,
    # and the chat function was never called.
    ask = dialog.get_by_role("button", name="Ask", exact=True)
    expect(ask).to_have_text("Ask")
    box.fill("bad idea")
    ask.click()
    refused = finished_answer(page)
    expect(refused.locator(".error")).to_contain_text("Please don't start with 'bad'.")
    assert not [line for line in complete_lines(bot.probe) if line.startswith("started bad")]

    # stop_btn=False: nothing to stop the answer with while it streams (held at a gate).
    gate = Gate(bot)
    padding = " ".join(f"word{i}" for i in range(60))  # a long message: the log overflows
    send(page, f"go {gate} {padding}")
    answer = page.locator(".msg.bot").last
    expect(answer).to_contain_text("line 4")
    wait_until(gate.is_waiting, "the answer did not reach its gate")
    expect(answer).to_have_attribute("aria-busy", "true")
    expect(dialog.get_by_role("button", name="Stop")).to_have_count(0)
    expect(ask).to_be_hidden()
    log = dialog.get_by_role("log")
    top = log.evaluate("(e) => e.scrollTop")

    # concurrency_limit=1: a message sent meanwhile waits its turn, and shows its place: one
    # caller (a script) waits ahead of it.
    opened: list[http.client.HTTPConnection] = []
    try:
        _, ahead = stream_post(bot.url, "/api/chat", {"message": "ahead"}, opened)
        read_until(ahead, b'"position":0')
        # The waiting visitor reads Japanese: the place in the queue and the seconds in it.
        japanese = catalog("ja")
        other = new_page(locale="ja-JP")
        other.goto(host.add(bot.url))
        open_chat(other, japanese)
        send(other, "second", japanese)
        waiting = other.locator(".msg.bot").last
        ahead_text = japanese["answer_queue_ahead.other"].replace("{count}", "1")
        expect(waiting).to_contain_text(ahead_text)  # お待ちください…（あと1件）
        seconds = japanese["steps_seconds"].replace("{seconds}", "")  # 秒
        expect(waiting.locator(".typing span")).to_have_text(re.compile(rf"^\d+{seconds}$"))
        assert "started second" not in complete_lines(bot.probe)

        gate.open()
        expect(finished_answer(page).locator(".md")).to_contain_text("line 24")
        # autoscroll=False: the list stayed where it was while the answer grew below.
        assert log.evaluate("(e) => e.scrollTop") == top
        assert log.evaluate("(e) => e.scrollHeight - e.scrollTop - e.clientHeight") > 200

        done = finished_answer(other)
        expect(done.locator(".md")).to_contain_text("line 24")
        expect(done).not_to_contain_text(japanese["answer_queue_next"][:6])
        lines = [line for line in complete_lines(bot.probe) if line.startswith("started")]
        assert lines[-2:] == ["started ahead", "started second"]  # in the order they came
    finally:
        for connection in opened:
            connection.close()
