"""The overview: totals of a period and the day-by-day series the charts draw (conversations
and messages, thumbs-up share, flags by option, time to first token p50/p95, errors).

The series go into the page as JSON in a ``<script type="application/json">`` element (no
``<`` left in it), read by the overview script (``widget/admin/overview.ts``, uPlot) that only
this page loads. Every figure is also in the page as text (the totals and a table of flags).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from ...storage.store import DayStats
from .html import Shell, esc

DAY = 86_400
PERIODS = (7, 30, 90, 365)
DEFAULT_PERIOD = 30


def period_bounds(days: int, now: float) -> tuple[float, float]:
    """``[since, until)``: the ``days`` UTC days ending with today."""
    until = (int(now) // DAY + 1) * DAY
    return float(until - days * DAY), float(until)


def series(stats: list[DayStats], since: float, until: float) -> dict[str, Any]:
    """One value per day of ``[since, until)`` (days without activity count 0, or null where
    there is no value to show, as a share of no ratings)."""
    by_day = {row.day: row for row in stats}
    options = sorted({name for row in stats for name in row.flags})
    out: dict[str, Any] = {
        "days": [], "conversations": [], "messages": [], "share": [], "errors": [],
        "ttft50": [], "ttft95": [], "flags": {name: [] for name in options},
    }  # fmt: skip
    for start in range(int(since), int(until), DAY):
        day = datetime.fromtimestamp(start, UTC).strftime("%Y-%m-%d")
        row = by_day.get(day)
        out["days"].append(start)
        out["conversations"].append(row.conversations if row else 0)
        out["messages"].append(row.messages if row else 0)
        share = row.thumbs_up_share if row else None
        out["share"].append(None if share is None else round(share * 100, 1))
        out["errors"].append(row.errors if row else 0)
        out["ttft50"].append(row.ttft_p50 if row else None)
        out["ttft95"].append(row.ttft_p95 if row else None)
        for name in options:
            out["flags"][name].append(row.flags.get(name, 0) if row else 0)
    return out


def _totals(stats: list[DayStats]) -> list[tuple[str, str]]:
    ups = sum(row.ups for row in stats)
    downs = sum(row.downs for row in stats)
    share = f"{ups / (ups + downs) * 100:.0f} %" if ups + downs else "–"
    p95 = [row.ttft_p95 for row in stats if row.ttft_p95 is not None]
    return [
        ("Conversations", str(sum(row.conversations for row in stats))),
        ("Messages", str(sum(row.messages for row in stats))),
        ("Thumbs up", str(ups)),
        ("Thumbs down", str(downs)),
        ("Thumbs-up share", share),
        ("Errors", str(sum(row.errors for row in stats))),
        ("Worst daily p95 to first token", f"{max(p95):.2f} s" if p95 else "–"),
    ]


CHARTS = (
    ("volume", "Conversations and messages per day"),
    ("share", "Thumbs-up share per day (%)"),
    ("flags", "Flags by option per day"),
    ("ttft", "Time to first token per day, p50 and p95 (seconds)"),
    ("errors", "Errors per day"),
)


def overview_page(
    shell: Shell, nonce: str, stats: list[DayStats], days: int, data: dict[str, Any]
) -> str:
    periods = " · ".join(
        f"<strong>{p} days</strong>"
        if p == days
        else f'<a href="{shell.url("")}?days={p}">{p} days</a>'
        for p in PERIODS
    )
    flags: dict[str, int] = {}
    for row in stats:
        for name, count in row.flags.items():
            flags[name] = flags.get(name, 0) + count
    flag_rows = "".join(
        f"<tr><td>{esc(name)}</td><td>{count}</td></tr>" for name, count in sorted(flags.items())
    )
    figures = "".join(
        f'<figure><figcaption id="cap-{key}">{esc(caption)}</figcaption>'
        f'<div class="chart" id="chart-{key}" role="img" aria-labelledby="cap-{key}"></div>'
        "</figure>"
        for key, caption in CHARTS
    )
    script, style = shell.url("/static/overview.js"), shell.url("/static/uPlot.min.css")
    payload = json.dumps(data, separators=(",", ":")).replace("<", "\\u003c")
    body = (
        f'<p>Period: {periods} (UTC days)</p>\n<dl class="totals">'
        + "".join(f"<div><dt>{esc(k)}</dt><dd>{esc(v)}</dd></div>" for k, v in _totals(stats))
        + "</dl>\n"
        + f'<div class="charts">{figures}</div>\n'
        + "<h2>Flags by option</h2>\n"
        + (
            f'<table><thead><tr><th scope="col">Option</th><th scope="col">Times given</th></tr>'
            f"</thead><tbody>{flag_rows}</tbody></table>\n"
            if flag_rows
            else "<p>No flags in this period.</p>\n"
        )
        + f'<script type="application/json" id="chart-data">{payload}</script>\n'
        + f'<script src="{script}" nonce="{esc(nonce)}" defer></script>\n'
    )
    head = f'<link rel="stylesheet" href="{style}" nonce="{esc(nonce)}">\n'
    return shell.page("Overview", body, nonce, head=head)
