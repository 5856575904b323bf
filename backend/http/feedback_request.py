"""The body of ``POST /api/feedback``: parsed strictly, every refusal a clear 4xx.

A flag names a signed answer (``id`` and ``conversation``), or an answer of the welcome
(``Chatbot(value=...)``, which the server knows) by ``welcome``: the index in the welcome of the
answer's first message (its group's, as ``LikeData.index``).

With the ``feedback_comments`` setting, a thumbs-down ("Dislike") on an answer may carry
``comment``: the visitor's words on it, at most ``MAX_COMMENT_CHARS``, kept as plain text
(control and bidi-override characters removed; nothing of it is ever read as markup).

Either kind of flag may carry ``page_url``: the page the widget is on (http(s), at most
``MAX_URL`` characters; ``""`` or left out: none), kept with the stored flag so the operator
console's page-URL filter finds conversations that exist only through their feedback."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..chat.answers import Content
from ..errors import InvalidRequestError
from ..settings import Settings
from .chat_request import parse_json, parse_messages
from .page_context import parse_url

FIELDS = {"id", "conversation", "flag", "visitor", "conversation_id"}
#: A flag on an answer of the welcome.
WELCOME_FIELDS = {"welcome", "flag", "visitor", "conversation_id"}
#: Optional on either kind of flag.
OPTIONAL = {"page_url"}
#: Optional: "user" for feedback on the visitor's message of the turn (``like_user_message``).
TARGETS = ("assistant", "user")
ANON_ID = re.compile(r"\A[A-Za-z0-9_-]{8,64}\Z")
#: The longest comment on a thumbs-down, in characters.
MAX_COMMENT_CHARS = 1000
#: Bidi embeddings, overrides and isolates: they could make a comment read as something else.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@dataclass(frozen=True)
class FeedbackRequest:
    message_id: str
    conversation: tuple[tuple[str, Content], ...]
    flag: str
    visitor: str
    conversation_id: str
    #: Whose message of the turn: "assistant" (the answer) or "user".
    target: str = "assistant"
    #: For an answer of the welcome: its index there (no ``message_id`` then).
    welcome: int | None = None
    #: ``feedback_comments``: the visitor's words with a thumbs-down ("" for none).
    comment: str = ""
    #: The page the widget is on ("" when not sent).
    page_url: str = ""


def clean_comment(text: str) -> str:
    """The comment as plain text: line breaks kept (as ``\\n``), tabs as spaces, every other
    control or bidi-override character dropped, blank lines at either end trimmed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    kept = (
        ch for ch in text
        if ch == "\n" or (unicodedata.category(ch) != "Cc" and ch not in BIDI_CONTROLS)
    )  # fmt: skip
    return "".join(kept).strip()


def _comment(data: dict[str, Any], flag: str, comments: bool) -> str:
    if "comment" not in data:
        return ""
    if not comments:
        raise InvalidRequestError("Comments on feedback are not enabled for this chat.")
    raw = data["comment"]
    if not isinstance(raw, str):
        raise InvalidRequestError("'comment' must be text.")
    if len(raw) > MAX_COMMENT_CHARS:
        raise InvalidRequestError(
            f"The comment is too long (at most {MAX_COMMENT_CHARS} characters)."
        )
    if flag != "Dislike":
        raise InvalidRequestError("A comment goes with a thumbs-down ('Dislike') only.")
    return clean_comment(raw)


def _page_url(data: dict[str, Any]) -> str:
    return parse_url(data["page_url"], "'page_url'") if "page_url" in data else ""


def _common(data: dict[str, Any], options: tuple[str, ...]) -> str:
    """The flag, once ``visitor`` and ``conversation_id`` are checked."""
    flag = data["flag"]
    if flag != "" and flag not in options:
        raise InvalidRequestError(f"'flag' must be one of {', '.join(options)} (or '' to unflag).")
    for name in ("visitor", "conversation_id"):
        if not isinstance(data[name], str) or not ANON_ID.match(data[name]):
            raise InvalidRequestError(f"'{name}' must be 8 to 64 letters, digits, '-' or '_'.")
    return str(flag)


def _welcome_flag(
    data: dict[str, Any], options: tuple[str, ...], welcome: Sequence[tuple[str, str]]
) -> FeedbackRequest:
    unknown = set(data) - WELCOME_FIELDS - OPTIONAL
    if unknown:
        raise InvalidRequestError(
            f"Unknown field {sorted(unknown)[0][:40]!r} (a flag on the welcome names it by "
            "'welcome' alone)."
        )
    missing = WELCOME_FIELDS - set(data)
    if missing:
        raise InvalidRequestError(f"The field {sorted(missing)[0]!r} is missing.")
    index = data["welcome"]
    starts = [
        i for i, (role, _) in enumerate(welcome)
        if role == "assistant" and (i == 0 or welcome[i - 1][0] != "assistant")
    ]  # fmt: skip
    if isinstance(index, bool) or not isinstance(index, int) or index not in starts:
        raise InvalidRequestError(
            "'welcome' must be the index of the first message of an answer of the welcome"
            + (f" ({', '.join(map(str, starts))})." if starts else ": this chat has none.")
        )
    flag = _common(data, options)
    end = index
    while end < len(welcome) and welcome[end][0] == "assistant":
        end += 1
    conversation = tuple(welcome[:end])
    return FeedbackRequest("", conversation, flag, data["visitor"], data["conversation_id"],
                           welcome=index, page_url=_page_url(data))  # fmt: skip


def parse_feedback_request(
    body: bytes,
    settings: Settings,
    options: tuple[str, ...],
    welcome: Sequence[tuple[str, str]] = (),
    *,
    comments: bool = False,
) -> FeedbackRequest:
    """``options``: the feedback choices; ``target`` is optional ("assistant"); ``welcome``:
    the welcome's messages, ``(role, text)``; ``comments``: a thumbs-down may carry a
    ``comment``. ``flag`` is checked as sent (a comment's "Dislike" before translation)."""
    data: Any = parse_json(body)
    if not isinstance(data, dict):
        raise InvalidRequestError("The request body must be a JSON object.")
    if "welcome" in data:
        return _welcome_flag(data, options, welcome)
    unknown = set(data) - FIELDS - OPTIONAL - {"target", "comment"}
    if unknown:
        raise InvalidRequestError(f"Unknown field {sorted(unknown)[0][:40]!r}.")
    missing = FIELDS - set(data)
    if missing:
        raise InvalidRequestError(f"The field {sorted(missing)[0]!r} is missing.")
    message_id = data["id"]
    if not isinstance(message_id, str) or not 0 < len(message_id) <= 64:
        raise InvalidRequestError("'id' must be the id of an answer.")
    flag = _common(data, options)
    target = data.get("target", "assistant")
    if target not in TARGETS:
        raise InvalidRequestError("'target' must be 'assistant' or 'user'.")
    raw = data["conversation"]
    if not isinstance(raw, list) or not 2 <= len(raw) <= settings.max_history_messages + 2:
        raise InvalidRequestError("'conversation' must list the messages up to the flagged one.")
    conversation = parse_messages(raw, "conversation", settings)
    if conversation[-1][0] != "assistant":
        raise InvalidRequestError("The flagged message must be an answer (role 'assistant').")
    if target == "user" and not any(role == "user" for role, _ in conversation):
        raise InvalidRequestError("The conversation has no message of the visitor to flag.")
    return FeedbackRequest(
        message_id, tuple(conversation), flag, data["visitor"], data["conversation_id"], target,
        comment=_comment(data, flag, comments), page_url=_page_url(data),
    )  # fmt: skip
