"""How many answers each client is streaming at once (one worker process), so one visitor
cannot hold every worker thread or connection."""

from __future__ import annotations


class StreamSlots:
    """At most ``per_client`` streams per key; 0 means no limit."""

    def __init__(self, per_client: int) -> None:
        self.per_client = per_client
        self._open: dict[str, int] = {}

    def take(self, key: str) -> bool:
        """Counts a new stream for ``key``; False (and nothing counted) when at the limit."""
        if self.per_client <= 0:
            return True
        count = self._open.get(key, 0)
        if count >= self.per_client:
            return False
        self._open[key] = count + 1
        return True

    def give_back(self, key: str) -> None:
        if self.per_client <= 0:
            return
        count = self._open.get(key, 0) - 1
        if count > 0:
            self._open[key] = count
        else:
            self._open.pop(key, None)

    def open_streams(self, key: str) -> int:
        return self._open.get(key, 0)
