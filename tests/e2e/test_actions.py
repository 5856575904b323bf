"""Message actions from the extras chunk: Retry, Undo, Edit (Copy is in test_customization)."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from .conftest import Backend, HostServer
from .helpers import chat_posts, finished_answer, open_chat, send

pytestmark = pytest.mark.e2e
Backends = Callable[..., Backend]


def test_retry_reruns_the_last_turn(page: Page, host: HostServer, backends: Backends) -> None:
    page.goto(host.add(backends("echo").url))
    open_chat(page)
    send(page, "one")
    expect(finished_answer(page)).to_contain_text("You said: one")
    send(page, "two")
    expect(finished_answer(page)).to_contain_text("You said: two (2 earlier: user,assistant)")

    # Only the newest answer offers Retry and Undo.
    retry = page.get_by_role("button", name="Retry")
    expect(retry).to_have_count(1)
    expect(page.get_by_role("button", name="Undo")).to_have_count(1)
    expect(page.locator(".msg.bot").last.get_by_role("button", name="Retry")).to_be_visible()

    posts = chat_posts(page)
    retry.click()
    expect(page.locator(".msg.bot")).to_have_count(2)
    expect(finished_answer(page)).to_contain_text("You said: two (2 earlier: user,assistant)")
    assert len(posts) == 1
    body = json.loads(posts[0].post_data or "{}")
    assert body["message"] == "two" and len(body["history"]) == 2
    expect(page.locator(".msg.user")).to_have_text(["one", "two"])
    expect(page.get_by_role("button", name="Retry")).to_have_count(1)


def test_undo_removes_the_last_exchange(page: Page, host: HostServer, backends: Backends) -> None:
    url = host.add(backends("echo").url)
    page.goto(url)
    open_chat(page)
    send(page, "one")
    expect(finished_answer(page)).to_contain_text("You said: one")
    send(page, "two")
    expect(finished_answer(page)).to_contain_text("You said: two")

    box = page.get_by_role("textbox", name="Message")
    page.get_by_role("button", name="Undo").click()
    expect(page.locator(".msg.user")).to_have_text(["one"])
    expect(box).to_have_value("two")

    # The undone exchange is gone for the next page and from the next request's history.
    page.goto(url)
    expect(page.locator(".msg.user")).to_have_text(["one"])
    posts = chat_posts(page)
    send(page, "three")
    expect(finished_answer(page)).to_contain_text("You said: three (2 earlier: user,assistant)")
    assert len(json.loads(posts[0].post_data or "{}")["history"]) == 2

    page.get_by_role("button", name="Undo").click()
    page.get_by_role("button", name="Undo").click()
    expect(page.locator(".msg")).to_have_count(0)
    expect(page.get_by_text("Send a message to start the chat.")).to_be_visible()
    expect(box).to_have_value("one")


def test_edit_reruns_from_the_edited_message(
    page: Page, host: HostServer, backends: Backends
) -> None:
    page.goto(host.add(backends("editable_echo").url))
    open_chat(page)
    for text in ["alpha", "beta", "gamma"]:
        send(page, text)
        expect(finished_answer(page)).to_contain_text(f"edited echo: {text}")
    users = page.locator(".msg.user")
    expect(users).to_have_count(3)
    edits = page.get_by_role("button", name="Edit")
    expect(edits).to_have_count(3)

    # Escape cancels an edit and leaves everything as it was.
    edits.nth(1).click()
    editor = page.get_by_role("textbox", name="Edit message")
    expect(editor).to_have_value("beta")
    expect(editor).to_be_focused()
    editor.press("Escape")
    expect(editor).to_have_count(0)
    expect(page.get_by_role("dialog")).to_be_visible()
    expect(users).to_have_text(["alpha", "beta", "gamma"])
    expect(edits.nth(1)).to_be_focused()

    # Save re-runs from the edited message; later turns are dropped.
    posts = chat_posts(page)
    edits.nth(1).click()
    editor.fill("bravo")
    page.get_by_role("button", name="Save").click()
    expect(finished_answer(page).locator(".md")).to_have_text("edited echo: bravo (2 earlier)")
    expect(users).to_have_count(2)
    expect(users).to_have_text(["alpha", "bravo"])
    body = json.loads(posts[0].post_data or "{}")
    assert body["message"] == "bravo"
    assert [entry["content"] for entry in body["history"]] == [
        "alpha",
        "edited echo: alpha (0 earlier)",
    ]


def test_no_edit_button_unless_editable(page: Page, host: HostServer, backends: Backends) -> None:
    page.goto(host.add(backends("echo").url))
    open_chat(page)
    send(page, "one")
    expect(finished_answer(page).get_by_role("button", name="Undo")).to_be_visible()
    expect(page.get_by_role("button", name="Edit")).to_have_count(0)


def test_editable_all_edits_an_answer_in_place(
    page: Page, host: HostServer, backends: Backends
) -> None:
    url = host.add(backends("editable_answers").url)
    page.goto(url)
    open_chat(page)
    send(page, "one")
    expect(finished_answer(page)).to_contain_text("echo one []")
    send(page, "two")
    expect(finished_answer(page)).to_contain_text("echo two [one | echo one []]")
    answers = page.locator(".msg.bot")
    first = answers.first
    # Every message has its Edit: the visitor's and the answers.
    expect(first.get_by_role("button", name="Edit")).to_be_visible()
    expect(page.get_by_role("button", name="Edit")).to_have_count(4)
    expect(first.get_by_role("button", name="Like", exact=True)).to_be_visible()

    # Escape leaves the answer as it was.
    first.get_by_role("button", name="Edit").click()
    editor = page.get_by_role("textbox", name="Edit message")
    expect(editor).to_have_value("echo one []")
    editor.press("Escape")
    expect(first.locator(".md")).to_have_text("echo one []")

    # Save replaces the answer: nothing is sent, the later turn stays.
    posts = chat_posts(page)
    first.get_by_role("button", name="Edit").click()
    editor.fill("a better answer")
    first.get_by_role("button", name="Save").click()
    expect(first.locator(".md")).to_have_text("a better answer")
    expect(answers).to_have_count(2)
    expect(page.locator(".msg.user")).to_have_text(["one", "two"])
    # The server signed these answers with the old text: their feedback buttons are gone.
    expect(page.locator(".msg.bot .thumb")).to_have_count(0)
    expect(first.get_by_role("button", name="Edit")).to_be_visible()
    assert posts == []

    # The next request sends the edited answer as history, and its answer can be flagged.
    send(page, "three")
    last = finished_answer(page)
    expect(last).to_contain_text("echo three [one | a better answer | two | echo two")
    body = json.loads(posts[0].post_data or "{}")
    assert [entry["content"] for entry in body["history"]][:2] == ["one", "a better answer"]
    with page.expect_response("**/api/feedback") as response:
        last.get_by_role("button", name="Like", exact=True).click()
    assert response.value.status == 200
    expect(last.get_by_role("button", name="Like", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )

    # The edit is kept for the next page and in the saved history.
    page.goto(url)
    expect(page.locator(".msg.bot .md").first).to_have_text("a better answer")
    saved = page.evaluate(
        "() => Object.keys(localStorage).filter(k => k.endsWith(':history'))"
        ".map(k => localStorage.getItem(k)).join('')"
    )
    assert '["one","a better answer","done"' in saved
