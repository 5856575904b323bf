from __future__ import annotations

import pytest

from backend.http.rate_limit import RateLimiter
from tests.helpers import freeze_rate_clock


def test_bucket_allows_the_budget_then_says_how_long_to_wait(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = freeze_rate_clock(monkeypatch)
    limiter = RateLimiter(per_minute=3)
    assert [limiter.allow("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.allow("a") == pytest.approx(20.0)  # a token every 20 s
    assert limiter.allow("b") == 0.0  # other clients are not affected
    clock.now += 15.0
    assert limiter.allow("a") == pytest.approx(5.0)  # refilled continuously
    clock.now += 5.0
    assert limiter.allow("a") == 0.0


def test_zero_means_no_limit_and_memory_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze_rate_clock(monkeypatch)
    assert all(RateLimiter(0).allow("a") == 0.0 for _ in range(1000))
    limiter = RateLimiter(per_minute=1, max_keys=10)
    for key in range(100):
        limiter.allow(str(key))
    assert len(limiter._buckets) == 10  # noqa: SLF001 - the bound is the point of the test
