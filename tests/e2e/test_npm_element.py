"""The npm package's custom element (widget/npm/element.ts, ``chatbubble-widget/element``) in a
plain page: ``<chat-bubble server=... mode="inline">`` imported as a module from dist/npm/ on the
host's origin, talking to a real backend on another. Its attributes apply, live too (a new
``locale`` re-renders the words and keeps the conversation), its events reach the page, moving it
keeps the chat, removing it takes everything away (the answer's request too), and adding it
again brings the chat back."""

from __future__ import annotations

import http.server
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, Request, expect

from tests.waiting import complete_lines, wait_until

from .conftest import ROOT, Backend, _Quiet
from .helpers import catalog

pytestmark = pytest.mark.e2e
Backends = Callable[..., Backend]

DARK_BACKGROUND = "rgb(17, 24, 39)"  # #111827, the widget's own dark palette


class ModuleHost:
    """Serves the package (``package``: built by widget/build-npm.mjs) under /npm/ as JavaScript
    modules, and pages, from localhost: another origin than the backends' 127.0.0.1, as a site
    that installed the package serves them."""

    def __init__(self, package: Path) -> None:
        self.pages: dict[str, str] = {}
        host = self

        class Handler(_Quiet):
            def do_GET(self) -> None:  # noqa: N802
                path = self.path.split("?", 1)[0]
                if path.startswith("/npm/") and path.endswith(".js"):
                    file = (package / path[5:]).resolve()
                    if file.is_relative_to(package) and file.is_file():
                        self.reply(200, file.read_bytes(), "text/javascript", {})
                        return
                if path in host.pages:
                    self.reply(200, host.pages[path].encode(), "text/html; charset=utf-8", {})
                    return
                self.reply(404, b"not found", "text/plain", {})

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]

    def add(self, body: str) -> str:
        path = f"/page{len(self.pages)}.html"
        self.pages[path] = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host page</title>'
            '<script type="module" src="/npm/element.js"></script>'
            f"</head><body><h1>A website</h1>{body}</body></html>"
        )
        return f"http://localhost:{self.port}{path}"


@pytest.fixture(scope="module", name="modules")
def _modules(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleHost]:
    package = tmp_path_factory.mktemp("npm").resolve()
    subprocess.run(
        ["node", "widget/build-npm.mjs", str(package)], cwd=ROOT, check=True, capture_output=True
    )
    host = ModuleHost(package)
    thread = threading.Thread(target=host.server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield host
    host.server.shutdown()
    host.server.server_close()
    thread.join()


# Records the element's events in the page, from before it is defined.
RECORD_EVENTS = """
window.__events = [];
for (const name of ["ready", "open", "close", "message", "error", "identify"]) {
  document.addEventListener("chatbubble-" + name, (event) => window.__events.push(
    [name, name === "ready" ? null : event.detail]));
}
"""


def say(chat: Locator, text: str, words: dict[str, str]) -> Locator:
    """Sends ``text``; the answer once it has finished."""
    box = chat.get_by_role("textbox", name=words["composer_message"])
    box.fill(text)
    box.press("Enter")
    answer = chat.locator(".msg.bot").last
    expect(answer).to_contain_text(f"You said: {text}")
    expect(answer).to_have_attribute("aria-busy", "false")
    return answer


def left_behind(page: Page) -> dict[str, int]:
    """What of a chat is still in the page: widget hosts (in the document or in a detached
    `<chat-bubble>` kept as `window.el`) and widget scripts."""
    return dict(
        page.evaluate(
            """() => ({
            hosts: document.querySelectorAll("chatbubble-widget").length
                + window.el.querySelectorAll("chatbubble-widget").length,
            scripts: Array.from(document.scripts).filter((s) => /widget\\.js/.test(s.src)).length,
        })"""
        )
    )


def test_chat_bubble_element_in_a_plain_page(
    page: Page, modules: ModuleHost, backends: Backends
) -> None:
    bot = backends("echo")
    de, es = catalog("de"), catalog("es")
    assert de["composer_message"] != es["composer_message"]
    page.add_init_script(RECORD_EVENTS)
    page.goto(
        modules.add(
            f'<div id="a"><chat-bubble server="{bot.url}" mode="inline" locale="de" theme="dark"'
            ' style="height: 480px"></chat-bubble></div><div id="b"></div>'
        )
    )
    element = page.locator("chat-bubble")
    chat = element.locator("chatbubble-widget").get_by_role("region", name="Echo bot")
    # The attributes apply: German words, the dark palette, the chat filling the element.
    expect(chat.get_by_role("textbox", name=de["composer_message"])).to_be_visible()
    expect(chat).to_have_css("background-color", DARK_BACKGROUND)
    assert element.evaluate("(el) => getComputedStyle(el).display") == "block"
    page.wait_for_function("window.__events.some(([name]) => name === 'ready')")
    assert element.evaluate("(el) => typeof el.handle.send") == "function"
    # A second copy of the module (two bundles of the package) neither throws nor redefines;
    # define(name) adds the element under another name.
    assert page.evaluate(
        """async () => {
        const first = customElements.get("chat-bubble");
        const copy = await import("/npm/element.js?copy");
        const named = copy.define("help-chat");
        return copy.define() === first && customElements.get("chat-bubble") === first
            && named !== first && customElements.get("help-chat") === named;
        }"""
    )

    answer = say(chat, "hallo", de)
    expect(answer).to_contain_text("0 earlier")
    messages = page.evaluate("window.__events.filter(([name]) => name === 'message')")
    assert [detail["role"] for _, detail in messages] == ["user", "assistant"]
    assert messages[0][1]["content"] == "hallo"
    assert "You said: **hallo**" in messages[1][1]["content"]

    # A new locale, live: the words change, the conversation stays.
    element.evaluate("(el) => el.setAttribute('locale', 'es')")
    expect(chat.get_by_role("textbox", name=es["composer_message"])).to_be_visible()
    expect(chat.get_by_role("textbox", name=de["composer_message"])).to_have_count(0)
    expect(chat.locator(".msg.user")).to_have_text(["hallo"])
    expect(chat).to_have_css("background-color", DARK_BACKGROUND)
    # Attributes with a command do not remount: the handle stays, the theme changes, the
    # token and the context (set as a property, an object) go with the next message.
    element.evaluate("(el) => { window.h = el.handle; }")
    element.evaluate(
        """(el) => { el.setAttribute('theme', 'light'); el.setAttribute('user-token', 'tok-1');
        el.context = {plan: 'pro'}; }"""
    )
    expect(chat).to_have_css("background-color", "rgb(255, 255, 255)")
    assert element.evaluate("(el) => el.handle === window.h") is True
    assert element.evaluate("(el) => el.getAttribute('context')") == '{"plan":"pro"}'

    # Moved (removed and added in one task): the same chat, still answering.
    page.evaluate(
        "() => { const el = document.querySelector('chat-bubble'); el.remove();"
        " document.getElementById('b').append(el); }"
    )
    assert (
        page.evaluate(
            "() => new Promise((done) => setTimeout(() => done("
            "document.querySelector('chat-bubble').handle === window.h)))"
        )
        is True
    )
    chat = page.locator("#b chat-bubble chatbubble-widget").get_by_role("region", name="Echo bot")
    with page.expect_request(lambda r: r.method == "POST" and "/api/chat" in r.url) as posted:
        expect(say(chat, "moved", es)).to_contain_text("2 earlier")
    assert posted.value.headers.get("x-chatbubble-user") == "tok-1"
    body = posted.value.post_data_json
    assert body is not None and body["page"]["context"] == {"plan": "pro"}

    # Removed: nothing of the chat is left. Added again: it is back, with its conversation.
    page.evaluate(
        "() => { window.el = document.querySelector('chat-bubble'); window.el.remove(); }"
    )
    wait_until(
        lambda: left_behind(page) == {"hosts": 0, "scripts": 0}, lambda: str(left_behind(page))
    )
    assert page.evaluate("window.el.handle") is None
    page.evaluate("document.body.append(window.el)")
    chat = page.locator("body > chat-bubble chatbubble-widget").get_by_role(
        "region", name="Echo bot"
    )
    expect(chat.locator(".msg.user")).to_have_text(["hallo", "moved"])
    expect(say(chat, "again", es)).to_contain_text("4 earlier")


def test_removing_the_element_ends_its_answer(
    page: Page, modules: ModuleHost, backends: Backends
) -> None:
    ticker = backends("ticker")
    page.goto(modules.add(f'<chat-bubble server="{ticker.url}" mode="inline"></chat-bubble>'))
    chat = page.locator("chat-bubble chatbubble-widget").get_by_role("region", name="Ticker")
    # Requests to the backend that started and have not ended.
    open_requests: set[Request] = set()
    page.on("request", lambda r: open_requests.add(r) if r.url.startswith(ticker.url) else None)
    page.on("requestfinished", lambda r: open_requests.discard(r))
    page.on("requestfailed", lambda r: open_requests.discard(r))
    # "hold" streams for two minutes: it is running when the element goes.
    box = chat.get_by_role("textbox", name="Message")
    closed_before = [line for line in complete_lines(ticker.probe) if line.startswith("closed")]
    box.fill("hold")
    box.press("Enter")
    expect(chat.locator(".msg.bot").last).to_contain_text("tick 1")
    assert any("/api/chat" in r.url for r in open_requests)

    page.evaluate(
        "() => { window.el = document.querySelector('chat-bubble'); window.el.remove(); }"
    )
    # The chat function was closed (the server saw the request go) long before its end.
    closed = wait_until(
        lambda: (
            [line for line in complete_lines(ticker.probe) if line.startswith("closed")][
                len(closed_before) :
            ]
            or None
        ),
        "the chat function was closed",
    )
    assert closed[0].startswith("closed after") and not closed[0].endswith("600 of 600")
    wait_until(lambda: (page.evaluate("0"), not open_requests)[1], lambda: str(open_requests))
    assert left_behind(page) == {"hosts": 0, "scripts": 0}


def test_a_bubble_element_shows_nothing_itself(
    page: Page, modules: ModuleHost, backends: Backends
) -> None:
    bot = backends("echo")
    page.goto(modules.add(f'<chat-bubble server="{bot.url}"></chat-bubble><p>After</p>'))
    # The launcher is in the page's corner, not in the element, which takes no room.
    launcher = page.locator("body > chatbubble-widget").get_by_role("button", name="Open chat")
    expect(launcher).to_be_visible()
    assert page.evaluate("document.querySelector('chat-bubble').childElementCount") == 0
    assert page.locator("chat-bubble").bounding_box() is None
    # `open` opens and closes it live, without a remount.
    page.wait_for_function("document.querySelector('chat-bubble').handle")
    page.evaluate(
        "() => { const el = document.querySelector('chat-bubble'); window.h = el.handle;"
        " el.open = true; }"
    )
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    page.evaluate("document.querySelector('chat-bubble').removeAttribute('open')")
    expect(dialog).to_be_hidden()
    assert page.evaluate("document.querySelector('chat-bubble').handle === window.h") is True
    page.evaluate("document.querySelector('chat-bubble').remove()")
    expect(page.locator("chatbubble-widget")).to_have_count(0)
