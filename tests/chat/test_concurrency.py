"""The gate behind ``concurrency_limit``: who runs, who waits, in which order, and what each
waiting caller is told."""

from __future__ import annotations

import asyncio

import pytest

from backend.chat.concurrency import Gate
from backend.errors import QueueFullError
from tests.waiting import LIVENESS


def test_without_a_limit_everyone_walks_in() -> None:
    gate = Gate(None, max_size=0)
    places = [gate.join() for _ in range(50)]
    assert all(place.admitted for place in places) and gate.running == 50
    for place in places:
        gate.leave(place)
    assert gate.running == 0


def test_callers_wait_in_order_and_know_their_place() -> None:
    gate = Gate(2)
    first, second, third, fourth, fifth = (gate.join() for _ in range(5))
    assert [p.admitted for p in (first, second, third, fourth, fifth)] == [1, 1, 0, 0, 0]
    assert [p.ahead() for p in (third, fourth, fifth)] == [0, 1, 2]
    gate.leave(fourth)  # gone while waiting (Stop, a disconnect): the rest move up
    assert fifth.ahead() == 1 and gate.waiting == 2
    gate.leave(second)
    assert third.admitted and not fifth.admitted and fifth.ahead() == 0
    gate.leave(second)  # leaving twice changes nothing
    assert gate.running == 2
    gate.leave(first)
    assert fifth.admitted and gate.running == 2 and gate.waiting == 0
    # A newcomer never overtakes the line: with a free room but people waiting, it waits.
    gate = Gate(1)
    running, waiting = gate.join(), gate.join()
    gate.leave(running)
    assert waiting.admitted and not gate.join().admitted


def test_a_full_line_refuses_the_next_caller() -> None:
    gate = Gate(1, max_size=2)
    places = [gate.join() for _ in range(3)]
    with pytest.raises(QueueFullError) as refused:
        gate.join()
    assert refused.value.status == 429 and refused.value.code == "busy"
    gate.leave(places[1])
    assert not gate.join().admitted  # room in the line again
    assert Gate(1, max_size=0).join().admitted  # nobody waits: the first still walks in


async def test_a_waiting_place_wakes_when_the_line_moves() -> None:
    gate = Gate(1)
    running, waiting = gate.join(), gate.join()
    assert not await waiting.moved(0)  # nothing moved
    woken = asyncio.create_task(waiting.moved(LIVENESS))
    gate.leave(running)  # before or after the task waits: the news is kept until it looks
    assert await woken and waiting.admitted
