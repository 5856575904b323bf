"""The chat as a full page at the backend's own ``/``: the same widget in inline mode fills the
page's element (no launcher), answers stream, the page's strict CSP lets everything the widget
needs through (no violation, no console error), and the app's ``js`` ran.

Inline mode (``data-mode="inline"``, ``data-target``) is the widget's side of this page: this
test is written against that contract."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from .conftest import Backend
from .helpers import finished_answer, send
from .test_customization import WHITE, screenshot, serious_violations

pytestmark = pytest.mark.e2e


def test_the_full_page_chat_streams_under_its_csp_and_runs_the_apps_js(
    page: Page, backends: Callable[..., Backend]
) -> None:
    bot = backends("full_page")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if _is_error(m) else None)
    response = page.goto(bot.url + "/")
    assert response is not None and response.status == 200
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "'nonce-" in policy
    expect(page).to_have_title("Full page bot")

    chat = page.locator("#chat")
    box = chat.get_by_role("textbox", name="Message")
    expect(box).to_be_visible()  # no launcher to open: the chat is the page
    expect(page.get_by_role("button", name="Open chat")).to_have_count(0)
    viewport = page.viewport_size
    size = chat.bounding_box()
    assert viewport is not None and size is not None
    assert size["height"] > viewport["height"] * 0.7  # fill_height (ChatInterface's default)

    send(page, "hello there")
    expect(finished_answer(page)).to_contain_text("Full page heard: hello there")

    expect(page.locator("body")).to_have_attribute("data-js", "ran")
    expect(page.locator('meta[name="e2e-head"]')).to_have_attribute("content", "kept")
    assert page.evaluate("window.__violations") == []
    assert errors == []
    page.get_by_role("link", name="Use via API").click()
    expect(page.get_by_role("heading", name="Use Full page bot via API")).to_be_visible()
    expect(page.locator("pre").first).to_contain_text(f'Client("{bot.url}/")')
    assert page.evaluate("window.__violations") == []


def test_the_full_page_passes_axe(
    new_page: Callable[..., Page], backends: Callable[..., Backend]
) -> None:
    # axe is injected as an inline script, which the page's own CSP refuses (as it should): this
    # browser context bypasses the policy, the page is the same.
    page = new_page(bypass_csp=True)
    page.goto(backends("full_page").url + "/")
    send(page, "accessible?")
    expect(finished_answer(page)).to_contain_text("Full page heard: accessible?")
    assert serious_violations(page) == []


def test_the_full_page_shows_the_description_and_examples_with_the_theme_and_css(
    page: Page, backends: Callable[..., Backend]
) -> None:
    """Everything Gradio's page shows of a plain ChatInterface (tests/e2e/apps/
    full_page_dressed.py), in the same widget: the title and markdown description in the
    header, the examples (one click sends one), the theme's primary colour and the app's css."""
    page.goto(backends("full_page_dressed").url + "/")
    chat = page.locator("#chat")
    expect(page).to_have_title("Dressed bot")
    header = chat.get_by_role("region", name="Dressed bot")
    expect(header).to_contain_text("Answers about orders and returns.")
    expect(header.locator("strong")).to_have_text("orders")
    # The Soft theme with an emerald primary: the composer's Send button (emerald c700).
    expect(chat.get_by_role("button", name="Send")).to_have_css(
        "background-color", "rgb(4, 120, 87)"
    )
    chat.get_by_role("button", name="Where is my order?").click()
    answer = finished_answer(page)
    expect(answer).to_contain_text("Dressed heard: Where is my order?")
    expect(answer).to_have_css("border-left-width", "3px")  # the app's css, in the shadow root
    screenshot(page, "full-page")
    assert page.evaluate("window.__violations") == []


def test_the_full_page_follows_the_visitors_dark_mode(
    new_page: Callable[..., Page], backends: Callable[..., Backend]
) -> None:
    """The page around the chat follows prefers-color-scheme, and so does the chat (live), as
    Gradio's page does."""
    page = new_page(color_scheme="dark")
    page.goto(backends("full_page").url + "/")
    dialog = page.locator("#chat").get_by_role("region").first
    expect(dialog).to_have_css("background-color", "rgb(17, 24, 39)")  # the default theme's dark
    page.emulate_media(color_scheme="light")
    expect(dialog).to_have_css("background-color", WHITE)


def _is_error(message: ConsoleMessage) -> bool:
    return message.type == "error"
