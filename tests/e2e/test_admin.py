"""The operator console in Chromium: the login (a wrong password refused), the overview's charts
drawn from seeded data (and its screenshot), filters narrowing the list, the export downloading
the filtered rows, a CSRF-less POST refused, axe with no serious violation; a thumbs-down from a
host page shows that page in the list filtered by page URL (none with data-page-context="off")."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from backend.storage.store import Feedback, Timings, Turn, open_store
from tests.e2e.conftest import Backend, HostServer
from tests.e2e.helpers import finished_answer, open_chat, send
from tests.e2e.test_customization import screenshot, serious_violations

PASSWORD = "console test password"
DAY = 86_400.0
Backends = Callable[..., Backend]


async def _seed(flags: Path) -> None:
    """Fourteen days of conversations: more each day, a share of thumbs up and down, flags,
    a model error every third day, times to first token that grow."""
    store = open_store("", flags)
    now = time.time()
    try:
        for day in range(14):
            for n in range(2 + day % 5):
                at = now - (13 - day) * DAY - n * 60
                cid = f"d{day:02d}-{n}"
                pricing = n % 2 == 1
                await store.record_turn(
                    Turn(
                        conversation_id=cid,
                        message=[{"type": "text", "text": f"question {n} of day {day}"}],
                        answer=[{"type": "text", "text": "an answer"}],
                        timings=Timings(at, at + 0.2 + day * 0.05 + n * 0.1, at + 2),
                        message_id=f"m-{cid}",
                        error="model server down" if day % 3 == 0 and n == 0 else "",
                        visitor=f"visitor-{n}",
                        page_url="https://shop.example/pricing"
                        if pricing
                        else "https://shop.example/",
                    )
                )
                flag = ("Like", "Dislike", "Like", "Spam", "Wrong")[(day + n) % 5]
                await store.record_feedback(
                    Feedback(
                        conversation_id=cid,
                        message_id=f"m-{cid}",
                        flag=flag,
                        conversation=[{"role": "assistant", "content": "an answer"}],
                        index=0,
                        at=at + 5,
                    )
                )
    finally:
        await store.close()


@pytest.fixture(scope="module", name="console")
def _console(backends: Backends) -> Backend:
    backend = backends("admin_console", "--admin-password", PASSWORD)
    backend.flags.mkdir(parents=True, exist_ok=True)
    # Playwright's sync API holds this thread's event loop: the seeding runs in its own thread.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, _seed(backend.flags)).result()
    return backend


def log_in(page: Page, console: Backend, password: str = PASSWORD) -> None:
    page.goto(console.url + "/admin")
    expect(page).to_have_url(console.url + "/admin/login")
    page.get_by_label("Password or admin token").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_login_then_the_overview_draws_its_charts(
    new_page: Callable[..., Page], console: Backend
) -> None:
    page = new_page(viewport={"width": 1280, "height": 1100})
    log_in(page, console, "not the password")
    expect(page.get_by_role("alert")).to_have_text("Wrong password or token.")
    log_in(page, console)
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()
    expect(page.locator("body[data-charts=ready]")).to_have_count(1)
    charts = page.locator(".chart canvas")
    expect(charts).to_have_count(5)
    for key in ("volume", "share", "flags", "ttft", "errors"):
        # Pixels of a series' colour: the chart drew its data, not only the axes.
        drawn = page.locator(f"#chart-{key} canvas").evaluate(
            """(canvas) => {
                const data = canvas.getContext("2d").getImageData(0, 0, canvas.width,
                    canvas.height).data;
                let count = 0;
                for (let i = 0; i < data.length; i += 4) {
                    const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
                    const blue = Math.abs(r - 29) < 40 && Math.abs(g - 78) < 40 && b > 170;
                    const red = r > 150 && g < 60 && b < 60;
                    if (a > 0 && (blue || red)) count++;
                }
                return count;
            }"""
        )
        assert drawn > 20, key
    screenshot(page, "admin-overview")
    assert page.evaluate("window.__xss") == []
    assert page.evaluate("window.__violations") == []


def test_login_attempts_are_rate_limited_in_the_browser(
    new_page: Callable[..., Page], backends: Backends
) -> None:
    """Three wrong passwords, then even the right one is refused for now: the login page says
    so, and no page of the console opens."""
    limited = backends("admin_console", "--admin-password", PASSWORD, "--login-rate-limit", "3")
    page = new_page()
    for _ in range(3):
        log_in(page, limited, "a wrong guess")
        expect(page.get_by_role("alert")).to_have_text("Wrong password or token.")
    log_in(page, limited)
    expect(page.get_by_role("alert")).to_contain_text("Too many attempts. Try again in")
    expect(page).to_have_url(limited.url + "/admin/login")
    expect(page.get_by_role("heading", name="Overview")).to_have_count(0)
    page.goto(limited.url + "/admin/transcripts")
    expect(page).to_have_url(limited.url + "/admin/login")


def test_filters_narrow_the_list_and_the_export_downloads_them(
    new_page: Callable[..., Page], console: Backend, tmp_path: Path
) -> None:
    page = new_page()
    log_in(page, console)
    page.get_by_role("link", name="Transcripts").click()
    total = int(page.locator("#total").inner_text())
    assert total > 25  # more than one page
    page.get_by_label("Rating").select_option("down")
    page.get_by_label("Page URL contains").fill("pricing")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"rating=down"))
    narrowed = int(page.locator("#total").inner_text())
    assert 0 < narrowed < total
    rows = page.locator("#transcripts tbody tr")
    expect(rows).to_have_count(narrowed)
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV").click()
    path = tmp_path / "export.csv"
    info.value.save_as(path)
    exported = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    ids = {row["conversation_id"] for row in exported}
    assert len(ids) == narrowed
    feedback = [row for row in exported if row["kind"] == "feedback"]
    assert {row["rating"] for row in feedback} == {"down"}
    assert all("pricing" in row["page_url"] for row in exported)
    rows.first.get_by_role("link").click()
    expect(page.locator(".feedback").first).to_contain_text("Thumbs down")
    expect(page.get_by_text("first token after").first).to_be_visible()


def test_a_post_without_its_csrf_token_is_refused(
    new_page: Callable[..., Page], console: Backend
) -> None:
    page = new_page()
    log_in(page, console)
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()
    status = page.evaluate(
        """async () => (await fetch("/admin/delete", {method: "POST",
            headers: {"Content-Type": "application/x-www-form-urlencoded"},
            body: "id=d13-0"})).status"""
    )
    assert status == 403
    page.goto(console.url + "/admin/transcript?id=d13-0")
    expect(page.get_by_role("heading", name="question 0 of day 13")).to_be_visible()
    page.get_by_role("link", name="Delete…").click()
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_text("The conversation was deleted.")).to_be_visible()


def test_the_console_passes_axe(new_page: Callable[..., Page], console: Backend) -> None:
    # axe is injected as an inline script, which the console's CSP refuses (as it should).
    page = new_page(bypass_csp=True)
    page.goto(console.url + "/admin/login")
    assert serious_violations(page) == []
    log_in(page, console)
    expect(page.locator("body[data-charts=ready]")).to_have_count(1)
    assert serious_violations(page) == []
    page.goto(console.url + "/admin/transcripts?rating=flag")
    assert serious_violations(page) == []
    page.locator("#transcripts tbody a").first.click()
    expect(page.get_by_role("heading", name="Messages")).to_be_visible()
    assert serious_violations(page) == []


def _thumbs_down(page: Page, url: str) -> dict[str, object]:
    """Opens the host page ``url``, asks, and gives the answer a thumbs-down: the flag's body,
    once the server took it (the store has it by then)."""
    page.goto(url)
    open_chat(page)
    send(page, "is this the right page?")
    answer = finished_answer(page)
    dislike = answer.get_by_role("button", name="Dislike")
    with page.expect_request(lambda r: r.url.endswith("/api/feedback")) as sent:
        dislike.click()
    expect(dislike).to_have_attribute("aria-pressed", "true")
    expect(answer.locator(".thumb[aria-busy=true]")).to_have_count(0)
    body: dict[str, object] = json.loads(sent.value.post_data or "{}")
    return body


def test_a_thumbs_down_shows_its_page_in_the_filtered_list(
    new_page: Callable[..., Page], backends: Backends, host: HostServer
) -> None:
    """``store_transcripts`` is off: the conversation exists only through its flag, which
    carries the host page's URL (on another origin); with data-page-context="off" it carries
    none, and the console's page URL filter does not find that one."""
    console = backends("feedback_bot", "--admin-password", PASSWORD)
    shown = host.add(console.url, body="<h1>Pricing</h1>")
    body = _thumbs_down(new_page(), shown + "?plan=pro#compare")
    assert body["page_url"] == shown + "?plan=pro"  # the fragment stays in the browser
    hidden = host.add(console.url, attrs='data-page-context="off"')
    quiet = _thumbs_down(new_page(), hidden + "?secret=1")
    assert "page_url" not in quiet and "secret" not in json.dumps(quiet)
    assert quiet["flag"] == "Dislike"

    page = new_page()
    log_in(page, console)
    page.get_by_role("link", name="Transcripts").click()
    page.get_by_label("Page URL contains").fill(f"localhost:{host.port}/")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"page_url=localhost"))
    rows = page.locator("#transcripts tbody tr")
    expect(rows).to_have_count(1)  # not the page with data-page-context="off"
    expect(rows.first).to_contain_text(shown + "?plan=pro")
    expect(page.locator("#total")).to_have_text("1")
    rows.first.get_by_role("link").click()
    expect(page.locator(".feedback").first).to_contain_text("Thumbs down")
