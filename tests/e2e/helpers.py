"""What the browser tests do as a visitor would: open the bubble, send, wait for the answer."""

from __future__ import annotations

import itertools
import json
import urllib.request
import uuid
from pathlib import Path

from playwright.sync_api import Locator, Page, Request, Route, expect

from tests.waiting import LIVENESS, complete_lines, wait_until, write_atomically

from .apps.gating import gate_path
from .apps.ticker import GATE_AT
from .conftest import Backend

LOCALES = Path(__file__).resolve().parents[2] / "widget" / "locales"
#: The widget's English words (widget/locales/en.json), by key.
EN: dict[str, str] = json.loads((LOCALES / "en.json").read_text(encoding="utf-8"))


def catalog(code: str) -> dict[str, str]:
    """The widget's words in the locale ``code`` (its widget/locales/<code>.json)."""
    return dict(json.loads((LOCALES / f"{code}.json").read_text(encoding="utf-8")))


def open_chat(page: Page, words: dict[str, str] = EN) -> Locator:
    page.get_by_role("button", name=words["launcher_open"]).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    return dialog


def send(page: Page, text: str, words: dict[str, str] = EN) -> None:
    box = page.get_by_role("textbox", name=words["composer_message"])
    box.fill(text)
    box.press("Enter")


def finished_answer(page: Page) -> Locator:
    """The newest answer bubble, once its stream has ended."""
    answer = page.locator(".msg.bot").last
    expect(answer).to_have_attribute("aria-busy", "false")
    return answer


class Gate:
    """A gate of the ticker app (tests/e2e/apps/ticker.py): ``f"go {gate}"`` streams ``GATE_AT``
    ticks (``gate.before``), then waits until ``gate.open()``. Until then the answer cannot
    finish, however slow the machine; each gate has a name of its own (``name``: one the app
    chose, as tests/e2e/apps/gating.py does for a message that names none)."""

    before = " ".join(f"tick {i}" for i in range(GATE_AT))

    def __init__(self, ticker: Backend, name: str | None = None) -> None:
        self.name = name or uuid.uuid4().hex[:12]
        self.probe = ticker.probe
        self.path = Path(gate_path(str(ticker.probe), self.name))

    def __str__(self) -> str:
        return f"gate {self.name}"

    def is_waiting(self) -> bool:
        """The function is waiting at the gate: it got there, and the gate is still closed."""
        lines = complete_lines(self.probe)
        return f"waiting at {self}" in lines and not any(
            line in lines for line in (f"passed {self}", f"{self} given up")
        )

    def open(self) -> None:
        assert not self.path.exists(), f"{self} is open already"
        write_atomically(self.path, "open\n")


def chat_posts(page: Page) -> list[Request]:
    """Every POST to /api/chat the page makes from now on."""
    posts: list[Request] = []
    page.on(
        "request",
        lambda r: posts.append(r) if r.method == "POST" and "/api/chat" in r.url else None,
    )
    return posts


def click_copy(button: Locator) -> str:
    """Clicks a Copy button; returns what it said once the copy was done ("Copied", or "Copy
    failed"). The label shows for 1.5 s only, which a busy machine's polling can miss, so a
    recorder in the page keeps every label the button showed."""
    handle = button.element_handle()
    handle.evaluate(
        """(button) => {
        button.__said = [];
        new MutationObserver(() => button.__said.push(button.textContent))
            .observe(button, {childList: true, characterData: true, subtree: true});
        }"""
    )
    handle.click()
    frame = handle.owner_frame()
    assert frame is not None
    return str(frame.wait_for_function("(button) => button.__said[0]", arg=handle).json_value())


def held_route(page: Page, held: list[Route]) -> Route:
    """The one request a route holds (its handler appends it to ``held``), once the handler
    has run.

    The browser reports an intercepted request on its own schedule (its network runs in
    another process), and the sync API runs route handlers only while it talks to the browser:
    each look is one such exchange."""

    def arrived() -> Route | None:
        if not held:
            page.evaluate("0")
        return held[0] if held else None

    route = wait_until(arrived, "the held request reached the route handler")
    assert len(held) == 1, held
    return route


def storage_key(backend: Backend) -> str:
    """The sessionStorage key of a backend's conversation: its origin and its app id."""
    with urllib.request.urlopen(f"{backend.url}/api/config", timeout=LIVENESS) as response:
        app = json.load(response)["app"]
    return f"chatbubble:{backend.url}:{app}"


# What no rendered message may contain (the widget's own controls aside): elements that run or
# load things, event-handler and style attributes, links other than http(s)/mailto, and images
# from anywhere but the backend or inline raster data.
FORBIDDEN_CHECK = """(root) => {
    const bad = [];
    const forbidden = new Set(["SCRIPT", "IFRAME", "OBJECT", "EMBED", "BASE", "META", "LINK",
        "FORM", "STYLE", "SVG", "MATH", "TEMPLATE", "NOSCRIPT", "VIDEO", "AUDIO", "SOURCE",
        "DETAILS", "MARQUEE", "BUTTON", "SELECT", "TEXTAREA", "ANIMATE", "SET"]);
    const origin = root.dataset.origin;
    for (const node of root.querySelectorAll(".msg *")) {
        const tag = node.tagName.toUpperCase();
        // The widget's own controls (error box, action row); markdown may not set `class`.
        const own = node.closest(".error, .actions");
        if (forbidden.has(tag) && !own) bad.push("element " + tag);
        if (tag === "INPUT" && !(node.type === "checkbox" && node.disabled)) bad.push("input");
        for (const attr of node.attributes) {
            const name = attr.name.toLowerCase();
            if (name.startsWith("on") || ["style", "id", "name", "srcdoc", "action",
                "formaction", "xlink:href", "srcset", "background"].includes(name)) {
                bad.push(tag + " @" + name);
            }
            if (name === "href" && !/^(https?:|mailto:)/i.test(attr.value)) {
                bad.push("href " + attr.value);
            }
            if (name === "src" && !(attr.value.startsWith(origin + "/")
                || /^data:image\\/(png|jpeg|gif|webp)[;,]/i.test(attr.value))) {
                bad.push("src " + attr.value);
            }
        }
    }
    return bad;
}"""


def install_forbidden_check(page: Page) -> None:
    """Defines ``window.__forbidden(root)`` in every page the test opens."""
    page.add_init_script(f"window.__forbidden = {FORBIDDEN_CHECK};")


_sentinels = itertools.count()


def settled(page: Page) -> None:
    """Waits for a later event that proves what the page started before has happened: it loads
    one more (missing) image from its own origin, and returns once Playwright has reported that
    request and the image's ``error`` handler has run.

    A payload the widget let through (an ``<img src=x onerror=...>``, even in a detached node, or
    an image from attacker.example) started its request before, and the browser reports a
    page's requests in the order it starts them; a missing image of the same origin fails as
    this one does, so its handler has run too. This replaces waiting a fixed time for something
    that must not happen. (Pages with a Content-Security-Policy that blocks images cannot use it.)
    """
    url = f"/__settled-{next(_sentinels)}.png"
    with page.expect_request(lambda request: request.url.endswith(url)):
        page.evaluate(
            """(url) => new Promise((resolve) => {
                const image = new Image();
                image.onerror = image.onload = () => resolve(true);
                image.src = url;
            })""",
            url,
        )


def provoke_and_check(page: Page, backend_url: str) -> list[str]:
    """Fires the events payloads hook into on every node of every message, waits until any
    handler they started has run (``settled``), and returns what the rendered messages hold
    that they must not."""
    page.evaluate(
        """() => {
        const root = document.querySelector("chatbubble-widget").shadowRoot;
        for (const node of root.querySelectorAll(".msg *")) {
            for (const type of ["mouseover", "focus", "load", "error", "toggle",
                                "animationstart", "transitionend"]) {
                node.dispatchEvent(new Event(type));
            }
        }
        }"""
    )
    settled(page)
    bad: list[str] = page.evaluate(
        """(origin) => {
        const root = document.querySelector("chatbubble-widget").shadowRoot;
        const probe = document.createElement("div");
        probe.dataset.origin = origin;
        probe.append(root.querySelector("[role=log]").cloneNode(true));
        return window.__forbidden(probe);
        }""",
        backend_url,
    )
    return bad
