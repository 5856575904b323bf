"""Feedback on messages, beyond the CSV log: which choices visitors get, and the app's
``chatbot.like(fn, inputs, outputs)`` listeners called with each feedback
(``backend/components/like.py``), what they return shaped as an event's outputs
(``chat/event_calls.outputs``) for the widget to apply."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..chat.answers import Content
from ..chat.event_calls import StateGet, StateSet, call
from ..chat.request import Request
from ..components.chatbot import Chatbot
from ..components.like import LikeData, LikeListener, group_of, liked
from ..components.state import State
from ..files.store import FileStore

if TYPE_CHECKING:
    from ..chat.interface import ChatInterface

log = logging.getLogger("backend.likes")


def feedback_options(interface: ChatInterface) -> tuple[str, ...] | None:
    """The feedback choices on messages, or None (no buttons). As Gradio: ``flagging_mode=
    "manual"`` uses ``flagging_options``; otherwise a ``.like`` listener (or Gradio 4/5's
    ``likeable=True``) shows the chatbot's ``feedback_options``."""
    if interface.flagging:
        return interface.flagging_options
    chatbot = interface.chatbot
    if (chatbot.likes or chatbot.options.likeable) and chatbot.options.feedback_options:
        return chatbot.options.feedback_options
    return None


def _content(content: Content, files: FileStore) -> Any:
    """A message's content as ``LikeData.value`` and a chatbot value carry it: text, or a file
    as Gradio's ``FileData`` (``path``, ``orig_name``, ``mime_type``)."""
    if isinstance(content, str):
        return content
    stored = files.get(content[0])
    if stored is None:
        return {"path": None, "orig_name": None, "mime_type": None}
    return {"path": str(stored.path), "orig_name": stored.name, "mime_type": stored.mime}


def chatbot_value(
    conversation: Sequence[tuple[str, Content]], files: FileStore
) -> list[dict[str, Any]]:
    """The conversation as Gradio 6 passes a chatbot's value to a listener."""
    out = []
    for role, content in conversation:
        value = _content(content, files)
        part = (
            {"type": "text", "text": value} if isinstance(value, str)
            else {"type": "file", "file": value}
        )  # fmt: skip
        out.append({"role": role, "metadata": None, "content": [part], "options": None})
    return out


async def call_likes(
    interface: ChatInterface,
    conversation: Sequence[tuple[str, Content]],
    role: str,
    flag: str,
    files: FileStore,
    get: StateGet,
    keep: StateSet,
    run: Runner,
    *,
    welcome: bool = False,
) -> list[list[Any]]:
    """Calls every ``.like`` listener of the chatbot with the feedback ``flag`` on the last
    message group of ``role`` in ``conversation``; an exception is logged, never raised. Returns
    what their ``outputs`` become, ``[[id, props], ...]`` as an event's outputs (``State``
    outputs are kept with ``keep``; ``State`` inputs read with ``get``). ``welcome``: the flag
    is on an answer of the welcome, and ``conversation`` is the welcome up to it."""
    chatbot = interface.chatbot
    if not chatbot.likes:
        return []
    # The welcome opens the chatbot's value and counts in the index, as in Gradio.
    if not welcome:
        conversation = [*chatbot.welcome_turns(), *conversation]
    index, contents = group_of(conversation, role)
    event = LikeData(
        chatbot,
        {"index": index, "value": [_content(c, files) for c in contents], "liked": liked(flag)},
    )

    def value_of(item: Any) -> Any:
        if isinstance(item, Chatbot):
            return chatbot_value(conversation, files)
        if isinstance(item, State):
            return get(item)
        return getattr(item, "value", None)

    changes: list[list[Any]] = []
    for listener in chatbot.likes:
        changes += await _call(interface, listener, event, value_of, keep, run)
    return changes


async def _call(
    interface: ChatInterface,
    listener: LikeListener,
    event: LikeData,
    value_of: Any,
    keep: StateSet,
    run: Runner,
) -> list[list[Any]]:
    """The listener run as an event handler is (any of the chat function's four shapes, on
    the worker threads, with the ``gr.Request``): its last outputs."""
    name = getattr(listener.fn, "__name__", "fn")
    changes: list[list[Any]] = []
    try:
        args, kwargs = listener.arguments(event, value_of)
        calls = call(
            interface.wiring, listener, tuple(args), kwargs, run.executor, run.request, keep
        )
        async for update in calls:  # a generator's last yield is what stays shown
            changes = update
    except Exception:
        log.exception("chatbot.like(%s) raised", name)
    return changes


@dataclass(frozen=True)
class Runner:
    """Where listeners run: the worker threads, and the ``gr.Request`` they get."""

    executor: Executor
    request: Request
