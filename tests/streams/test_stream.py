from __future__ import annotations

import asyncio
import math
from concurrent.futures import ThreadPoolExecutor

import pytest

from backend.chat.answers import Part
from backend.chat.run import ChatRun
from backend.errors import ChatbubbleError, Error
from backend.streams.events import Pacer, change, delta, failure
from tests.helpers import gated_run, timers_armed
from tests.waiting import LIVENESS


def test_delta() -> None:
    assert delta("", "") is None
    assert delta("Hel", "Hel") is None
    assert delta("", "Hi") == {"append": "Hi"}
    assert delta("Hel", "Hello") == {"append": "lo"}
    assert delta("Hello", "Help") == {"replace": "Help"}
    assert delta("Hello", "") == {"replace": ""}
    assert delta("😀", "😀👍") == {"append": "👍"}


# -- change: the event that turns what was sent into the new snapshot --


def text(value: str) -> Part:
    return {"type": "text", "text": value}


def file(file_id: str, alt: str | None = None) -> Part:
    return {"type": "file", "kind": "image", "id": file_id * 43, "alt": alt}


def test_change_of_a_text_answer() -> None:
    assert change([], [text("Hel")]) == (None, {"append": "Hel"})
    assert change([text("Hel")], [text("Hello")]) == (None, {"append": "lo"})
    assert change([text("Hello")], [text("Help")]) == (None, {"replace": "Help"})
    assert change([text("Hello")], [text("")]) == (None, {"replace": ""})


def test_no_change_is_no_event() -> None:
    assert change([], []) is None
    assert change([], [text("")]) is None
    assert change([text("same")], [text("same")]) is None
    both = [text("a"), file("A")]
    assert change(both, [text("a"), file("A")]) is None


def test_text_becoming_parts_sends_the_parts() -> None:
    parts = [text("Here:"), file("A")]
    assert change([text("Here:")], parts) == ("parts", {"parts": parts})
    assert change([], parts) == ("parts", {"parts": parts})
    assert change([], [file("A")]) == ("parts", {"parts": [file("A")]})


def test_parts_becoming_text_sends_the_parts() -> None:
    # A delta would leave the file on screen.
    assert change([text("a"), file("A")], [text("a")]) == ("parts", {"parts": [text("a")]})
    assert change([file("A")], [text("x")]) == ("parts", {"parts": [text("x")]})


def test_a_growing_last_text_of_several_parts_is_a_delta() -> None:
    sent = [file("A"), text("The cat")]
    assert change(sent, [file("A"), text("The cat sat")]) == (None, {"append": " sat"})
    two_texts = [text("one"), text("tw")]
    assert change(two_texts, [text("one"), text("two")]) == (None, {"append": "o"})


def test_a_shrinking_or_rewritten_last_text_sends_the_parts() -> None:
    sent = [file("A"), text("The cat")]
    for new in ([file("A"), text("The")], [file("A"), text("A dog")]):
        assert change(sent, new) == ("parts", {"parts": new})


def test_a_changed_earlier_part_sends_the_parts() -> None:
    sent = [file("A"), text("x")]
    for new in (
        [file("B"), text("x")],
        [file("B"), text("xy")],  # the text grew too, but the file changed
        [file("A", alt="now with alt"), text("x")],
        [text("x"), file("A")],
    ):
        assert change(sent, new) == ("parts", {"parts": new})


def test_more_or_fewer_parts_send_the_parts() -> None:
    sent = [text("a"), file("A")]
    longer = [*sent, text("b")]
    assert change(sent, longer) == ("parts", {"parts": longer})
    assert change(longer, sent) == ("parts", {"parts": sent})
    assert change(sent, []) == ("parts", {"parts": []})


def test_a_text_part_that_becomes_a_file_sends_the_parts() -> None:
    sent = [file("A"), text("B" * 43)]
    new = [file("A"), file("B")]
    assert change(sent, new) == ("parts", {"parts": new})


def test_the_parts_event_carries_the_new_parts_whole() -> None:
    sent = [text("a")]
    new = [text("a"), {"type": "gallery", "items": [file("A"), file("B")], "label": None}]
    event = change(sent, new)
    assert event is not None
    assert event[0] == "parts"
    assert event[1]["parts"] == new


def test_a_growing_earlier_text_is_a_delta_at_its_index() -> None:
    sent = [text("Looking"), file("A"), text("done")]
    grown = [text("Looking it up"), file("A"), text("done")]
    assert change(sent, grown) == (None, {"append": " it up", "at": 0})


def test_a_text_part_whose_other_fields_changed_sends_the_parts() -> None:
    sent = [{**text("thinking"), "metadata": {"title": "Step 1"}}, file("A")]
    new = [{**text("thinking more"), "metadata": {"title": "Step 2"}}, file("A")]
    assert change(sent, new) == ("parts", {"parts": new})


def test_two_growing_texts_send_the_parts() -> None:
    sent = [text("a"), text("b")]
    new = [text("a1"), text("b1")]
    assert change(sent, new) == ("parts", {"parts": new})


def test_a_single_text_with_metadata_is_not_a_text_answer() -> None:
    # A delta would drop the metadata (a thought or tool step) and the options.
    thought = [{**text("Looking it up"), "metadata": {"title": "Using a tool"}}]
    assert change([], thought) == ("parts", {"parts": thought})
    assert change([text("Looking")], thought) == ("parts", {"parts": thought})
    with_options = [{**text("Pick one"), "options": [{"value": "a"}]}]
    assert change([], with_options) == ("parts", {"parts": with_options})


async def test_pacer_sleepers_of_about_the_same_time_share_one_timer() -> None:
    loop = asyncio.get_running_loop()
    pacer = Pacer(granularity=0.05)
    marks: list[float] = []
    with ThreadPoolExecutor(1) as pool, timers_armed() as armed:
        runs = [ChatRun(lambda m, h: "", ("m", []), pool) for _ in range(100)]
        started = loop.time()
        sleeping = asyncio.gather(*(pacer.sleep(0.01, run) for run in runs))
        # Runs after the sleepers' first steps (the loop runs callbacks in order): when the last
        # of them picked its step.
        loop.call_soon(lambda: marks.append(loop.time()))
        await sleeping
    # One timer per step the sleepers' times fall in: 1, or 2 when they straddle a step (more
    # only when the machine is so busy that picking them took longer than a step).
    first, last = (math.ceil((t + 0.01) / pacer.granularity) for t in (started, marks[0]))
    assert len(armed) <= last - first + 1 < 100
    assert loop.time() - started >= 0.0099  # a timer may ring up to the clock's resolution early


async def test_pacer_sleep_ends_early_when_the_run_finishes() -> None:
    pacer = Pacer()
    with ThreadPoolExecutor(1) as pool:
        run, gate = gated_run(pool)
        asyncio.get_running_loop().call_soon(gate.set)
        # An hour's pause: only the run's end can end it within the liveness bound.
        await asyncio.wait_for(pacer.sleep(3600, run), LIVENESS)
        # Once it finished, a new pause ends at once: its future is done before it is awaited.
        nap = asyncio.ensure_future(pacer.sleep(3600, run))
        await asyncio.sleep(0)  # one turn of the loop: the pause's first step, not a wait for time
        assert nap.done()


def test_spacing_grows_with_the_loops_lateness_up_to_a_cap() -> None:
    pacer = Pacer()
    assert pacer.spacing(0.04, now=0.0) == 0.04
    assert pacer.spacing(0.0, now=0.0) == 0.0
    pacer.lag, pacer.measured_at = 0.01, 100.0
    assert pacer.spacing(0.04, now=100.5) == pytest.approx(max(0.04, Pacer.LAG_FACTOR * 0.01))
    pacer.lag = 10.0
    assert pacer.spacing(0.04, now=100.5) == Pacer.MAX_SPACING
    assert pacer.spacing(0.0, now=100.5) == 0.0  # merging off stays off
    # A burst long over: the next answer is paced as on an idle worker.
    assert pacer.spacing(0.04, now=100.0 + Pacer.STALE + 0.1) == 0.04


class FrozenLoop(asyncio.SelectorEventLoop):
    """An event loop whose clock says what the test sets, for a deterministic lateness."""

    def __init__(self, now: float) -> None:
        super().__init__()
        self.now = now

    def time(self) -> float:
        return self.now


def test_timer_resolution_is_not_taken_for_load() -> None:
    loop = FrozenLoop(1000.0)
    try:
        pacer = Pacer(granularity=0.0001)
        # A step that rings 1 ms late (epoll's resolution), then one 100 ms late.
        pacer._ring(loop, {}, round((loop.now - 0.001) / pacer.granularity))
        assert 0 < pacer.lag <= Pacer.SLACK
        assert pacer.spacing(0.01, loop.now) == 0.01
        pacer._ring(loop, {}, round((loop.now - 0.1) / pacer.granularity))
        assert pacer.spacing(0.01, loop.now) > 0.1
    finally:
        loop.close()


async def test_a_pacer_serves_loops_one_after_another() -> None:
    pacer = Pacer()

    def in_a_new_loop() -> None:
        async def nap() -> None:
            with ThreadPoolExecutor(1) as pool:
                run, gate = gated_run(pool)
                await asyncio.wait_for(pacer.sleep(0.01, run), LIVENESS)
                gate.set()

        asyncio.run(nap())

    await asyncio.to_thread(in_a_new_loop)
    await asyncio.to_thread(in_a_new_loop)
    with ThreadPoolExecutor(1) as pool:
        run, gate = gated_run(pool)
        await asyncio.wait_for(pacer.sleep(0.01, run), LIVENESS)  # and this loop, meanwhile
        gate.set()


def test_show_error_tells_what_any_exception_says() -> None:
    crash = RuntimeError("disk full")
    assert failure(crash, "fn").message == ChatbubbleError.default_message
    assert failure(crash, "fn", show_error=True).message == "RuntimeError: disk full"
    assert failure(Error("for the visitor"), "fn").message == "for the visitor"
