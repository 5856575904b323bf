"""The console's pages: hostile text stays text, the CSP and its nonce, the overview's series,
filters narrowing the list, pages of the list, delete with its confirmation and token."""

from __future__ import annotations

import json
import re
from pathlib import Path

from quart.typing import TestClientProtocol as Client

from backend.http.admin.overview import series
from backend.storage.store import DayStats, Timings, Turn, open_store
from tests.http.admin.conftest import DAY, HOSTILE, T0, admin_app, form_token, log_in, seed


async def page(client: Client, path: str) -> str:
    response = await client.get(path)
    assert response.status_code == 200, path
    return await response.get_data(as_text=True)


def listed(html: str) -> set[str]:
    return set(re.findall(r'/admin/transcript\?id=([\w-]+)"', html))


async def test_hostile_text_is_escaped_everywhere(admin: Client) -> None:
    for path in (
        "/admin/transcripts",
        "/admin/transcript?id=c-hostile",
        "/admin/transcript?id=c-pricing",  # the hostile feedback comment
        "/admin/delete?id=c-hostile",
        "/admin/transcripts?q=" + HOSTILE,  # typed into the search box
    ):
        html = await page(admin, path)
        assert "<script>alert" not in html, path
        assert "<img src=x" not in html, path
        assert "&lt;script&gt;alert(&quot;x&quot;)" in html, path


async def test_pages_are_served_under_a_strict_csp_with_a_fresh_nonce(admin: Client) -> None:
    first, second = await admin.get("/admin"), await admin.get("/admin")
    policy = first.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert policy != second.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce is not None
    html = await first.get_data(as_text=True)
    assert f'overview.js" nonce="{nonce[1]}"' in html
    assert first.headers["Cache-Control"] == "no-store"
    # Not the app's no-referrer: with it a browser sends its forms with ``Origin: null``.
    assert first.headers["Referrer-Policy"] == "same-origin"


async def test_the_overview_carries_the_days_series(tmp_path: Path) -> None:
    await seed(tmp_path)
    async with admin_app(tmp_path).test_app() as test_app:
        client = test_app.test_client()
        await log_in(client)
        html = await page(client, "/admin?days=365")
    data = json.loads(re.search(r'id="chart-data">(.*?)</script>', html, re.S)[1])  # type: ignore[index]
    assert len(data["days"]) == 365
    assert "<" not in re.search(r'id="chart-data">(.*?)</script>', html, re.S)[1]  # type: ignore[index]
    for key in ("volume", "share", "flags", "ttft", "errors"):
        assert f'id="chart-{key}"' in html


def test_series_fills_every_day_and_keeps_no_rating_apart_from_zero() -> None:
    row = DayStats(
        day="2026-03-11", conversations=2, messages=4, ups=1, downs=3, flags={"Spam": 2},
        errors=1, ttft_p50=0.5, ttft_p95=1.5,
    )  # fmt: skip
    since = 1_773_100_800.0  # 2026-03-10 00:00 UTC
    data = series([row], since, since + 3 * DAY)
    assert data["days"] == [since, since + DAY, since + 2 * DAY]
    assert data["conversations"] == [0, 2, 0]
    assert data["share"] == [None, 25.0, None]
    assert data["flags"] == {"Spam": [0, 2, 0]}
    assert data["ttft95"] == [None, 1.5, None]
    assert data["errors"] == [0, 1, 0]


async def test_filters_narrow_the_list(admin: Client) -> None:
    everything = {"c-hostile", "c-pricing", "c-error"}
    assert listed(await page(admin, "/admin/transcripts")) == everything
    cases = {
        "rating=down": {"c-pricing"},
        "rating=up": {"c-hostile"},
        "flag=Spam": {"c-error"},
        "user=ann": {"c-pricing"},
        "page_url=blog.example": {"c-error"},
        "q=how+much": {"c-pricing"},
        "since=2026-03-11": {"c-pricing", "c-error"},
        "until=2026-03-10": {"c-hostile"},
        "since=2026-03-11&until=2026-03-11": {"c-pricing"},
        "rating=down&page_url=blog": set(),
    }
    for query, expected in cases.items():
        html = await page(admin, "/admin/transcripts?" + query)
        assert listed(html) == expected, query
        assert f'<span id="total">{len(expected)}</span>' in html


async def test_a_bad_filter_is_a_clear_400(admin: Client) -> None:
    for query, words in (
        ("since=yesterday", "since must be a date"),
        ("rating=great", "rating must be one of"),
        ("page=0", "page must be a number"),
        ("q=%00", "The filter q holds a NUL"),  # SQLite's LIKE would match every row
        ("page_url=a%00b", "The filter page_url holds a NUL"),
    ):
        response = await admin.get("/admin/transcripts?" + query)
        assert response.status_code in (400, 422), query
        assert words in (await response.get_json())["error"]


async def test_the_list_is_paginated(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'store.sqlite3'}", tmp_path)
    for n in range(30):
        await store.record_turn(
            Turn(
                conversation_id=f"c{n:02d}",
                message=[{"type": "text", "text": f"question {n}"}],
                answer=[{"type": "text", "text": "answer"}],
                timings=Timings(queued=T0 + n, first_token=T0 + n, finished=T0 + n),
            )
        )
    await store.close()
    async with admin_app(tmp_path).test_app() as test_app:
        client = test_app.test_client()
        await log_in(client)
        first = await page(client, "/admin/transcripts")
        second = await page(client, "/admin/transcripts?page=2")
    assert len(listed(first)) == 25 and len(listed(second)) == 5
    assert listed(first).isdisjoint(listed(second))
    assert 'href="/admin/transcripts?page=2" rel="next"' in first
    assert 'rel="next"' not in second and 'rel="prev"' in second


async def test_a_transcript_shows_timings_feedback_and_errors_inline(admin: Client) -> None:
    html = await page(admin, "/admin/transcript?id=c-error")
    assert "first token after 0.50 s" in html
    assert "finished after 2.00 s" in html
    assert "Error: model server down" in html
    assert "⚑ Spam" in html
    missing = await admin.get("/admin/transcript?id=nope")
    assert missing.status_code == 404


async def test_delete_needs_its_token_then_removes_the_conversation(admin: Client) -> None:
    confirm = await page(admin, "/admin/delete?id=c-error")
    refused = await admin.post("/admin/delete", form={"id": "c-error"})
    assert refused.status_code == 403
    assert (await refused.get_json())["code"] == "csrf_failed"
    forged = await admin.post("/admin/delete", form={"id": "c-error", "csrf": "0" * 64})
    assert forged.status_code == 403
    assert (await admin.get("/admin/transcript?id=c-error")).status_code == 200
    done = await admin.post("/admin/delete", form={"id": "c-error", "csrf": form_token(confirm)})
    assert done.status_code == 200
    assert (await admin.get("/admin/transcript?id=c-error")).status_code == 404
    assert listed(await page(admin, "/admin/transcripts")) == {"c-hostile", "c-pricing"}


async def test_a_post_that_is_not_a_form_is_refused(admin: Client) -> None:
    response = await admin.post("/admin/delete", json={"id": "c-error"})
    assert response.status_code == 415


async def test_the_chart_library_is_only_in_the_overviews_own_script(admin: Client) -> None:
    """uPlot (found by its legend class, which minifying keeps) is in the console's overview
    script, loaded by the overview page only; never in the widget's core or any of its chunks."""
    static = Path(__file__).resolve().parents[3] / "backend" / "static"
    assert "u-legend" in (static / "admin" / "overview.js").read_text(encoding="utf-8")
    widget = [static / "widget.js", *sorted((static / "chunks").rglob("*.js"))]
    assert len(widget) > 10  # the core and its chunks are built
    holding = [path.name for path in widget if "u-legend" in path.read_text(encoding="utf-8")]
    assert holding == []
    assert "overview.js" in await page(admin, "/admin")
    assert "overview.js" not in await page(admin, "/admin/transcripts")
    assert "overview.js" not in await page(admin, "/admin/transcript?id=c-pricing")
