"""What draws a visitor to the closed launcher (the nudges chunk, widget/src/nudges/): the
greeting after its delay, remembered per visitor once dismissed or once the panel opened, set
on the script tag or by the server; the unread badge counting the answers that finished while
the panel was closed. Chromium, host pages on another origin."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.waiting import wait_until

from .conftest import Backend, HostServer
from .helpers import Gate, finished_answer, open_chat, send, storage_key
from .test_customization import serious_violations

pytestmark = pytest.mark.e2e

Backends = Callable[..., Backend]


def nudges_started(page: Page) -> None:
    """The nudges chunk has set itself up on this page: its live region (the badge's count) is
    there. After this, a greeting it armed is in the page (hidden until its delay)."""
    expect(page.locator("[role=status].unread")).to_have_count(1)


def test_the_greeting_appears_after_its_delay_and_never_again_once_dismissed(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = backends("yes_man")
    # The page's clock is Playwright's, so a minute's delay passes when the test says so: the
    # greeting is certainly not due right after load, however slow the machine.
    page.clock.install()
    url = host.add(bot.url, attrs='data-greeting="Questions? Ask us!" data-greeting-delay="60"')
    page.goto(url)
    nudges_started(page)
    greeting = page.locator(".greeting")
    expect(greeting).to_be_attached()
    expect(greeting).to_be_hidden()
    page.clock.fast_forward("00:30")
    expect(greeting).to_be_hidden()
    page.clock.fast_forward("00:31")
    expect(greeting).to_be_visible()
    expect(greeting).to_have_text("Questions? Ask us!")

    page.get_by_role("button", name="Dismiss greeting").click()
    expect(greeting).to_have_count(0)
    expect(page.get_by_role("button", name="Open chat")).to_be_focused()
    key = storage_key(bot) + ":greeting"
    assert page.evaluate("(key) => localStorage.getItem(key)", key) == "Questions? Ask us!"

    # Remembered for this visitor: not on a reload, nor in a new tab (localStorage).
    for shown in (page, page.context.new_page()):
        if shown is page:
            page.reload()
        else:
            shown.clock.install()
            shown.goto(url)
        nudges_started(shown)
        shown.clock.fast_forward("01:01")
        expect(shown.locator(".greeting")).to_have_count(0)


def test_opening_the_panel_puts_the_greeting_away_for_good(
    page: Page, host: HostServer, backends: Backends
) -> None:
    page.goto(host.add(backends("yes_man").url, attrs='data-greeting="Hello there"'))
    greeting = page.locator(".greeting")
    expect(greeting).to_be_visible()  # no delay: at once
    open_chat(page)
    expect(greeting).to_have_count(0)
    page.reload()
    nudges_started(page)
    expect(greeting).to_have_count(0)


def test_the_servers_greeting_and_the_tag_winning_over_it(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = backends("yes_man", "--greeting", "Hi from the server", "--greeting-delay", "60")
    page.clock.install()
    page.goto(host.add(bot.url))
    nudges_started(page)
    greeting = page.locator(".greeting")
    expect(greeting).to_be_hidden()
    page.clock.fast_forward("01:01")
    expect(greeting).to_have_text("Hi from the server")

    # The tag's text and delay win (the server's 60 s would still be ahead).
    page.goto(host.add(bot.url, attrs='data-greeting="Hi from the tag" data-greeting-delay="0"'))
    expect(greeting).to_have_text("Hi from the tag")
    expect(greeting).to_be_visible()


def test_the_unread_badge_counts_answers_finished_while_closed_and_clears_on_open(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = backends("ticker")
    page.goto(host.add(bot.url))
    launcher = page.locator(".launcher")
    badge = launcher.locator(".badge")

    # An answer that finishes while the panel is open leaves no badge.
    open_chat(page)
    send(page, "go")
    expect(finished_answer(page)).to_contain_text("tick 24")
    page.keyboard.press("Escape")
    expect(launcher).to_have_attribute("aria-label", "Open chat")
    expect(badge).to_have_count(0)

    # The visitor closes the panel mid-answer; the answer finishes meanwhile.
    open_chat(page)
    gate = Gate(bot)
    send(page, f"go {gate}")
    wait_until(gate.is_waiting, "the answer waits at its gate")
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    gate.open()
    expect(badge).to_have_text("1")
    expect(launcher).to_have_attribute("aria-label", "Open chat (1 unread answer)")
    expect(page.get_by_role("button", name="Open chat (1 unread answer)")).to_be_visible()
    expect(page.locator("[role=status]").filter(has_text="1 unread answer")).to_have_count(1)
    assert serious_violations(page) == []

    # It follows the visitor to the site's next page, then opening the panel clears it.
    page.reload()
    expect(badge).to_have_text("1")
    expect(page.get_by_role("dialog")).to_be_hidden()
    open_chat(page)
    expect(badge).to_have_count(0)
    expect(launcher).to_have_attribute("aria-label", "Close chat")
    page.keyboard.press("Escape")
    expect(launcher).to_have_attribute("aria-label", "Open chat")
    kept = page.evaluate("(key) => sessionStorage.getItem(key)", storage_key(bot) + ":unread")
    assert kept is None


def test_an_answer_resumed_on_the_next_page_finishing_while_closed_is_unread(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = backends("ticker")
    page.goto(host.add(bot.url, attrs='data-launcher-label="Ask us"'))
    open_chat(page)
    gate = Gate(bot)
    send(page, f"go {gate}")
    wait_until(gate.is_waiting, "the answer waits at its gate")
    page.keyboard.press("Escape")
    # The next page reads on where this one left, the panel closed.
    page.reload()
    expect(page.locator(".msg.user")).to_have_count(1)
    expect(page.get_by_role("dialog")).to_be_hidden()
    gate.open()
    badge = page.locator(".launcher .badge")
    expect(badge).to_have_text("1")
    # With a visible label, the name still starts with it (WCAG 2.5.3, label in name).
    expect(page.locator(".launcher")).to_have_attribute(
        "aria-label", "Ask us: Open chat (1 unread answer)"
    )
    dialog = open_chat(page)
    expect(dialog.locator(".msg.bot").last).to_contain_text("tick 24")
    expect(badge).to_have_count(0)
