"""Reasoning in an answer's text (``Chatbot(reasoning_tags=...)``) split out into thought parts,
for the widget: Gradio 6.31 does this split where it shows the chat (its Chatbot's postprocess),
while its API clients get the chat function's text as it was; so do ours (the Gradio protocol,
``/v1`` and the MCP tool), and only ``/api/chat`` asks for the split."""

from __future__ import annotations

from ..components.reasoning import REASONING_TITLE, split_reasoning
from .answers import Part, text_part


def split_thoughts(parts: list[Part], tags: tuple[tuple[str, str], ...]) -> list[Part]:
    """``parts`` with each text part that holds an open tag cut into its answer texts and its
    reasoning (a thought titled "Reasoning", pending until its close tag arrives). Text parts
    that are already thoughts or steps, and texts without a tag, stay as they are."""
    if not tags:
        return parts
    out: list[Part] = []
    for part in parts:
        text = part.get("text")
        if (
            part["type"] != "text"
            or part.get("metadata")
            or not isinstance(text, str)
            or not any(open_ in text for open_, _ in tags)
        ):
            out.append(part)
            continue
        for segment in split_reasoning(text, tags):
            if segment.status is None:
                out.append({**part, "text": segment.text})
            else:
                metadata = {"title": REASONING_TITLE, "status": segment.status}
                out.append({"type": "text", "text": segment.text, "metadata": metadata})
    return out


def split_cached(answer: str | list[Part], tags: tuple[tuple[str, str], ...]) -> str | list[Part]:
    """A cached example's answer as the widget shows it: split as a streamed one would be."""
    parts = [text_part(answer)] if isinstance(answer, str) else answer
    split = split_thoughts(list(parts), tags)
    return answer if split == parts else split
