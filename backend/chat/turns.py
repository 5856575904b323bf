"""What one turn of a conversation involves besides running the chat function: the cached
answer that may stand in for a run (a message that is an example), and what a finished answer
leaves behind (``finisher``: the example cache filled, the conversation signed for feedback).
The chat route and the event stream (``streams.events``) call these; neither decides it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .answers import Content, Part, contents
from .examples import Answer
from .message_ids import MessageSigner
from .replies import cacheable, is_text

if TYPE_CHECKING:
    from .interface import ChatInterface

#: Gets the final parts, and whether they are the whole answer (False: cut at max_answer_chars);
#: returns the ``done`` event's data.
Finish = Callable[[list[Part], bool], dict[str, Any]]


def cached_answer(interface: ChatInterface, example: int | None) -> Answer | None:
    """The cached answer to ``example`` (the index of the example the message is, if it is
    one), or None: not cached yet, or the chat has additional outputs (not cached: the
    function runs)."""
    cache = interface.example_cache
    cached = cache.get(example) if cache is not None and example is not None else None
    if cached is not None and interface.additional_outputs:
        return None
    return cached


def finisher(
    interface: ChatInterface,
    example: int | None,
    signer: MessageSigner | None,
    conversation: Callable[[], list[tuple[str, Content]]],
) -> Finish:
    """The ``finish`` of one answer. A whole answer to ``example`` that is not cached yet is
    cached (when it can be); with a ``signer`` (feedback on), the ``done`` event carries an id
    signing ``conversation()`` (the turns before the answer, asked for once it is done) and
    the answer's messages."""
    cache = interface.example_cache

    def finish(parts: list[Part], whole: bool) -> dict[str, Any]:
        if whole and cache is not None and example is not None and cache.get(example) is None:
            if is_text(parts):
                cache.store(example, parts[0]["text"])
            elif cacheable(parts):
                cache.store(example, parts)
        if signer is None:
            return {}
        turns = conversation()
        turns.extend(("assistant", content) for content in contents(parts))
        return {"id": signer.sign(turns)}

    return finish
