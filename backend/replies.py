"""What a chat function may return or yield, normalized to the text of one answer."""

from __future__ import annotations

from typing import Any


class ReplyError(TypeError):
    """The chat function gave a value chatbubble cannot show; the message is for the operator."""


def reply_text(value: Any) -> str:
    """The answer text for one snapshot: a string, a number, ``None`` (nothing yet) or an
    openai-style message dict ``{"role": "assistant", "content": "..."}``."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dict) and isinstance(value.get("content"), str):
        role = value.get("role", "assistant")
        if role != "assistant":
            raise ReplyError(f"a returned message must have role 'assistant', not {role!r}")
        return str(value["content"])
    raise ReplyError(
        f"the chat function returned a {type(value).__name__}; "
        "return or yield a string (or an openai-style assistant message dict)"
    )
