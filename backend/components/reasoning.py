"""``Chatbot(reasoning_tags=...)``: text between an open and a close tag (``<think>`` and
``</think>``) is the model's reasoning, shown apart from the answer as a collapsible thought.

As in Gradio 6.31, the default is no tags; each block becomes a "Reasoning" message before the
text after it, "pending" while its close tag has not arrived (mid-stream), "done" once it has.
The texts around the blocks are stripped, and empty ones dropped; a block still open with nothing
in it yet is kept, so the visitor sees the thought start at once.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

REASONING_TITLE = "Reasoning"
MAX_TAGS = 20


class Segment(NamedTuple):
    text: str
    #: None for answer text; "pending" or "done" for reasoning.
    status: str | None


def reasoning_tags(where: str, value: Any) -> tuple[tuple[str, str], ...]:
    """The ``(open, close)`` pairs, checked; ``None`` or ``[]`` is none."""
    if value is None:
        return ()
    if not isinstance(value, (list, tuple)) or len(value) > MAX_TAGS:
        raise TypeError(
            f"{where}: reasoning_tags must be a list of (open, close) pairs such as "
            f"[('<think>', '</think>')], at most {MAX_TAGS}"
        )
    pairs = []
    for pair in value:
        if (
            not isinstance(pair, (list, tuple))
            or len(pair) != 2
            or not all(isinstance(tag, str) and tag for tag in pair)
        ):
            raise TypeError(
                f"{where}: each reasoning tag must be a pair of non-empty strings, not {pair!r}"
            )
        pairs.append((pair[0], pair[1]))
    return tuple(pairs)


def tags_pattern(tags: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    """One pattern for all pairs: group 2k+1 is pair k's open tag, 2k+2 what follows it up to
    its close tag (or the end); the match ends with the close tag when it is there."""
    return re.compile(
        "|".join(f"({re.escape(open_)})(.*?)(?:{re.escape(close)}|$)" for open_, close in tags),
        re.DOTALL,
    )


def split_reasoning(text: str, tags: tuple[tuple[str, str], ...]) -> list[Segment]:
    """``text`` as answer and reasoning segments, in order."""
    segments: list[Segment] = []
    last = 0
    for match in tags_pattern(tags).finditer(text):
        prose = text[last : match.start()].strip()
        if prose:
            segments.append(Segment(prose, None))
        pair = next(k for k in range(len(tags)) if match.group(2 * k + 1) is not None)
        thought = match.group(2 * pair + 2).strip()
        closed = match.group(0).endswith(tags[pair][1]) and (
            len(match.group(0)) >= len(tags[pair][0]) + len(tags[pair][1])
        )
        if thought or not closed:
            segments.append(Segment(thought, "done" if closed else "pending"))
        last = match.end()
    prose = text[last:].strip()
    if prose:
        segments.append(Segment(prose, None))
    return segments
