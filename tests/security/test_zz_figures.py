"""The figures of the whole security suite (PROMISES.md §8), printed and asserted last.

Runs after every other module of tests/security (pytest orders files by name). The terminal
summary prints the same figures (conftest.py).
"""

from __future__ import annotations

import pytest

from tests.security.figures import growth, report
from tests.security.harness import BACKGROUND, FIGURES, alive, raw_status


def test_t3_a_body_that_stops_arriving_gets_408() -> None:
    """T-3: ``Content-Length: 1000`` and then silence: 408 ``request_timeout`` after
    BODY_IDLE_SECONDS (30 s), and the connection closed (the client would hold on for
    BODY_IDLE_SECONDS + LIVENESS)."""
    client = BACKGROUND.get("T-3-slow-body")
    if client is None:
        pytest.skip("test_transport.py did not run in this session")
    assert client.verdict() is None, client.verdict()
    assert raw_status(client.received) == [408], client.received[:200]
    assert b"request_timeout" in client.received


def test_figures() -> None:
    for server in FIGURES.servers:
        problem = alive(server)
        if problem and problem not in FIGURES.crashes:
            FIGURES.crashes.append(problem)
    growth()
    lines = report()
    print("\n".join(lines))
    assert FIGURES.crashes == [], "worker crashes"
    assert FIGURES.unknown("leak") == [], "responses with a leak"
    assert FIGURES.unknown("5xx") == [], "5xx for client-caused errors"
    assert FIGURES.unknown("envelope") == [], "error bodies that are not the envelope"
    assert FIGURES.xss_fired == [], "XSS executed in Chromium"
    assert max(FIGURES.rss_growth.values(), default=0) < 50 * 2**20, FIGURES.rss_growth
