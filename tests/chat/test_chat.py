from __future__ import annotations

import asyncio
import functools
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

import pytest

from backend.chat.run import NOTHING, ChatFn, ChatRun, is_async_callable, loop_turns
from tests.helpers import gated_run, timers_armed, until
from tests.waiting import LIVENESS

History = list[dict[str, Any]]
T = TypeVar("T")


def sync_fn(message: str, history: History) -> str:
    return f"{message}/{len(history)}"


async def async_fn(message: str, history: History) -> str:
    await asyncio.sleep(0)  # an await point, as a model call has: waits for no time
    return f"{message}/{len(history)}"


def sync_gen(message: str, history: History) -> Iterator[str]:
    for i in range(1, len(message) + 1):
        yield message[:i]


async def async_gen(message: str, history: History) -> AsyncIterator[str]:
    for i in range(1, len(message) + 1):
        await asyncio.sleep(0)  # an await point, as a model call has: waits for no time
        yield message[:i]


class AsyncCallable:
    async def __call__(self, message: str, history: History) -> str:
        return message.upper()


async def collect(fn: ChatFn, message: str = "hello", history: History | None = None) -> list[Any]:
    """Every snapshot the reader sees, until the run finishes (errors re-raised)."""
    with ThreadPoolExecutor(2) as pool:
        run = ChatRun(fn, (message, history or []), pool)
        run.start()
        seen = []
        while True:
            assert await run.wait(LIVENESS)
            value, finished, error = run.take()
            if value is not NOTHING:
                seen.append(value)
            if error is not None:
                raise error
            if finished:
                return seen


@pytest.mark.parametrize("fn", [sync_fn, async_fn])
async def test_functions_give_one_snapshot(fn: ChatFn) -> None:
    assert await collect(fn, "hi", [{"role": "user", "content": "x"}]) == ["hi/1"]


@pytest.mark.parametrize("fn", [sync_gen, async_gen])
async def test_generators_end_on_their_last_yield(fn: ChatFn) -> None:
    seen = await collect(fn, "hello")
    assert seen[-1] == "hello"
    # every snapshot the reader saw is one of the yields, in order
    assert seen == sorted(seen, key=len)
    assert all("hello".startswith(s) for s in seen)


async def test_async_callable_objects_and_partials_stay_on_the_loop() -> None:
    assert is_async_callable(AsyncCallable())
    assert is_async_callable(functools.partial(async_gen))
    assert not is_async_callable(sync_gen)
    assert await collect(AsyncCallable(), "abc") == ["ABC"]


async def test_sync_function_returning_a_coroutine_is_awaited() -> None:
    def returns_coroutine(message: str, history: History) -> Any:
        return async_fn(message, history)

    assert await collect(returns_coroutine, "x") == ["x/0"]


async def test_generator_that_yields_nothing_finishes_empty() -> None:
    def nothing(message: str, history: History) -> Iterator[str]:
        yield from ()

    assert await collect(nothing) == []


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_errors_reach_the_reader(kind: str) -> None:
    def bad_sync(message: str, history: History) -> Iterator[str]:
        yield "partial"
        raise ValueError("secret detail")

    async def bad_async(message: str, history: History) -> AsyncIterator[str]:
        yield "partial"
        raise ValueError("secret detail")

    with pytest.raises(ValueError, match="secret detail"):
        await collect(bad_sync if kind == "sync" else bad_async)


async def test_history_mutation_is_seen_only_by_the_function() -> None:
    history: History = [{"role": "user", "content": "a"}]

    def mutate(message: str, h: History) -> str:
        h.append({"role": "assistant", "content": "sneaky"})
        return "ok"

    await collect(mutate, history=list(history))
    assert history == [{"role": "user", "content": "a"}]


async def test_cancel_closes_a_sync_generator_after_the_current_step() -> None:
    steps: list[int] = []
    ended: list[tuple[str, int]] = []  # how the generator ended, and after how many steps
    closed = threading.Event()

    def slow(message: str, history: History) -> Iterator[str]:
        try:
            for i in range(100):
                steps.append(i)
                time.sleep(0.05)  # plays a slow model (the step the cancel waits for)
                yield str(i)
            ended.append(("finished", len(steps)))
        except GeneratorExit:
            ended.append(("closed", len(steps)))
            raise
        finally:
            closed.set()

    with ThreadPoolExecutor(2) as pool:
        run = ChatRun(slow, ("m", []), pool)
        run.start()
        assert await run.wait(LIVENESS)
        at_cancel = len(steps)
        run.cancel()
        assert await asyncio.to_thread(closed.wait, LIVENESS)
    # The pool's threads are joined: every step the generator took is in ``steps``.
    assert ended == [("closed", len(steps))]  # closed at a yield: no step after the close
    assert len(steps) <= at_cancel + 1  # at most the step under way when cancelled


async def test_cancel_closes_an_async_generator_waiting_in_an_await() -> None:
    closed, waiting = asyncio.Event(), asyncio.Event()
    ended: list[str] = []

    async def slow(message: str, history: History) -> AsyncIterator[str]:
        try:
            yield "first"
            waiting.set()
            await asyncio.Event().wait()  # a model that never answers again
            yield "never"
        except BaseException as error:
            ended.append(type(error).__name__)
            raise
        finally:
            closed.set()

    with ThreadPoolExecutor(1) as pool:
        run = ChatRun(slow, ("m", []), pool)
        run.start()
        assert await run.wait(LIVENESS)
        await asyncio.wait_for(waiting.wait(), LIVENESS)
        run.cancel()
        await asyncio.wait_for(closed.wait(), LIVENESS)
    assert ended == ["CancelledError"]  # cancelled in its await


async def test_cancel_stops_a_tight_async_generator() -> None:
    produced = 0
    closed = asyncio.Event()

    async def tight(message: str, history: History) -> AsyncIterator[str]:
        nonlocal produced
        try:
            for i in range(1_000_000):
                produced = i
                yield str(i)  # never awaits
        finally:
            closed.set()

    with ThreadPoolExecutor(1) as pool:
        run = ChatRun(tight, ("m", []), pool)
        run.start()
        assert await run.wait(LIVENESS)
        run.cancel()
        await asyncio.wait_for(closed.wait(), LIVENESS)
        assert produced < 1_000_000 - 1


async def loop_came_round() -> None:
    """Returns once the loop has run a callback scheduled now: every callback already pending
    (a mark's turn among them) ran before it, the loop running its ready callbacks in order. The
    condition itself, awaited: no time passes in it."""
    loop = asyncio.get_running_loop()
    came = loop.create_future()
    loop.call_soon(came.set_result, None)
    await came


async def test_loop_turns_count_a_turn_only_once_the_loop_came_round() -> None:
    turns = loop_turns(asyncio.get_running_loop())
    assert loop_turns(asyncio.get_running_loop()) is turns  # one per loop
    mark = turns.mark()
    assert turns.mark() == mark  # no turn yet: the task never let go of the loop
    await loop_came_round()
    assert turns.count != mark


def test_loop_turns_are_per_loop() -> None:
    """A turn left pending when its loop closed does not stop a later loop's counting."""
    closed = asyncio.new_event_loop()
    try:
        loop_turns(closed).mark()  # its turn never comes
    finally:
        closed.close()

    async def counted() -> bool:
        turns = loop_turns(asyncio.get_running_loop())
        mark = turns.mark()
        await loop_came_round()
        return turns.count != mark

    assert asyncio.run(counted())


async def resumed_after_a_loop_turn(awaits: bool) -> list[bool]:
    """For each yield of an async generator (that awaits before each one, or never does):
    whether the loop ran another callback between the yield and the generator's resumption,
    i.e. whether the run paused after publishing it."""
    loop = asyncio.get_running_loop()
    seen: list[bool] = []

    async def fn(message: str, history: History) -> AsyncIterator[str]:
        for i in range(3):
            if awaits:
                await loop_came_round()  # as a model's socket would: the loop runs meanwhile
            ran: list[bool] = []
            loop.call_soon(ran.append, True)
            yield str(i)
            seen.append(bool(ran))

    await collect(fn)
    return seen


async def test_a_generator_that_never_awaits_still_lets_the_loop_run_between_yields() -> None:
    assert await resumed_after_a_loop_turn(awaits=False) == [True, True, True]


async def test_a_generator_that_awaits_is_not_paused_again_after_each_yield() -> None:
    """It gave the loop its turn already: a pause of our own would cost a task step per
    token."""
    assert await resumed_after_a_loop_turn(awaits=True) == [False, False, False]


class CountingPool(ThreadPoolExecutor):
    """A thread pool that counts the work submitted to it and the work it ran."""

    def __init__(self, workers: int) -> None:
        super().__init__(workers)
        self.submitted = 0
        self.ran = 0

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        def counted() -> T:
            try:
                return fn(*args, **kwargs)
            finally:
                self.ran += 1

        self.submitted += 1
        return super().submit(counted)


async def test_cancel_before_a_thread_is_free_never_calls_the_function() -> None:
    calls = []
    gate = threading.Event()

    def blocker(message: str, history: History) -> str:
        gate.wait(LIVENESS)
        return "done"

    def recorded(message: str, history: History) -> str:
        calls.append(message)
        return "ran"

    with CountingPool(1) as pool:
        first = ChatRun(blocker, ("a", []), pool)
        first.start()
        second = ChatRun(recorded, ("b", []), pool)
        second.start()
        await until(lambda: pool.submitted == 2, "both runs queued their call")
        second.cancel()
        gate.set()
        assert await first.wait(LIVENESS)
    # Leaving the block joined the pool: the second run's call had its turn, and did nothing.
    assert pool.ran == 2
    assert calls == []


async def test_a_wait_that_times_out_says_so_and_the_next_one_sees_news() -> None:
    loop = asyncio.get_running_loop()
    with ThreadPoolExecutor(1) as pool, timers_armed() as armed:
        run, gate = gated_run(pool)
        started = loop.time()
        assert await run.wait(0.05) is False
        # Its alarm's time (the loop may run a timer up to its clock's resolution early).
        assert loop.time() - started >= 0.049
        # A long wait after a short one: the alarm of the short one is gone, not reused.
        loop.call_soon(gate.set)
        assert await run.wait(LIVENESS) is True
        assert run.take() == ("late", True, None)
    assert len(armed) == 2 and armed[1] - armed[0] > LIVENESS / 2


async def test_waits_between_news_share_one_alarm() -> None:
    """A reader waiting again and again (an event every few ms) must not cost a timer per
    wait: the pending alarm is kept while it rings no later than needed."""

    async def ticking(message: str, history: History) -> AsyncIterator[str]:
        for i in range(50):
            await asyncio.sleep(0)  # an await point: waits for no time
            yield str(i)

    with ThreadPoolExecutor(1) as pool, timers_armed() as armed:
        run = ChatRun(ticking, ("m", []), pool)
        run.start()
        while True:
            assert await run.wait(30)
            _, finished, _ = run.take()
            if finished:
                break
    assert len(armed) == 1


async def test_wake_ends_a_wait_without_news() -> None:
    loop = asyncio.get_running_loop()
    with ThreadPoolExecutor(1) as pool, timers_armed() as armed:
        run, _ = gated_run(pool)
        loop.call_soon(run.wake)  # runs once the wait below waits
        assert await run.wait(LIVENESS) is False
        assert loop.time() < armed[-1]  # woken before its alarm rang
        run.cancel()


async def test_an_alarm_that_rang_while_nobody_waited_is_not_news() -> None:
    loop = asyncio.get_running_loop()
    with ThreadPoolExecutor(1) as pool, timers_armed() as armed:
        run, gate = gated_run(pool)
        assert await run.wait(0.01) is False
        # Arm the alarm, then stop waiting (the reader does something else) until it rang.
        waiting = asyncio.ensure_future(run.wait(0.02))
        await until(lambda: len(armed) == 2, "the second wait armed its alarm")
        waiting.cancel()
        # Not a wait for time: the loop runs its timers in the order of their times, so the
        # alarm (due at armed[1]) has rung once a timer due later has.
        await asyncio.sleep(armed[1] - loop.time() + 0.01)  # see above
        started = loop.time()
        loop.call_later(0.1, gate.set)
        assert await run.wait(LIVENESS) is True  # not True at once for the stale ring
        assert loop.time() - started >= 0.099  # it waited for the gate
        assert run.take() == ("late", True, None)
