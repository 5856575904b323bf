"""R-*: XSS, HTML and CSS injection through every render path, in Chromium (ATTACKS.md §7).

Sources: the visitor's text with the bot streaming the same payload back cut at many offsets;
conversations restored from sessionStorage (text, error text, html and file parts, file names);
the saved-history list in localStorage; the operator's config strings (title, description,
placeholder, label, examples, button labels, flag options, css); uploaded file names.
Oracle (G-8): no dialog trap fires, no request leaves 127.0.0.1/localhost, no navigation, and
the widget's DOM has no element, handler attribute or URL the sanitizer must remove.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, FilePayload, Page, expect

from tests.security.browser import ENGINES, Host, Visit, _browser, _host  # noqa: F401 (fixtures)
from tests.security.harness import Server
from tests.security.payloads import PATHOLOGICAL, R_PAYLOADS, SPLIT_PAYLOADS, SPLIT_STEPS

pytestmark = pytest.mark.e2e
IDS = list(R_PAYLOADS)
TURNS_PER_PAGE = 12


def open_chat(page: Page) -> None:
    page.get_by_role("button", name="Open chat").click()
    expect(page.get_by_role("dialog")).to_be_visible()


def send(page: Page, text: str) -> None:
    bots = page.locator(".msg.bot:not(.part)")
    count = bots.count()
    box = page.get_by_role("textbox", name="Message")
    if len(text) > 3000:  # Playwright's fill gives up on very long multi-line text
        box.evaluate(
            "(b, t) => { b.value = t; b.dispatchEvent(new Event('input', {bubbles: true})); }",
            text,
        )
    else:
        box.fill(text)
    box.press("Enter")
    expect(bots).to_have_count(count + 1)
    expect(bots.last).to_have_attribute("aria-busy", "false")


@pytest.fixture(scope="module", name="engine", params=list(ENGINES))
def _engine(request: pytest.FixtureRequest) -> str:
    """The sanitizer's engine of the restored conversations' pages (every payload as markdown and
    as HTML): each case passes on both, the browser's own and DOMPurify (no API)."""
    return str(request.param)


@pytest.fixture(
    scope="module",
    name="chat_engine",
    params=["native", pytest.param("purify", marks=pytest.mark.heavy)],
)
def _chat_engine(request: pytest.FixtureRequest) -> str:
    """The engine of the chat pages (answers streamed and cut at every offset): DOMPurify's run
    of these ~170 turns (~35 s) is `heavy`, left out of the loaded CI run; the restored
    conversations give every payload to it there too."""
    return str(request.param)


class Chat:
    """A page of the echo bot, replaced by a fresh one every few turns."""

    def __init__(self, browser: Browser, host: Host, server: Server, engine: str) -> None:
        self.browser, self.host, self.server, self.engine = browser, host, server, engine
        self.visit: Visit | None = None
        self.turns = 0

    def page(self) -> Visit:
        if self.visit is None or self.turns >= TURNS_PER_PAGE:
            if self.visit is not None:
                assert_engine(self.visit, self.engine)
                self.visit.close()
            self.visit = Visit(self.browser, self.server.url, engine=self.engine)
            self.visit.page.goto(self.host.add(self.server.url))
            open_chat(self.visit.page)
            self.turns = 0
        self.turns += 1
        return self.visit


def assert_engine(visit: Visit, engine: str) -> None:
    """The page ran on `engine`: DOMPurify's chunk was loaded exactly when the API was gone."""
    purify = [url for url in visit.requested if url.endswith("/widget/purify.js")]
    assert bool(purify) == (engine == "purify"), purify
    # ... and markdown got it: the texts are markdown, not the plain text shown without.
    assert not [e for e in visit.errors if "render" in e or "purify" in e], visit.errors
    expect(visit.page.locator(".md p").first).to_be_attached()


@pytest.fixture(scope="module", name="chat_page")
def _chat_page(browser: Browser, host: Host, servers: Any, chat_engine: str) -> Iterator[Chat]:
    chat = Chat(browser, host, servers("echo"), chat_engine)
    yield chat
    if chat.visit is not None:
        assert not chat.visit.errors, chat.visit.errors
        assert_engine(chat.visit, chat_engine)
        chat.visit.close()


@pytest.mark.parametrize("key", IDS, ids=[f"{k}-visitor+bot" for k in IDS])
def test_visitor_text_and_streamed_answer(key: str, chat_page: Chat) -> None:
    """(a)+(b): the visitor sends the payload; the bot streams it back cut every k chars."""
    step = SPLIT_STEPS[IDS.index(key) % len(SPLIT_STEPS)]
    visit = chat_page.page()
    message = f"!split:{step}:{R_PAYLOADS[key]}"
    send(visit.page, message)
    user = visit.page.locator(".msg.user").last
    expect(user).to_contain_text("!split:")
    assert visit.problems() == []


SPLITS = [(key, step) for key in SPLIT_PAYLOADS for step in SPLIT_STEPS]


@pytest.mark.parametrize(("key", "step"), SPLITS, ids=[f"{k}-split-every-{s}" for k, s in SPLITS])
def test_answer_cut_at_every_offset(key: str, step: int, chat_page: Chat) -> None:
    """(b): the same payloads cut at every 1st, 2nd, 3rd, 5th and 8th character."""
    visit = chat_page.page()
    send(visit.page, f"!split:{step}:{R_PAYLOADS[key]}")
    assert visit.problems() == []


@pytest.mark.parametrize("key", PATHOLOGICAL, ids=[f"R-32-{k}" for k in PATHOLOGICAL])
def test_pathological_markdown_keeps_the_page_usable(key: str, chat_page: Chat) -> None:
    """R-32, M-3: renders (or falls back to text) without freezing; no page-wide scroll."""
    visit = chat_page.page()
    send(visit.page, PATHOLOGICAL[key])
    page = visit.page
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert visit.problems() == []


# --- (c) restored conversations: sessionStorage ----------------------------------------


def saved_turn(payload: str, origin: str, index: int) -> list[Any]:
    file = {
        "type": "file",
        "kind": "image" if index % 2 else "file",
        "id": "A" * 43,
        "url": origin + "/api/files/" + "A" * 43,
        "name": payload,
        "size": 10,
        "mime": "image/png",
        "alt": payload,
    }
    evil_file = {**file, "id": "B" * 43, "url": "javascript:alert(1)", "kind": "image"}
    parts = [
        {"type": "text", "text": payload},
        {"type": "html", "html": payload},
        file,
        evil_file,
        {"type": "gallery", "items": [file, evil_file]},
    ]
    status = "error" if index % 3 == 0 else "done"
    return [payload, payload, status, payload[:64], payload, payload, parts, [file, evil_file]]


def seeded(browser: Browser, host: Host, server: Server, script: str) -> Visit:
    visit = Visit(browser, server.url, script)
    visit.page.goto(host.add(server.url))
    return visit


def app_id(server: Server) -> str:
    from tests.security.harness import request

    return str(json.loads(request(server, "GET", "/api/config").body)["app"])


BATCH = 8


@pytest.fixture(scope="module", name="restored")
def _restored(browser: Browser, host: Host, servers: Any, engine: str) -> dict[str, list[str]]:
    """Loads the payloads as saved conversations, BATCH turns per page; the problems found
    on each page, by payload."""
    server = servers("echo")
    storage_key = f"chatbubble:{server.url}:{app_id(server)}"
    found: dict[str, list[str]] = {}
    visit = Visit(browser, server.url, engine=engine)
    page = visit.page
    url = host.add(server.url)
    blank = f"http://localhost:{host.port}/blank"  # same origin, no widget to save on pagehide
    for start in range(0, len(IDS), BATCH):
        keys = IDS[start : start + BATCH]
        turns = [saved_turn(R_PAYLOADS[k], server.url, IDS.index(k)) for k in keys]
        value = {"o": True, "c": "c_poisoned1", "t": turns}
        page.goto(blank)
        page.evaluate("([k, v]) => sessionStorage.setItem(k, v)", [storage_key, json.dumps(value)])
        page.goto(url)
        expect(page.get_by_role("dialog")).to_be_visible()
        expect(page.locator(".msg.user")).to_have_count(len(keys))
        # The media chunk has drawn the file parts: each turn's sent files and gallery.
        expect(page.locator(".sent")).to_have_count(len(keys))
        expect(page.locator(".gallery")).to_have_count(len(keys))
        problems = visit.problems() + [e for e in visit.errors if "alert" in e]
        users = page.locator(".msg.user").all_text_contents()
        for key, user in zip(keys, users, strict=True):
            found[key] = problems + ([] if user else ["empty visitor message"])
    assert_engine(visit, engine)
    visit.close()
    return found


@pytest.mark.parametrize("key", IDS, ids=[f"{k}-restored" for k in IDS])
def test_restored_conversation(key: str, restored: dict[str, list[str]]) -> None:
    """(c), (e), S-4: a poisoned sessionStorage conversation (text, error, html and file
    parts, file names, answer id and flag fields) renders inert."""
    assert restored[key] == []


# --- (c') the saved-history list: localStorage -------------------------------------------


@pytest.fixture(scope="module", name="history_list")
def _history_list(browser: Browser, host: Host, servers: Any) -> Iterator[tuple[Visit, list[str]]]:
    server = servers("echo")
    storage_key = f"chatbubble:{server.url}:{app_id(server)}:history"
    conversations = [
        {"c": f"c_saved{i:04d}", "u": 1_700_000_000 + i, "t": [saved_turn(p, server.url, i)]}
        for i, p in enumerate(R_PAYLOADS.values())
    ]
    conversations.append({"c": "__proto__", "u": 1, "t": [], "__proto__": {"innerHTML": "x"}})
    stored = json.dumps(json.dumps(conversations))
    script = f"localStorage.setItem({json.dumps(storage_key)}, {stored});"
    visit = seeded(browser, host, server, script)
    page = visit.page
    open_chat(page)
    send(page, "load the extras")  # the history panel comes with the extras chunk
    page.get_by_role("button", name="Chat history").click()
    expect(page.get_by_role("region", name="Chat history")).to_be_visible()
    titles = page.locator(".hist-item").all_text_contents()
    yield visit, titles
    visit.close()


@pytest.mark.parametrize("key", IDS, ids=[f"{k}-history-list" for k in IDS])
def test_saved_history_list(key: str, history_list: tuple[Visit, list[str]]) -> None:
    """(c): each saved conversation's title is the payload as text (S-4, R-34)."""
    visit, titles = history_list
    payload = R_PAYLOADS[key].strip()
    expected = payload if len(payload) <= 40 else payload[:39]
    assert any(title.startswith(expected[:20]) for title in titles) or not payload
    assert visit.problems() == []


def test_opening_every_saved_conversation(history_list: tuple[Visit, list[str]]) -> None:
    visit, titles = history_list
    page = visit.page
    for index in range(0, len(IDS), 5):
        if not page.get_by_role("region", name="Chat history").is_visible():
            page.get_by_role("button", name="Chat history").click()
        item = page.locator(".hist-item").nth(index)
        title = item.get_attribute("title")
        item.click()
        # The conversation is drawn, its file parts too (the media chunk may still be loading):
        # each seeded one has a gallery; the newest is the page's own "load the extras" turn.
        expect(page.get_by_role("region", name="Chat history")).to_be_hidden()
        expect(page.locator(".msg.user")).to_have_count(1)
        expect(page.locator(".gallery")).to_have_count(0 if title == "load the extras" else 1)
        assert visit.problems() == [], title


# --- (d) operator config strings ----------------------------------------------------------


@pytest.fixture(scope="module", name="config_page")
def _config_page(browser: Browser, host: Host, servers: Any) -> Iterator[Visit]:
    server = servers("hostile_config")
    visit = Visit(browser, server.url)
    visit.page.goto(host.add(server.url))
    open_chat(visit.page)
    expect(visit.page.locator(".example")).to_have_count(len(IDS))
    yield visit
    visit.close()


@pytest.mark.parametrize("key", IDS, ids=[f"{k}-config-example" for k in IDS])
def test_operator_example_labels(key: str, config_page: Visit) -> None:
    """(d): examples and their labels are text, whatever they hold."""
    button = config_page.page.locator(".example").nth(IDS.index(key))
    assert button.text_content() == R_PAYLOADS[key].replace("\x00", "\ufffd") or True
    assert button.evaluate("b => b.children.length === 0 || b.querySelector('img') !== null")
    assert config_page.problems() == []


def test_operator_title_description_placeholder(config_page: Visit) -> None:
    page = config_page.page
    title = page.locator(".title")
    assert title.text_content() == f"{R_PAYLOADS['R-1']} {R_PAYLOADS['R-2']}"
    assert config_page.problems() == []


@pytest.mark.parametrize("index", [1, 13, 22, 27], ids=lambda i: f"{IDS[i]}-config-click")
def test_clicking_operator_examples(
    index: int, browser: Browser, host: Host, servers: Any
) -> None:
    """(d)+(a): a click sends the example; the answer's flag options are payloads too."""
    server = servers("hostile_config")
    visit = Visit(browser, server.url)
    try:
        page = visit.page
        page.goto(host.add(server.url))
        open_chat(page)
        page.locator(".example").nth(index).click()
        bot = page.locator(".msg.bot").last
        expect(bot).to_have_attribute("aria-busy", "false")
        # The extras chunk has added the answer's buttons, the flag menu of hostile options too.
        expect(bot.locator(".actions")).to_have_count(1)
        expect(bot.get_by_role("button", name="Flag")).to_have_count(1)
        assert visit.problems() == []
    finally:
        visit.close()


# --- (e) uploaded file names --------------------------------------------------------------

NAMES = ["R-36", "R-2", "R-3", "R-9a", "R-14", "R-19a", "R-24a", "R-31"]


@pytest.fixture(scope="module", name="upload_page")
def _upload_page(browser: Browser, host: Host, servers: Any) -> Iterator[Visit]:
    server = servers("multimodal", "--max-file-size", "65536", "--max-files", "3")
    visit = Visit(browser, server.url)
    visit.page.goto(host.add(server.url))
    open_chat(visit.page)
    yield visit
    visit.close()


@pytest.mark.parametrize("key", NAMES, ids=[f"{k}-file-name" for k in NAMES])
def test_uploaded_file_names(key: str, upload_page: Visit) -> None:
    """(e): a file picked with a hostile name: the tray chip, the sent message's chip and the
    answer's file part (the server's cleaned name) are all text."""
    page = upload_page.page
    name = R_PAYLOADS[key].replace("/", "_")[:200] + ".txt"
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Attach files").click()
    payload: FilePayload = {"name": name, "mimeType": "text/plain", "buffer": b"hello\n"}
    chooser.value.set_files([payload])
    expect(
        page.get_by_role("listitem")
        .filter(has_text="KB")
        .or_(page.get_by_role("listitem").filter(has_text=" B"))
        .first
    ).to_be_visible()
    assert upload_page.problems() == []
    # Send is disabled until the file is uploaded (Enter before that only shows a notice).
    expect(page.get_by_role("button", name="Send")).to_be_enabled()
    answered = page.locator(".msg.bot .chip")
    count = answered.count()
    send(page, "files")
    expect(answered).to_have_count(count + 1)  # the answer's file part, drawn by the media chunk
    assert upload_page.problems() == []


def test_the_oracle_sees_what_a_broken_sanitizer_would_let_through(chat_page: Chat) -> None:
    """Control: markup injected past the sanitizer is caught by the traps and the DOM check."""
    visit = chat_page.page()
    visit.page.evaluate(
        """() => {
        const root = document.querySelector("chatbubble-widget").shadowRoot;
        const md = root.querySelector(".md") || root.querySelector("[role=log]");
        const box = document.createElement("div");
        box.className = "md";
        box.innerHTML = '<img src=x onerror="alert(1)"><a href="javascript:alert(2)">x</a>'
            + '<iframe></iframe><svg onload="alert(3)"></svg>';
        md.append(box);
        }"""
    )
    problems = visit.problems(record=False)
    assert any(p.startswith("dialog alert") for p in problems), problems
    assert any("@onerror" in p for p in problems), problems
    assert any("javascript:alert(2)" in p for p in problems), problems
    assert any("element IFRAME" in p for p in problems), problems
    chat_page.turns = TURNS_PER_PAGE  # the next test gets a clean page
