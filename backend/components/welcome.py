"""``Chatbot(value=[...])``: the messages shown before the visitor writes, the welcome.

Given as openai-style dicts, ``gr.ChatMessage`` objects or Gradio 6's typed-parts shape (content
as ``[{"type": "text", "text": ...}]``); text only. As in Gradio 6.31 (measured, in the browser
and through ``gradio_client``), the chat function finds them at the start of every
conversation's history, in the history's format like any other message (chat/history.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MAX_MESSAGES = 50
ROLES = ("assistant", "user")


@dataclass(frozen=True)
class WelcomeMessage:
    role: str
    text: str


def _text(where: str, content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, (list, tuple)) and all(
        isinstance(part, dict) and part.get("type") == "text" and isinstance(part.get("text"), str)
        for part in content
    ):
        return "\n\n".join(part["text"] for part in content)
    raise TypeError(
        f"{where}: a welcome message's content must be text (a string, or a list of "
        f"{{'type': 'text', 'text': ...}} parts), not {content!r:.80}"
    )


def welcome_messages(where: str, value: Any) -> tuple[WelcomeMessage, ...]:
    """The initial messages, checked."""
    if value is None:
        return ()
    if callable(value):
        raise TypeError(f"{where}: value must be a list of messages (a callable is not supported)")
    if not isinstance(value, (list, tuple)) or len(value) > MAX_MESSAGES:
        raise TypeError(
            f"{where}: value must be a list of at most {MAX_MESSAGES} messages such as "
            "{'role': 'assistant', 'content': 'Hello!'}"
        )
    out = []
    for index, item in enumerate(value):
        here = f"{where}: value[{index}]"
        if isinstance(item, dict) and "content" in item:
            role, content = item.get("role"), item["content"]
        elif hasattr(item, "content") and hasattr(item, "role"):  # gr.ChatMessage
            role, content = item.role, item.content
        else:
            raise TypeError(
                f"{here} must be a message dict {{'role': ..., 'content': ...}} or a "
                f"gr.ChatMessage, not {item!r:.80} (Gradio 6 has no tuples format)"
            )
        if role not in ROLES:
            raise ValueError(f"{here}: role must be 'assistant' or 'user', not {role!r}")
        out.append(WelcomeMessage(role, _text(here, content)))
    return tuple(out)
