"""Event listeners of a Blocks app around the chat (tests/e2e/apps/blocks_events.py) in Chromium on
a page of another origin: each runs its function on the server and updates the widget's layout."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from .conftest import Backend, HostServer
from .helpers import chat_posts, finished_answer, open_chat, send

pytestmark = pytest.mark.e2e

Backends = Callable[..., Backend]


def test_load_fills_a_markdown_and_a_button_greets_from_the_textbox(
    page: Page, host: HostServer, backends: Backends
) -> None:
    page.goto(host.add(backends("blocks_events").url))
    dialog = open_chat(page)
    expect(dialog.get_by_text("Ready.")).to_be_visible()  # demo.load, when the panel opened
    name = dialog.get_by_role("textbox", name="Your name")
    name.fill("Ada")
    dialog.get_by_role("button", name="Greet").click()
    expect(dialog.locator(".above strong")).to_have_text("Ada")  # markdown, rendered
    expect(dialog.get_by_text("Hello Ada!")).to_be_visible()
    expect(name).to_have_value("")  # the .then() step emptied it
    name.fill("Bo")
    name.press("Enter")  # .submit
    expect(dialog.get_by_text("Hello Bo!")).to_be_visible()


def test_gr_error_in_an_event_is_shown(page: Page, host: HostServer, backends: Backends) -> None:
    page.goto(host.add(backends("blocks_events").url))
    dialog = open_chat(page)
    expect(dialog.get_by_text("Ready.")).to_be_visible()
    name = dialog.get_by_role("textbox", name="Your name")
    name.press("Enter")  # .submit with no name (no .then chain on this one)
    expect(dialog.get_by_role("alert")).to_have_text("Type your name first.")
    name.fill("Cy")
    name.press("Enter")
    expect(dialog.get_by_text("Hello Cy!")).to_be_visible()
    expect(dialog.get_by_role("alert")).to_be_hidden()  # the next event clears it


def test_a_preset_sets_the_slider_that_the_next_chat_call_receives(
    page: Page, host: HostServer, backends: Backends
) -> None:
    page.goto(host.add(backends("blocks_events").url))
    dialog = open_chat(page)
    posts = chat_posts(page)
    dialog.get_by_role("button", name="Creative preset").click()
    section = dialog.locator("details", has_text="Additional Inputs")
    section.locator("summary").click()
    expect(section.get_by_role("slider")).to_have_value("0.9")
    send(page, "hi")
    expect(finished_answer(page)).to_contain_text("hi (temperature 0.9, 0 earlier)")
    assert json.loads(posts[-1].post_data or "{}")["inputs"] == [0.9]


def test_a_clear_button_empties_the_conversation(
    page: Page, host: HostServer, backends: Backends
) -> None:
    page.goto(host.add(backends("blocks_events").url))
    dialog = open_chat(page)
    send(page, "first")
    expect(finished_answer(page)).to_contain_text("first (temperature 0.2, 0 earlier)")
    # The chatbot as an input: the conversation so far, as Gradio 6 gives it.
    dialog.get_by_role("button", name="Summarize").click()
    summary = "2 messages, the last: first (temperature 0.2, 0 earlier)"
    expect(dialog.get_by_text(summary)).to_be_visible()
    dialog.get_by_role("button", name="Clear chat").click()
    expect(dialog.locator(".msg")).to_have_count(0)
    dialog.get_by_role("button", name="Summarize").click()
    expect(dialog.get_by_text("0 messages, the last: none")).to_be_visible()
    send(page, "again")
    expect(finished_answer(page)).to_contain_text("again (temperature 0.2, 0 earlier)")


def test_events_fill_and_read_the_chats_own_textbox(
    page: Page, host: HostServer, backends: Backends
) -> None:
    page.goto(host.add(backends("blocks_events").url))
    dialog = open_chat(page)
    dialog.get_by_role("button", name="Suggest").click()
    message = dialog.get_by_role("textbox", name="Message")
    expect(message).to_have_value("Tell me a joke")
    message.fill("my own words")
    expect(dialog.get_by_text("Draft: none")).to_be_hidden()  # built with visible=False
    dialog.get_by_role("button", name="Show draft").click()
    expect(dialog.get_by_text("Draft: my own words")).to_be_visible()


def test_a_like_fns_outputs_update_the_layout(
    page: Page, host: HostServer, backends: Backends
) -> None:
    page.goto(host.add(backends("like_outputs").url))
    open_chat(page)
    told = page.get_by_text("No feedback yet")
    expect(told).to_be_visible()
    send(page, "hi")
    answer = finished_answer(page)
    answer.get_by_role("button", name="Like", exact=True).click()
    expect(
        page.get_by_text("Feedback 1: index 3, liked True, value ['Answer to hi']")
    ).to_be_visible()
    answer.get_by_role("button", name="Dislike").click()
    # The State output counts the conversation's feedback; the index counts the welcome (as
    # the chatbot's value holds it), as in Gradio.
    expect(page.get_by_text("Feedback 2: index 3, liked False")).to_be_visible()


def test_the_welcome_answer_has_feedback_with_its_feedback_value(
    page: Page, host: HostServer, backends: Backends
) -> None:
    url = host.add(backends("like_outputs").url)
    page.goto(url)
    open_chat(page)
    welcome = page.locator(".opening .msg.bot")
    expect(welcome).to_have_count(2)
    # One answer of two messages: its buttons under the last, feedback_value's flag pressed.
    expect(welcome.first.locator(".thumb")).to_have_count(0)
    like = welcome.last.get_by_role("button", name="Like", exact=True)
    dislike = welcome.last.get_by_role("button", name="Dislike")
    expect(dislike).to_have_attribute("aria-pressed", "true")
    expect(like).to_have_attribute("aria-pressed", "false")

    with page.expect_request("**/api/feedback") as request:
        like.click()
    body = json.loads(request.value.post_data or "{}")
    assert body["welcome"] == 0 and body["flag"] == "Like" and "id" not in body
    assert body["page_url"] == url  # the page, for the console's page URL filter
    expect(
        page.get_by_text("Feedback 1: index 0, liked True, value ['Welcome!', 'Ask me anything.']")
    ).to_be_visible()
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(dislike).to_have_attribute("aria-pressed", "false")

    # The visitor's flag is kept for the conversation on the next page.
    page.goto(url)
    expect(welcome.last.get_by_role("button", name="Like", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
