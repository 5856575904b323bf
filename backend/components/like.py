"""``chatbot.like(fn)`` and ``gr.LikeData``, as Gradio's: ``fn`` runs on the server on every
feedback a visitor gives a message (a thumb, an option of the flag menu, or taking it back).

``fn`` gets the values of its ``inputs`` (a ``Chatbot`` among them: the conversation up to the
message, as Gradio 6 passes a chatbot's value) and, in a parameter annotated ``gr.LikeData``,
the event: ``index`` (the message's place in the conversation), ``value`` (the message's
contents: a list, one entry per message of its group) and ``liked`` (``True`` for "Like",
``False`` for "Dislike", the option's text for any other, ``""`` when taken back). What ``fn``
returns updates its ``outputs`` in the widget, as an event handler's (``chat/event_calls.py``);
an exception in it is logged and the visitor's feedback still counts.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


class LikeData:
    """The feedback event a ``.like`` listener receives (Gradio's ``gr.LikeData``)."""

    def __init__(self, target: Any, data: dict[str, Any]) -> None:
        self.target = target
        self._data = data
        self.index: int | tuple[int, int] = data["index"]
        self.value: Any = data["value"]
        self.liked: bool | str = data.get("liked", True)


def liked(flag: str) -> bool | str:
    """The ``liked`` of Gradio's frontend for a feedback option."""
    return True if flag == "Like" else False if flag == "Dislike" else flag


@dataclass(frozen=True)
class LikeListener:
    """One ``chatbot.like(fn, inputs, outputs)``."""

    fn: Callable[..., Any]
    inputs: tuple[Any, ...] = ()
    outputs: tuple[Any, ...] = ()
    #: The name of ``fn``'s ``gr.LikeData`` parameter (None: it takes none).
    event_parameter: str | None = field(default=None)

    def arguments(
        self, event: LikeData, value_of: Callable[[Any], Any]
    ) -> tuple[list[Any], dict[str, Any]]:
        """``fn``'s positional and keyword arguments; ``value_of`` gives an input's value."""
        values = [value_of(item) for item in self.inputs]
        return values, ({self.event_parameter: event} if self.event_parameter else {})


def _as_tuple(value: Any) -> tuple[Any, ...]:
    if value is None:
        return ()
    return tuple(value) if isinstance(value, (list, tuple, set)) else (value,)


def _event_parameter(fn: Callable[..., Any]) -> str | None:
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return None
    for parameter in parameters:
        hint = parameter.annotation
        if hint is LikeData or (isinstance(hint, str) and hint.split(".")[-1] == "LikeData"):
            return parameter.name
    return None


def listener(fn: Any, inputs: Any, outputs: Any) -> LikeListener:
    """A checked ``.like(fn, inputs, outputs)``."""
    if not callable(fn):
        raise TypeError(f"Chatbot.like(): fn must be a function, not {fn!r}")
    return LikeListener(fn, _as_tuple(inputs), _as_tuple(outputs), _event_parameter(fn))


def group_of(messages: Sequence[tuple[str, Any]], role: str) -> tuple[int, list[Any]]:
    """The last run of ``role``'s messages in ``messages``: its first index and its contents."""
    end = len(messages)
    while end and messages[end - 1][0] != role:
        end -= 1
    start = end
    while start and messages[start - 1][0] == role:
        start -= 1
    return start, [content for _, content in messages[start:end]]
