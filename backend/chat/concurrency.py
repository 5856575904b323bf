"""``concurrency_limit``: how many calls of the chat function may run at once in one worker.

A :class:`Gate` lets ``limit`` calls run and lines the others up in order of arrival; each
waiting caller holds a :class:`Place` that knows how many wait ahead of it and wakes when that
changes. Nobody is dropped: a place leaves the line only when its turn comes or its caller goes
(Stop, a disconnect). With ``max_size``, a caller that would have to wait behind ``max_size``
others is refused at once (``QueueFullError``, 429 "busy").

The gate knows nothing about HTTP or events: ``streams/events.py`` tells the client its
position, ``http/state.py`` joins and leaves. Without a limit (``None``), everyone walks in.
"""

from __future__ import annotations

import asyncio
from collections import deque

from ..errors import QueueFullError


class Place:
    """One caller's place at the gate: running (``admitted``) or waiting in line."""

    def __init__(self, gate: Gate) -> None:
        self._gate = gate
        self.admitted = False
        self.left = False
        self._moved = asyncio.Event()

    def ahead(self) -> int:
        """How many callers wait ahead of this one (0: it is next); 0 once admitted."""
        return self._gate.ahead(self)

    async def moved(self, timeout: float) -> bool:
        """Waits up to ``timeout`` seconds for the line to move; True if it did."""
        try:
            await asyncio.wait_for(self._moved.wait(), max(timeout, 0.0))
        except TimeoutError:
            return False
        self._moved.clear()
        return True

    def _nudge(self) -> None:
        self._moved.set()


class Gate:
    """At most ``limit`` callers inside at once (``None``: no limit); the others wait in line,
    at most ``max_size`` of them (``None``: any number)."""

    def __init__(self, limit: int | None, max_size: int | None = None) -> None:
        self.limit = limit
        self.max_size = max_size
        self.running = 0
        self._line: deque[Place] = deque()

    @property
    def waiting(self) -> int:
        return len(self._line)

    def join(self) -> Place:
        """A place for a new caller: admitted at once when there is room and nobody waits,
        else at the end of the line. Raises ``QueueFullError`` when the line is full."""
        place = Place(self)
        if self.limit is None or (self.running < self.limit and not self._line):
            self.running += 1
            place.admitted = True
        elif self.max_size is not None and len(self._line) >= self.max_size:
            raise QueueFullError()
        else:
            self._line.append(place)
        return place

    def leave(self, place: Place) -> None:
        """The caller is done (finished, stopped, gone): its room goes to the next in line."""
        if place.left:
            return
        place.left = True
        if place.admitted:
            self.running -= 1
        else:
            self._line.remove(place)
        while self._line and (self.limit is None or self.running < self.limit):
            first = self._line.popleft()
            first.admitted = True
            self.running += 1
            first._nudge()
        for waiting in self._line:
            waiting._nudge()

    def wake(self) -> None:
        """Every waiting caller looks around (the server is stopping)."""
        for waiting in self._line:
            waiting._nudge()

    def ahead(self, place: Place) -> int:
        if place.admitted or place.left:
            return 0
        return self._line.index(place)
