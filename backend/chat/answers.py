"""What an answer is made of (parts, and ``contents``: each part as a conversation message),
and an answer as the chat stream builds it (deltas, ``parts`` events) with its text for
programs: used by the chat stream, the OpenAI-compatible API and ``backend.Client``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Part = dict[str, Any]
#: One message of a conversation as the widget sends it back: text, or ``(file_id,)``.
Content = str | tuple[str]


def text_part(text: str) -> Part:
    return {"type": "text", "text": text}


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


#: Events of an answer's stream that say nothing about its content (the stream's id and token,
#: additional outputs, a place in line): what a reader building an ``Answer`` passes over.
NOT_CONTENT = frozenset({"start", "outputs", "queue"})


class Answer:
    """The answer so far. Its text: text parts as they are, files as markdown links (images
    as images), html as html, parts joined by a blank line."""

    def __init__(self) -> None:
        self.parts: list[Part] = []

    def apply(self, name: str | None, data: dict[str, Any]) -> None:
        if name == "parts":
            self.parts = list(data["parts"])
        elif name is None and "append" in data:
            index = data.get("at", len(self.parts) - 1)
            if self.parts and self.parts[index].get("type") == "text":
                part = self.parts[index]
                self.parts[index] = {**part, "text": part["text"] + data["append"]}
            else:
                self.parts.append(text_part(data["append"]))
        elif name is None and "replace" in data:
            if self.parts and self.parts[-1].get("type") == "text":
                self.parts[-1] = {**self.parts[-1], "text": data["replace"]}
            else:
                self.parts = [text_part(data["replace"])]

    @property
    def text(self) -> str:
        return "\n\n".join(filter(None, (_markdown(part) for part in self.parts)))


def _markdown(part: Part) -> str:
    kind = part.get("type")
    if kind == "text":
        return str(part["text"])
    if kind == "html":
        return str(part["html"])
    if kind == "file":
        label = str(part.get("alt") or part.get("name") or "file").replace("]", "")
        prefix = "!" if part.get("kind") == "image" else ""
        return f"{prefix}[{label}]({part['url']})"
    if kind == "gallery":
        return "\n".join(_markdown(item) for item in part.get("items", []))
    return ""
