"""The React bindings in a real app: a scratch Vite + React app (tests/npm/vite_app) installs the
packed package, `vite build`s with React's development build, and is served from its own
origin; a real `backend serve` answers from another. In Chromium, under StrictMode: the app
mounts <ChatBubble mode="inline"> (or a bubble) and has one chat on the page, gets a streamed
answer (onAnswer hears it; new callbacks do not remount, new strings and context apply live),
unmounts it mid-answer (no element, listener, timer or open request of it left), mounts it
again and gets another answer; a context prop that drops a key reaches the server without it."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, Request, expect

from tests.e2e.conftest import Backend
from tests.e2e.helpers import Gate, chat_posts, finished_answer, open_chat, send
from tests.waiting import wait_until

# About 10 s with its setup (packing, installing and building the app): heavy.
pytestmark = [pytest.mark.e2e, pytest.mark.heavy]

# Before the app runs: counts the widget.js <script> elements added to the page, and keeps the
# ids of the timers that are pending (set, and neither fired nor cleared).
PROBE = """
window.__probe = { scripts: 0, timers: new Set() };
new MutationObserver((records) => {
  for (const record of records)
    for (const node of record.addedNodes)
      if (node.nodeName === "SCRIPT" && /\\/widget\\.js$/.test(node.src)) window.__probe.scripts++;
}).observe(document, { childList: true, subtree: true });
const kinds = [["setTimeout", "clearTimeout", true], ["setInterval", "clearInterval", false]];
for (const [set, clear, once] of kinds) {
  const original = window[set];
  const originalClear = window[clear];
  const pending = window.__probe.timers;
  window[set] = function (callback, ...rest) {
    let id;
    const run = typeof callback !== "function" ? callback : function (...args) {
      if (once) pending.delete(id);
      return callback.apply(this, args);
    };
    id = original.call(window, run, ...rest);
    pending.add(id);
    return id;
  };
  window[clear] = function (id) {
    pending.delete(id);
    return originalClear.call(window, id);
  };
}
"""
# The page's state that the chat must leave as it found it: elements (but the app's list of
# answers), widget.js scripts, chats, and the timers pending now that were not at the mark.
STATE = """() => ({
  elements:
    document.querySelectorAll("*").length - document.querySelectorAll("#answers li").length,
  scripts: document.querySelectorAll('script[src$="/widget.js"]').length,
  chats: document.querySelectorAll("chatbubble-widget").length,
  timers: [...window.__probe.timers].filter((id) => !window.__mark.has(id)).length,
})"""


@pytest.fixture(name="app_url")
def _app_url(built_app: Path) -> Iterator[str]:
    handler = functools.partial(_Static, directory=str(built_app))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://localhost:{server.server_address[1]}/index.html"
    server.shutdown()
    server.server_close()
    thread.join()


class _Static(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def listeners(page: Page) -> list[str]:
    """The event listeners on window, document, <html> and <body> (DevTools' own count)."""
    cdp = page.context.new_cdp_session(page)
    found: list[str] = []
    for target in ("window", "document", "document.documentElement", "document.body"):
        handle = cdp.send("Runtime.evaluate", {"expression": target})["result"]["objectId"]
        found += [
            f"{target}:{entry['type']}"
            for entry in cdp.send("DOMDebugger.getEventListeners", {"objectId": handle})[
                "listeners"
            ]
        ]
    cdp.detach()
    return sorted(found)


def open_requests(page: Page, origin: str) -> Callable[[], list[str]]:
    """The page's requests to ``origin`` that have neither finished nor failed yet."""
    open_now: dict[Request, str] = {}
    page.on("request", lambda r: open_now.update({r: r.url}) if r.url.startswith(origin) else None)

    def ended(request: Request) -> None:
        open_now.pop(request, None)

    page.on("requestfinished", ended)
    page.on("requestfailed", ended)

    def current() -> list[str]:
        page.evaluate("0")  # the sync API hands over the browser's events while it talks to it
        return sorted(open_now.values())

    return current


@pytest.mark.parametrize("mode", ["inline", "bubble"])
def test_chat_bubble_in_a_strict_mode_app_mounts_once_and_unmounts_cleanly(
    backends: Callable[..., Backend], new_page: Callable[..., Page], app_url: str, mode: str
) -> None:
    backend = backends("echo_gated")
    page = new_page()
    page.add_init_script(PROBE)
    requests = open_requests(page, backend.url)
    page.goto(f"{app_url}?server={backend.url}&mode={mode}")
    toggle = page.locator("#toggle")
    expect(toggle).to_have_text("Show the chat")
    page.evaluate("window.__mark = new Set(window.__probe.timers)")
    before = page.evaluate(STATE)
    listening = listeners(page)

    toggle.click()
    if mode == "bubble":
        open_chat(page)
    send(page, "hello")
    expect(finished_answer(page)).to_contain_text("You said: hello")
    # StrictMode runs a new component's effects twice (mount, unmount, mount): a bubble was
    # mounted, destroyed and mounted again (two widget.js loads). An inline chat's first effect
    # runs before its element exists and mounts nothing. Either way: one chat.
    # onAnswer ran (a new callback each render since); neither it nor a new `strings`, which
    # applies live, mounted the chat again.
    expect(page.locator("#answers li")).to_have_count(1)
    expect(page.locator("#answers li").first).to_contain_text("hello")
    page.locator("#live").click()
    box = page.get_by_role("textbox", name="Message")
    expect(box).to_have_attribute("placeholder", "Ask the docs…")
    assert page.evaluate("window.__appEffects") == 2
    assert page.evaluate("window.__probe.scripts") == (2 if mode == "bubble" else 1)
    assert page.evaluate(STATE)["chats"] == 1

    # Unmounted while an answer streams: its request is aborted, nothing of the chat stays.
    gate = Gate(backend)
    posts = chat_posts(page)
    send(page, f"wait {gate}")
    wait_until(gate.is_waiting, f"the answer is held at {gate}")
    body = posts[-1].post_data_json
    assert body and body["page"]["context"] == {"plan": "pro"}  # given live
    assert requests(), "the held answer's stream is open"
    toggle.click()
    expect(toggle).to_have_text("Show the chat")
    wait_until(lambda: not requests(), lambda: f"requests still open: {requests()}")
    wait_until(
        lambda: page.evaluate(STATE) == before,
        lambda: f"left after unmounting: {page.evaluate(STATE)} (before: {before})",
    )
    assert listeners(page) == listening
    gate.open()

    # Mounted again: a new chat that answers (the bubble reopens, as the visitor left it).
    toggle.click()
    if mode == "bubble":
        expect(page.get_by_role("dialog")).to_be_visible()
    send(page, "again")
    expect(finished_answer(page)).to_contain_text("You said: again")
    assert page.evaluate(STATE)["chats"] == 1
    expect(page.locator("#answers li")).to_have_count(2)

    # A context without the key it had: the chat forgets the key (setContext merges, so the
    # chat is mounted anew, keeping its conversation).
    page.evaluate("document.querySelector('chatbubble-widget').dataset.old = 'yes'")
    page.locator("#topic").click()
    page.wait_for_function(
        "() => document.querySelector('chatbubble-widget:not([data-old])') !== null"
    )
    send(page, "third")
    expect(finished_answer(page)).to_contain_text("You said: third")
    body = posts[-1].post_data_json
    assert body and body["page"]["context"] == {"topic": "billing"}
    assert page.evaluate(STATE)["chats"] == 1
