"""An answer still streaming survives navigation and reload: the new page shows the partial
answer and the rest streams in, the function runs once, and Stop still works."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.waiting import complete_lines, wait_until

from .apps.ticker import GATE_AT, HOLD_TICKS, TICKS
from .conftest import Backend, HostServer
from .helpers import Gate, finished_answer, open_chat, send, storage_key

pytestmark = pytest.mark.e2e
Backends = Callable[..., Backend]
FULL = " ".join(f"tick {i}" for i in range(TICKS))


def next_closing(probe: Path, closed: int, what: str) -> str:
    """Waits until the ticker logs one more "closed" than ``closed``; returns that line."""
    lines = wait_until(
        lambda: [line for line in complete_lines(probe) if line.startswith("closed")][closed:],
        what,
    )
    return lines[0]


def closed_early(probe: Path, closed: int, what: str) -> None:
    """Waits until the ticker logs one more "closed", and checks that it was closed before its
    natural end (so by Stop, not by running out of ticks)."""
    line = next_closing(probe, closed, what)
    match = re.fullmatch(r"closed after (\d+) of (\d+)", line)
    assert match and int(match[1]) < int(match[2]), line


def closings(probe: Path) -> int:
    return sum(line.startswith("closed") for line in complete_lines(probe))


def starts(probe: Path) -> int:
    return complete_lines(probe).count("started")


def still_running(answer: Locator, gate: Gate, closed: int) -> None:
    """The answer is held at its gate: the page shows the ticks before it, still streaming, and
    the function has not ended (no new "closed" in the probe)."""
    expect(answer.locator(".md")).to_have_text(gate.before)
    expect(answer).to_have_attribute("aria-busy", "true")
    wait_until(gate.is_waiting, lambda: f"not waiting at {gate}: {complete_lines(gate.probe)}")
    assert closings(gate.probe) == closed, "the function ended before the gate was opened"


def test_navigation_mid_answer_continues_the_answer(
    page: Page, host: HostServer, backends: Backends
) -> None:
    bot = backends("ticker")
    start = starts(bot.probe)
    closed = closings(bot.probe)
    first_page = host.add(bot.url)
    second_page = host.add(bot.url, body="<h1>Another page of the site</h1>")
    page.goto(first_page)
    open_chat(page)
    gate = Gate(bot)
    send(page, f"go {gate}")
    expect(page.locator(".msg.bot").last).to_contain_text(f"tick {GATE_AT - 1}")

    page.goto(second_page)  # mid-answer: it cannot finish before the gate opens
    expect(page.get_by_role("dialog")).to_be_visible()
    still_running(page.locator(".msg.bot").last, gate, closed)
    gate.open()
    # The rest streamed into the restored answer: every tick once, in order.
    expect(finished_answer(page).locator(".md")).to_have_text(FULL)
    assert starts(bot.probe) == start + 1  # never called again
    ended = next_closing(bot.probe, closed, "the function did not end")
    assert ended == f"closed after {TICKS} of {TICKS}"  # ran to its end, once

    # A reload after the end shows the whole answer once.
    page.reload()
    expect(page.locator(".msg.bot").last.locator(".md")).to_have_text(FULL)
    expect(page.locator(".msg.bot")).to_have_count(1)


def test_reload_mid_answer_then_stop(page: Page, host: HostServer, backends: Backends) -> None:
    bot = backends("ticker")
    closed = closings(bot.probe)
    page.goto(host.add(bot.url))
    open_chat(page)
    gate = Gate(bot)
    send(page, f"hold {gate}")
    expect(page.locator(".msg.bot").last).to_contain_text(f"tick {GATE_AT - 1}")
    page.reload()
    answer = page.locator(".msg.bot").last
    still_running(answer, gate, closed)
    gate.open()
    expect(answer).to_contain_text(f"tick {GATE_AT + 1}")  # streamed after the reload
    page.get_by_role("button", name="Stop").click()
    expect(answer).to_have_attribute("aria-busy", "false")
    expect(answer).to_contain_text("Stopped")
    closed_early(bot.probe, closed, "Stop after a reload did not close the function")
    assert f"tick {HOLD_TICKS - 1}" not in (answer.text_content() or "")
    # Nothing lost or repeated across the reload: the ticks shown are 0, 1, 2, ... in order.
    shown = re.findall(r"tick (\d+)", answer.locator(".md").inner_text())
    assert shown == [str(i) for i in range(len(shown))] and len(shown) > GATE_AT + 1, shown


def test_a_tab_opened_from_the_page_follows_the_same_answer(
    page: Page, host: HostServer, backends: Backends
) -> None:
    """A tab opened by ``window.open`` starts with a copy of this tab's sessionStorage, token
    included, so both read the one answer; Stop in either stops it for both. (A tab the visitor
    opens by hand has a sessionStorage of its own, so no conversation and nothing to follow.)"""
    bot = backends("ticker")
    start = starts(bot.probe)
    closed = closings(bot.probe)
    page.goto(host.add(bot.url))
    open_chat(page)
    gate = Gate(bot)
    send(page, f"hold {gate}")
    expect(page.locator(".msg.bot").last).to_contain_text(f"tick {GATE_AT - 1}")
    with page.expect_popup() as opened:
        page.evaluate("window.open(location.href)")
    other = opened.value
    mine = page.locator(".msg.bot").last
    theirs = other.locator(".msg.bot").last
    still_running(theirs, gate, closed)
    gate.open()
    # Ticks both tabs can only have had from the live stream, after the tab opened.
    later = f"tick {GATE_AT + 3}"
    expect(theirs).to_contain_text(later)
    expect(mine).to_contain_text(later)
    assert starts(bot.probe) == start + 1

    other.get_by_role("button", name="Stop").click()
    for answer in (theirs, mine):
        expect(answer).to_have_attribute("aria-busy", "false")
        expect(answer.locator(".note")).to_have_text("Stopped")
        assert f"tick {HOLD_TICKS - 1}" not in (answer.text_content() or "")
    expect(page.get_by_role("button", name="Send")).to_be_visible()
    closed_early(bot.probe, closed, "Stop in the other tab did not close the function")
    other.close()


def seed(page: Page, key: str, saved: object) -> None:
    """Puts ``saved`` in sessionStorage under ``key`` before the first page loads."""
    page.add_init_script(
        "if (!sessionStorage.getItem('seeded')) {"
        " sessionStorage.setItem('seeded', '1');"
        f" sessionStorage.setItem({json.dumps(key)}, {json.dumps(json.dumps(saved))}); }}"
    )


def test_a_conversation_saved_by_an_older_version_still_loads(
    page: Page, host: HostServer, backends: Backends
) -> None:
    echo = backends("echo")
    # Turns as the widget saved them before answers could be resumed: eight fields each.
    old = {
        "o": True,
        "c": "c_older_version",
        "t": [
            ["first", "You said: **first**", "done", None, "", "", None, []],
            ["cut off", "You said", "stopped", None, "", "", None, []],
        ],
    }
    seed(page, storage_key(echo), old)
    streams = resume_posts(page)
    page.goto(host.add(echo.url))
    expect(page.get_by_role("dialog")).to_be_visible()
    expect(page.locator(".msg.user")).to_have_text(["first", "cut off"])
    answers = page.locator(".msg.bot")
    expect(answers.first.locator("strong")).to_have_text("first")
    expect(answers.last.locator(".note")).to_have_text("Stopped")
    send(page, "next")
    expect(finished_answer(page)).to_contain_text("You said: next (4 earlier:")
    assert streams == []


def test_an_answer_the_server_no_longer_has_comes_back_stopped(
    page: Page, host: HostServer, backends: Backends
) -> None:
    echo = backends("echo")
    gone = ["Zp3kq2Vx0aB1cD2eF3gH4i", "t" * 32, 3]  # an id the server never issued
    saved = {
        "o": True,
        "c": "c_expired_stream",
        "t": [["hi", "You", "stopped", None, "", "", None, [], gone]],
    }
    seed(page, storage_key(echo), saved)
    streams = resume_posts(page)
    page.goto(host.add(echo.url))
    answer = page.locator(".msg.bot").last
    expect(answer.locator(".note")).to_have_text("Stopped")
    expect(answer.locator(".md")).to_have_text("You")
    assert streams == [f"{echo.url}/api/streams/{gone[0]}"]
    expect(page.get_by_role("button", name="Send")).to_be_visible()
    saved_now = json.loads(
        page.evaluate("([key]) => sessionStorage.getItem(key)", [storage_key(echo)])
    )
    assert saved_now["t"][0] == ["hi", "You", "stopped", None, "", "", None, []]


def resume_posts(page: Page) -> list[str]:
    """The URL of every reattach (POST /api/streams/...) the page makes from now on."""
    posts: list[str] = []
    page.on(
        "request",
        lambda r: posts.append(r.url) if r.method == "POST" and "/api/streams/" in r.url else None,
    )
    return posts


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from tests.streams.test_redis import REDIS, RedisServer

    if not Path(REDIS).exists():
        pytest.skip("redis-server is not installed (.ci/run installs it)")
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    try:
        yield server.url
    finally:
        server.stop()


def test_four_workers_on_redis(
    page: Page, host: HostServer, backends: Backends, redis_url: str
) -> None:
    """With --workers 4 --redis-url, the reattach and the Stop may reach any worker."""
    bot = backends("ticker", "--workers", "4", "--redis-url", redis_url)
    started = starts(bot.probe)
    first_page = host.add(bot.url)
    second_page = host.add(bot.url, body="<h1>Another page of the site</h1>")
    page.goto(first_page)
    open_chat(page)
    for _ in range(2):  # twice, so the reattach lands on various workers
        page.goto(first_page)
        expect(page.get_by_role("dialog")).to_be_visible()  # the panel stays open
        closed = closings(bot.probe)
        gate = Gate(bot)
        send(page, f"go {gate}")
        expect(page.locator(".msg.bot").last).to_contain_text(f"tick {GATE_AT - 1}")
        page.goto(second_page)
        still_running(page.locator(".msg.bot").last, gate, closed)
        gate.open()
        expect(finished_answer(page).locator(".md")).to_have_text(FULL)
        page.evaluate("window.chatbubble.newChat()")
    assert starts(bot.probe) == started + 2

    closed = closings(bot.probe)
    page.goto(first_page)
    expect(page.get_by_role("dialog")).to_be_visible()
    gate = Gate(bot)
    send(page, f"hold {gate}")
    expect(page.locator(".msg.bot").last).to_contain_text(f"tick {GATE_AT - 1}")
    page.reload()
    answer = page.locator(".msg.bot").last
    still_running(answer, gate, closed)
    gate.open()
    expect(answer).to_contain_text(f"tick {GATE_AT + 1}")
    page.get_by_role("button", name="Stop").click()
    expect(answer).to_contain_text("Stopped")
    closed_early(bot.probe, closed, "Stop through Redis did not close the function")
