"""The body of ``POST /api/chat``: parsed strictly, every refusal a clear 4xx."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .errors import BadJSONError, InvalidRequestError
from .settings import Settings

ROLES = ("user", "assistant")
FIELDS = ("message", "history", "example")


@dataclass(frozen=True)
class ChatRequest:
    message: str
    history: tuple[tuple[str, str], ...]
    example: int | None = None

    def history_for_fn(self) -> list[dict[str, Any]]:
        """A fresh openai-style list for each call, so the function cannot change ours."""
        return [{"role": role, "content": content} for role, content in self.history]


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_json(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
    except UnicodeDecodeError:
        raise BadJSONError("The request body is not UTF-8.") from None
    except RecursionError:
        raise BadJSONError("The request body is nested too deeply.") from None
    except ValueError:
        raise BadJSONError() from None


def text_field(value: Any, what: str, limit: int) -> str:
    if not isinstance(value, str):
        raise InvalidRequestError(f"{what} must be a string.")
    text: str = value
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidRequestError(f"{what} contains invalid characters.") from None
    text = text.replace("\x00", "")
    if len(text) > limit:
        raise InvalidRequestError(
            f"{what} is too long ({len(text)} characters; the limit is {limit})."
        )
    return text


def parse_messages(raw: list[Any], name: str, settings: Settings) -> list[tuple[str, str]]:
    """Openai-style ``{"role", "content"}`` entries (user or assistant, text) as tuples."""
    messages = []
    for index, entry in enumerate(raw):
        where = f"{name}[{index}]"
        if not isinstance(entry, dict) or set(entry) != {"role", "content"}:
            raise InvalidRequestError(
                f"{where} must be an object with exactly 'role' and 'content'."
            )
        role = entry["role"]
        if role not in ROLES:
            raise InvalidRequestError(f"{where}.role must be 'user' or 'assistant'.")
        limit = settings.max_history_entry_chars
        messages.append((role, text_field(entry["content"], f"{where}.content", limit)))
    return messages


def parse_chat_request(
    body: bytes, settings: Settings, examples: tuple[str, ...] = (), max_length: int | None = None
) -> ChatRequest:
    """The request, checked against the settings, the examples' texts and the composer's
    ``max_length``."""
    data = parse_json(body)
    if not isinstance(data, dict):
        raise InvalidRequestError("The request body must be a JSON object.")
    for key in data:
        if key not in FIELDS:
            raise InvalidRequestError(f"Unknown field {key[:40]!r}.")
    if "message" not in data:
        raise InvalidRequestError("The field 'message' is missing.")
    limit = min(settings.max_message_chars, max_length or settings.max_message_chars)
    message = text_field(data["message"], "The message", limit)
    if not message.strip():
        raise InvalidRequestError("The message is empty.")
    raw_history = data.get("history", [])
    if not isinstance(raw_history, list):
        raise InvalidRequestError("'history' must be a list of messages.")
    if len(raw_history) > settings.max_history_messages:
        raise InvalidRequestError(
            f"The history has {len(raw_history)} messages; the limit is "
            f"{settings.max_history_messages}."
        )
    history = parse_messages(raw_history, "history", settings)
    example = data.get("example")
    if example is not None:
        if not isinstance(example, int) or isinstance(example, bool):
            raise InvalidRequestError("'example' must be the index of an example.")
        if not 0 <= example < len(examples) or examples[example] != message:
            raise InvalidRequestError("'example' does not name this example.")
        if history:
            raise InvalidRequestError("An example starts a conversation: history must be empty.")
    return ChatRequest(message, tuple(history), example)
