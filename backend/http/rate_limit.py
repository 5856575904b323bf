"""Per-client token buckets with bounded memory (one process; see ARCHITECTURE for workers)."""

from __future__ import annotations

import time
from collections import OrderedDict


class RateLimiter:
    """``per_minute`` actions per key, refilled continuously; 0 disables the limit."""

    def __init__(self, per_minute: int, max_keys: int = 10_000) -> None:
        self._capacity = float(per_minute)
        self._rate = per_minute / 60.0
        self._max_keys = max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def allow(self, key: str) -> float:
        """0 when allowed (and counted), else the seconds to wait."""
        if self._capacity <= 0:
            return 0.0
        now = time.monotonic()
        tokens, last = self._buckets.pop(key, (self._capacity, now))
        tokens = min(self._capacity, tokens + (now - last) * self._rate)
        if tokens >= 1:
            self._buckets[key] = (tokens - 1, now)
            wait = 0.0
        else:
            self._buckets[key] = (tokens, now)
            wait = (1 - tokens) / self._rate
        while len(self._buckets) > self._max_keys:
            self._buckets.popitem(last=False)
        return wait
