"""What a chat function may return or yield, normalized to the parts of one answer.

A text answer (a string, a number, ``None``, an openai-style assistant dict with a string
``content``) is one text part. Anything else becomes a list of parts, one per assistant
message (see ARCHITECTURE.md, "In answers"):

- components: ``gr.Image``/``Audio``/``Video``/``File``/``Plot`` become ``file`` parts,
  ``gr.Gallery`` a ``gallery``, ``gr.HTML`` an ``html`` part;
- a file dict ``{"path": ..., "alt_text": ...}`` or a tuple ``(path,)`` / ``(path, alt)``;
- an assistant message dict whose ``content`` is any of these;
- a list of any of the above: several messages in one turn.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from .files import StoredFile
from .media import Audio, Component, File, Gallery, Image, Plot, Video
from .outputs import OutputError, Outputs

Part = dict[str, Any]
#: What one message of a conversation holds: text, or a file by id.
Content = str | tuple[str]


class ReplyError(TypeError):
    """The chat function gave a value chatbubble cannot show; the message is for the operator."""


def reply_text(value: Any) -> str:
    """The answer text for one snapshot: a string, a number, ``None`` (nothing yet) or an
    openai-style message dict ``{"role": "assistant", "content": "..."}``."""
    text = _text_or_none(value)
    if text is None:
        raise ReplyError(
            f"the chat function returned a {type(value).__name__} where text is needed; "
            "return or yield a string (or an openai-style assistant message dict)"
        )
    return text


def _text_or_none(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dict) and isinstance(value.get("content"), str):
        _check_role(value)
        return str(value["content"])
    return None


def _check_role(message: dict[str, Any]) -> None:
    role = message.get("role", "assistant")
    if role != "assistant":
        raise ReplyError(f"a returned message must have role 'assistant', not {role!r}")


def text_part(text: str) -> Part:
    return {"type": "text", "text": text}


def is_text(parts: Sequence[Part]) -> bool:
    """A plain text answer (sent as deltas)."""
    return len(parts) == 1 and parts[0]["type"] == "text"


class PartMaker:
    """Turns snapshots into parts, storing the files they hold. ``outputs`` is None where no
    file store exists (then only text is accepted)."""

    def __init__(self, outputs: Outputs | None, base_url: str) -> None:
        self.outputs = outputs
        self.base_url = base_url

    async def parts(self, value: Any) -> list[Part]:
        text = _text_or_none(value)
        if text is not None:
            return [text_part(text)]
        if self.outputs is None:
            raise ReplyError(f"the chat function returned a {type(value).__name__}; return text")
        return await asyncio.to_thread(self._parts_blocking, value)

    def _parts_blocking(self, value: Any) -> list[Part]:
        items = value if isinstance(value, list) else [value]
        parts: list[Part] = []
        for index, item in enumerate(items):
            try:
                parts.extend(self._one(item))
            except (OutputError, ReplyError) as error:
                where = f"item {index} of the returned list: " if isinstance(value, list) else ""
                raise ReplyError(f"{where}{error}") from None
        return parts

    def _one(self, item: Any) -> list[Part]:
        if item is None:
            return []
        text = _text_or_none(item)
        if text is not None:
            return [text_part(text)]
        if isinstance(item, dict) and "content" in item and "path" not in item:
            _check_role(item)
            return self._one(item["content"])
        if isinstance(item, dict) and isinstance(item.get("path"), str):
            alt = item.get("alt_text")
            return [self._file(self._outputs.source(item["path"]), alt)]
        if isinstance(item, tuple) and 1 <= len(item) <= 2 and isinstance(item[0], str):
            alt = item[1] if len(item) == 2 and isinstance(item[1], str) else None
            return [self._file(self._outputs.source(item[0]), alt)]
        if isinstance(item, Component):
            return self._component(item)
        raise ReplyError(
            f"the chat function returned a {type(item).__name__}; return text, a component "
            "(gr.Image, gr.Audio, gr.Video, gr.File, gr.Gallery, gr.HTML, gr.Plot), a file "
            "dict {'path': ...}, or a list of these"
        )

    @property
    def _outputs(self) -> Outputs:
        assert self.outputs is not None
        return self.outputs

    def _file(self, stored: StoredFile, alt: Any = None) -> Part:
        return stored.part(self.base_url, alt if isinstance(alt, str) else None)

    def _component(self, component: Component) -> list[Part]:
        outputs, value = self._outputs, component.value
        label = component.label if isinstance(component.label, str) else None
        if isinstance(component, Image):
            alt = component.alt_text or label
            return [self._file(outputs.image(value), alt)] if value is not None else []
        if isinstance(component, Audio):
            return [self._file(outputs.audio(value), label)] if value is not None else []
        if isinstance(component, (Video, File)):
            values = value if isinstance(value, list) else [value] if value is not None else []
            return [self._file(outputs.source(v), label) for v in values]
        if isinstance(component, Plot):
            return [self._file(outputs.plot(value), label)] if value is not None else []
        if isinstance(component, Gallery):
            items = []
            for entry in value or []:
                caption = None
                if isinstance(entry, (tuple, list)) and len(entry) == 2:
                    entry, caption = entry
                items.append(self._file(outputs.image(entry), caption))
            return [{"type": "gallery", "items": items, "label": label}] if items else []
        if component.kind == "html":
            html = value if isinstance(value, str) else ""
            return [{"type": "html", "html": html}]
        raise ReplyError(f"{component!r} cannot be shown in a chat")


def contents(parts: Sequence[Part]) -> list[Content]:
    """What each part is as a message of the conversation (the form the widget sends back in
    ``history``): text, ``(file_id,)`` per file, gallery items one each, html as its text."""
    out: list[Content] = []
    for part in parts:
        kind = part["type"]
        if kind == "text":
            out.append(str(part["text"]))
        elif kind == "html":
            out.append(str(part["html"]))
        elif kind == "file":
            out.append((str(part["id"]),))
        elif kind == "gallery":
            out.extend((str(item["id"]),) for item in part["items"])
    return out
