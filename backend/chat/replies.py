"""What a chat function may return or yield, normalized to the parts of one answer.

A text answer (a string, a number, ``None``, an openai-style assistant dict with a string
``content``) is one text part. Anything else becomes a list of parts, one per assistant
message (see docs/protocol.md, "In answers"):

- components: ``gr.Image``/``Audio``/``Video``/``File``/``Plot`` become ``file`` parts,
  ``gr.Gallery`` a ``gallery``, ``gr.HTML`` an ``html`` part;
- a file dict ``{"path": ..., "alt_text": ...}`` or a tuple ``(path,)`` / ``(path, alt)``;
- an assistant message dict whose ``content`` is any of these, or a ``ChatMessage``: with
  ``metadata`` (a thought or tool step) and ``options`` (preset replies) kept on its parts;
- a list of any of the above: several messages in one turn.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Sequence
from typing import Any

from ..components.media import Audio, Component, File, Gallery, Image, Plot, Video
from ..components.state import State
from ..files.store import StoredFile
from .answers import Part, text_part
from .chat_message import ChatMessage, MessageError, clean_metadata, clean_options
from .outputs import OutputError, Outputs
from .thoughts import split_thoughts


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
        return str(value)  # a history content value (chat/history_content.py) as plain text
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if (
        isinstance(value, dict)
        and isinstance(value.get("content"), str)
        and not value.get("metadata")
        and not value.get("options")
    ):
        _check_role(value)
        return str(value["content"])
    if (
        isinstance(value, ChatMessage)
        and isinstance(value.content, str)
        and not value.metadata
        and not value.options
    ):
        _check_role({"role": value.role})
        return value.content
    return None


def _check_role(message: dict[str, Any]) -> None:
    role = message.get("role", "assistant")
    if role != "assistant":
        raise ReplyError(f"a returned message must have role 'assistant', not {role!r}")


def is_text(parts: Sequence[Part]) -> bool:
    """A plain text answer (sent as deltas): one text part without metadata or options."""
    return len(parts) == 1 and parts[0].keys() == {"type", "text"} and parts[0]["type"] == "text"


def cut(parts: list[Part], limit: int) -> list[Part] | None:
    """``parts`` with their texts (and HTML) cut to ``limit`` characters in all, the cut one
    ending with a note that says so, within the limit; None when they fit."""
    if len(parts) == 1:  # the common case, checked at every delta: one text, short enough
        text = parts[0].get("text")
        if isinstance(text, str) and len(text) <= limit:
            return None
    note = f"\n\n*[Answer cut: it was longer than {limit:,} characters.]*"
    total = 0
    kept: list[Part] = []
    for part in parts:
        field = "text" if isinstance(part.get("text"), str) else "html"
        value = part.get(field)
        if isinstance(value, str):
            if total + len(value) > limit:
                room = max(limit - total - len(note), 0)
                kept.append({**part, field: value[:room] + note[: limit - total - room]})
                return kept
            total += len(value)
        kept.append(part)
    return None


class PartMaker:
    """Turns snapshots into parts, storing the files they hold. ``outputs`` is None where no
    file store exists (then only text is accepted)."""

    def __init__(
        self,
        outputs: Outputs | None,
        base_url: str | Callable[[], str],
        additional: Sequence[Component | State] = (),
        keep: Callable[[State, Any], None] | None = None,
        reasoning: tuple[tuple[str, str], ...] = (),
    ) -> None:
        self.outputs = outputs
        #: ``Chatbot(reasoning_tags=...)``, when the reader shows reasoning as thoughts.
        self.reasoning = reasoning
        self._base_url = base_url
        #: Every additional output in order, ``gr.State`` ones included.
        self.slots = tuple(additional)
        self.additional = tuple(item for item in additional if isinstance(item, Component))
        self.keep = keep

    @property
    def base_url(self) -> str:
        """Where the files of the answer are served (made on first use when it is a
        callable)."""
        if callable(self._base_url):
            self._base_url = self._base_url()
        return self._base_url

    async def snapshot(self, value: Any) -> tuple[list[Part], list[Part | None] | None]:
        """One yield: the answer's parts, and with ``additional_outputs`` (a returned
        ``(response, *values)``) each shown output's new content (None: unchanged). A value
        for a ``gr.State`` goes to ``keep``, never to the visitor."""
        count = len(self.slots)
        if count and isinstance(value, tuple) and len(value) == 1 + count:
            shown = []
            for slot, given in zip(self.slots, value[1:], strict=True):
                if isinstance(slot, State):
                    if self.keep is not None:
                        self.keep(slot, given)
                else:
                    shown.append(given)
            parts = await self.parts(value[0])
            if not self.additional:
                return parts, None
            updates = await asyncio.to_thread(self._outputs_blocking, shown)
            return parts, updates
        return await self.parts(value), None

    def _outputs_blocking(self, values: Sequence[Any]) -> list[Part | None]:
        out: list[Part | None] = []
        for index, (component, value) in enumerate(zip(self.additional, values, strict=True)):
            try:
                out.append(self._output(component, value))
            except Exception as error:  # noqa: BLE001 - encoding the operator's values
                raise ReplyError(f"additional output {index}: {error}") from error
        return out

    def _output(self, component: Component, value: Any) -> Part | None:
        language = getattr(component, "language", None)
        if isinstance(value, Component):  # gr.Code(value=..., language=...) as an update
            language = getattr(value, "language", None) or language
            value = value.value
        if value is None:
            return None
        kind = component.kind
        if kind == "code":
            return {"type": "code", "value": str(value), "language": language}
        if kind == "markdown":
            return {"type": "markdown", "value": str(value)}
        if kind == "html":
            return {"type": "html", "html": str(value)}
        if kind == "json":
            return {"type": "json", "value": json.loads(json.dumps(value, default=str))}
        if kind == "image":
            return self._file(self._outputs.image(value))
        raise ReplyError(f"{component!r} cannot be an additional output")

    async def parts(self, value: Any) -> list[Part]:
        text = _text_or_none(value)
        if text is not None:
            return split_thoughts([text_part(text)], self.reasoning)
        parts = await asyncio.to_thread(self._parts_blocking, value)
        return split_thoughts(parts, self.reasoning)

    def _parts_blocking(self, value: Any) -> list[Part]:
        items = value if isinstance(value, list) else [value]
        parts: list[Part] = []
        for index, item in enumerate(items):
            try:
                parts.extend(self._one(item))
            except (OutputError, ReplyError, MessageError) as error:
                where = f"item {index} of the returned list: " if isinstance(value, list) else ""
                raise ReplyError(f"{where}{error}") from None
            except Exception as error:  # noqa: BLE001 - encoding the operator's values
                where = f"item {index} of the returned list: " if isinstance(value, list) else ""
                raise ReplyError(f"{where}{type(error).__name__}: {error}") from error
        return parts

    def _one(self, item: Any) -> list[Part]:
        if item is None:
            return []
        text = _text_or_none(item)
        if text is not None:
            return [text_part(text)]
        if isinstance(item, ChatMessage):
            _check_role({"role": item.role})
            return self._with_extras(self._one(item.content), item.metadata, item.options)
        if isinstance(item, dict) and "content" in item and "path" not in item:
            _check_role(item)
            parts = self._one(item["content"])
            return self._with_extras(parts, item.get("metadata"), item.get("options"))
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

    @staticmethod
    def _with_extras(parts: list[Part], metadata: Any, options: Any) -> list[Part]:
        """A message's metadata and options, on each of its parts (usually one)."""
        cleaned_metadata = clean_metadata(metadata)
        cleaned_options = clean_options(options)
        if not parts and (cleaned_metadata or cleaned_options):
            parts = [text_part("")]
        for part in parts:
            if cleaned_metadata:
                part["metadata"] = cleaned_metadata
            if cleaned_options:
                part["options"] = cleaned_options
        return parts

    @property
    def _outputs(self) -> Outputs:
        if self.outputs is None:
            raise ReplyError("files cannot be returned here (return text)")
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
            parts = [self._file(outputs.source(v), label) for v in values]
            if isinstance(component, File):
                for part in parts:
                    part["kind"] = "file"  # a download chip, whatever the file holds
            return parts
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
        if component.kind == "markdown":
            return [text_part("" if value is None else str(value))]
        if component.kind in ("code", "json"):
            language = getattr(component, "language", None) or component.kind
            source = value if isinstance(value, str) else json.dumps(value, indent=2, default=str)
            fence = "````" if "```" in source else "```"
            return [text_part(f"{fence}{language}\n{source}\n{fence}")]
        raise ReplyError(f"{component!r} cannot be shown in a chat")


def cacheable(parts: Sequence[Part]) -> bool:
    """Parts that hold no files (which expire) and so can be replayed later."""
    return all(part["type"] in ("text", "html") for part in parts)
