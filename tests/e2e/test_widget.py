"""The widget in Chromium, on host pages of another origin, against a real backend."""

from __future__ import annotations

import http.client
import json
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect

from tests.servers import stream_post
from tests.waiting import LIVENESS, complete_lines, wait_until

from .apps.errors_bot import REFUSAL
from .apps.fast import TOKENS
from .apps.pathological import PAIRS
from .apps.slow import WORDS
from .apps.ticker import GATE_AT, TICKS
from .apps.xss_bot import DOCUMENT
from .conftest import Backend, FakeBackend, HostServer
from .helpers import (
    Gate,
    chat_posts,
    finished_answer,
    held_route,
    install_forbidden_check,
    open_chat,
    provoke_and_check,
    send,
    settled,
)

pytestmark = pytest.mark.e2e

Backends = Callable[..., Backend]
ROOT = Path(__file__).resolve().parents[2]


def test_open_send_and_stream(page: Page, host: HostServer, backends: Backends) -> None:
    echo = backends("echo")
    page.add_init_script("window.__keysBefore = Object.getOwnPropertyNames(window);")
    page.goto(host.add(echo.url))
    launcher = page.get_by_role("button", name="Open chat")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    assert page.evaluate("document.activeElement === document.body"), "no autofocus on load"

    dialog = open_chat(page)
    expect(page.get_by_role("dialog", name="Echo bot")).to_be_visible()
    close = page.get_by_role("button", name="Close chat")
    expect(close).to_have_count(1)  # the launcher; the header's twin shows on narrow screens only
    expect(close).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("textbox", name="Message")).to_be_focused()
    # Tokens are not announced as they stream; the finished answer is, once, by a status region.
    expect(dialog.get_by_role("log")).to_have_attribute("aria-live", "off")
    expect(page.get_by_role("status")).to_have_attribute("aria-live", "polite")

    send(page, "hello")
    expect(page.locator(".msg.user")).to_have_text(["hello"])
    expect(page.get_by_role("textbox", name="Message")).to_have_value("")
    answer = finished_answer(page)
    expect(answer.locator(".md")).to_have_text("You said: hello (0 earlier: none)")
    expect(answer.locator("strong")).to_have_text("hello")

    send(page, "again")
    expect(finished_answer(page).locator(".md")).to_have_text(
        "You said: again (2 earlier: user,assistant)"
    )

    footprint = page.evaluate(
        """() => ({
        globals: Object.getOwnPropertyNames(window).filter(
            (k) => !window.__keysBefore.includes(k) && !k.startsWith("__")),
        hosts: document.querySelectorAll("chatbubble-widget").length,
        sheets: document.styleSheets.length + document.adoptedStyleSheets.length,
        head: [...document.head.children].map((e) => e.tagName).join(","),
        api: Object.keys(window.chatbubble).sort().join(","),
        })"""
    )
    assert footprint == {
        "globals": ["chatbubble"],
        "hosts": 1,
        "sheets": 0,
        "head": "META,META,TITLE,SCRIPT",
        "api": "close,context,identify,logout,mount,newChat,on,open,protocol,send,setTheme,"
        "strings,toggle,version",
    }


def test_a_panel_opened_before_the_config_focuses_as_the_config_says(
    new_page: Callable[..., Page], host: HostServer, backends: Backends
) -> None:
    """The visitor opens the panel while the config is still on its way (a slow network, a busy
    server): the focus waits for it, then follows ``autofocus`` (True: the composer takes it;
    False: it stays on the launcher), and never takes it back from where the visitor moved it."""

    def opened_early(bot: Backend) -> tuple[Page, Route]:
        page = new_page()
        held: list[Route] = []
        page.route(re.compile(re.escape(bot.url) + r"/api/config"), lambda r: held.append(r))
        page.goto(host.add(bot.url, body="<input aria-label='Search the site'>"))
        route = held_route(page, held)
        page.get_by_role("button", name="Open chat").click()
        expect(page.get_by_role("dialog")).to_be_visible()
        return page, route

    page, route = opened_early(backends("echo"))
    launcher = page.get_by_role("button", name="Close chat")
    expect(launcher).to_be_focused()  # nothing decided yet
    route.continue_()
    expect(page.get_by_role("dialog", name="Echo bot")).to_be_visible()
    expect(page.get_by_role("textbox", name="Message")).to_be_focused()

    page, route = opened_early(backends("arguments_bot"))  # autofocus=False
    route.continue_()
    expect(page.get_by_role("dialog", name="Arguments")).to_be_visible()
    expect(page.get_by_role("button", name="Close chat")).to_be_focused()

    page, route = opened_early(backends("echo"))
    search = page.get_by_role("textbox", name="Search the site")
    search.focus()
    route.continue_()
    expect(page.get_by_role("dialog", name="Echo bot")).to_be_visible()
    expect(search).to_be_focused()


def test_loading_twice_makes_one_widget(page: Page, host: HostServer, backends: Backends) -> None:
    echo = backends("echo")
    # A blocking copy in <head> runs before <body> exists, then the async one runs too.
    script = f'<script src="{echo.url}/widget.js?again"></script>'
    page.goto(host.add(echo.url, head=script))
    expect(page.get_by_role("button", name="Open chat")).to_have_count(1)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.querySelectorAll('chatbubble-widget').length") == 1


def test_public_api(page: Page, host: HostServer, backends: Backends) -> None:
    page.goto(host.add(backends("echo").url))
    expect(page.get_by_role("button", name="Open chat")).to_be_visible()
    version = json.loads((ROOT / "package.json").read_text())["version"]
    assert page.evaluate("window.chatbubble.version") == version
    page.evaluate("window.chatbubble.open()")
    expect(page.get_by_role("dialog")).to_be_visible()
    page.evaluate("window.chatbubble.toggle()")
    expect(page.get_by_role("dialog")).to_be_hidden()
    page.evaluate("window.chatbubble.toggle()")
    expect(page.get_by_role("dialog")).to_be_visible()
    page.evaluate("window.chatbubble.close()")
    expect(page.get_by_role("dialog")).to_be_hidden()


def test_enter_sends_and_shift_enter_adds_a_line(
    page: Page, host: HostServer, backends: Backends
) -> None:
    posts = chat_posts(page)
    page.goto(host.add(backends("echo").url))
    open_chat(page)
    box = page.get_by_role("textbox", name="Message")
    box.type("line one")
    box.press("Shift+Enter")
    box.type("line two")
    expect(box).to_have_value("line one\nline two")
    # Enter that confirms an IME composition belongs to the IME.
    box.dispatch_event("keydown", {"key": "Enter", "isComposing": True, "bubbles": True})
    expect(page.locator(".msg.user")).to_have_count(0)
    assert posts == []

    box.press("Enter")
    expect(page.locator(".msg.user")).to_have_text(["line one\nline two"])
    expect(finished_answer(page)).to_contain_text("You said: line one")
    assert len(posts) == 1


def test_escape_closes_and_focuses_the_launcher(
    page: Page, host: HostServer, backends: Backends
) -> None:
    page.goto(host.add(backends("echo").url))
    open_chat(page)
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    launcher = page.get_by_role("button", name="Open chat")
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")


def test_stop_keeps_the_partial_answer_and_closes_the_generator(
    page: Page, host: HostServer, backends: Backends
) -> None:
    slow = backends("slow")
    before = len(complete_lines(slow.probe))
    page.goto(host.add(slow.url))
    expect(open_chat(page)).to_have_accessible_name("Chat")  # the app has no title
    send(page, "talk slowly")
    answer = page.locator(".msg.bot").last
    expect(answer).to_contain_text("word3")
    expect(page.get_by_role("button", name="Send")).to_have_count(0)

    page.get_by_role("button", name="Stop").click()
    expect(page.get_by_role("button", name="Stop")).to_have_count(0)
    expect(page.get_by_role("button", name="Send")).to_be_visible()
    expect(answer.locator(".note")).to_have_text("Stopped")
    partial = answer.locator(".md").inner_text()
    assert partial.startswith("word0 word1 word2 word3")

    # The generator's finally ran, and before its natural end: it was closed, not finished.
    finished = wait_until(
        lambda: complete_lines(slow.probe)[before:], "the generator's finally did not run"
    )
    assert int(finished[0]) < WORDS, "the generator ran to its end"

    box = page.get_by_role("textbox", name="Message")
    expect(box).to_be_focused()
    send(page, "again")
    expect(page.locator(".msg.user")).to_have_count(2)
    expect(page.get_by_role("button", name="Stop")).to_be_visible()
    # The next answer streaming is the later event: nothing of the stopped one arrived before it.
    expect(page.locator(".msg.bot").last).to_contain_text("word1")
    stopped = page.locator(".msg.bot").first.locator(".md")  # `answer` is now the new one
    assert stopped.inner_text() == partial, "nothing arrives after Stop"


def test_markdown_renders_safely(page: Page, host: HostServer, backends: Backends) -> None:
    bot = backends("markdown_bot")
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(host.add(bot.url))
    open_chat(page)
    send(page, "show me")
    answer = finished_answer(page)

    expect(answer.locator("h2")).to_have_text("Results")
    expect(answer.locator("table th")).to_have_text(["tool", "requests"])
    expect(answer.locator("table td").first).to_have_text("chatbubble")
    expect(answer.locator("td[align=right]").first).to_have_text("1")
    code = answer.locator("pre > code.language-python")
    expect(code).to_contain_text("def add(a, b):\n    return a + b")

    docs = answer.get_by_role("link", name="the docs")
    expect(docs).to_have_attribute("href", "https://docs.example/guide")
    expect(docs).to_have_attribute("target", "_blank")
    expect(docs).to_have_attribute("rel", "noopener noreferrer nofollow")
    mail = answer.get_by_role("link", name="us")
    expect(mail).to_have_attribute("href", "mailto:team@example.com")

    boxes = answer.locator("input[type=checkbox]")
    expect(boxes).to_have_count(2)
    assert all(boxes.nth(i).is_disabled() for i in range(2))
    expect(boxes.first).to_be_checked()

    images = answer.locator("img")
    expect(images).to_have_count(2)
    expect(images.first).to_have_attribute("src", f"{bot.url}/logo.png")
    expect(images.nth(1)).to_have_attribute("src", re.compile(r"^data:image/png;base64,"))
    tracker = answer.get_by_role("link", name="tracker")
    expect(tracker).to_have_attribute("href", "https://attacker.example/pixel.png?d=SECRET")
    expect(tracker).to_have_attribute("rel", "noopener noreferrer nofollow")
    settled(page)  # the tracker would have been requested by now
    assert not [url for url in requested if "attacker.example" in url]


def test_xss_payloads_never_run(page: Page, host: HostServer, backends: Backends) -> None:
    bot = backends("xss_bot", "--flush-interval", "0")
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    install_forbidden_check(page)
    page.goto(host.add(bot.url))
    open_chat(page)
    # Check every intermediate render too: the payloads arrive cut at shifting offsets.
    page.evaluate(
        """(origin) => {
        const root = document.querySelector("chatbubble-widget").shadowRoot;
        const probe = document.createElement("div");
        probe.dataset.origin = origin;
        window.__seen = [];
        new MutationObserver(() => {
            probe.replaceChildren(root.querySelector("[role=log]").cloneNode(true));
            window.__seen.push(...window.__forbidden(probe));
        }).observe(root, {subtree: true, childList: true, attributes: true});
        }""",
        bot.url,
    )
    send(page, DOCUMENT)  # the visitor's own message is a payload too
    answer = finished_answer(page)
    expect(answer.locator(".error")).to_have_count(0)
    # Rendered up to late payloads (an mXSS payload legitimately swallows what follows it).
    expect(answer).to_contain_text("a1")  # a link whose javascript: href was dropped
    expect(answer.locator("a", has_text="a1")).not_to_have_attribute("href", re.compile(""))
    expect(answer.get_by_role("link", name="t1")).to_have_attribute("href", "https://ok.example/")
    expect(answer).to_contain_text("styled")
    expect(page.locator(".msg.user")).to_have_text([DOCUMENT])

    assert provoke_and_check(page, bot.url) == []
    assert page.evaluate("window.__xss") == []
    assert page.evaluate("[...new Set(window.__seen)]") == []
    assert page.evaluate("document.querySelectorAll('base, meta[http-equiv]').length") == 0
    assert not [url for url in requested if "attacker.example" in url]
    assert page.url.startswith(f"http://localhost:{host.port}/"), "no navigation"


HOSTILE_HEAD = """
<style>
  * { font-family: "Comic Sans MS", cursive !important; letter-spacing: 5px !important; }
  button, textarea { display: none !important; }
  div, p, span { color: red !important; visibility: hidden !important; }
  chatbubble-widget { display: none !important; position: static !important; }
</style>
<script>
  Array.prototype.toJSON = function () { return "broken"; };
  Array.prototype.junk = function () { return "junk"; };
  Object.prototype.polluted = "x";
  Object.prototype.method = "PUT";
  Object.prototype.headers = { "X-Evil": "1" };
  Object.prototype.body = "x";
  Object.prototype.mode = "no-cors";
  Object.prototype.integrity = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  window.define = function () { window.__amdDefineCalled = true; };
  window.define.amd = {};
</script>
"""


def test_hostile_page(page: Page, host: HostServer, backends: Backends) -> None:
    page.goto(host.add(backends("echo").url, head=HOSTILE_HEAD))
    open_chat(page)
    box = page.get_by_role("textbox", name="Message")
    expect(box).to_be_visible()
    expect(page.get_by_role("button", name="Send")).to_be_visible()

    send(page, "one")
    expect(finished_answer(page).locator(".md")).to_have_text("You said: one (0 earlier: none)")
    send(page, "two")
    answer = finished_answer(page)
    expect(answer.locator(".md")).to_have_text("You said: two (2 earlier: user,assistant)")

    style = answer.evaluate(
        "(e) => { const s = getComputedStyle(e);"
        " return [s.fontFamily, s.letterSpacing, s.visibility, s.color]; }"
    )
    assert "Comic" not in style[0] and "system-ui" in style[0]
    assert style[1:3] == ["normal", "visible"]
    assert style[3] != "rgb(255, 0, 0)"
    assert "Comic" not in box.evaluate("(e) => getComputedStyle(e).fontFamily")
    assert page.evaluate("window.__amdDefineCalled") is None


def test_strict_csp_page(page: Page, host: HostServer, backends: Backends) -> None:
    echo = backends("echo")
    csp = (
        f"default-src 'none'; script-src {echo.url}; connect-src {echo.url}; "
        f"img-src {echo.url} data:; media-src {echo.url}"
    )
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text))
    page.goto(host.add(echo.url, headers={"Content-Security-Policy": csp}))
    launcher = page.get_by_role("button", name="Open chat")
    expect(launcher).to_be_visible()
    looks = launcher.evaluate(
        "(e) => { const s = getComputedStyle(e);"
        " return [s.position, s.width, s.borderRadius, s.backgroundColor]; }"
    )
    assert looks == ["fixed", "56px", "50%", "rgb(79, 70, 229)"]

    open_chat(page)
    send(page, "under csp")
    expect(finished_answer(page).locator(".md")).to_have_text(
        "You said: under csp (0 earlier: none)"
    )
    assert page.evaluate("window.__violations") == []
    assert not [m for m in messages if "Content Security Policy" in m]


def test_chat_function_errors_show_with_retry(
    page: Page, host: HostServer, backends: Backends
) -> None:
    posts = chat_posts(page)
    page.goto(host.add(backends("errors_bot").url))
    open_chat(page)
    send(page, "please")
    answer = finished_answer(page)
    expect(answer.locator(".md")).to_have_text("Let me think")
    expect(answer.locator(".error p")).to_have_text(REFUSAL)

    answer.get_by_role("button", name="Retry").click()
    answer = finished_answer(page)
    expect(answer.locator(".error p")).to_have_text(REFUSAL)
    expect(page.locator(".msg.user")).to_have_count(1)
    expect(page.locator(".msg.bot")).to_have_count(1)
    assert [json.loads(p.post_data or "")["message"] for p in posts] == ["please", "please"]

    send(page, "crash")
    crashed = finished_answer(page)
    expect(crashed.locator(".error p")).not_to_be_empty()
    assert "internal detail" not in crashed.inner_text()
    expect(page.get_by_role("button", name="Retry")).to_have_count(1)  # only the newest


def test_refused_origin_shows_the_server_message(
    page: Page, host: HostServer, backends: Backends
) -> None:
    strict = backends("echo", "--allowed-origins", "http://some.other")
    request = urllib.request.Request(
        strict.url + "/api/config", headers={"Origin": f"http://localhost:{host.port}"}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=LIVENESS)
    expected = json.loads(refused.value.read())["error"]
    refused.value.close()

    posts = chat_posts(page)
    page.goto(host.add(strict.url))
    open_chat(page)
    send(page, "hi")
    answer = finished_answer(page)
    expect(answer.locator(".error p")).to_have_text(expected)
    expect(answer.get_by_role("button", name="Retry")).to_be_visible()
    assert posts == []


def test_server_down_then_retry(page: Page, host: HostServer, fake_backend: FakeBackend) -> None:
    page.goto(host.add(fake_backend.url))
    expect(open_chat(page)).to_have_accessible_name("Fake bot")
    fake_backend.stop()
    send(page, "hello")
    answer = finished_answer(page)
    expect(answer.locator(".error p")).to_contain_text("Can't reach the chat server")

    fake_backend.start()
    answer.get_by_role("button", name="Retry").click()
    expect(finished_answer(page).locator(".md")).to_have_text("fake: hello (0 earlier: none)")
    expect(page.locator(".msg.user")).to_have_count(1)
    expect(page.locator(".msg.bot")).to_have_count(1)


def test_cut_stream_and_bad_gateway(
    page: Page, host: HostServer, fake_backend: FakeBackend
) -> None:
    page.goto(host.add(fake_backend.url))
    open_chat(page)
    send(page, "cut")
    answer = finished_answer(page)
    expect(answer.locator(".md")).to_have_text("fake: cut (0 earlier: none)")
    expect(answer.locator(".error p")).to_have_text("The answer was interrupted.")
    expect(answer.get_by_role("button", name="Retry")).to_be_visible()

    send(page, "proxy")
    answer = finished_answer(page)
    expect(answer.locator(".error p")).to_contain_text("HTTP 502")


def test_too_long_message_is_refused_without_a_request(
    page: Page, host: HostServer, fake_backend: FakeBackend
) -> None:
    posts = chat_posts(page)
    page.goto(host.add(fake_backend.url))
    expect(open_chat(page)).to_have_accessible_name("Fake bot")
    send(page, "x" * 701)  # the fake server's limit is 700
    expect(page.get_by_role("alert")).to_have_text(
        "Your message is too long (701 characters; the limit is 700)."
    )
    expect(page.get_by_role("textbox", name="Message")).to_have_value("x" * 701)
    expect(page.locator(".msg")).to_have_count(0)
    assert posts == []

    send(page, "short")
    expect(page.get_by_role("alert")).to_be_hidden()
    expect(finished_answer(page).locator(".md")).to_have_text("fake: short (0 earlier: none)")


def test_history_is_trimmed_to_the_limits(
    page: Page, host: HostServer, fake_backend: FakeBackend
) -> None:
    posts = chat_posts(page)
    page.goto(host.add(fake_backend.url))
    open_chat(page)
    for word, seen in [("a", "none"), ("b", "a"), ("c", "a,b"), ("d", "b,c")]:
        send(page, word)
        expect(finished_answer(page)).to_contain_text(f"earlier: {seen})")
    # 4 history entries at most: the oldest exchange went first.
    history = json.loads(posts[-1].post_data or "")["history"]
    assert [entry["role"] for entry in history] == ["user", "assistant"] * 2
    assert [entry["content"] for entry in history[::2]] == ["b", "c"]

    # 3,000 bytes at most: two exchanges of 1,300-byte messages no longer fit with a third.
    for letter in "éüö":
        send(page, letter * 650)
        expect(finished_answer(page)).to_contain_text("earlier:")
    body = posts[-1].post_data or ""
    assert 2500 < len(body.encode()) <= 3000
    assert [entry["content"][:1] for entry in json.loads(body)["history"][::2]] == ["ü"]


def test_a_long_fast_answer_is_rendered_whole_as_markdown(
    page: Page, host: HostServer, backends: Backends
) -> None:
    """2,000 tokens streamed with no delay: the last render holds every word and is still
    markdown (not degraded to plain text). How long the last render takes after the last byte
    is a benchmark (benchmarks/widget_timing.py), not a test."""
    fast = backends("fast")
    page.goto(host.add(fast.url))
    open_chat(page)
    send(page, "go")
    answer = finished_answer(page)
    expect(answer).to_contain_text(f"word{TOKENS - 1}")
    words = answer.locator(".md").inner_text().split()
    assert words == [f"word{i}" for i in range(TOKENS)]
    # Still markdown: every tenth word bold, a paragraph per hundred words.
    expect(answer.locator(".md strong")).to_have_count(TOKENS // 10)
    expect(answer.locator("strong").first).to_have_text("word0")
    expect(answer.locator(".md > p")).to_have_count(TOKENS // 100)
    expect(answer.locator(".plain")).to_have_count(0)


LONG_TASKS = """
window.__longTasks = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__longTasks.push(entry.duration);
}).observe({type: "longtask", buffered: true});
"""


def longest_task(page: Page, message: str) -> float:
    """Streams the pathological answer of ``message`` pairs; returns the page's longest task
    meanwhile in ms (50, the shortest a long task can be, when there was none)."""
    page.evaluate("window.__longTasks = []")
    send(page, message)
    answer = finished_answer(page)
    if message == str(PAIRS):
        expect(answer).to_contain_text("*a*a*a")  # shown as plain text instead
    return max(page.evaluate("window.__longTasks"), default=0.0, key=float) or 50.0


def test_pathological_markdown_does_not_freeze_the_page(
    page: Page, host: HostServer, backends: Backends
) -> None:
    """The page's longest task grows at most linearly with the pathological input, not with its
    square (as parsing it as markdown would): four times the input, measured in the same run
    (the lowest of three tries each, alternated), costs less than 8 times as long, where
    quadratic work would cost 16 times."""
    page.add_init_script(LONG_TASKS)
    page.goto(host.add(backends("pathological").url))
    open_chat(page)
    small: list[float] = []
    large: list[float] = []
    for _ in range(3):
        small.append(longest_task(page, str(PAIRS // 4)))
        large.append(longest_task(page, str(PAIRS)))
    ratio = min(large) / max(min(small), 50.0)
    print(f"pathological longest tasks: {small} / {large}, ratio {ratio:.2f}")
    assert ratio < 8, f"longest tasks {small} for {PAIRS // 4} pairs, {large} for {PAIRS}"


def test_http_error_shows_the_envelope_message(
    page: Page, host: HostServer, backends: Backends
) -> None:
    small = backends("echo", "--max-body-bytes", "300")
    page.goto(host.add(small.url))
    open_chat(page)
    send(page, "é" * 200)  # 200 characters, 400 bytes of UTF-8
    answer = finished_answer(page)
    expect(answer.locator(".error p")).to_have_text(
        "The request is too large (the limit is 300 bytes)."
    )
    expect(answer.get_by_role("button", name="Retry")).to_be_visible()


# Records, during streaming, how far the message list was from its bottom after each render.
SCROLL_WATCH = """() => {
    const log = document.querySelector("chatbubble-widget").shadowRoot
        .querySelector("[role=log]");
    window.__gaps = [];
    new MutationObserver(() => {
        if (log.scrollHeight > log.clientHeight) {
            window.__gaps.push(log.scrollHeight - log.scrollTop - log.clientHeight);
        }
    }).observe(log, {subtree: true, childList: true});
}"""


def test_autoscroll_follows_unless_scrolled_up(
    new_page: Callable[..., Page], host: HostServer, backends: Backends
) -> None:
    ticker = backends("ticker_queued")
    page = new_page(viewport={"width": 1280, "height": 420})
    page.goto(host.add(ticker.url))
    dialog = open_chat(page)
    page.evaluate(SCROLL_WATCH)
    padding = " ".join(f"word{i}" for i in range(90))  # a long message: the log overflows
    # Another caller holds the chat function (concurrency_limit=1): the answer first waits its
    # turn, and the list follows its place in line as it follows the text.
    ahead_gate = Gate(ticker)
    opened: list[http.client.HTTPConnection] = []
    try:
        stream_post(ticker.url, "/api/chat", {"message": f"go {ahead_gate}"}, opened)
        wait_until(ahead_gate.is_waiting, "the other caller's answer did not reach its gate")
        send(page, f"go {padding}")
        expect(page.locator(".msg.bot").last).to_contain_text("Waiting… (next)")
        ahead_gate.open()
        finished_answer(page)
    finally:
        if not ahead_gate.path.exists():
            ahead_gate.open()
        for connection in opened:
            connection.close()
    gaps = page.evaluate("window.__gaps")
    assert len(gaps) > 5 and max(gaps) < 2, f"followed the stream to the bottom: gaps {gaps}"

    # The answer waits at its gate while the visitor scrolls up, so the rest of it surely
    # arrives after the scroll.
    gate = Gate(ticker)
    send(page, f"go {gate} {padding}")
    answer = page.locator(".msg.bot").last
    expect(answer).to_contain_text(f"tick {GATE_AT - 1}")
    box = dialog.get_by_role("log").bounding_box()
    assert box
    page.mouse.move(box["x"] + 50, box["y"] + 50)
    page.mouse.wheel(0, -3000)
    log = dialog.get_by_role("log")
    wait_until(
        lambda: log.evaluate("(e) => e.scrollHeight - e.scrollTop - e.clientHeight > 200"),
        "the wheel did not scroll the log up",
    )
    expect(answer).to_have_attribute("aria-busy", "true")  # still streaming after the scroll
    page.evaluate("window.__gaps = []")
    gate.open()
    expect(finished_answer(page).locator(".md")).to_contain_text(f"tick {TICKS - 1}")
    gaps = page.evaluate("window.__gaps")
    assert len(gaps) > 5 and min(gaps) > 200, f"left the visitor where they scrolled: gaps {gaps}"


def test_one_request_per_message(page: Page, host: HostServer, backends: Backends) -> None:
    echo = backends("echo")
    requests: list[str] = []
    page.on("request", lambda r: requests.append(f"{r.method} {r.url}"))
    page.goto(host.add(echo.url))
    open_chat(page)
    for word in ["one", "two", "three"]:
        send(page, word)
        expect(finished_answer(page)).to_contain_text(f"You said: {word}")
    page_origin = f"http://localhost:{host.port}/"
    assert [r for r in requests if page_origin not in r and echo.url not in r] == []
    to_backend = sorted(r.split("?")[0] for r in requests if echo.url in r)
    assert to_backend == [
        f"GET {echo.url}/api/config",
        f"GET {echo.url}/widget.js",
        f"GET {echo.url}/widget/extras.js",  # once, after the first answer
        f"GET {echo.url}/widget/panel.js",  # once, when the chat opens
        f"POST {echo.url}/api/chat",
        f"POST {echo.url}/api/chat",
        f"POST {echo.url}/api/chat",
    ]


def test_narrow_viewport_is_full_screen(
    new_page: Callable[..., Page], host: HostServer, backends: Backends
) -> None:
    page = new_page(viewport={"width": 375, "height": 700}, is_mobile=True, has_touch=True)
    page.goto(host.add(backends("echo").url))
    dialog = open_chat(page)
    assert dialog.bounding_box() == {"x": 0, "y": 0, "width": 375, "height": 700}
    close = page.get_by_role("button", name="Close chat")
    expect(close).to_have_count(1)
    expect(dialog.get_by_role("button", name="Close chat")).to_be_visible()
    box = page.get_by_role("textbox", name="Message")
    assert box.evaluate("(e) => getComputedStyle(e).fontSize") == "16px"

    close.click()
    expect(dialog).to_be_hidden()
    launcher = page.get_by_role("button", name="Open chat")
    expect(launcher).to_be_visible()
    expect(launcher).to_be_focused()
