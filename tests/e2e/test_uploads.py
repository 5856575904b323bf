"""Multimodal apps: attaching files (picker, drag and drop, paste, microphone), the rules of
`multimodal` in the config, the guide's count_images and echo_multimodal examples."""

from __future__ import annotations

import base64
import json
import re
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, Route, expect

from tests.waiting import LIVENESS

from .apps.media_bot import MEDIA
from .conftest import CHROMIUM, CHROMIUM_ARGS, TRAPS, Backend, HostServer
from .helpers import catalog, chat_posts, finished_answer, held_route, open_chat, send

pytestmark = pytest.mark.e2e

Backends = Callable[..., Backend]
CHECKER = MEDIA / "checker.png"
NOTES = MEDIA / "notes.txt"
TONE = MEDIA / "tone.wav"

# A file made in the page (what drag and drop and paste hand over), from base64 bytes.
MAKE_TRANSFER = """([name, type, base64]) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], name, {type}));
    return transfer;
}"""


def tray(page: Page) -> Locator:
    return page.get_by_role("list", name="Attached files")


def attach(page: Page, *paths: Path) -> None:
    """Picks files with the "Attach files" button's file chooser."""
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Attach files").click()
    chooser.value.set_files([str(path) for path in paths])


def uploaded(page: Page, name: str) -> None:
    """Waits until the pending file ``name`` finished uploading."""
    item = page.get_by_role("listitem").filter(has_text=name)
    expect(item).to_be_visible()
    expect(item.locator("progress")).to_have_count(0)


def test_count_images(page: Page, host: HostServer, backends: Backends) -> None:
    bot = backends("count_images")
    page.goto(host.add(bot.url))
    open_chat(page)
    expect(page.locator("input[type=file]")).to_have_attribute("accept", "image/*")
    expect(page.locator("input[type=file]")).to_have_attribute("multiple", "")
    # sources has "microphone": recordings are accepted whatever file_types say.
    expect(page.get_by_role("button", name="Record audio")).to_be_visible()
    # Both before the textarea, side by side: attach, then record, drawn closer to it.
    row = page.locator(".row > :not([hidden])")
    expect(row).to_have_count(4)  # attach, record, the textarea, Send
    assert [element.get_attribute("aria-label") for element in row.element_handles()[:3]] == [
        "Attach files",
        "Record audio",
        "Message",
    ]
    spacing = page.get_by_role("button", name="Record audio").evaluate(
        "button => getComputedStyle(button).marginInlineStart"
    )
    assert spacing == "-6px"

    posts = chat_posts(page)
    attach(page, CHECKER)
    uploaded(page, "checker.png")
    expect(page.get_by_role("listitem").locator("img")).to_have_attribute(
        "src", re.compile(f"^{bot.url}/api/files/")
    )
    page.get_by_role("button", name="Send").click()  # files alone make a message
    expect(finished_answer(page)).to_have_text(
        re.compile("You just uploaded 1 images, total uploaded: 1")
    )
    expect(tray(page)).to_be_hidden()
    # The visitor's bubble shows the image, through the same renderer as answers.
    mine = page.locator(".msg.user").last
    expect(mine.get_by_role("button", name="Enlarge image: checker.png")).to_be_visible()
    first = json.loads(posts[0].post_data or "{}")
    assert first["message"]["text"] == ""
    assert len(first["message"]["files"]) == 1
    file_id = first["message"]["files"][0]

    attach(page, CHECKER)
    uploaded(page, "checker.png")
    send(page, "another")
    expect(finished_answer(page)).to_have_text(
        re.compile("You just uploaded 1 images, total uploaded: 2")
    )
    second = json.loads(posts[1].post_data or "{}")
    assert second["message"]["text"] == "another"
    assert second["history"] == [
        {"role": "user", "content": {"file": file_id}},
        {"role": "assistant", "content": "You just uploaded 1 images, total uploaded: 1"},
    ]


def test_refusals_are_shown(page: Page, host: HostServer, backends: Backends) -> None:
    bot = backends("count_images")
    uploads: list[str] = []
    page.on("request", lambda r: uploads.append(r.url) if "/api/upload" in r.url else None)
    page.goto(host.add(bot.url))
    open_chat(page)
    notice = page.locator(".notice")

    # Not an image (nor a recording): refused before any upload.
    attach(page, NOTES)
    expect(notice).to_have_text("\u201cnotes.txt\u201d is not a file type this chat accepts.")
    expect(tray(page)).to_be_hidden()
    assert uploads == []

    # Claims to be a PNG but is SVG: the server refuses it (415) and says why.
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    transfer = page.evaluate_handle(MAKE_TRANSFER, ["fake.png", "image/png", _b64(svg)])
    page.locator(".panel").dispatch_event("drop", {"dataTransfer": transfer})
    expect(notice).to_contain_text("\u201cfake.png\u201d was not attached: ")
    expect(tray(page)).to_be_hidden()
    assert len(uploads) == 1


def test_too_large_and_too_many(page: Page, host: HostServer, backends: Backends) -> None:
    bot = backends("echo_multimodal", "--max-file-size", "1000", "--max-files", "2")
    page.goto(host.add(bot.url))
    open_chat(page)
    notice = page.locator(".notice")
    attach(page, TONE)
    expect(notice).to_have_text("\u201ctone.wav\u201d is too large (the limit is 1000 B).")
    attach(page, CHECKER, CHECKER, CHECKER)
    expect(notice).to_have_text("You can attach up to 2 files to a message.")
    expect(tray(page).get_by_role("listitem")).to_have_count(2)


def test_remove_a_pending_file(page: Page, host: HostServer, backends: Backends) -> None:
    bot = backends("echo_multimodal")
    page.goto(host.add(bot.url))
    open_chat(page)
    posts = chat_posts(page)
    attach(page, CHECKER, TONE)
    uploaded(page, "checker.png")
    uploaded(page, "tone.wav")
    page.get_by_role("button", name="Remove checker.png").click()
    expect(tray(page).get_by_role("listitem")).to_have_count(1)
    send(page, "one file")
    expect(page.locator(".msg.bot").last).to_have_attribute("aria-busy", "false")
    assert len(json.loads(posts[0].post_data or "{}")["message"]["files"]) == 1
    # gr.File answers are download chips, as in Gradio.
    expect(page.locator(".msg.bot a.chip")).to_have_count(1)
    expect(page.locator(".msg.bot a.chip")).to_contain_text("tone.wav")


# Drags `transfer` over the panel and drops it there. The hint shows while dragging, for 300 ms
# after each dragover (a busy machine's polling could miss it), and the drop ends it: both are
# looked at as the events are handled. Returns [dragging, its text, after the drop].
DRAG_AND_DROP = """(panel, dataTransfer) => {
    const init = {dataTransfer, bubbles: true, cancelable: true, composed: true};
    panel.dispatchEvent(new DragEvent("dragover", init));
    const dragging = panel.classList.contains("dropping");
    const hint = getComputedStyle(panel, "::after").content;
    panel.dispatchEvent(new DragEvent("drop", init));
    return [dragging, hint, panel.classList.contains("dropping")];
}"""


def ready_for_files(page: Page) -> None:
    """Waits until the uploads chunk has set up the panel: its "Attach files" button shows."""
    expect(page.get_by_role("button", name="Attach files")).to_be_visible()


def test_drop_and_paste_attach_files(page: Page, host: HostServer, backends: Backends) -> None:
    bot = backends("echo_multimodal")
    page.goto(host.add(bot.url))
    open_chat(page)
    ready_for_files(page)
    panel = page.locator(".panel")
    transfer = page.evaluate_handle(
        MAKE_TRANSFER, ["dropped.png", "image/png", _b64(CHECKER.read_bytes())]
    )
    assert panel.evaluate(DRAG_AND_DROP, transfer) == [True, '"Drop files to attach"', False]
    uploaded(page, "dropped.png")

    pasted = page.evaluate_handle(
        MAKE_TRANSFER, ["pasted.png", "image/png", _b64(CHECKER.read_bytes())]
    )
    page.get_by_role("textbox", name="Message").evaluate(
        """(box, clipboardData) => box.dispatchEvent(
            new ClipboardEvent("paste", {clipboardData, bubbles: true, cancelable: true}))""",
        pasted,
    )
    uploaded(page, "pasted.png")
    expect(tray(page).get_by_role("listitem")).to_have_count(2)


def test_the_drop_hint_speaks_the_locale(page: Page, host: HostServer, backends: Backends) -> None:
    words = catalog("fr")
    bot = backends("echo_multimodal")
    page.goto(host.add(bot.url, attrs='data-locale="fr"'))
    open_chat(page, words)
    expect(page.get_by_role("button", name=words["composer_attach"])).to_be_visible()
    transfer = page.evaluate_handle(MAKE_TRANSFER, ["photo.png", "image/png", _b64(b"x")])
    hinted = page.locator(".panel").evaluate(DRAG_AND_DROP, transfer)
    assert hinted == [True, f'"{words["composer_drop"]}"', False]


def test_only_multimodal_apps_load_the_file_tools(
    page: Page, host: HostServer, backends: Backends
) -> None:
    scripts: list[str] = []
    page.on("request", lambda r: scripts.append(r.url) if r.url.endswith(".js") else None)
    page.goto(host.add(backends("echo").url))
    open_chat(page)
    send(page, "hello")
    expect(finished_answer(page)).to_contain_text("You said: hello")
    expect(page.locator(".tool")).to_have_count(0)
    assert not [url for url in scripts if url.endswith("/uploads.js")], scripts
    # Files dropped on a chat that takes none are left to the page (no hint, no upload).
    transfer = page.evaluate_handle(MAKE_TRANSFER, ["photo.png", "image/png", _b64(b"x")])
    hinted = page.locator(".panel").evaluate(DRAG_AND_DROP, transfer)
    assert hinted == [False, "none", False]


def test_echoed_files_are_byte_identical(
    page: Page, host: HostServer, backends: Backends, tmp_path: Path
) -> None:
    bot = backends("echo_multimodal")
    notes = tmp_path / "notes.txt"
    notes.write_bytes("Some notes \u2014 with UTF-8.\n".encode())
    page.goto(host.add(bot.url))
    open_chat(page)
    attach(page, CHECKER, TONE, notes)
    for path in (CHECKER, TONE, notes):
        uploaded(page, path.name)
    send(page, "hi")
    finished_answer(page)
    bubbles = page.locator(".msg.bot")
    expect(bubbles).to_have_count(4)
    expect(bubbles.first).to_have_text("You wrote: 'hi' and uploaded:")
    # gr.File answers are download chips (as in Gradio), whatever the file holds.
    chips = [bubbles.nth(index).locator("a.chip") for index in (1, 2, 3)]
    for locator, original in zip(chips, (CHECKER, TONE, notes), strict=True):
        expect(locator).to_contain_text(original.name)
        url = locator.get_attribute("href") or ""
        assert url.startswith(f"{bot.url}/api/files/")
        with urllib.request.urlopen(url, timeout=LIVENESS) as response:
            assert response.read() == original.read_bytes()
    chip = chips[2]
    with page.expect_download() as download:
        chip.click()
    assert download.value.path().read_bytes() == notes.read_bytes()


def test_upload_progress_and_send_waits(page: Page, host: HostServer, backends: Backends) -> None:
    bot = backends("echo_multimodal")
    page.goto(host.add(bot.url))
    open_chat(page)
    ready_for_files(page)
    # The upload is held until the test lets it go: until then it is under way, however long
    # the checks take. Every value the progress bar shows is recorded in the page.
    held: list[Route] = []
    page.route(
        re.compile(r"/api/upload\?"),
        lambda route: held.append(route) if route.request.method == "POST" else route.continue_(),
    )
    page.evaluate(
        """() => {
        const root = document.querySelector("chatbubble-widget").shadowRoot;
        window.__progress = [];
        new MutationObserver((records) => {
            for (const record of records) {
                if (record.target.tagName === "PROGRESS") {
                    window.__progress.push(record.target.value);
                }
            }
        }).observe(root, {attributes: true, attributeFilter: ["value"], subtree: true});
        }"""
    )
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": 400_000},
    )
    big = bytes(range(256)) * 4096  # 1 MiB: at least 2.5 s at 400 KB/s, in several steps
    transfer = page.evaluate_handle(MAKE_TRANSFER, ["big.bin", "", _b64(big)])
    page.locator(".panel").dispatch_event("drop", {"dataTransfer": transfer})
    progress = page.get_by_role("progressbar", name="Uploading big.bin")
    expect(progress).to_be_visible()
    send_button = page.get_by_role("button", name="Send")
    expect(send_button).to_be_disabled()
    box = page.get_by_role("textbox", name="Message")
    box.fill("with a big file")
    box.press("Enter")
    expect(page.locator(".notice")).to_have_text("Please wait until your files are uploaded.")
    expect(page.locator(".msg")).to_have_count(0)

    held_route(page, held).continue_()
    expect(progress).to_have_count(0)
    # The bar showed the upload going, step by step, to the end.
    shown = page.evaluate("window.__progress")
    assert shown == sorted(shown) and shown[-1] == 1, shown
    assert [value for value in shown if 0 < value < 1], shown
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    expect(send_button).to_be_enabled()
    send_button.click()
    finished_answer(page)
    chip = page.locator(".msg.bot a.chip")
    expect(chip).to_contain_text("big.bin")
    with urllib.request.urlopen(chip.get_attribute("href") or "", timeout=LIVENESS) as response:
        assert response.read() == big


def test_microphone_denied_is_explained(page: Page, host: HostServer, backends: Backends) -> None:
    bot = backends("voice_notes")
    page.goto(host.add(bot.url))
    open_chat(page)
    page.get_by_role("button", name="Record audio").click()
    expect(page.locator(".notice")).to_have_text(
        re.compile("Microphone access was denied|No microphone was found")
    )
    expect(page.get_by_role("button", name="Record audio")).to_be_visible()


@pytest.fixture(scope="module", name="mic_browser")
def _mic_browser(browser: Browser) -> Iterator[Browser]:
    """A second Chromium, from the same Playwright, with a fake microphone always allowed."""
    mic = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
        ],
    )
    yield mic
    mic.close()


def test_record_audio(mic_browser: Browser, host: HostServer, backends: Backends) -> None:
    bot = backends("voice_notes")
    context = mic_browser.new_context(permissions=["microphone"])
    context.add_init_script(TRAPS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(host.add(bot.url))
        open_chat(page)
        page.get_by_role("button", name="Record audio").click()
        stop = page.get_by_role("button", name="Stop recording")
        expect(stop).to_be_focused()
        expect(page.get_by_role("button", name="Record audio")).to_be_hidden()
        # The timer counts (it reads 0:01 for one second only: any time past 0:00 will do).
        expect(page.get_by_role("timer")).to_have_text(re.compile(r"^(?!0:00$)\d+:\d\d$"))
        stop.click()
        expect(page.get_by_role("button", name="Record audio")).to_be_visible()
        uploaded(page, "recording.webm")
        send(page, "my voice")
        expect(finished_answer(page).locator(".md")).to_have_text(
            "Got 1 file(s) .webm and text 'my voice'"
        )
        expect(page.locator(".msg.user audio")).to_have_attribute(
            "src", re.compile(f"^{bot.url}/api/files/")
        )
    finally:
        context.close()
    assert not errors


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_undo_puts_the_files_back(page: Page, host: HostServer, backends: Backends) -> None:
    bot = backends("echo_multimodal")
    page.goto(host.add(bot.url))
    open_chat(page)
    posts = chat_posts(page)
    attach(page, CHECKER)
    uploaded(page, "checker.png")
    send(page, "undo me")
    finished_answer(page)
    page.get_by_role("button", name="Undo").click()
    expect(page.locator(".msg.user")).to_have_count(0)
    expect(page.get_by_role("textbox", name="Message")).to_have_value("undo me")
    expect(tray(page).get_by_role("listitem")).to_have_count(1)
    expect(tray(page).locator("img")).to_have_attribute(
        "src", re.compile(f"^{bot.url}/api/files/")
    )
    page.get_by_role("button", name="Send").click()
    finished_answer(page)
    first, second = (json.loads(post.post_data or "{}")["message"] for post in posts)
    assert first == second


def test_feedback_on_answers_to_files(page: Page, host: HostServer, backends: Backends) -> None:
    bot = backends("voice_notes")
    page.goto(host.add(bot.url))
    open_chat(page)
    # Files without text, then files with text: the server recognises both conversations.
    for text in ("", "and this"):
        attach(page, CHECKER, TONE)
        uploaded(page, "checker.png")
        uploaded(page, "tone.wav")
        if text:
            send(page, text)
        else:
            page.get_by_role("button", name="Send").click()
        answer = finished_answer(page)
        expect(answer.locator(".md")).to_have_text(f"Got 2 file(s) .png .wav and text {text!r}")
        like = answer.get_by_role("button", name="Like", exact=True)
        with page.expect_response(re.compile(r"/api/feedback$")) as response:
            like.click()
        assert response.value.status == 200
        expect(like).to_have_attribute("aria-pressed", "true")
    rows = (bot.flags / "log.csv").read_text()
    assert rows.count("Like") == 2
    assert '""file""' in rows


def test_an_example_with_a_file(page: Page, host: HostServer, backends: Backends) -> None:
    bot = backends("example_files")
    page.goto(host.add(bot.url))
    open_chat(page)
    posts = chat_posts(page)
    page.get_by_role("button", name="What is this?").click()
    expect(finished_answer(page)).to_have_text(
        re.compile(re.escape("What is this? (1 file(s): checker.png)"))
    )
    body = json.loads(posts[0].post_data or "{}")
    assert body["example"] == 0 and len(body["message"]["files"]) == 1
    mine = page.locator(".msg.user").last
    expect(mine.get_by_role("button", name="Enlarge image: checker.png")).to_be_visible()


def test_a_visitors_files_are_theirs_alone(
    page: Page, new_page: Callable[..., Page], host: HostServer, backends: Backends
) -> None:
    """ATTACKS.md H-8: the widget sends its visitor key with the upload and the message; the
    key outlives a reload; another browser (its own key) cannot send the file."""
    bot = backends("count_images")
    page.goto(host.add(bot.url))
    open_chat(page)
    posts = chat_posts(page)
    with page.expect_request(lambda r: "/api/upload" in r.url) as upload_request:
        attach(page, CHECKER)
    uploaded(page, "checker.png")
    send(page, "mine")
    expect(finished_answer(page)).to_have_text(re.compile("You just uploaded 1 images"))
    key = upload_request.value.headers["x-visitor-key"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", key)
    assert posts[0].headers["x-visitor-key"] == key
    file_id = json.loads(posts[0].post_data or "{}")["message"]["files"][0]

    page.reload()  # the panel comes back open, with the conversation
    expect(page.locator(".msg.user")).to_have_count(1)
    posts = chat_posts(page)
    send(page, "still mine")  # the history names the file: same key, accepted
    expect(finished_answer(page)).to_have_text(re.compile("total uploaded: 1"))
    assert posts[0].headers["x-visitor-key"] == key

    # Another tab (or the site) replaces the shared copy: this tab keeps its own key.
    page.evaluate(
        """() => {
            const name = Object.keys(localStorage).find((k) => k.endsWith(":visitor-key"));
            localStorage.setItem(name, "Z".repeat(43));
        }"""
    )
    page.reload()
    expect(page.locator(".msg.user")).to_have_count(2)
    posts = chat_posts(page)
    send(page, "and still")
    expect(finished_answer(page)).to_have_text(re.compile("total uploaded: 1"))
    assert posts[0].headers["x-visitor-key"] == key

    other = new_page()  # another browser profile: its own storage, its own key
    other.goto(host.add(bot.url))
    open_chat(other)
    attempt = other.evaluate(
        """async ([url, fileId]) => {
            const key = Object.keys(localStorage).find((k) => k.endsWith(":visitor-key"));
            const response = await fetch(url + "/api/chat", {
                method: "POST",
                headers: {"Content-Type": "application/json",
                          "X-Visitor-Key": localStorage.getItem(key)},
                body: JSON.stringify({message: {text: "yours?", files: [fileId]}}),
            });
            return [response.status, await response.json(), localStorage.getItem(key)];
        }""",
        [bot.url, file_id],
    )
    status, body, other_key = attempt
    assert other_key != key
    assert status == 400 and body["code"] == "unknown_file"
