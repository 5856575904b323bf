"""Gradio 6's Chatbot options in Chromium: copy all with the watermark, feedback options and
``.like`` (also on the visitor's message), layout="panel", line breaks, custom tags shown as
text, editing a message re-runs from it, and the resize grip."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.waiting import wait_until

from .conftest import Backend, HostServer
from .helpers import click_copy, finished_answer, open_chat, send

pytestmark = pytest.mark.e2e
Backends = Callable[..., Backend]


def likes(bot: Backend, count: int) -> list[dict[str, Any]]:
    """The LikeData the app's ``.like`` fn wrote, once it wrote ``count`` of them."""

    def read() -> list[dict[str, Any]] | None:
        text = bot.probe.read_text(encoding="utf-8")
        found = json.loads(text) if text else []
        return found if len(found) >= count else None

    found = wait_until(read, lambda: f"{count} likes in {bot.probe}")
    assert len(found) == count, found
    return found


def test_chatbot_options_in_the_widget(
    new_page: Callable[..., Page], host: HostServer, backends: Backends
) -> None:
    page = new_page(permissions=["clipboard-read", "clipboard-write"])
    bot = backends("chatbot_options_bot")
    csp = f"default-src 'none'; script-src {bot.url}; connect-src {bot.url}; img-src {bot.url}"
    page.goto(host.add(bot.url, headers={"Content-Security-Policy": csp}))
    dialog = open_chat(page)
    send(page, "cats")
    answer = finished_answer(page)
    text = "First line\nsecond line <thinking>deep</thinking> about cats"

    # layout="panel": messages span the log, no bubbles.
    expect(dialog).to_have_class(re.compile(r"\bflat\b"))
    log_width = dialog.locator(".log").evaluate("(log) => log.clientWidth")
    assert answer.evaluate("(a) => a.getBoundingClientRect().width") > log_width * 0.9
    expect(answer).to_have_css("background-color", "rgba(0, 0, 0, 0)")
    # line_breaks (Gradio's default): the single newline is a line break; allow_tags: the
    # custom tag is shown as text and never becomes an element.
    expect(answer.locator(".md br")).to_have_count(1)
    expect(answer.locator(".md")).to_contain_text("<thinking>deep</thinking> about cats")
    expect(answer.locator("thinking")).to_have_count(0)

    # "Copy all": the conversation as Gradio writes it, then the watermark.
    assert click_copy(answer.get_by_role("button", name="Copy all")) == "Copied"
    assert page.evaluate("navigator.clipboard.readText()") == (
        f"user: cats\n\nassistant: {text}\n\n(written by a bot)"
    )
    # "Copy" on one message has the watermark too; "share" was not asked for.
    assert click_copy(answer.get_by_role("button", name="Copy", exact=True)) == "Copied"
    assert page.evaluate("navigator.clipboard.readText()").endswith("cats\n\n(written by a bot)")
    expect(answer.get_by_role("button", name="Share")).to_have_count(0)

    # A third feedback option, from the flag menu: the .like fn gets it as its text.
    answer.get_by_role("button", name="Flag").click()
    answer.get_by_role("menuitem", name="Wrong answer").click()
    first = likes(bot, 1)[0]
    assert first == {"index": 1, "liked": "Wrong answer", "messages": 2, "value": [text]}
    # like_user_message: thumbs under the visitor's message too.
    mine = dialog.locator(".mine")
    mine.get_by_role("button", name="Like", exact=True).click()
    expect(mine.get_by_role("button", name="Like", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    assert likes(bot, 2)[1] == {"index": 0, "liked": True, "messages": 2, "value": ["cats"]}

    # editable="user": editing the message re-runs the chat from it.
    mine.get_by_role("button", name="Edit").click()
    box = dialog.get_by_role("textbox", name="Edit message")
    box.fill("dogs")
    box.press("Enter")
    expect(page.locator(".msg.user")).to_have_text(["dogs"])
    expect(finished_answer(page).locator(".md")).to_contain_text("about dogs")
    expect(page.locator(".msg.bot")).to_have_count(1)

    # resizable: dragging the grip up and left makes the panel bigger.
    before = dialog.bounding_box()
    grip = dialog.locator(".grip")
    expect(grip).to_be_visible()
    box_of = grip.bounding_box()
    assert before is not None and box_of is not None
    x, y = box_of["x"] + 5, box_of["y"] + 5
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 60, y - 40, steps=4)
    page.mouse.up()
    after = dialog.bounding_box()
    assert after is not None
    assert after["width"] == pytest.approx(before["width"] + 60, abs=2)
    assert after["height"] == pytest.approx(before["height"] + 40, abs=2)


def test_chatbot_options_turned_off_share_and_chatbot_examples(
    new_page: Callable[..., Page], host: HostServer, backends: Backends
) -> None:
    page = new_page()
    # The browser's share sheet, where there is one: recorded instead of shown.
    page.add_init_script(
        "navigator.share = (data) => { window.__shared = data; return Promise.resolve(); };"
    )
    bot = backends("chatbot_plain_bot")
    page.goto(host.add(bot.url))
    dialog = open_chat(page)
    # Chatbot(examples=...) with display_text, as the interface has none of its own.
    dialog.get_by_role("button", name="Owls").click()
    expect(page.locator(".msg.user")).to_have_text(["Tell me about owls"])
    answer = finished_answer(page)
    text = dialog.locator(".msg.bot.part .md").first
    # line_breaks=False: the newline is not a break; allow_tags=False: the tag is gone, its
    # content stays.
    expect(text).to_have_text("First line\nsecond line deep about Tell me about owls")
    expect(text.locator("br")).to_have_count(0)
    # group_consecutive_messages=False: the text is a bubble of its own, with its own corners.
    expect(dialog).to_have_class(re.compile(r"\bapart\b"))
    expect(dialog.locator(".msg.bot.part").first).to_have_css("border-bottom-left-radius", "18px")
    # allow_file_downloads=False: the file shows its name and size, without a download link.
    expect(answer.locator(".chip")).to_contain_text("notes.txt")
    expect(dialog.get_by_role("button", name="Enlarge image: A checkerboard")).to_be_visible()
    expect(dialog.locator(".msg.bot .chip")).to_have_count(1)  # the image has none
    expect(dialog.locator("a.chip, a[download]")).to_have_count(0)
    # buttons=["share"]: no Copy; Share hands the conversation to the share sheet.
    expect(answer.get_by_role("button", name="Copy")).to_have_count(0)
    answer.get_by_role("button", name="Share").click()
    shared = page.wait_for_function("() => window.__shared").json_value()
    assert shared["text"].startswith(
        "user: Tell me about owls\n\nassistant: First line\nsecond line <thinking>"
    )
    assert "/api/files/" in shared["text"]
