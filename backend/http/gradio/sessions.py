"""The server side of a Gradio client's session (its ``session_hash``): the history kept for a
client that sends only the message (string contents, as Gradio 6.31 stores it for API
callers), and its calls not yet read from ``/gradio_api/queue/data``. In memory, bounded: the
least recently used sessions go first, and an idle one expires."""

from __future__ import annotations

import asyncio
import re
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...errors import InvalidRequestError

if TYPE_CHECKING:
    from ..chat_request import Message
    from .calls import Call

#: What Gradio's clients send: a uuid4 (gradio_client) or a random base-36 word (the JS client).
SESSION_HASH = re.compile(r"\A[A-Za-z0-9_-]{1,128}\Z")
#: Sessions kept at most (Gradio keeps 10,000), and how long an idle one lives (seconds).
MAX_SESSIONS = 10_000
IDLE_SECONDS = 3600.0


def session_hash(value: object) -> str:
    if not isinstance(value, str) or not SESSION_HASH.match(value):
        raise InvalidRequestError("'session_hash' must be 1 to 128 letters, digits, '-' or '_'.")
    return value


@dataclass(eq=False)
class Session:
    hash: str
    #: The conversation so far, as ``ChatRequest.history`` holds it.
    history: list[Message] = field(default_factory=list)
    #: Calls joined through the queue whose updates the data stream has not sent yet.
    queued: list[Call] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    used: float = field(default_factory=time.monotonic)

    def poke(self) -> None:
        """Wakes the data stream (a call of this session has news)."""
        self.changed.set()
        self.changed = asyncio.Event()

    def remember(self, turns: list[Message], keep: int) -> None:
        """Adds a finished turn (the user's messages and the answer), keeping the last
        ``keep`` messages."""
        self.history.extend(turns)
        del self.history[:-keep]


class Sessions:
    """Every session of this worker, least recently used first."""

    def __init__(self, capacity: int = MAX_SESSIONS, idle: float = IDLE_SECONDS) -> None:
        self.capacity = capacity
        self.idle = idle
        self._sessions: OrderedDict[str, Session] = OrderedDict()

    def get(self, hash_: str) -> Session:
        """The session ``hash_``, made if new (or expired)."""
        now = time.monotonic()
        session = self._sessions.pop(hash_, None)
        if session is None or (now - session.used > self.idle and not session.queued):
            session = Session(hash_)
        session.used = now
        self._sessions[hash_] = session
        while len(self._sessions) > self.capacity:
            self._sessions.popitem(last=False)
        return session

    def find(self, hash_: str) -> Session | None:
        session = self._sessions.get(hash_)
        if session is None or time.monotonic() - session.used > self.idle:
            return None
        return session

    def __len__(self) -> int:
        return len(self._sessions)
