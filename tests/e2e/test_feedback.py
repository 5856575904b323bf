"""Feedback buttons (flagging_mode="manual") and the lazily loaded extras chunk."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, Route, expect

from tests.waiting import complete_lines, wait_until

from .conftest import Backend, HostServer
from .helpers import finished_answer, held_route, open_chat, send

pytestmark = pytest.mark.e2e
Backends = Callable[..., Backend]
ANON_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def flag_rows(directory: Path, count: int) -> list[dict[str, str]]:
    """The rows of ``log.csv`` once it has ``count`` complete ones (the header is checked too).

    Only newline-terminated lines are read: a row still being appended is not taken."""
    path = directory / "log.csv"

    def rows() -> list[dict[str, str]] | None:
        found = list(csv.DictReader(complete_lines(path)))
        return found if len(found) >= count else None

    found = wait_until(rows, lambda: f"{count} rows in {path}: {complete_lines(path)}")
    assert len(found) == count, found
    return found


def answered(answer: Locator) -> None:
    """Waits until the answer's feedback buttons are no longer waiting for the server."""
    expect(answer.locator(".thumb[aria-busy=true]")).to_have_count(0)


def conversation(*texts: str) -> list[dict[str, str]]:
    roles = ["user", "assistant"]
    return [{"role": roles[i % 2], "content": text} for i, text in enumerate(texts)]


def test_like_unlike_and_flag_menu_write_csv_rows(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = backends("feedback_bot")
    chunk_requests: list[str] = []
    page.on("request", lambda r: chunk_requests.append(r.url) if "/widget/" in r.url else None)
    csp = f"default-src 'none'; script-src {bot.url}; connect-src {bot.url}"
    url = host.add(bot.url, headers={"Content-Security-Policy": csp})
    page.goto(url)
    with page.expect_request(f"{bot.url}/widget/panel.js"):
        open_chat(page)  # opening loads the panel; nothing else before the first answer
    assert chunk_requests == [f"{bot.url}/widget/panel.js"]

    send(page, "hi")
    answer = finished_answer(page)
    like = answer.get_by_role("button", name="Like", exact=True)
    dislike = answer.get_by_role("button", name="Dislike")
    expect(like).to_have_attribute("aria-pressed", "false")
    expect(dislike).to_have_attribute("aria-pressed", "false")
    expect(answer.get_by_role("button", name="Copy")).to_be_visible()

    # The chunks were loaded once, inside the shadow root, and left no global behind.
    assert chunk_requests == [f"{bot.url}/widget/panel.js", f"{bot.url}/widget/extras.js"]
    assert page.evaluate(
        """() => {
          const root = document.querySelector("chatbubble-widget").shadowRoot;
          return [
            root.querySelectorAll("script").length,
            document.querySelectorAll("script[src*='extras']").length,
            Object.keys(window.chatbubble).includes("extras"),
          ];
        }"""
    ) == [2, 0, False]

    like.click()
    expect(like).to_have_attribute("aria-pressed", "true")
    first = flag_rows(bot.flags, 1)[0]
    assert json.loads(first["conversation"]) == conversation("hi", "Answer 1 to *hi*")
    assert first["index"] == "1" and first["flag"] == "Like"
    assert ANON_ID.match(first["visitor"]) and ANON_ID.match(first["conversation_id"])
    answered(answer)  # a click while the flag is on its way is ignored

    like.click()  # un-like: an empty flag
    expect(like).to_have_attribute("aria-pressed", "false")
    assert flag_rows(bot.flags, 2)[1]["flag"] == ""
    answered(answer)

    flag = answer.get_by_role("button", name="Flag")
    flag.click()
    expect(flag).to_have_attribute("aria-expanded", "true")
    spam = answer.get_by_role("menuitem", name="Spam")
    expect(spam).to_be_focused()
    page.keyboard.press("Escape")  # closes the menu, not the panel
    expect(flag).to_have_attribute("aria-expanded", "false")
    expect(flag).to_be_focused()
    expect(page.get_by_role("dialog")).to_be_visible()
    flag.click()
    spam.click()
    expect(flag).to_have_attribute("aria-expanded", "false")
    assert flag_rows(bot.flags, 3)[2]["flag"] == "Spam"
    answered(answer)

    dislike.click()
    expect(dislike).to_have_attribute("aria-pressed", "true")
    assert flag_rows(bot.flags, 4)[3]["flag"] == "Dislike"

    # A second answer: its conversation holds the first exchange as the server received it.
    send(page, "again")
    second = finished_answer(page)
    expect(second).to_contain_text("Answer 2 to again")
    second_like = second.get_by_role("button", name="Like", exact=True)
    second_like.click()
    # Pressed means kept with the conversation: the choice is saved when made, so following a
    # link before the server has answered keeps it.
    expect(second_like).to_have_attribute("aria-pressed", "true")
    row = flag_rows(bot.flags, 5)[4]
    assert json.loads(row["conversation"]) == conversation(
        "hi", "Answer 1 to *hi*", "again", "Answer 2 to *again*"
    )
    assert row["index"] == "3"

    # After navigation the restored answers still take feedback, from the same visitor and
    # conversation.
    page.goto(host.add(bot.url))
    restored = page.locator(".msg.bot").first
    # the thumbs remember what this visitor chose before navigating
    expect(restored.get_by_role("button", name="Dislike", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(
        page.locator(".msg.bot").last.get_by_role("button", name="Like", exact=True)
    ).to_have_attribute("aria-pressed", "true")
    restored.get_by_role("button", name="Like", exact=True).click()
    rows = flag_rows(bot.flags, 6)
    assert json.loads(rows[5]["conversation"]) == conversation("hi", "Answer 1 to *hi*")
    assert {r["visitor"] for r in rows} == {first["visitor"]}
    assert {r["conversation_id"] for r in rows} == {first["conversation_id"]}


def test_feedback_errors_are_shown_next_to_the_buttons(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = backends("feedback_bot")
    cors = {
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Headers": "Content-Type, X-Visitor-Key",
        "Access-Control-Allow-Methods": "POST",
    }

    def refuse(route: Route) -> None:
        if route.request.method == "OPTIONS":
            route.fulfill(status=204, headers=cors)
            return
        envelope = {
            "ok": False,
            "status": 429,
            "code": "rate_limited",
            "error": "Too many flags; try again in a minute.",
        }
        route.fulfill(status=429, headers=cors, json=envelope)

    page.goto(host.add(bot.url))
    open_chat(page)
    send(page, "hi")
    answer = finished_answer(page)
    page.route(f"{bot.url}/api/feedback", refuse)
    like = answer.get_by_role("button", name="Like", exact=True)
    like.click()
    expect(answer.get_by_role("status")).to_have_text("Too many flags; try again in a minute.")
    expect(like).to_have_attribute("aria-pressed", "false")
    answered(answer)

    page.unroute(f"{bot.url}/api/feedback")
    page.route(f"{bot.url}/api/feedback", lambda route: route.abort())
    like.click()
    expect(answer.get_by_role("status")).to_contain_text("Can't reach the chat server")
    expect(like).to_have_attribute("aria-pressed", "false")
    answered(answer)

    # A refused flag is not kept with the conversation either.
    page.reload()
    restored = finished_answer(page).get_by_role("button", name="Like", exact=True)
    expect(restored).to_have_attribute("aria-pressed", "false")


def test_a_flag_chosen_just_before_following_a_link_arrives_and_is_kept(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = backends("feedback_bot")  # shared with the tests above: their rows come first
    earlier = len(list(csv.DictReader(complete_lines(bot.flags / "log.csv"))))
    page.goto(host.add(bot.url))
    open_chat(page)
    send(page, "hi")
    like = finished_answer(page).get_by_role("button", name="Like", exact=True)
    # The flag's request is held in the browser until the visitor has left the page: it must
    # still reach the server then (keepalive), and the next page must show it chosen.
    held: list[Route] = []
    page.route(f"{bot.url}/api/feedback", lambda route: held.append(route))
    like.click()
    route = held_route(page, held)
    page.goto(host.add(bot.url, body="<h1>Another page</h1>"))
    route.continue_()
    row = flag_rows(bot.flags, earlier + 1)[-1]
    assert row["flag"] == "Like"
    assert json.loads(row["conversation"]) == conversation("hi", "Answer 1 to *hi*")
    restored = page.locator(".msg.bot").last.get_by_role("button", name="Like", exact=True)
    expect(restored).to_have_attribute("aria-pressed", "true")
