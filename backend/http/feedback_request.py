"""The body of ``POST /api/feedback``: parsed strictly, every refusal a clear 4xx."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..chat.answers import Content
from ..errors import InvalidRequestError
from ..settings import Settings
from .chat_request import parse_json, parse_messages

FIELDS = {"id", "conversation", "flag", "visitor", "conversation_id"}
#: Optional: "user" for feedback on the visitor's message of the turn (``like_user_message``).
TARGETS = ("assistant", "user")
ANON_ID = re.compile(r"\A[A-Za-z0-9_-]{8,64}\Z")


@dataclass(frozen=True)
class FeedbackRequest:
    message_id: str
    conversation: tuple[tuple[str, Content], ...]
    flag: str
    visitor: str
    conversation_id: str
    #: Whose message of the turn: "assistant" (the answer) or "user".
    target: str = "assistant"


def parse_feedback_request(
    body: bytes, settings: Settings, options: tuple[str, ...]
) -> FeedbackRequest:
    """``options``: the feedback choices; ``target`` is optional ("assistant")."""
    data: Any = parse_json(body)
    if not isinstance(data, dict):
        raise InvalidRequestError("The request body must be a JSON object.")
    unknown = set(data) - FIELDS - {"target"}
    if unknown:
        raise InvalidRequestError(f"Unknown field {sorted(unknown)[0][:40]!r}.")
    missing = FIELDS - set(data)
    if missing:
        raise InvalidRequestError(f"The field {sorted(missing)[0]!r} is missing.")
    message_id = data["id"]
    if not isinstance(message_id, str) or not 0 < len(message_id) <= 64:
        raise InvalidRequestError("'id' must be the id of an answer.")
    flag = data["flag"]
    if flag != "" and flag not in options:
        raise InvalidRequestError(f"'flag' must be one of {', '.join(options)} (or '' to unflag).")
    for name in ("visitor", "conversation_id"):
        if not isinstance(data[name], str) or not ANON_ID.match(data[name]):
            raise InvalidRequestError(f"'{name}' must be 8 to 64 letters, digits, '-' or '_'.")
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
        message_id, tuple(conversation), flag, data["visitor"], data["conversation_id"], target
    )
