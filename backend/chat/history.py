"""The ``history`` a chat function receives, built from the conversation's turns.

``messages`` (the only format of Gradio 6, and the default): openai-style
``{"role", "content"}`` dicts, one per message and one per file, with content values of
:mod:`.history_content` (readable as the guide's strings and ``(path,)`` tuples and as Gradio
6's typed parts). Only ``role`` and ``content``: a history passed on to an OpenAI-compatible
client as it is keeps working (Gradio 6's browser path adds ``metadata`` and ``options``, which
such clients refuse; ``m.get("metadata")`` is None here).

``tuples`` (Gradio 4's ``type="tuples"``, accepted with a warning): ``[user, bot]`` pairs, as
Gradio 4.44 built them: each file is a pair of its own, ``[(path,), None]``; a text message
opens a pair its answer closes; an answer with no open text pair before it (after a file, or a
second answer in a row) is ``[None, answer]``.

A fresh list for each call, so the function cannot change the conversation by changing it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from ..files.store import ROUTE, StoredFile
from .history_content import FileContent, Text, file_content

#: One message as the server keeps it: its role, and its text or its file.
Turn = tuple[str, str | StoredFile]
Format = Literal["messages", "tuples"]
Content = Text | FileContent


def content_for_fn(content: str | StoredFile) -> Content:
    if isinstance(content, StoredFile):
        return file_content(
            str(content.path),
            name=content.name,
            size=content.size,
            mime=content.mime,
            url=ROUTE + content.id,
        )
    return Text(content)


def messages(turns: Iterable[Turn]) -> list[dict[str, Any]]:
    return [{"role": role, "content": content_for_fn(content)} for role, content in turns]


def pairs(turns: Iterable[Turn]) -> list[list[Content | None]]:
    out: list[list[Content | None]] = []
    for role, raw in turns:
        content = content_for_fn(raw)
        if role == "user":
            out.append([content, None])
        elif out and isinstance(out[-1][0], Text) and out[-1][1] is None:
            out[-1][1] = content
        else:
            out.append([None, content])
    return out


def history_for_fn(turns: Iterable[Turn], form: Format = "messages") -> list[Any]:
    """The history in the interface's format."""
    return pairs(turns) if form == "tuples" else messages(turns)
