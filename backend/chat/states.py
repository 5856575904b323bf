"""``gr.State`` in a chat: where the States sit among the additional inputs and outputs
(:class:`StateSlots`), and their values per conversation (:class:`ConversationStates`).

The values stay in the memory of the worker that runs the conversation; nothing of them is sent
to a browser or a client. A conversation is named by its key (the widget's conversation id bound
to the visitor's key, or a Gradio client's ``session_hash``); a call without one (``/v1``)
starts from the initial values and keeps nothing. Memory is bounded: at most
``MAX_CONVERSATIONS`` conversations, the least recently used dropped first, and one idle for
``IDLE_SECONDS`` is forgotten; a ``State(time_to_live=...)`` value is dropped sooner.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..components.state import State

log = logging.getLogger("backend.chat")

MAX_CONVERSATIONS = 10_000
IDLE_SECONDS = 3600.0


@dataclass(frozen=True)
class StateSlots:
    """The States among ``additional_inputs`` (``None`` for each other input, in order) and
    among ``additional_outputs``."""

    inputs: tuple[State | None, ...] = ()
    outputs: tuple[State | None, ...] = ()

    @classmethod
    def split(cls, inputs: Any, outputs: Any) -> tuple[StateSlots, Any, Any]:
        """The slots, and the inputs and outputs without their States."""
        in_list = _items(inputs)
        out_list = _items(outputs)
        slots = cls(
            tuple(item if isinstance(item, State) else None for item in in_list),
            tuple(item if isinstance(item, State) else None for item in out_list),
        )
        if not any(slots.inputs) and not any(slots.outputs):
            return slots, inputs, outputs
        return (
            slots,
            [item for item in in_list if not isinstance(item, State)],
            [item for item in out_list if not isinstance(item, State)],
        )

    @property
    def used(self) -> bool:
        return any(self.inputs) or any(self.outputs)

    def arrange(self, values: Sequence[Any], states: Sequence[Any]) -> tuple[Any, ...]:
        """The additional inputs in the function's order: ``values`` (the visible inputs')
        with ``states`` (the State inputs') at their places."""
        if not any(self.inputs):
            return tuple(values)
        visible, kept = iter(values), iter(states)
        return tuple(next(visible) if slot is None else next(kept) for slot in self.inputs)

    def initial(self) -> list[Any]:
        """Fresh values of the State inputs (a new conversation)."""
        return [slot.initial() for slot in self.inputs if slot is not None]


def _items(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


@dataclass
class _Conversation:
    used: float
    values: dict[State, tuple[Any, float]] = field(default_factory=dict)


class ConversationStates:
    """The State values of every conversation of this worker, least recently used first."""

    def __init__(
        self,
        capacity: int = MAX_CONVERSATIONS,
        idle: float = IDLE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.capacity = capacity
        self.idle = idle
        self.clock = clock
        self._conversations: OrderedDict[str, _Conversation] = OrderedDict()

    def __len__(self) -> int:
        return len(self._conversations)

    def inputs(self, key: str | None, slots: StateSlots) -> list[Any]:
        """The values of the State inputs for conversation ``key``: the last ones set, else
        fresh ones."""
        if key is None:
            return slots.initial()
        now = self.clock()
        conversation = self._touch(key, now)
        out = []
        for slot in slots.inputs:
            if slot is None:
                continue
            kept = conversation.values.get(slot)
            if kept is not None and _expired(slot, kept[1], now):
                del conversation.values[slot]
                _drop(slot, kept[0])
                kept = None
            out.append(kept[0] if kept is not None else slot.initial())
        return out

    def keep(self, key: str | None, state: State, value: Any) -> None:
        """``value`` is what conversation ``key``'s next call gets for ``state``."""
        if key is None:
            return
        now = self.clock()
        conversation = self._touch(key, now)
        conversation.values[state] = (value, now)

    def _touch(self, key: str, now: float) -> _Conversation:
        conversation = self._conversations.pop(key, None)
        if conversation is not None and now - conversation.used > self.idle:
            _forget(conversation)
            conversation = None
        conversation = conversation or _Conversation(now)
        conversation.used = now
        self._conversations[key] = conversation
        while len(self._conversations) > self.capacity:
            _forget(self._conversations.popitem(last=False)[1])
        self._expire_idle(now)
        return conversation

    def _expire_idle(self, now: float) -> None:
        """Forgets the conversations idle too long (the oldest come first)."""
        while self._conversations:
            key, oldest = next(iter(self._conversations.items()))
            if now - oldest.used <= self.idle:
                return
            del self._conversations[key]
            _forget(oldest)


def _expired(state: State, set_at: float, now: float) -> bool:
    return state.time_to_live is not None and now - set_at > state.time_to_live


def _forget(conversation: _Conversation) -> None:
    for state, (value, _) in conversation.values.items():
        _drop(state, value)
    conversation.values.clear()


def _drop(state: State, value: Any) -> None:
    if state.delete_callback is None:
        return
    try:
        state.delete_callback(value)
    except Exception:  # noqa: BLE001 - the operator's callback
        log.exception("the delete_callback of %r failed", state)
