"""What the browser tests do as a visitor would: open the bubble, send, wait for the answer."""

from __future__ import annotations

import json
import urllib.request

from playwright.sync_api import Locator, Page, Request, expect

from .conftest import Backend


def open_chat(page: Page) -> Locator:
    page.get_by_role("button", name="Open chat").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    return dialog


def send(page: Page, text: str) -> None:
    box = page.get_by_role("textbox", name="Message")
    box.fill(text)
    box.press("Enter")


def finished_answer(page: Page) -> Locator:
    """The newest answer bubble, once its stream has ended."""
    answer = page.locator(".msg.bot").last
    expect(answer).to_have_attribute("aria-busy", "false", timeout=10_000)
    return answer


def chat_posts(page: Page) -> list[Request]:
    """Every POST to /api/chat the page makes from now on."""
    posts: list[Request] = []
    page.on(
        "request",
        lambda r: posts.append(r) if r.method == "POST" and "/api/chat" in r.url else None,
    )
    return posts


def storage_key(backend: Backend) -> str:
    """The sessionStorage key of a backend's conversation: its origin and its app id."""
    with urllib.request.urlopen(f"{backend.url}/api/config", timeout=5) as response:
        app = json.load(response)["app"]
    return f"chatbubble:{backend.url}:{app}"
