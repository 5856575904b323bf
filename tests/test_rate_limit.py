from __future__ import annotations

from backend.rate_limit import RateLimiter


def test_bucket_allows_the_budget_then_says_how_long_to_wait() -> None:
    limiter = RateLimiter(per_minute=3)
    assert [limiter.allow("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = limiter.allow("a")
    assert 0 < wait <= 20.0
    assert limiter.allow("b") == 0.0  # other clients are not affected


def test_zero_means_no_limit_and_memory_is_bounded() -> None:
    assert all(RateLimiter(0).allow("a") == 0.0 for _ in range(1000))
    limiter = RateLimiter(per_minute=1, max_keys=10)
    for key in range(100):
        limiter.allow(str(key))
    assert len(limiter._buckets) == 10  # noqa: SLF001 - the bound is the point of the test
