"""Where the chat sits (``data-mode``): inside a page element (``inline`` with ``data-target``,
several per page, each its own conversation), over the whole viewport (``fullscreen``), and the
bubble's Expand button; ``chatbubble.mount`` adds an inline chat from the page's script. Each
mode passes axe with no serious violation."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from .conftest import Backend, HostServer
from .helpers import open_chat
from .test_customization import screenshot, serious_violations

pytestmark = pytest.mark.e2e
Backends = Callable[..., Backend]


def box(locator: Locator) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not shown"
    return {"x": found["x"], "y": found["y"], "width": found["width"], "height": found["height"]}


def chat_in(page: Page, element: str) -> Locator:
    """The chat region inside the page element ``element`` (a CSS selector)."""
    region = page.locator(f"{element} chatbubble-widget").get_by_role("region", name="Echo bot")
    expect(region).to_be_visible()
    return region


def say(chat: Locator, text: str) -> Locator:
    """Sends ``text`` in ``chat``; the answer once it has finished."""
    box_ = chat.get_by_role("textbox", name="Message")
    box_.fill(text)
    box_.press("Enter")
    answer = chat.locator(".msg.bot").last
    expect(answer).to_contain_text(f"You said: {text}")
    expect(answer).to_have_attribute("aria-busy", "false")
    return answer


def within(inner: dict[str, float], outer: dict[str, float]) -> bool:
    return (
        inner["x"] >= outer["x"] - 0.5
        and inner["y"] >= outer["y"] - 0.5
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 0.5
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 0.5
    )


def test_inline_fills_its_element_without_a_launcher(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = backends("echo")
    body = (
        "<h1>Help centre</h1><p>Ask below.</p>"
        '<div id="help" style="width: 520px; height: 480px; margin: 20px"></div>'
        "<p>Footer text</p>"
    )
    page.goto(host.add(bot.url, body=body, attrs='data-mode="inline" data-target="#help"'))
    chat = chat_in(page, "#help")
    # No launcher, no close, no expand: the chat is part of the page.
    expect(page.get_by_role("button", name="Open chat")).to_have_count(0)
    expect(chat.get_by_role("button", name="Close chat")).to_be_hidden()
    expect(chat.get_by_role("button", name="Expand chat")).to_be_hidden()
    expect(page.get_by_role("dialog")).to_have_count(0)
    # Sized by the element.
    element, panel = box(page.locator("#help")), box(chat)
    assert within(panel, element), (panel, element)
    assert panel["width"] > element["width"] - 2 and panel["height"] > element["height"] - 2
    # It does not take the focus from the page.
    assert page.evaluate("document.activeElement === document.body")
    say(chat, "hello inline")
    screenshot(page, "inline")
    # Escape does not close it; the JS API's close neither.
    chat.get_by_role("textbox", name="Message").press("Escape")
    page.evaluate("chatbubble.close()")
    expect(chat).to_be_visible()
    assert serious_violations(page) == []


def test_an_element_without_height_gets_a_usable_chat(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = backends("echo")
    page.goto(
        host.add(
            bot.url, body='<div id="chat"></div>', attrs='data-mode="inline" data-target="#chat"'
        )
    )
    chat = chat_in(page, "#chat")
    assert box(chat)["height"] >= 359
    say(chat, "tall enough")


def test_two_inline_chats_on_one_page_are_independent(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = backends("echo")
    body = (
        '<div style="display: flex; gap: 16px">'
        '<div id="sales" style="flex: 1; height: 460px"></div>'
        '<div id="support" style="flex: 1; height: 460px"></div></div>'
        f'<script src="{bot.url}/widget.js" async data-mode="inline" '
        'data-target="#support"></script>'
    )
    url = host.add(bot.url, body=body, attrs='data-mode="inline" data-target="#sales"')
    page.goto(url)
    sales, support = chat_in(page, "#sales"), chat_in(page, "#support")
    say(sales, "apples")
    # The second chat's first answer says it got no history: it is another conversation.
    expect(say(support, "pears")).to_contain_text("0 earlier: none")
    expect(say(sales, "more apples")).to_contain_text("2 earlier")
    expect(sales.locator(".msg.user")).to_have_text(["apples", "more apples"])
    expect(support.locator(".msg.user")).to_have_text(["pears"])

    # Each keeps its own conversation across a reload.
    page.reload()
    sales, support = chat_in(page, "#sales"), chat_in(page, "#support")
    expect(sales.locator(".msg.user")).to_have_text(["apples", "more apples"])
    expect(support.locator(".msg.user")).to_have_text(["pears"])
    assert serious_violations(page) == []


def test_mount_adds_an_inline_chat_from_the_page_script(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = backends("echo")
    body = (
        '<main><p>A single-page app</p><section id="pane" style="height: 420px"></section></main>'
    )
    page.goto(host.add(bot.url, body=body))
    expect(page.get_by_role("button", name="Open chat")).to_be_visible()
    # The page mounts a chat into its pane and drives it through the API mount resolves to.
    page.evaluate(
        """async () => {
        window.pane = await chatbubble.mount("#pane", {theme: "dark"});
        window.pane.send("from the script");
    }"""
    )
    chat = chat_in(page, "#pane")
    answer = chat.locator(".msg.bot").last
    expect(answer).to_contain_text("You said: from the script")
    expect(answer).to_have_attribute("aria-busy", "false")
    # The options are the script tag's data-* settings: this one is dark.
    background = chat.evaluate("(panel) => getComputedStyle(panel).backgroundColor")
    assert sum(int(v) for v in re.findall(r"\d+", background)[:3]) < 3 * 80, background
    # The bubble is still the page's `chatbubble`: open() opens it, not the inline chat.
    page.evaluate("chatbubble.open()")
    expect(page.get_by_role("dialog")).to_be_visible()
    page.evaluate("chatbubble.toggle()")
    expect(page.get_by_role("dialog")).to_be_hidden()
    # A second mount into the same element is refused; unmount takes the chat away.
    refused = page.evaluate(
        """() => chatbubble.mount(document.getElementById("pane")).then(
            () => "mounted", (error) => error.message)"""
    )
    assert "already" in refused
    page.evaluate("window.pane.unmount()")
    expect(page.locator("#pane chatbubble-widget")).to_have_count(0)
    missing = page.evaluate(
        """() => chatbubble.mount("#nowhere").then(() => "mounted", (error) => error.message)"""
    )
    assert "no such element" in missing


@pytest.mark.parametrize("width,height", [(390, 844), (1280, 800)])
def test_fullscreen_fills_the_viewport(
    new_page: Callable[..., Page],
    host: HostServer,
    backends: Backends,
    width: int,
    height: int,
) -> None:
    page = new_page(viewport={"width": width, "height": height})
    bot = backends("echo")
    page.goto(host.add(bot.url, attrs='data-mode="fullscreen"'))
    chat = page.get_by_role("region", name="Echo bot")
    expect(chat).to_be_visible()
    expect(page.get_by_role("button", name="Open chat")).to_have_count(0)
    expect(chat.get_by_role("button", name="Close chat")).to_be_hidden()
    panel = box(chat)
    assert panel == {"x": 0, "y": 0, "width": width, "height": height}, panel
    say(chat, "full of it")
    assert serious_violations(page) == []


def test_expand_grows_the_panel_and_shrinks_it_back(
    new_page: Callable[..., Page], host: HostServer, backends: Backends
) -> None:
    page = new_page(viewport={"width": 1280, "height": 800})
    bot = backends("echo")
    page.goto(host.add(bot.url))
    dialog = open_chat(page)
    # The panel's opening animation scales it: measure once it has finished.
    dialog.evaluate("(panel) => Promise.all(panel.getAnimations().map((a) => a.finished))")
    expand = dialog.get_by_role("button", name="Expand chat")
    expect(expand).to_have_attribute("aria-pressed", "false")
    expand.click()
    expect(expand).to_have_attribute("aria-pressed", "true")
    big: dict[str, Any] = box(dialog)
    # Large and centred, the launcher out of its way, a close button in the header.
    assert big["width"] >= 900 and big["height"] >= 700, big
    assert abs((big["x"] + big["width"] / 2) - 640) <= 1, big
    expect(page.get_by_role("button", name="Close chat", exact=True)).to_have_count(1)
    expect(dialog.get_by_role("button", name="Close chat")).to_be_visible()
    assert serious_violations(page) == []
    expand.click()
    expect(expand).to_have_attribute("aria-pressed", "false")
    # Back to the corner panel (380 × 600 px, 20 px from the right edge).
    assert box(dialog) == {"x": 1280 - 20 - 380, "y": 800 - 88 - 600, "width": 380, "height": 600}
    # Narrow screens have the whole viewport already: no Expand there.
    page.set_viewport_size({"width": 390, "height": 844})
    expect(expand).to_be_hidden()
