"""Gradio 6's Chatbot in Chromium, on a host page of another origin: the welcome
(``value``), math rendered with KaTeX (``latex_delimiters``, under a strict CSP) and reasoning
shown as a thought while it streams (``reasoning_tags``). App: tests/e2e/apps/chatbot_extras.py."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, Request, expect

from tests.waiting import wait_until

from .conftest import Backend, HostServer
from .helpers import Gate, finished_answer, open_chat, send

pytestmark = pytest.mark.e2e

Backends = Callable[..., Backend]


def test_the_welcome_shows_first_is_in_the_functions_history_and_comes_back(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = backends("chatbot_extras")
    page.goto(host.add(bot.url))
    dialog = open_chat(page)
    welcome = dialog.locator(".opening .msg.bot")
    expect(welcome).to_have_count(1)
    expect(welcome.locator("strong")).to_have_text("Welcome!")
    expect(welcome.locator(".katex")).to_have_count(1)  # its math, once KaTeX is here
    expect(dialog.get_by_text("Send a message to start the chat.")).to_have_count(0)

    send(page, "history please")
    answer = finished_answer(page)
    # As in Gradio 6.31, the function finds the welcome at the start of its history.
    expect(answer).to_contain_text("history: assistant=Welcome! Ask me about")
    send(page, "history again")
    expect(finished_answer(page)).to_contain_text("| user=history please | assistant=history:")

    # A reload keeps the conversation after the one welcome; undoing it all leaves the welcome.
    page.reload()
    expect(page.locator(".opening .msg.bot")).to_have_count(1)
    expect(page.locator(".msg.user")).to_have_count(2)
    for left in (1, 0):
        finished_answer(page).get_by_role("button", name="Undo").click()
        expect(page.locator(".msg.user")).to_have_count(left)
    expect(page.locator(".opening .msg.bot")).to_have_count(1)
    expect(page.locator(".opening .msg.bot strong")).to_have_text("Welcome!")


def test_math_renders_with_katex_under_a_strict_csp(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = backends("chatbot_extras")
    csp = (
        f"default-src 'none'; script-src {bot.url}; connect-src {bot.url}; "
        f"img-src {bot.url} data:; font-src {bot.url}"
    )
    chunks: list[Request] = []
    page.on("request", lambda r: chunks.append(r) if "/widget/math.js" in r.url else None)
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text))
    page.goto(host.add(bot.url, headers={"Content-Security-Policy": csp}))
    open_chat(page)
    send(page, "math please")
    answer = finished_answer(page)
    formula = answer.locator(".katex-display .katex")
    expect(formula).to_have_count(1)
    expect(formula.locator(".katex-html")).to_be_visible()
    # The TeX is typeset, not shown: no raw delimiters outside code, which keeps its text.
    expect(answer.locator("code")).to_have_text("$$x$$")
    text = answer.locator(".md").evaluate(
        "(e) => { const c = e.cloneNode(true); c.querySelectorAll('code, .katex-mathml')"
        ".forEach((n) => n.remove()); return c.textContent; }"
    )
    assert "$$" not in text and "\\int" not in text
    # KaTeX's inline styles arrived through CSSOM (a style attribute would be refused here),
    # and its fonts from the backend.
    heights = formula.locator(".katex-strut").evaluate_all(
        "(struts) => struts.map((s) => s.style.height)"
    )
    assert heights and all(h.endswith("em") for h in heights)
    wait_until(
        lambda: page.evaluate(
            "() => document.fonts.check('16px KaTeX_Main') && "
            "[...document.fonts].some((f) => f.family === 'KaTeX_Main' && f.status === 'loaded')"
        ),
        "KaTeX_Main is loaded from the backend",
    )
    assert len(chunks) == 1
    assert page.evaluate("window.__violations") == []
    assert not [m for m in messages if "Content Security Policy" in m]


def test_math_renders_with_dompurify_where_the_browser_has_no_sanitizer(
    page: Page, host: HostServer, backends: Backends
) -> None:
    """The math policy comes with KaTeX (math chunk) and DOMPurify's options for it with
    DOMPurify (purify chunk): in a browser without the HTML Sanitizer API both meet."""
    bot = backends("chatbot_extras")
    page.add_init_script(
        "delete Document.parseHTML; delete Element.prototype.setHTML; delete window.Sanitizer;"
    )
    loaded: list[str] = []
    page.on("request", lambda r: loaded.append(r.url.rsplit("/", 1)[-1]))
    page.goto(host.add(bot.url))
    open_chat(page)
    send(page, "math please")
    formula = finished_answer(page).locator(".katex-display .katex")
    expect(formula.locator(".katex-html")).to_be_visible()
    heights = formula.locator(".katex-strut").evaluate_all(
        "(struts) => struts.map((s) => s.style.height)"
    )
    assert heights and all(h.endswith("em") for h in heights)
    assert "purify.js" in loaded and "math.js" in loaded, loaded


def test_the_math_chunk_loads_only_for_math(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = backends("echo")
    chunks: list[Request] = []
    page.on("request", lambda r: chunks.append(r) if "/widget/math.js" in r.url else None)
    page.goto(host.add(bot.url))
    open_chat(page)
    send(page, "costs $5 and $$ unclosed")
    expect(finished_answer(page).locator(".md")).to_contain_text("costs $5 and $$ unclosed")
    assert chunks == []


def test_reasoning_shows_as_a_thought_while_it_streams_then_the_answer(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = backends("chatbot_extras")
    gate = Gate(bot)
    page.goto(host.add(bot.url))
    open_chat(page)
    send(page, f"How many apples? {gate}")
    thought = page.locator(".step").filter(has=page.get_by_role("button", name="Reasoning"))
    expect(thought).to_have_count(1)
    expect(thought).to_have_attribute("aria-busy", "true")
    expect(thought.locator(".step-spin")).to_be_visible()
    expect(thought.locator(".step-body")).to_have_text("Counting the apples")
    wait_until(gate.is_waiting, f"the answer waits at {gate}")
    expect(page.get_by_text("<think>")).to_have_count(0)

    gate.open()
    answer = finished_answer(page)
    expect(answer).to_contain_text("There are 4 apples.")
    expect(thought).to_have_attribute("aria-busy", "false")
    expect(thought.locator(".step-spin")).to_have_count(0)
    expect(page.locator(".msg.bot", has_text="<think>")).to_have_count(0)


def test_with_save_history_every_new_chat_starts_with_the_welcome(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = backends("history_welcome_bot")
    page.goto(host.add(bot.url))
    open_chat(page)
    welcome = page.locator(".opening .msg.bot")
    expect(welcome).to_have_text("Hello, saved visitor.")
    send(page, "first")
    expect(finished_answer(page)).to_contain_text("Answer to first (1 earlier)")

    page.get_by_role("button", name="Chat history").click()
    page.get_by_role("button", name="New chat").click()
    expect(page.locator(".msg.user")).to_have_count(0)
    expect(welcome).to_have_count(1)
    expect(welcome).to_have_text("Hello, saved visitor.")
    send(page, "second")
    expect(finished_answer(page)).to_contain_text("Answer to second (1 earlier)")
    expect(welcome).to_have_count(1)
