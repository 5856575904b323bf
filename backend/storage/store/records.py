"""What the conversation store keeps and answers, as plain frozen dataclasses.

Times are UTC seconds since the epoch (``float``); ``day`` is the UTC date ``YYYY-MM-DD`` a row
falls on (the console's charts group by it). Content is kept as the widget's parts (JSON: a list
of ``{"type": "text", "text": ...}``, ``{"type": "file", ...}``, ...). Nothing here is an IP
address: a visitor is their client-chosen anonymous id, a user the verified ``sub`` or login.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

#: How a feedback row rates the answer: Gradio's "Like" is up, "Dislike" down, any other flag
#: option neither (a flag); "" (unflagging) is none.
Rating = Literal["up", "down", "flag", "none"]
Role = Literal["user", "assistant"]
Parts = list[dict[str, Any]]


def day_of(at: float) -> str:
    """The UTC day ``at`` falls on."""
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%d")


def rating_of(flag: str) -> Rating:
    if flag == "Like":
        return "up"
    if flag == "Dislike":
        return "down"
    return "flag" if flag else "none"


@dataclass(frozen=True)
class Timings:
    """When the visitor's message came in, the answer's first token, the answer's end."""

    queued: float | None = None
    first_token: float | None = None
    finished: float | None = None

    @property
    def time_to_first_token(self) -> float | None:
        if self.queued is None or self.first_token is None:
            return None
        return max(0.0, self.first_token - self.queued)


@dataclass(frozen=True)
class Turn:
    """One finished turn, recorded with ``store_transcripts``: the visitor's message and the
    answer (or the model's error, then ``answer`` may be empty or partial)."""

    conversation_id: str
    message: Parts
    answer: Parts
    timings: Timings
    #: The signed id of the answer (what feedback names), "" when feedback is off.
    message_id: str = ""
    error: str = ""
    user: str = ""
    visitor: str = ""
    page_url: str = ""


@dataclass(frozen=True)
class Message:
    """One stored message of a transcript."""

    id: int
    conversation_id: str
    position: int
    role: Role
    parts: Parts
    at: float
    message_id: str = ""
    timings: Timings = field(default_factory=Timings)
    error: str = ""

    @property
    def text(self) -> str:
        return text_of(self.parts)


def text_of(parts: Parts) -> str:
    """The text parts of a message, joined (what text search looks in)."""
    return "\n".join(str(p.get("text", "")) for p in parts if p.get("type") == "text")


@dataclass(frozen=True)
class Feedback:
    """One flag on a message, as the visitor sent it (``id`` is the store's, 0 before)."""

    conversation_id: str
    message_id: str
    flag: str
    #: The messages up to the flagged one, as the CSV's first column: ``[{role, content}]``.
    conversation: list[dict[str, Any]]
    #: Index of the flagged message in ``conversation``.
    index: int
    at: float
    target: Role = "assistant"
    comment: str = ""
    visitor: str = ""
    user: str = ""
    page_url: str = ""
    id: int = 0

    @property
    def rating(self) -> Rating:
        return rating_of(self.flag)


@dataclass(frozen=True)
class FileRecord:
    """A file's metadata by its server-issued id (the bytes stay in ``upload_dir``)."""

    id: str
    name: str
    size: int
    mime: str
    conversation_id: str
    at: float


@dataclass(frozen=True)
class Filters:
    """The operator's filters on conversations; every one left at its default matches all.
    ``since``/``until``: times (``until`` excluded) of a conversation's last activity."""

    since: float | None = None
    until: float | None = None
    rating: Rating | None = None
    flag: str | None = None
    user: str | None = None
    #: A substring of the page URL the conversation was on.
    page_url: str | None = None
    #: Words in a message, a feedback comment or a flagged conversation (case-insensitive).
    text: str | None = None


@dataclass(frozen=True)
class ConversationSummary:
    """One row of the transcripts list."""

    id: str
    started: float
    updated: float
    user: str
    visitor: str
    page_url: str
    messages: int
    ups: int
    downs: int
    flags: int
    errors: int
    #: The first visitor message's text (or the flagged conversation's), for the list.
    title: str = ""


@dataclass(frozen=True)
class Transcript:
    """One conversation with its messages (none without ``store_transcripts``), its feedback
    and its files."""

    summary: ConversationSummary
    messages: list[Message]
    feedback: list[Feedback]
    files: list[FileRecord]


@dataclass(frozen=True)
class DayStats:
    """One day of the overview's charts (UTC days)."""

    day: str
    conversations: int
    messages: int
    ups: int
    downs: int
    #: Flag options other than Like/Dislike, and how often each was given.
    flags: dict[str, int]
    errors: int
    #: Seconds from the visitor's message to the answer's first token.
    ttft_p50: float | None
    ttft_p95: float | None

    @property
    def thumbs_up_share(self) -> float | None:
        rated = self.ups + self.downs
        return self.ups / rated if rated else None
