"""Delete and download, in the "Chat history" panel (`save_history`) and, without it, in the
header's "Conversation options" menu: delete one conversation or all of them (after a
confirmation) from localStorage and sessionStorage, download the one on screen as Markdown
(`chat-<date>.md`, files by name and link). Nothing is asked of the server. Chromium, host
pages on another origin."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, Request, expect

from .conftest import Backend, HostServer
from .helpers import finished_answer, open_chat, send, storage_key
from .test_customization import serious_violations
from .test_history import history_key, show_history, titles
from .test_uploads import attach, uploaded

pytestmark = pytest.mark.e2e

Backends = Callable[..., Backend]


def saved_texts(page: Page, key: str) -> list[str]:
    """The first visitor message of each conversation kept in localStorage under ``key``."""
    raw = page.evaluate("(key) => localStorage.getItem(key)", key)
    return [item["t"][0][0] for item in json.loads(raw)] if raw else []


def session_turns(page: Page, backend: Backend) -> list[object]:
    raw = page.evaluate("(key) => sessionStorage.getItem(key)", storage_key(backend))
    return list(json.loads(raw)["t"]) if raw else []


def chat(page: Page, text: str) -> None:
    send(page, text)
    expect(finished_answer(page)).to_contain_text(f"Answer to {text}")


def server_calls(page: Page, backend: Backend) -> list[Request]:
    seen: list[Request] = []
    page.on("request", lambda r: seen.append(r) if r.url.startswith(backend.url) else None)
    return seen


def test_delete_one_conversation_and_then_all(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = backends("history_bot")
    key = history_key(bot)
    page.goto(host.add(bot.url))
    open_chat(page)
    chat(page, "first")
    show_history(page)
    page.get_by_role("button", name="New chat").click()
    chat(page, "second")
    page.wait_for_function("(key) => localStorage.getItem(key).includes('second')", arg=key)
    assert saved_texts(page, key) == ["second", "first"]

    calls = server_calls(page, bot)
    show_history(page)
    page.get_by_role("button", name="Delete first").click()
    expect(page.get_by_role("status").filter(has_text="Conversation deleted.")).to_be_visible()
    expect(titles(page)).to_have_text(["second"])
    assert saved_texts(page, key) == ["second"]
    page.reload()
    show_history(page)
    expect(titles(page)).to_have_text(["second"])

    # Delete all asks first; Cancel keeps everything.
    page.get_by_role("button", name="Delete all conversations").click()
    expect(
        page.get_by_text("Delete all your conversations? This can't be undone.")
    ).to_be_visible()
    cancel = page.get_by_role("button", name="Cancel")
    expect(cancel).to_be_focused()
    assert serious_violations(page) == []
    cancel.click()
    assert saved_texts(page, key) == ["second"]
    page.get_by_role("button", name="Delete all conversations").click()
    page.get_by_role("button", name="Delete all", exact=True).click()
    expect(
        page.get_by_role("status").filter(has_text="All conversations deleted.")
    ).to_be_visible()
    expect(titles(page)).to_have_count(0)
    expect(page.locator(".msg.user")).to_have_count(0)
    assert page.evaluate("(key) => localStorage.getItem(key)", key) is None
    assert session_turns(page, bot) == []
    page.reload()
    expect(page.locator(".msg.user")).to_have_count(0)
    show_history(page)
    expect(titles(page)).to_have_count(0)
    # All of it in the browser.
    assert [
        call.url for call in calls if "/api/" in call.url and "/api/config" not in call.url
    ] == []


def test_without_save_history_the_menu_deletes_and_downloads_this_conversation(
    page: Page, host: HostServer, backends: Backends
) -> None:
    echo = backends("echo")
    page.goto(host.add(echo.url))
    open_chat(page)
    send(page, "hello")
    expect(finished_answer(page)).to_contain_text("You said: hello")
    page.get_by_role("button", name="Conversation options").click()
    menu = page.get_by_role("region", name="Conversation options")
    expect(menu).to_be_visible()
    with page.expect_download() as downloading:
        menu.get_by_role("button", name="Download conversation").click()
    download = downloading.value
    assert re.fullmatch(r"chat-\d{4}-\d{2}-\d{2}\.md", download.suggested_filename)
    text = Path(download.path()).read_text(encoding="utf-8")
    assert text.startswith("**You:** hello\n\n**Assistant:** You said: **hello** (0 earlier")

    menu.get_by_role("button", name="Delete this conversation").click()
    expect(page.locator(".msg.user")).to_have_count(0)
    assert session_turns(page, echo) == []
    keys = page.evaluate("Object.keys(localStorage)")
    assert not [k for k in keys if k.endswith(":history")]
    page.reload()
    expect(page.get_by_role("dialog")).to_be_visible()
    expect(page.locator(".msg.user")).to_have_count(0)


def test_the_download_lists_files_by_name_and_link(
    page: Page, host: HostServer, backends: Backends, tmp_path: Path
) -> None:
    bot = backends("echo_multimodal")
    notes = tmp_path / "notes [draft].txt"
    notes.write_text("some notes\n")
    page.goto(host.add(bot.url))
    open_chat(page)
    attach(page, notes)
    uploaded(page, notes.name)
    send(page, "see file")
    expect(finished_answer(page)).to_contain_text(notes.name)
    page.get_by_role("button", name="Conversation options").click()
    with page.expect_download() as downloading:
        page.get_by_role("button", name="Download conversation").click()
    text = Path(downloading.value.path()).read_text(encoding="utf-8")
    links = re.findall(r"\[notes \\\[draft\\\]\.txt\]\(<(\S+)>\)", text)
    # The visitor's file and the answer's, each linked to the backend's file URL.
    assert len(links) == 2, text
    assert all(link.startswith(bot.url + "/api/files/") for link in links), links
    assert "**You:** see file" in text
    assert "**Assistant:** You wrote: 'see file' and uploaded:" in text
