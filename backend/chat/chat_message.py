"""``ChatMessage``: an answer message with metadata (thoughts, tool steps) and preset replies.

As in Gradio, ``metadata["title"]`` shows the message as a collapsible step titled by it;
``status`` ``"pending"`` keeps it open with a spinner, ``"done"`` collapses it; ``duration``
(seconds) and ``log`` are shown beside the title; ``id`` and ``parent_id`` nest steps.
``options`` are buttons under the message; a click sends the option's ``value``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

METADATA_KEYS = ("title", "id", "parent_id", "duration", "status", "log")
MAX_OPTIONS = 20


class MessageError(TypeError):
    """A malformed ChatMessage (or message dict); the text is for the operator's log."""


@dataclass
class ChatMessage:
    """One message of an answer, as Gradio's ``gr.ChatMessage``.

    Example::

        def fn(message, history):
            step = {"title": "Search", "status": "pending"}
            yield gr.ChatMessage("Looking it up...", metadata=step)
    """

    content: Any = ""
    role: str = "assistant"
    metadata: dict[str, Any] = field(default_factory=dict)
    options: list[dict[str, Any]] = field(default_factory=list)


def clean_metadata(metadata: Any) -> dict[str, Any]:
    """The metadata the widget uses, checked; unknown keys are dropped."""
    if metadata is None:
        return {}
    if not isinstance(metadata, dict):
        raise MessageError(f"metadata must be a dict, not a {type(metadata).__name__}")
    out: dict[str, Any] = {}
    for key in METADATA_KEYS:
        if key not in metadata or metadata[key] is None:
            continue
        value = metadata[key]
        if key in ("title", "log"):
            if not isinstance(value, str):
                raise MessageError(f"metadata[{key!r}] must be a string, not {value!r}")
            out[key] = value
        elif key in ("id", "parent_id"):
            if isinstance(value, bool) or not isinstance(value, (int, str)):
                raise MessageError(f"metadata[{key!r}] must be an int or a string")
            out[key] = str(value)
        elif key == "duration":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise MessageError("metadata['duration'] must be a number of seconds")
            if math.isfinite(value) and value >= 0:
                out[key] = round(float(value), 3)
        elif key == "status":
            if value not in ("pending", "done"):
                raise MessageError("metadata['status'] must be 'pending' or 'done'")
            out[key] = value
    return out


def clean_options(options: Any) -> list[dict[str, str]]:
    """Preset replies: ``[{"value": ..., "label": ...}]`` (label optional)."""
    if options is None:
        return []
    if not isinstance(options, (list, tuple)):
        raise MessageError("options must be a list of {'value': ..., 'label': ...} dicts")
    if len(options) > MAX_OPTIONS:
        raise MessageError(f"at most {MAX_OPTIONS} options per message")
    out = []
    for option in options:
        if not isinstance(option, dict) or not isinstance(option.get("value"), str):
            raise MessageError(f"each option needs a string 'value', not {option!r}")
        label = option.get("label")
        if label is not None and not isinstance(label, str):
            raise MessageError(f"an option's label must be a string, not {label!r}")
        cleaned = {"value": option["value"]}
        if label:
            cleaned["label"] = label
        out.append(cleaned)
    return out
