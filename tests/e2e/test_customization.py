"""Customizing the chat (issue 3): the server's config, the page's data-* settings and JS API,
theming, accessibility and the mobile layout, in Chromium on a foreign-origin page."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from .conftest import Backend, FakeBackend, HostServer
from .helpers import chat_posts, click_copy, finished_answer, open_chat, send

pytestmark = pytest.mark.e2e

Backends = Callable[..., Backend]
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "build" / "screenshots"

OCEAN_PRIMARY = "rgb(14, 116, 144)"  # #0e7490, the ocean theme's light primary
OCEAN_DARK_BACKGROUND = "rgb(24, 24, 27)"  # #18181b
DEFAULT_DARK_BACKGROUND = "rgb(17, 24, 39)"  # #111827, the widget's own dark palette
WHITE = "rgb(255, 255, 255)"

# The one-line stub a page pastes before the widget's tag to call the API before it loads.
STUB = (
    "window.chatbubble=window.chatbubble||function(){"
    "(chatbubble.q=chatbubble.q||[]).push(arguments)}"
)


def css(locator: Locator, prop: str) -> str:
    return str(locator.evaluate(f"(e) => getComputedStyle(e).{prop}"))


def screenshot(page: Page, name: str) -> None:
    """Saves the page as a build artifact (`make screenshots` copies them to docs/)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.mouse.move(0, 0)  # no hover effect on the launcher
    page.screenshot(path=str(path), animations="disabled", caret="initial")


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core on the whole page (it reaches into the open shadow root)."""
    page.add_script_tag(content=AXE.read_text())
    result = page.evaluate(
        """async () => {
        const out = await axe.run(document, {resultTypes: ["violations"]});
        return out.violations
            .filter((v) => v.impact === "serious" || v.impact === "critical")
            .map((v) => ({id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target)}));
        }"""
    )
    return list(result)


# --- the server's config -------------------------------------------------------------------


def test_yes_man_guide_example(page: Page, host: HostServer, backends: Backends) -> None:
    yes_man = backends("yes_man")
    posts = chat_posts(page)
    page.goto(host.add(yes_man.url))
    launcher = page.get_by_role("button", name="Open chat")
    expect(launcher).to_have_css("background-color", OCEAN_PRIMARY)

    dialog = open_chat(page)
    expect(page.get_by_role("dialog", name="Yes Man")).to_be_visible()
    header = dialog.locator(".header")
    expect(header).to_have_css("background-color", OCEAN_PRIMARY)
    expect(header).to_contain_text("Ask Yes Man any question")
    expect(dialog).to_have_css("height", "300px")
    box = page.get_by_role("textbox", name="Message")
    expect(box).to_have_attribute("placeholder", "Ask me a yes or no question")

    examples = dialog.locator(".example")
    expect(examples).to_have_text(["Hello", "Am I cool?", "Are tomatoes vegetables?"])
    page.get_by_role("button", name="Am I cool?").click()
    expect(page.locator(".msg.user")).to_have_text(["Am I cool?"])
    expect(finished_answer(page).locator(".md")).to_have_text("Yes")
    sent = json.loads(posts[0].post_data or "")
    assert sent == {
        "message": "Am I cool?",
        "example": 1,
        "resumable": True,
        "history": [],
        "page": {  # for gr.Request
            "url": page.url,
            "title": "Host page",
            "lang": "en",
            "referrer": "",
            "context": {},
            "locale": "en",  # the widget's language (Chromium's default en-US)
        },
        "session": sent["session"],
    }
    assert re.fullmatch(r"[\w-]{8,64}", sent["session"])
    expect(examples).to_have_count(0)  # gone once the conversation started

    send(page, "Hello there")
    expect(finished_answer(page).locator(".md")).to_have_text("Ask me anything!")


def test_cached_example_answers_without_calling_the_function(
    page: Page, host: HostServer, backends: Backends
) -> None:
    counter = backends("counted_examples")
    calls_before = counter.probe.read_text()
    page.goto(host.add(counter.url))
    open_chat(page)
    page.get_by_role("button", name="Second").click()
    expect(finished_answer(page).locator(".md")).to_have_text("Counted answer to Second example")
    assert counter.probe.read_text() == calls_before, "the cached example called the function"

    # A real message does call it; that later call is the proof that the cached example did
    # not: a call for it would have written its line first.
    send(page, "not an example")
    expect(finished_answer(page).locator(".md")).to_have_text("Counted answer to not an example")
    assert counter.probe.read_text() == calls_before + "not an example\n"


def test_placeholder_is_rendered_as_html(page: Page, host: HostServer, backends: Backends) -> None:
    page.goto(host.add(backends("yes_man_placeholder").url))
    dialog = open_chat(page)
    placeholder = dialog.locator(".placeholder")
    expect(placeholder.locator("strong")).to_have_text("Your Personal Yes-Man")
    expect(placeholder.locator("br")).to_have_count(1)
    expect(placeholder).to_have_text("Your Personal Yes-ManAsk Me Anything")
    assert "&lt;" not in placeholder.inner_html()
    send(page, "Is it?")
    expect(finished_answer(page).locator(".md")).to_have_text("Yes")
    expect(placeholder).to_have_count(0)


def test_chatbot_and_textbox_options(
    new_page: Callable[..., Page], host: HostServer, backends: Backends
) -> None:
    page = new_page(permissions=["clipboard-read", "clipboard-write"])
    bot = backends("options_bot")
    posts = chat_posts(page)
    page.goto(host.add(bot.url))
    dialog = open_chat(page)
    log = dialog.get_by_role("log", name="Conversation")
    expect(log).to_have_css("direction", "rtl")  # Chatbot(rtl=True): the whole widget mirrors
    expect(dialog).to_have_css("height", "420px")
    expect(dialog.locator(".title")).to_have_css("letter-spacing", "3px")  # the operator's css

    box = page.get_by_role("textbox", name="Message")
    expect(box).to_have_attribute("placeholder", "Type here")
    expect(box).to_have_attribute("rows", "2")
    expect(box).to_have_attribute("maxlength", "40")
    expect(page.get_by_role("button", name="Go")).to_be_visible()
    expect(page.get_by_role("button", name="Send")).to_have_count(0)

    # run_examples_on_click=False: the example only fills the composer.
    example = page.get_by_role("button", name="Fill")
    expect(example.locator("img")).to_have_count(1)
    example.click()
    expect(box).to_have_value("Fill me in")
    assert posts == []

    box.fill("x" * 40)
    box.dispatch_event("input")
    expect(dialog.get_by_role("alert")).to_have_text("You reached the limit of 40 characters.")
    box.fill("Fill me in")
    box.dispatch_event("input")
    expect(dialog.get_by_role("alert")).to_be_hidden()

    # stop_btn=False: no Stop while the answer streams. A recorder of the composer's buttons
    # sees the busy state (Go hidden) and checks Stop was never shown then, however short.
    page.evaluate(
        """() => {
        const row = document.querySelector("chatbubble-widget").shadowRoot
            .querySelector(".composer .row");
        const stop = row.querySelector("button[aria-label=Stop]");
        const go = [...row.querySelectorAll("button")].find((b) => b.textContent === "Go");
        window.__buttons = {goHidden: false, stopShown: false};
        new MutationObserver((records) => {
            for (const record of records) {
                // oldValue null: the button had no `hidden` attribute before this change.
                if (record.target === stop && record.oldValue === null) {
                    window.__buttons.stopShown = true;
                }
                if (record.target === go && record.oldValue === null) {
                    window.__buttons.goHidden = true;
                }
            }
            if (!stop.hidden) window.__buttons.stopShown = true;
        }).observe(row, {attributes: true, attributeFilter: ["hidden"], attributeOldValue: true,
                         subtree: true});
        }"""
    )
    page.get_by_role("button", name="Go").click()
    answer = finished_answer(page)
    expect(answer.locator(".md")).to_have_text("**plain** answer to Fill me in")  # no markdown
    expect(answer.locator("strong")).to_have_count(0)
    assert page.evaluate("window.__buttons") == {"goHidden": True, "stopShown": False}
    expect(page.get_by_role("button", name="Stop")).to_have_count(0)
    # The answer's request is the only one: the example's click made none.
    assert len(posts) == 1 and "example" not in json.loads(posts[0].post_data or "{}")
    avatars = dialog.locator("img.avatar")
    expect(avatars).to_have_count(2)
    assert avatars.evaluate_all("(imgs) => imgs.every((i) => i.complete && i.naturalWidth > 0)")

    assert click_copy(answer.get_by_role("button", name="Copy")) == "Copied"
    assert page.evaluate("navigator.clipboard.readText()") == "**plain** answer to Fill me in"

    # The visitor's own message has Copy too, under its bubble, copying what was sent.
    mine = dialog.locator(".mine")
    assert click_copy(mine.get_by_role("button", name="Copy")) == "Copied"
    assert page.evaluate("navigator.clipboard.readText()") == "Fill me in"
    expect(page.locator(".msg.user")).to_have_text(["Fill me in"])

    # autofocus=True: a panel open on load takes focus once the config has arrived.
    page = new_page()
    page.goto(host.add(bot.url, attrs="data-open"))
    expect(page.get_by_role("textbox", name="Message")).to_be_focused()


# --- the page's data-* settings ------------------------------------------------------------


def test_data_attributes(page: Page, host: HostServer, backends: Backends) -> None:
    attrs = (
        'data-position="left" data-offset-x="30" data-offset-y="40" '
        'data-primary-color="#b4231b" data-launcher-label="Ask us" '
        'data-greeting="Hi! Questions? &lt;b&gt;Ask&lt;/b&gt;" data-z-index="7" '
        'data-launcher-icon="http://127.0.0.1:9/icon.png"'
    )
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text))
    page.goto(host.add(backends("yes_man").url, attrs=attrs))
    launcher = page.get_by_role("button", name="Open chat")
    expect(launcher).to_have_text("Ask us")
    # The visible label is part of the accessible name (WCAG 2.5.3).
    expect(launcher).to_have_attribute("aria-label", "Ask us: Open chat")
    expect(launcher.locator("img")).to_have_attribute("src", "http://127.0.0.1:9/icon.png")
    expect(launcher).to_have_css("background-color", "rgb(180, 35, 27)")  # the tag beats ocean
    box = launcher.bounding_box()
    assert box is not None and box["x"] == 30 and box["y"] + box["height"] == 800 - 40
    assert (
        page.evaluate("getComputedStyle(document.querySelector('chatbubble-widget')).zIndex")
        == "7"
    )

    greeting = page.locator(".greeting")
    expect(greeting).to_have_text("Hi! Questions? <b>Ask</b>")  # plain text, never HTML
    page.get_by_role("button", name="Dismiss greeting").click()
    expect(greeting).to_have_count(0)
    expect(launcher).to_be_focused()
    # Dismissed stays dismissed on the site's next pages (this visitor: localStorage).
    page.reload()
    expect(page.get_by_role("button", name="Open chat")).to_be_visible()
    expect(greeting).to_have_count(0)

    dialog = open_chat(page)
    panel = dialog.bounding_box()
    assert panel is not None and panel["x"] == 30
    assert not [m for m in messages if m.startswith("chatbubble")]


def test_open_on_load_and_self_hosted_script(
    page: Page, host: HostServer, backends: Backends
) -> None:
    # The script comes from one server and talks to another (data-backend).
    echo, yes_man = backends("echo"), backends("yes_man")
    page.goto(host.add(echo.url, attrs=f'data-open data-backend="{yes_man.url}/"'))
    expect(page.get_by_role("dialog", name="Yes Man")).to_be_visible()
    assert page.evaluate("document.activeElement === document.body"), "no focus theft on load"
    send(page, "Works?")
    expect(finished_answer(page).locator(".md")).to_have_text("Yes")


def test_bad_data_attributes_warn_once(page: Page, host: HostServer, backends: Backends) -> None:
    attrs = (
        'data-position="middle" data-offset-x="-3" data-offset-y="1e9" '
        'data-primary-color="red; background: url(x)" data-theme="blue" data-z-index="top" '
        'data-launcher-icon="javascript:alert(1)" data-open="maybe"'
    )
    warnings: list[str] = []
    page.on("console", lambda m: warnings.append(m.text) if "chatbubble" in m.text else None)
    page.goto(host.add(backends("echo").url, attrs=attrs))
    launcher = page.get_by_role("button", name="Open chat")
    expect(launcher).to_have_css("background-color", "rgb(79, 70, 229)")  # the default
    box = launcher.bounding_box()
    assert box is not None and box["x"] + box["width"] == 1280 - 20  # default corner
    open_chat(page)
    send(page, "still works")
    expect(finished_answer(page)).to_contain_text("You said: still works")
    assert len(warnings) == 1, warnings
    for name in ("position", "offset-x", "offset-y", "primary-color", "theme", "z-index"):
        assert f"data-{name}=" in warnings[0]
    assert page.evaluate("window.__xss") == []


# --- the JS API ----------------------------------------------------------------------------


def test_js_api_with_calls_queued_before_load(
    page: Page, host: HostServer, backends: Backends
) -> None:
    head = (
        f"<script>{STUB}\n"
        "window.__events = [];\n"
        "chatbubble('on', 'open', () => window.__events.push('open'));\n"
        "chatbubble('on', 'close', () => window.__events.push('close'));\n"
        "chatbubble('on', 'message', (m) => window.__events.push(m.role + ':' + m.content));\n"
        "chatbubble('send', 'queued hello');\n"
        "</script>"
    )
    page.goto(host.add(backends("echo").url, head=head))
    expect(page.get_by_role("dialog")).to_be_visible()
    expect(finished_answer(page).locator(".md")).to_have_text(
        "You said: queued hello (0 earlier: none)"
    )
    assert page.evaluate("window.__events") == [
        "open",
        "user:queued hello",
        "assistant:You said: **queued hello** (0 earlier: none)",
    ]

    # A callback that throws breaks nothing; unsubscribing works.
    page.evaluate(
        """() => {
        window.__off = chatbubble.on('close', () => { throw new Error('page bug'); });
        chatbubble.close();
        }"""
    )
    expect(page.get_by_role("dialog")).to_be_hidden()
    page.evaluate("() => { window.__off(); chatbubble.toggle(); chatbubble('close'); }")
    expect(page.get_by_role("dialog")).to_be_hidden()
    assert page.evaluate("window.__events.slice(3)") == ["close", "open", "close"]

    page.evaluate("chatbubble.send('second')")
    expect(finished_answer(page)).to_contain_text("You said: second (2 earlier")
    page.evaluate("chatbubble.newChat()")
    expect(page.locator(".msg")).to_have_count(0)
    expect(page.get_by_text("Send a message to start the chat.")).to_be_visible()
    send(page, "fresh")
    expect(finished_answer(page).locator(".md")).to_have_text("You said: fresh (0 earlier: none)")

    launcher = page.get_by_role("button", name="Close chat")
    page.evaluate("chatbubble.setTheme({primary: '#123456', text: 'url(evil)'})")
    expect(launcher).to_have_css("background-color", "rgb(18, 52, 86)")
    page.evaluate("chatbubble.setTheme('dark')")
    expect(page.get_by_role("dialog")).to_have_css("background-color", DEFAULT_DARK_BACKGROUND)
    expect(launcher).to_have_css("background-color", "rgb(18, 52, 86)")  # overrides persist
    page.evaluate("chatbubble.setTheme('light')")
    expect(page.get_by_role("dialog")).to_have_css("background-color", WHITE)


def test_error_event(page: Page, host: HostServer, fake_backend: FakeBackend) -> None:
    page.goto(host.add(fake_backend.url))
    expect(page.get_by_role("button", name="Open chat")).to_be_visible()
    # (an arrow: Playwright would call the unsubscribe function an expression returned)
    page.evaluate(
        "() => { window.__errors = []; chatbubble.on('error', (e) => __errors.push(e)); }"
    )
    page.evaluate("chatbubble.send('proxy')")
    expect(page.get_by_role("button", name="Retry")).to_be_visible()
    errors = page.evaluate("window.__errors")
    assert len(errors) == 1 and errors[0]["message"] and errors[0]["code"]


# --- theming -------------------------------------------------------------------------------

THEMED_PAGE = """
<style>
  chatbubble-widget { --chatbubble-primary: #00aa00; --chatbubble-radius: 4px; }
  chatbubble-widget::part(launcher) { border: 3px solid rgb(1, 2, 3); }
  chatbubble-widget::part(panel) { outline: 2px solid rgb(4, 5, 6); }
  chatbubble-widget::part(header) { border-bottom: 5px solid rgb(7, 8, 9); }
  chatbubble-widget::part(messages) { background-color: rgb(250, 240, 230); }
  chatbubble-widget::part(composer) { background-color: rgb(230, 240, 250); }
</style>
"""


def test_css_variables_and_parts(page: Page, host: HostServer, backends: Backends) -> None:
    page.goto(host.add(backends("yes_man").url, head=THEMED_PAGE))
    launcher = page.get_by_role("button", name="Open chat")
    expect(launcher).to_have_css("background-color", "rgb(0, 170, 0)")  # the page beats ocean
    expect(launcher).to_have_css("border-top-color", "rgb(1, 2, 3)")
    dialog = open_chat(page)
    expect(dialog).to_have_css("outline-color", "rgb(4, 5, 6)")
    expect(dialog).to_have_css("border-top-left-radius", "4px")
    expect(dialog.locator(".header")).to_have_css("border-bottom-color", "rgb(7, 8, 9)")
    expect(dialog.get_by_role("log")).to_have_css("background-color", "rgb(250, 240, 230)")
    expect(dialog.locator(".composer")).to_have_css("background-color", "rgb(230, 240, 250)")


def test_dark_mode(new_page: Callable[..., Page], host: HostServer, backends: Backends) -> None:
    yes_man = backends("yes_man").url
    page = new_page()
    page.goto(host.add(yes_man, attrs='data-theme="dark"'))
    expect(open_chat(page)).to_have_css("background-color", OCEAN_DARK_BACKGROUND)

    # auto follows prefers-color-scheme, live.
    page = new_page(color_scheme="dark")
    page.goto(host.add(yes_man, attrs='data-theme="auto"'))
    dialog = open_chat(page)
    expect(dialog).to_have_css("background-color", OCEAN_DARK_BACKGROUND)
    page.emulate_media(color_scheme="light")
    expect(dialog).to_have_css("background-color", WHITE)

    page = new_page(color_scheme="dark")  # no data-theme: light
    page.goto(host.add(yes_man))
    expect(open_chat(page)).to_have_css("background-color", WHITE)


# --- accessibility and mobile --------------------------------------------------------------


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_axe_finds_nothing_serious(
    page: Page, host: HostServer, backends: Backends, theme: str
) -> None:
    page.goto(host.add(backends("yes_man").url, attrs=f'data-theme="{theme}"'))
    open_chat(page)
    expect(page.locator(".example")).to_have_count(3)
    page.get_by_role("textbox", name="Message").blur()
    screenshot(page, f"panel-{theme}")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Hello").click()
    expect(finished_answer(page).locator(".md")).to_have_text("Ask me anything!")
    send(page, "Is the panel accessible?")
    expect(finished_answer(page).locator(".md")).to_have_text("Yes")
    assert serious_violations(page) == []


def test_answer_is_announced_once(page: Page, host: HostServer, backends: Backends) -> None:
    page.goto(host.add(backends("echo").url))
    open_chat(page)
    status = page.get_by_role("status")
    status.evaluate(
        """(region) => {
        window.__announced = [];
        new MutationObserver(() => window.__announced.push(region.textContent))
            .observe(region, {childList: true, characterData: true, subtree: true});
        }"""
    )
    send(page, "a fairly long message so that the answer streams in several pieces")
    answer = finished_answer(page)
    spoken = answer.locator(".md").inner_text().strip()
    expect(status).to_have_text(spoken)
    # The next answer's announcement is the later event: a second one of the first answer
    # would have come before it.
    send(page, "next")
    following = finished_answer(page).locator(".md")
    expect(following).to_contain_text("You said: next")
    spoken_next = following.inner_text().strip()
    expect(status).to_have_text(spoken_next)
    assert page.evaluate("window.__announced") == [spoken, spoken_next]


def test_keyboard_and_focus(page: Page, host: HostServer, backends: Backends) -> None:
    page.goto(host.add(backends("yes_man").url))
    page.keyboard.press("Tab")
    launcher = page.get_by_role("button", name="Open chat")
    expect(launcher).to_be_focused()
    expect(launcher).to_have_css("outline-style", "solid")
    page.keyboard.press("Enter")
    box = page.get_by_role("textbox", name="Message")
    expect(box).to_be_focused()  # focus moves into the panel

    # The examples come with the config, which the panel may open before.
    expect(page.locator(".example")).to_have_count(3)
    page.keyboard.press("Shift+Tab")  # back through the examples
    example = page.get_by_role("button", name="Are tomatoes vegetables?")
    expect(example).to_be_focused()
    expect(example).to_have_css("outline-style", "solid")
    page.keyboard.press("Enter")
    expect(finished_answer(page).locator(".md")).to_have_text("Yes")

    box.focus()
    page.keyboard.press("Tab")
    send_button = page.get_by_role("button", name="Send")
    expect(send_button).to_be_focused()
    expect(send_button).to_have_css("outline-style", "solid")
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(launcher).to_be_focused()  # and back to the launcher


def test_mobile_layout(
    new_page: Callable[..., Page], host: HostServer, backends: Backends
) -> None:
    page = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(host.add(backends("yes_man").url))
    dialog = open_chat(page)
    assert dialog.bounding_box() == {"x": 0, "y": 0, "width": 390, "height": 844}
    close = dialog.get_by_role("button", name="Close chat")
    expect(close).to_be_visible()
    box = page.get_by_role("textbox", name="Message")
    assert css(box, "fontSize") == "16px"  # no zoom on focus
    box.blur()
    screenshot(page, "panel-mobile")
    send(page, "Small screen?")
    expect(finished_answer(page).locator(".md")).to_have_text("Yes")

    # An on-screen keyboard shrinks the visual viewport: the composer stays above it.
    page.evaluate(
        """() => {
        Object.defineProperty(visualViewport, "height", {value: 500, configurable: true});
        visualViewport.dispatchEvent(new Event("resize"));
        }"""
    )
    expect(dialog).to_have_css("height", "500px")
    composer = dialog.locator(".composer").bounding_box()
    assert composer is not None and composer["y"] + composer["height"] <= 500
    close.click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("button", name="Open chat")).to_be_focused()


def test_a_theme_object_in_an_app_built_under_main(
    new_page: Callable[..., Page], host: HostServer, backends: Backends
) -> None:
    themed = backends("themed_main").url
    page = new_page()
    page.goto(host.add(themed))
    launcher = page.get_by_role("button", name="Open chat")
    expect(launcher).to_have_css("background-color", "rgb(4, 120, 87)")  # emerald c700
    dialog = open_chat(page)
    send(page, "hi")
    expect(finished_answer(page).locator(".md")).to_have_text("Themed: hi")
    dark = new_page()
    dark.goto(host.add(themed, attrs='data-theme="dark"'))
    expect(open_chat(dark)).to_have_css("background-color", "rgb(0, 0, 0)")  # .set(..._dark)
    expect(dialog.locator(".header")).to_contain_text("Themed")
