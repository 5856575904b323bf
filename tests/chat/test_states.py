"""``gr.State`` values per conversation: where States sit among the inputs, fresh values for a
new conversation, the bounds (capacity, idle conversations, ``time_to_live``) and
``delete_callback``."""

from __future__ import annotations

from typing import Any

import pytest

import backend as gr
from backend.chat.states import ConversationStates, StateSlots


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_slots_put_the_states_back_in_the_functions_order() -> None:
    first, second = gr.State(1), gr.State(2)
    slider = gr.Slider(0, 10, 5)
    slots, inputs, outputs = StateSlots.split([first, slider, second], [second, gr.Markdown()])
    assert inputs == [slider] and len(outputs) == 1
    assert slots.arrange([7], ["a", "b"]) == ("a", 7, "b")
    assert slots.initial() == [1, 2]
    assert slots.used
    plain, same_inputs, _ = StateSlots.split([slider], None)
    assert not plain.used and same_inputs == [slider]
    assert plain.arrange([7], []) == (7,)


def test_each_conversation_has_its_own_values() -> None:
    count = gr.State(0)
    slots, _, _ = StateSlots.split([count], [count])
    store = ConversationStates()
    store.keep("a", count, 5)
    assert store.inputs("a", slots) == [5]
    assert store.inputs("b", slots) == [0]
    store.keep(None, count, 9)  # no conversation: nothing is kept
    assert store.inputs(None, slots) == [0]
    assert len(store) == 2


def test_initial_values_are_fresh_copies_or_called() -> None:
    template: dict[str, list[str]] = {"seen": []}
    copied, made = gr.State(template), gr.State(lambda: ["new"])
    slots, _, _ = StateSlots.split([copied, made], None)
    first = ConversationStates().inputs("a", slots)
    first[0]["seen"].append("x")
    first[1].append("y")
    assert template == {"seen": []}
    assert ConversationStates().inputs("a", slots) == [{"seen": []}, ["new"]]


def test_the_least_recently_used_conversation_goes_first() -> None:
    dropped: list[Any] = []
    count = gr.State(0, delete_callback=dropped.append)
    slots, _, _ = StateSlots.split([count], [count])
    store = ConversationStates(capacity=2)
    store.keep("a", count, "A")
    store.keep("b", count, "B")
    store.inputs("a", slots)  # a is used again: b is now the oldest
    store.keep("c", count, "C")
    assert dropped == ["B"] and len(store) == 2
    assert store.inputs("a", slots) == ["A"]
    assert store.inputs("c", slots) == ["C"]
    assert store.inputs("b", slots) == [0]  # afresh (and a, now the oldest, goes)
    assert dropped == ["B", "A"]


def test_idle_conversations_and_expired_values_are_forgotten() -> None:
    clock = Clock()
    dropped: list[Any] = []
    lasting = gr.State(0, delete_callback=dropped.append)
    brief = gr.State("start", time_to_live=10, delete_callback=dropped.append)
    slots, _, _ = StateSlots.split([lasting, brief], [lasting, brief])
    store = ConversationStates(idle=100, clock=clock)
    store.keep("a", lasting, 1)
    store.keep("a", brief, "set")
    clock.now += 5
    assert store.inputs("a", slots) == [1, "set"]
    clock.now += 11  # brief's value is older than its time_to_live
    assert store.inputs("a", slots) == [1, "start"]
    assert dropped == ["set"]
    store.keep("b", lasting, 2)
    clock.now += 101  # both idle too long: a is forgotten when b is used again
    assert store.inputs("b", slots) == [0, "start"]
    assert sorted(map(str, dropped)) == ["1", "2", "set"]
    assert len(store) == 1


def test_a_failing_delete_callback_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    def explode(value: Any) -> None:
        raise RuntimeError("boom")

    state = gr.State(0, delete_callback=explode)
    store = ConversationStates(capacity=1)
    store.keep("a", state, 1)
    store.keep("b", state, 2)
    assert "delete_callback" in caplog.text


def test_state_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="time_to_live"):
        gr.State(0, time_to_live=0)
    with pytest.raises(TypeError, match="delete_callback"):
        gr.State(0, delete_callback="nope")  # type: ignore[arg-type]
