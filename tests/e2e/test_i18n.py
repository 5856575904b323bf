"""The widget's language (widget/src/i18n.ts, ui/locale.ts, widget/locales/): chosen by
`data-locale`, then the app's `locale` setting, then the browser's languages, else English; each
locale but English a chunk loaded on demand; the site's own strings over the catalog's
(`data-strings`, `chatbubble("strings", ...)`). Chromium, host pages on another origin."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, Request, expect

from .conftest import Backend, HostServer
from .helpers import catalog, chat_posts, finished_answer, send

pytestmark = pytest.mark.e2e

Backends = Callable[..., Backend]
LOCALES = Path(__file__).resolve().parents[2] / "widget" / "locales"
EN = json.loads((LOCALES / "en.json").read_text(encoding="utf-8"))
DE = json.loads((LOCALES / "de.json").read_text(encoding="utf-8"))

# Every name and text of the widget's own controls (buttons, fields, the panel's regions).
WIDGET_WORDS = """() => {
    const root = document.querySelector("chatbubble-widget").shadowRoot;
    const words = [];
    for (const node of root.querySelectorAll(
        "button, textarea, input, [role=dialog], [role=log], [role=menu], [aria-label]")) {
        for (const name of ["aria-label", "title", "placeholder"]) {
            if (node.getAttribute(name)) words.push(node.getAttribute(name));
        }
        if (node.matches("button") && node.textContent.trim()) words.push(node.textContent.trim());
    }
    return words;
}"""


def locale_requests(page: Page) -> list[Request]:
    """Every request for a locale chunk the page makes from now on."""
    seen: list[Request] = []
    page.on("request", lambda r: seen.append(r) if "/widget/locale-" in r.url else None)
    return seen


@pytest.mark.parametrize(
    "language,code", [("de-DE", "de"), ("ar-EG", "ar"), ("he-IL", "he"), ("ja-JP", "ja")]
)
def test_a_browser_in_another_language_gets_every_word_of_the_widget_in_it(
    new_page: Callable[..., Page], host: HostServer, backends: Backends, language: str, code: str
) -> None:
    words = catalog(code)
    bot = backends("feedback_bot")
    page = new_page(locale=language)
    chunks = locale_requests(page)
    posts = chat_posts(page)
    page.goto(host.add(bot.url))
    launcher = page.get_by_role("button", name=words["launcher_open"])
    launcher.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(page.locator(".root")).to_have_attribute("lang", code)
    expect(page.locator(".root")).to_have_attribute(
        "dir", "rtl" if code in ("ar", "he") else "ltr"
    )
    assert [r.url.rsplit("/", 1)[1] for r in chunks] == [f"locale-{code}.js"]

    box = page.get_by_role("textbox", name=words["composer_message"])
    expect(box).to_have_attribute("placeholder", words["composer_placeholder"])
    expect(page.get_by_role("button", name=words["composer_send"])).to_be_visible()
    expect(page.get_by_role("button", name=words["panel_close"])).to_be_visible()
    expect(page.get_by_role("button", name=words["panel_expand"])).to_be_visible()
    expect(page.get_by_role("log", name=words["panel_messages"])).to_be_attached()

    box.fill("Hallo")
    box.press("Enter")
    answer = finished_answer(page)
    expect(answer).to_contain_text("Answer 1")
    # Feedback: the answer's buttons and the flag menu.
    for key in ("action_copy", "action_like", "action_dislike", "action_flag"):
        expect(page.get_by_role("button", name=words[key]).first).to_be_visible()
    expect(page.get_by_role("button", name=words["composer_stop"])).to_be_hidden()
    # The chat request says which language the widget speaks.
    assert json.loads(posts[0].post_data or "{}")["page"]["locale"] == code
    # The conversation's menu (history, download, delete).
    page.get_by_role("button", name=words["history_menu"]).click()
    expect(page.get_by_role("button", name=words["history_download"])).to_be_visible()
    expect(page.get_by_role("button", name=words["history_delete_current"])).to_be_visible()

    # Nothing of the widget's own is left in English (words the language spells the same aside).
    english = {EN[key] for key in EN if EN[key] != words.get(key)}
    shown = page.evaluate(WIDGET_WORDS)
    assert len(shown) > 10
    assert [word for word in shown if word in english] == []


# Every word the widget shows on screen or to a screen reader: visible text nodes and the names,
# titles and placeholders of visible elements, leaving out what the conversation and the app say
# (messages, answers, saved chats' titles, the app's flag options, the live region's copy).
SHOWN_WORDS = """() => {
    const root = document.querySelector("chatbubble-widget").shadowRoot;
    const theirs = ".msg.user, .md, .hist-item, .sr-only[aria-live], .flag-menu [role=menuitem]";
    const words = [];
    const walk = document.createTreeWalker(root, 5);
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
        const element = node.nodeType === 1 ? node : node.parentElement;
        if (!element || !element.checkVisibility() || element.closest(theirs)) continue;
        if (node.nodeType === 1) {
            for (const name of ["aria-label", "title", "placeholder"]) {
                if (node.getAttribute(name)) words.push(node.getAttribute(name));
            }
        } else if (node.nodeValue.trim()) {
            words.push(node.nodeValue.trim());
        }
    }
    return words;
}"""


def from_catalog(word: str, words: dict[str, str]) -> bool:
    """``word`` is one of the catalog's texts, its placeholders filled in any way."""
    for text in words.values():
        parts = re.split(r"\{\w+\}", text)
        if re.fullmatch(".+".join(re.escape(part) for part in parts), word):
            return True
    return False


@pytest.mark.parametrize(
    "language,code", [("de-DE", "de"), ("ar-EG", "ar"), ("he-IL", "he"), ("ja-JP", "ja")]
)
def test_every_word_on_screen_of_panel_history_and_feedback_is_the_catalogs(
    new_page: Callable[..., Page], host: HostServer, backends: Backends, language: str, code: str
) -> None:
    """Not just the controls' names: the welcome line, the panel's title, the flag menu, the
    thumbs-down comment box, the history panel and its delete-all question, each compared with
    the locale's catalog, none of them English."""
    words = catalog(code)
    english = {EN[key] for key in EN if EN[key] != words.get(key)}
    bot = backends("feedback_history_bot", "--feedback-comments")
    page = new_page(locale=language)
    page.goto(host.add(bot.url))
    page.get_by_role("button", name=words["launcher_open"]).click()
    expect(page.get_by_text(words["panel_welcome"])).to_be_visible()
    seen = list(page.evaluate(SHOWN_WORDS))
    page.get_by_role("textbox", name=words["composer_message"]).fill("Hallo")
    page.get_by_role("button", name=words["composer_send"]).click()
    finished_answer(page)
    page.get_by_role("button", name=words["action_flag"]).click()
    expect(page.get_by_role("menu", name=words["action_flag"])).to_be_visible()
    seen += page.evaluate(SHOWN_WORDS)
    page.keyboard.press("Escape")
    expect(page.get_by_role("menu", name=words["action_flag"])).to_be_hidden()
    page.get_by_role("button", name=words["action_dislike"]).click()
    expect(page.get_by_text(words["feedback_comment_label"])).to_be_visible()
    seen += page.evaluate(SHOWN_WORDS)
    page.get_by_role("button", name=words["history_title"]).click()
    expect(page.get_by_role("region", name=words["history_title"])).to_be_visible()
    seen += page.evaluate(SHOWN_WORDS)
    page.get_by_role("button", name=words["history_delete_all"]).click()
    expect(page.get_by_text(words["history_delete_all_confirm"])).to_be_visible()
    seen += page.evaluate(SHOWN_WORDS)

    shown = {word for word in seen if re.search(r"[^\W\d_]", word)}  # glyphs (×, ☰) aside
    for key in (
        "panel_title", "panel_welcome", "composer_placeholder", "action_flag", "action_undo",
        "feedback_comment_label", "feedback_comment_skip", "history_new", "history_download",
        "history_delete_all", "history_delete_all_confirm", "history_delete_all_yes",
    ):  # fmt: skip
        assert words[key] in shown, key
    assert sorted(word for word in shown if not from_catalog(word, words)) == []
    assert sorted(shown & english) == []


def test_data_locale_wins_over_the_browser_and_is_sent_to_the_server(
    new_page: Callable[..., Page], host: HostServer, backends: Backends
) -> None:
    bot = backends("feedback_bot")
    page = new_page(locale="de-DE")
    chunks = locale_requests(page)
    with page.expect_request(lambda r: "/api/config" in r.url) as config:
        page.goto(host.add(bot.url, attrs='data-locale="en"'))
    assert config.value.url.endswith("/api/config?locale=en")
    page.get_by_role("button", name="Open chat").click()
    expect(page.get_by_role("button", name="Send")).to_be_visible()
    expect(page.locator(".root")).to_have_attribute("lang", "en")
    send(page, "hi")
    finished_answer(page)
    expect(page.get_by_role("button", name="Copy").first).to_be_visible()
    assert chunks == []


def test_the_apps_locale_setting_wins_over_the_browser(
    new_page: Callable[..., Page], host: HostServer, backends: Backends
) -> None:
    bot = backends("feedback_bot", "--locale", "de")
    page = new_page(locale="en-US")
    page.goto(host.add(bot.url))
    page.get_by_role("button", name=DE["launcher_open"]).click()
    expect(page.get_by_role("button", name=DE["composer_send"])).to_be_visible()


def test_data_strings_and_the_js_api_override_single_strings(
    new_page: Callable[..., Page], host: HostServer, backends: Backends
) -> None:
    bot = backends("feedback_bot")
    page = new_page(locale="de-DE")
    page.goto(host.add(bot.url, attrs='data-strings=\'{"composer_send": "Fragen"}\''))
    page.get_by_role("button", name=DE["launcher_open"]).click()
    expect(page.get_by_role("button", name="Fragen")).to_be_visible()
    # The other strings stay the locale's.
    expect(page.get_by_role("button", name=DE["panel_expand"])).to_be_visible()
    # Said at once by the JS API, to what is on screen and what comes later.
    page.evaluate("chatbubble('strings', {panel_expand: 'Größer', action_copy: 'Abschreiben'})")
    expect(page.get_by_role("button", name="Größer")).to_be_visible()
    page.get_by_role("textbox", name=DE["composer_message"]).fill("hi")
    page.get_by_role("button", name="Fragen").click()
    finished_answer(page)
    expect(page.get_by_role("button", name="Abschreiben").first).to_be_visible()


def test_an_unknown_locale_falls_back_to_english_and_bad_strings_are_warned(
    new_page: Callable[..., Page], host: HostServer, backends: Backends
) -> None:
    bot = backends("feedback_bot")
    page = new_page(locale="kl-GL")
    chunks = locale_requests(page)
    warnings: list[str] = []
    page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
    page.goto(host.add(bot.url, attrs="data-locale=\"xx\" data-strings='{bad'"))
    page.get_by_role("button", name="Open chat").click()
    expect(page.get_by_role("button", name="Send")).to_be_visible()
    expect(page.locator(".root")).to_have_attribute("lang", "en")
    assert chunks == []
    assert any("data-locale" in w and "data-strings" in w for w in warnings), warnings


def test_mount_takes_the_same_options(
    new_page: Callable[..., Page], host: HostServer, backends: Backends
) -> None:
    bot = backends("feedback_bot")
    page = new_page(locale="en-US")
    body = '<section id="pane" style="height: 420px"></section>'
    page.goto(host.add(bot.url, body=body))
    expect(page.get_by_role("button", name="Open chat")).to_be_visible()
    page.evaluate(
        """() => chatbubble.mount("#pane", {locale: "de", strings: {composer_stop: "Halt"}})
            .then((chat) => { window.pane = chat; })"""
    )
    pane = page.locator("#pane chatbubble-widget .root")
    expect(pane).to_have_attribute("lang", "de")
    expect(pane.get_by_role("button", name=DE["composer_send"])).to_be_attached()
    expect(
        pane.get_by_role("button", name="Halt", exact=True, include_hidden=True)
    ).to_be_attached()
    # The bubble on the same page keeps its own language.
    expect(page.get_by_role("button", name="Open chat")).to_be_visible()


def test_a_locale_whose_chunk_cannot_load_stays_english_quietly(
    new_page: Callable[..., Page], host: HostServer, backends: Backends
) -> None:
    # The Swahili chunk fails to arrive (offline, a proxy refusing it): the widget stays in
    # English, and the page fixture fails the test on any error the widget reports.
    bot = backends("feedback_bot")
    page = new_page(locale="sw-KE")
    page.route("**/widget/locale-sw.js", lambda route: route.fulfill(status=503, body="busy"))
    with page.expect_request(lambda r: r.url.endswith("/widget/locale-sw.js")):
        page.goto(host.add(bot.url))
    page.get_by_role("button", name="Open chat").click()
    expect(page.get_by_role("button", name="Send")).to_be_visible()
    expect(page.locator(".root")).to_have_attribute("lang", "en")
