"""Answers with files: images and their viewer, galleries, audio, file chips, sanitized HTML,
several messages in one turn, after a reload too; media only ever from the backend's files."""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, Route, expect

from tests.waiting import LIVENESS

from .apps.media_bot import MEDIA, NAMES
from .conftest import Backend, HostServer
from .helpers import (
    chat_posts,
    click_copy,
    finished_answer,
    install_forbidden_check,
    open_chat,
    provoke_and_check,
    send,
    settled,
    storage_key,
)

pytestmark = pytest.mark.e2e

Backends = Callable[..., Backend]
TONE = MEDIA / "tone.wav"

# Every src and href inside messages, so tests can check where media comes from.
SOURCES = """() => {
    const root = document.querySelector("chatbubble-widget").shadowRoot;
    const out = [];
    for (const node of root.querySelectorAll("[role=log] [src], [role=log] [href]")) {
        out.push(node.getAttribute("src") || node.getAttribute("href"));
    }
    return out;
}"""


def loaded(page: Page, selector: str) -> None:
    """Waits until every image matching ``selector`` in the widget has loaded."""
    page.wait_for_function(
        """(selector) => {
        const root = document.querySelector("chatbubble-widget").shadowRoot;
        const images = [...root.querySelectorAll(selector)];
        return images.length > 0 && images.every((img) => img.complete && img.naturalWidth > 0);
        }""",
        arg=selector,
    )


def test_image_opens_in_a_viewer(page: Page, host: HostServer, backends: Backends) -> None:
    bot = backends("media_bot")
    page.goto(host.add(bot.url))
    open_chat(page)
    send(page, "image")
    answer = finished_answer(page)
    thumb = answer.get_by_role("button", name="Enlarge image: A checkerboard")
    expect(thumb).to_be_visible()
    expect(thumb.locator("img")).to_have_attribute("src", re.compile(f"^{bot.url}/api/files/"))
    loaded(page, ".msg.bot img")
    # Chatbot(allow_file_downloads=True), the default: a download link under the image.
    download = answer.locator("a.chip")
    expect(download).to_have_attribute("href", re.compile(f"^{bot.url}/api/files/"))
    expect(download).to_have_attribute("download", re.compile(r"\.png$"))

    thumb.click()
    viewer = page.get_by_role("dialog", name="Image viewer")
    expect(viewer).to_be_visible()
    expect(viewer.get_by_role("img", name="A checkerboard")).to_be_visible()
    expect(viewer.get_by_role("button", name="Close image viewer")).to_be_focused()
    expect(viewer.get_by_role("button", name="Next image")).to_be_hidden()

    # Escape closes the viewer only; the chat stays open and focus goes back to the image.
    page.keyboard.press("Escape")
    expect(viewer).to_be_hidden()
    expect(page.get_by_role("dialog", name=re.compile("Chat"))).to_be_visible()
    expect(thumb).to_be_focused()

    # The Close button closes it too.
    thumb.click()
    viewer.get_by_role("button", name="Close image viewer").click()
    expect(viewer).to_be_hidden()


def test_gallery_viewer_steps_through_images(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = backends("media_bot")
    page.goto(host.add(bot.url))
    open_chat(page)
    send(page, "gallery")
    answer = finished_answer(page)
    gallery = answer.get_by_role("group", name="Gallery")
    tiles = gallery.get_by_role("button")
    expect(tiles).to_have_count(2)
    loaded(page, ".gallery img")

    tiles.nth(1).click()
    viewer = page.get_by_role("dialog", name="Image viewer")
    expect(viewer).to_contain_text("Second square (2 of 2)")
    viewer.get_by_role("button", name="Next image").click()
    expect(viewer).to_contain_text("First square (1 of 2)")
    viewer.get_by_role("button", name="Previous image").click()
    expect(viewer).to_contain_text("Second square (2 of 2)")
    page.keyboard.press("ArrowRight")
    expect(viewer).to_contain_text("First square (1 of 2)")
    # Tab stays inside the viewer.
    for _ in range(4):
        page.keyboard.press("Tab")
        assert page.evaluate(
            "document.querySelector('chatbubble-widget').shadowRoot.activeElement"
            ".closest('.viewer') !== null"
        )
    page.keyboard.press("Escape")
    expect(viewer).to_be_hidden()
    expect(tiles.nth(1)).to_be_focused()


def test_html_part_is_sanitized(page: Page, host: HostServer, backends: Backends) -> None:
    bot = backends("media_bot")
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    install_forbidden_check(page)
    page.goto(host.add(bot.url))
    open_chat(page)
    send(page, "html")
    answer = finished_answer(page)
    expect(answer.locator("b")).to_have_text("bold")
    expect(answer).to_contain_text("Safe bold HTML")
    expect(answer).to_contain_text("styled")
    expect(answer.locator("a", has_text="bad link")).not_to_have_attribute("href", re.compile(""))
    assert provoke_and_check(page, bot.url) == []
    assert page.evaluate("window.__xss") == []
    assert not [url for url in requested if "attacker.example" in url]


def with_names(route: Route, names: list[str]) -> None:
    """Passes the chat stream on with the file parts renamed to ``names`` (the server itself
    cleans names, so this is how hostile names reach the widget)."""
    response = route.fetch()
    events = []
    for event in response.text().split("\n\n"):
        if event.startswith("event: parts"):
            head, _, data = event.rpartition("data: ")
            payload = json.loads(data)
            files = [part for part in payload["parts"] if part["type"] == "file"]
            for part, name in zip(files, names, strict=True):
                part["name"] = name
            event = head + "data: " + json.dumps(payload)
        events.append(event)
    route.fulfill(
        status=200,
        headers={"Content-Type": "text/event-stream", "Access-Control-Allow-Origin": "*"},
        body="\n\n".join(events),
    )


def test_file_names_are_text(page: Page, host: HostServer, backends: Backends) -> None:
    bot = backends("media_bot")
    page.route(re.compile(r"/api/chat$"), lambda route: with_names(route, NAMES))
    page.goto(host.add(bot.url))
    open_chat(page)
    send(page, "files")
    finished_answer(page)
    chips = page.locator(".msg.bot .chip")
    expect(chips).to_have_count(2)
    for index, name in enumerate(NAMES):
        chip = chips.nth(index)
        expect(chip.locator(".chip-name")).to_have_text(name)
        expect(chip).to_have_attribute("href", re.compile(f"^{bot.url}/api/files/"))
        expect(chip).to_have_attribute("download", name)
        expect(chip).to_contain_text("13 B")
        expect(chip.locator(".chip-name *")).to_have_count(0)
        expect(chip.locator("img")).to_have_count(0)
    settled(page)  # a payload image would have failed and run its handler by now
    assert page.evaluate("window.__xss") == []

    # The download is the file's bytes.
    with page.expect_download() as download:
        chips.first.click()
    path = download.value.path()
    assert path.read_bytes() == b"hostile name\n"


def test_several_messages_in_one_turn(
    new_page: Callable[..., Page], host: HostServer, backends: Backends
) -> None:
    bot = backends("media_bot")
    page = new_page(permissions=["clipboard-read", "clipboard-write"])
    page.goto(host.add(bot.url))
    open_chat(page)
    send(page, "many")
    finished_answer(page)
    bubbles = page.locator(".msg.bot")
    expect(bubbles).to_have_count(3)
    expect(bubbles.nth(0)).to_have_text("Here is a picture:")
    expect(
        bubbles.nth(1).get_by_role("button", name="Enlarge image: A checkerboard")
    ).to_be_visible()
    expect(bubbles.nth(2)).to_contain_text("The end.")
    # Chatbot(group_consecutive_messages=True), Gradio's default: the turn's messages are one
    # group, each joined to the next without the gap between turns.
    expect(bubbles.nth(0)).to_have_css("margin-bottom", "-6px")
    expect(bubbles.nth(0)).to_have_css("border-bottom-left-radius", "6px")
    # The actions row is on the turn's last bubble only; Copy takes the text parts.
    expect(page.locator(".msg.bot .actions")).to_have_count(1)
    last = bubbles.nth(2)
    assert click_copy(last.locator(".actions").get_by_role("button", name="Copy")) == "Copied"
    assert page.evaluate("navigator.clipboard.readText()") == "Here is a picture:\n\nThe end."

    # Feedback on it: the server recognises the conversation it signed (parts included).
    with page.expect_response(re.compile(r"/api/feedback$")) as response:
        last.get_by_role("button", name="Like", exact=True).click()
    assert response.value.status == 200
    expect(last.get_by_role("button", name="Like", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )

    # The next request carries the turn as history: one message per part.
    posts = chat_posts(page)
    send(page, "next")
    expect(finished_answer(page)).to_contain_text("You said: next (4 earlier)")
    history = json.loads(posts[0].post_data or "{}")["history"]
    assert [entry["role"] for entry in history] == ["user", "assistant", "assistant", "assistant"]
    assert history[0]["content"] == "many"
    assert history[1]["content"] == "Here is a picture:"
    assert set(history[2]["content"]) == {"file"}
    assert history[3]["content"] == "The end."


def test_parts_survive_a_reload(page: Page, host: HostServer, backends: Backends) -> None:
    bot = backends("media_bot")
    page.goto(host.add(bot.url))
    open_chat(page)
    send(page, "gallery")
    finished_answer(page)
    send(page, "image")
    finished_answer(page)
    loaded(page, ".msg.bot img")

    page.reload()
    expect(page.get_by_role("dialog")).to_be_visible()
    expect(page.get_by_role("button", name="Enlarge image: A checkerboard")).to_be_visible()
    expect(page.get_by_role("group", name="Gallery").get_by_role("button")).to_have_count(2)
    loaded(page, ".msg.bot img")
    assert all(src.startswith(f"{bot.url}/api/files/") for src in page.evaluate(SOURCES))

    # The restored answers are history for the next message, by file id.
    posts = chat_posts(page)
    send(page, "after")
    expect(finished_answer(page)).to_contain_text("You said: after (5 earlier)")
    history = json.loads(posts[0].post_data or "{}")["history"]
    assert [entry["content"] for entry in history if isinstance(entry["content"], str)] == [
        "gallery",
        "image",
    ]
    assert len([entry for entry in history if isinstance(entry["content"], dict)]) == 3


def test_audio_answer_plays(page: Page, host: HostServer, backends: Backends) -> None:
    bot = backends("music")
    page.goto(host.add(bot.url))
    open_chat(page)
    send(page, "Queen")
    answer = finished_answer(page)
    audio = answer.locator("audio")
    expect(audio).to_have_attribute("src", re.compile(f"^{bot.url}/api/files/"))
    expect(audio).to_have_attribute("controls", "")
    page.wait_for_function(
        "document.querySelector('chatbubble-widget').shadowRoot.querySelector('audio')"
        ".readyState >= 1"
    )
    # The play button sits at the left end of Chromium's audio controls.
    box = audio.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 20, box["y"] + box["height"] / 2)
    page.wait_for_function(
        "document.querySelector('chatbubble-widget').shadowRoot.querySelector('audio')"
        ".currentTime > 0",
    )
    with urllib.request.urlopen(audio.get_attribute("src") or "", timeout=LIVENESS) as response:
        assert response.headers["Content-Type"].startswith("audio/")
        assert response.read() == TONE.read_bytes()


FOREIGN = [
    {"type": "text", "text": "Look:"},
    {
        "type": "file",
        "kind": "image",
        "id": "A" * 43,
        "url": "https://attacker.example/a.png",
        "name": "remote.png",
        "size": 10,
        "mime": "image/png",
        "alt": None,
    },
    {
        "type": "gallery",
        "items": [
            {
                "type": "file",
                "kind": "image",
                "id": "B" * 43,
                "url": "data:image/png;base64,AAAA",
                "name": "data.png",
                "size": 4,
                "mime": "image/png",
                "alt": None,
            },
            {
                "type": "file",
                "kind": "image",
                "id": "C" * 43,
                "url": "BACKEND/widget.js",
                "name": "script.png",
                "size": 4,
                "mime": "image/png",
                "alt": None,
            },
        ],
    },
    {
        "type": "file",
        "kind": "audio",
        "id": "D" * 43,
        "url": "javascript:alert(1)",
        "name": "song.wav",
        "size": 4,
        "mime": "audio/wav",
        "alt": None,
    },
    {
        "type": "file",
        "kind": "file",
        "id": "E" * 43,
        "url": "BACKEND/api/files/../../widget.js",
        "name": "doc.txt",
        "size": 4,
        "mime": "text/plain",
        "alt": None,
    },
    {
        "type": "file",
        "kind": "video",
        "id": "../../etc/passwd",
        "url": "BACKEND/api/files/x",
        "name": "bad-id.mp4",
        "size": 4,
        "mime": "video/mp4",
        "alt": None,
    },
    {"type": "html", "html": '<img src="https://attacker.example/p.png" alt="pixel">'},
]


def test_media_never_loads_from_other_urls(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = backends("media_bot")
    parts = json.loads(json.dumps(FOREIGN).replace("BACKEND", bot.url))
    body = (
        'event: start\nid: 0\ndata: {"protocol": 1, "stream": "x"}\n\n'
        f"event: parts\nid: 1\ndata: {json.dumps({'parts': parts})}\n\n"
        "event: done\nid: 2\ndata: {}\n\n"
    )

    def fake_chat(route: Route) -> None:
        route.fulfill(
            status=200,
            headers={"Content-Type": "text/event-stream", "Access-Control-Allow-Origin": "*"},
            body=body,
        )

    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.route(re.compile(r"/api/chat$"), fake_chat)
    page.goto(host.add(bot.url))
    open_chat(page)
    send(page, "anything")
    finished_answer(page)
    expect(page.locator(".msg.bot")).to_have_count(6)  # the bad-id file is dropped
    for name in ["remote.png", "data.png", "script.png", "song.wav", "doc.txt"]:
        expect(page.locator(".msg.bot .chip", has_text=name)).to_have_count(1)
    expect(page.locator(".msg.bot .chip[href]")).to_have_count(0)
    expect(page.locator(".msg.bot audio, .msg.bot video, .msg.bot img")).to_have_count(0)
    expect(page.locator(".msg.bot").last).to_contain_text("pixel")
    settled(page)  # an image from attacker.example would have been requested by now
    assert page.evaluate(SOURCES) == ["https://attacker.example/p.png"]  # a link, not an image
    assert not [url for url in requested if "attacker.example" in url]
    assert page.evaluate("window.__xss") == []


def test_saved_conversations_old_and_tampered(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = backends("media_bot")
    key = storage_key(bot)
    remote = {
        "type": "file",
        "kind": "image",
        "id": "A" * 43,
        "url": "https://attacker.example/x.png",
        "name": "remote.png",
        "size": 1,
        "mime": "image/png",
        "alt": None,
    }
    sent = {**remote, "url": "javascript:alert(1)", "name": "mine.png"}
    saved = {
        "o": True,
        "c": "c_saved_conversation",
        "t": [
            ["old format", "a plain answer", "done", None, "", ""],
            ["tampered", "", "done", None, "", "", [remote], [sent]],
        ],
    }
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.add_init_script(
        "if (!sessionStorage.getItem('seeded')) {"
        " sessionStorage.setItem('seeded', '1');"
        f" sessionStorage.setItem({json.dumps(key)}, {json.dumps(json.dumps(saved))}); }}"
    )
    page.goto(host.add(bot.url))
    expect(page.get_by_role("dialog")).to_be_visible()
    expect(page.locator(".msg.bot .md").first).to_have_text("a plain answer")
    expect(page.locator(".msg.bot .chip", has_text="remote.png")).not_to_have_attribute(
        "href", re.compile("")
    )
    expect(page.locator(".msg.user .chip", has_text="mine.png")).not_to_have_attribute(
        "href", re.compile("")
    )
    settled(page)  # a remote image would have been requested by now
    assert page.evaluate(SOURCES) == []
    assert not [url for url in requested if "attacker.example" in url]
