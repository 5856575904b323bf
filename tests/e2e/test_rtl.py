"""Right to left (issue 18): for an RTL locale (`data-locale`, else the browser's language) and
for `gr.Chatbot(rtl=True)` the whole widget mirrors: the launcher and the panel take the left
corner, the composer's send button sits left of the textbox, the visitor's bubbles on the left;
each message takes its own text's direction, code stays left to right. In Chromium."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import FloatRect, Locator, Page, expect

from .conftest import Backend, HostServer
from .helpers import EN, catalog, finished_answer, open_chat, send
from .test_customization import screenshot, serious_violations

pytestmark = pytest.mark.e2e

Backends = Callable[..., Backend]
WIDTH = 1280  # new_page's viewport


def box(locator: Locator) -> FloatRect:
    found = locator.bounding_box()
    assert found is not None
    return found


def root_dir(page: Page) -> Locator:
    return page.locator(".root")


def assert_mirrored(page: Page, words: dict[str, str]) -> None:
    """The root reads right to left; the launcher and the open panel sit in the left corner
    (20px in, the default offset); the send button is left of the textbox."""
    expect(root_dir(page)).to_have_attribute("dir", "rtl")
    launcher = page.get_by_role("button", name=words["launcher_open"])
    assert box(launcher)["x"] == 20
    dialog = open_chat(page, words)
    panel = box(dialog)  # its opening animation grows it from its bottom left corner
    assert panel["x"] == 20 and panel["x"] + panel["width"] < WIDTH / 2
    textbox = box(page.get_by_role("textbox", name=words["composer_message"]))
    send_button = box(page.get_by_role("button", name=words["composer_send"]))
    assert send_button["x"] + send_button["width"] <= textbox["x"]


def test_arabic_locale_mirrors_the_widget(
    page: Page, host: HostServer, backends: Backends
) -> None:
    page.goto(host.add(backends("echo").url, attrs='data-locale="ar"'))
    assert_mirrored(page, catalog("ar"))
    send(page, "مرحبا", catalog("ar"))
    finished_answer(page)
    log = box(page.locator(".log"))
    visitor = box(page.locator(".msg.user"))
    # The visitor's bubble hugs the log's left edge (16px padding), the answer its right one.
    assert visitor["x"] - log["x"] <= 20
    answer = box(page.locator(".msg.bot"))
    assert log["x"] + log["width"] - (answer["x"] + answer["width"]) <= 20
    assert answer["x"] - log["x"] > 20
    expect(page.locator(".msg.user")).to_have_css("direction", "rtl")
    screenshot(page, "panel-rtl-ar")
    assert serious_violations(page) == []


def test_data_position_wins_over_the_direction(
    page: Page, host: HostServer, backends: Backends
) -> None:
    page.goto(host.add(backends("echo").url, attrs='data-locale="ar" data-position="right"'))
    expect(root_dir(page)).to_have_attribute("dir", "rtl")
    launcher = box(page.get_by_role("button", name=catalog("ar")["launcher_open"]))
    assert launcher["x"] + launcher["width"] == WIDTH - 20


def test_hebrew_browser_and_a_mixed_answer(
    new_page: Callable[..., Page], host: HostServer, backends: Backends
) -> None:
    page = new_page(locale="he-IL")
    page.goto(host.add(backends("hebrew_answer").url))
    assert_mirrored(page, catalog("he"))
    send(page, "איך סופרים?", catalog("he"))
    answer = finished_answer(page).locator(".md")
    expect(answer.locator("pre")).to_be_visible()
    paragraph = answer.locator("p").first
    expect(paragraph).to_have_css("direction", "rtl")
    expect(paragraph).to_have_css("text-align", "start")
    # Code reads left to right inside the right-to-left answer, inline and in blocks.
    expect(answer.locator("pre")).to_have_css("direction", "ltr")
    expect(paragraph.locator("code")).to_have_css("direction", "ltr")
    expect(paragraph.locator("code")).to_have_css("unicode-bidi", "isolate")
    # The paragraph's first words are at its right edge.
    words = paragraph.evaluate(
        """(p) => {
            const range = document.createRange();
            range.setStart(p.firstChild, 0);
            range.setEnd(p.firstChild, 5);
            const r = range.getBoundingClientRect(), b = p.getBoundingClientRect();
            return {right: b.right - r.right, left: r.left - b.left};
        }"""
    )
    assert words["right"] < 2 < words["left"]
    screenshot(page, "panel-rtl-he")
    assert serious_violations(page) == []


def test_a_hebrew_answer_reads_right_to_left_in_an_english_widget(
    new_page: Callable[..., Page], host: HostServer, backends: Backends
) -> None:
    # data-locale beats the browser's language: an English widget for a Hebrew browser.
    page = new_page(locale="he-IL")
    page.goto(host.add(backends("hebrew_answer").url, attrs='data-locale="en"'))
    expect(root_dir(page)).to_have_attribute("dir", "ltr")
    launcher = box(page.get_by_role("button", name="Open chat"))
    assert launcher["x"] + launcher["width"] == WIDTH - 20
    open_chat(page)
    textbox = box(page.get_by_role("textbox", name="Message"))
    assert box(page.get_by_role("button", name="Send"))["x"] >= textbox["x"] + textbox["width"]
    send(page, "hello")
    answer = finished_answer(page).locator(".md")
    expect(answer.locator("p").first).to_have_css("direction", "rtl")
    expect(answer.locator("pre")).to_have_css("direction", "ltr")
    expect(page.locator(".msg.user")).to_have_css("direction", "ltr")


def test_chatbot_rtl_mirrors_the_whole_widget(
    page: Page, host: HostServer, backends: Backends
) -> None:
    # An English browser: Chatbot(rtl=True) alone turns the widget (from its config).
    page.goto(host.add(backends("rtl_chatbot").url))
    assert_mirrored(page, EN)
    header = box(page.locator(".header"))
    title = box(page.locator(".title"))
    assert header["x"] + header["width"] - (title["x"] + title["width"]) <= 24
    send(page, "hi")
    expect(finished_answer(page).locator(".md")).to_have_text("אמרת: hi")
    visitor = box(page.locator(".msg.user"))
    log = box(page.locator(".log"))
    assert visitor["x"] - log["x"] <= 20
    assert serious_violations(page) == []


def test_history_steps_and_viewer_mirror(page: Page, host: HostServer, backends: Backends) -> None:
    """The chunks' parts follow the root's direction: the history panel opens from the right
    edge, a closed step's chevron points left, the image viewer's Previous is on the right."""
    bot = backends("history_bot")
    page.goto(host.add(bot.url, attrs='data-locale="he"'))
    hebrew = catalog("he")
    dialog = open_chat(page, hebrew)
    send(page, "שלום", hebrew)
    finished_answer(page)
    page.get_by_role("button", name=hebrew["history_title"]).click()
    region = page.get_by_role("region", name=hebrew["history_title"])
    expect(region).to_be_visible()  # the history panel comes with a chunk
    history = box(region)
    panel = box(dialog)
    assert abs(history["x"] + history["width"] - (panel["x"] + panel["width"])) <= 1
    assert history["x"] > panel["x"] + 20

    page.goto(host.add(backends("thoughts").url, attrs='data-locale="ar"'))
    open_chat(page, catalog("ar"))
    send(page, "لماذا؟", catalog("ar"))
    finished_answer(page)
    step = page.locator(".step-head").first
    expect(step).to_have_attribute("aria-expanded", "false")
    expect(step.locator(".step-mark")).to_have_css("scale", "-1 1")

    page.goto(host.add(backends("media_bot").url, attrs='data-locale="fa"'))
    persian = catalog("fa")
    open_chat(page, persian)
    send(page, "gallery", persian)
    gallery = finished_answer(page).get_by_role("group", name=persian["media_gallery"])
    gallery.get_by_role("button").nth(1).click()
    viewer = page.get_by_role("dialog", name=persian["viewer_title"])
    previous = box(viewer.get_by_role("button", name=persian["viewer_previous"]))
    following = box(viewer.get_by_role("button", name=persian["viewer_next"]))
    assert following["x"] + following["width"] < previous["x"]


def test_the_artifact_pane_takes_the_inline_end(
    page: Page, host: HostServer, backends: Backends
) -> None:
    """Wide, the conversation sits at the inline start and the artifact pane beside it at the
    inline end: in Hebrew the conversation on the right, the pane on its left; the code in the
    pane still reads left to right."""
    hebrew = catalog("he")
    page.goto(host.add(backends("artifacts").url, attrs='data-locale="he"'))
    dialog = open_chat(page, hebrew)
    send(page, "Python please", hebrew)
    pane = dialog.get_by_role("region", name=hebrew["artifacts_code"])
    expect(pane.locator("code")).to_contain_text("def fib(n):")
    expect(page.locator(".panel")).to_have_class(re.compile(r"\bwide\b"))
    expect(pane.locator("code")).to_have_css("direction", "ltr")
    dialog.evaluate("(e) => Promise.all(e.getAnimations().map((a) => a.finished))")
    panel, log, shown = box(dialog), box(page.locator(".log")), box(pane)
    assert panel["x"] == 20  # the left corner, grown towards the right
    assert shown["x"] + shown["width"] <= log["x"]  # the pane left of the conversation
    assert abs(log["x"] + log["width"] - (panel["x"] + panel["width"])) <= 1
