"""The one place that knows the shapes a chat function can have.

A chat function is called as ``fn(message, history, *additional_inputs)`` (with the request
where it asks for a ``gr.Request``) and may be a plain function, a coroutine
function, a generator function or an async generator function. Whatever its shape, a
:class:`ChatRun` exposes the same thing: the newest reply snapshot (every yield replaces the
previous one, as in Gradio), whether the function finished, and the exception it raised.

Only the newest snapshot is kept, so a fast function never builds up a backlog and the reader
decides how often to look. Cancelling a run stops the function:

- async generators and coroutines are cancelled; a generator's ``finally`` runs at once;
- sync generators are driven from one thread of our own pool, which checks a cancel flag after
  every step and then closes the generator (its ``finally`` runs in that thread);
- plain sync functions cannot be interrupted: they finish in their thread and the result is
  dropped.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
import threading
import weakref
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import Executor
from typing import Any

from .request import RequestSource, inject

log = logging.getLogger("backend.chat")

History = list[dict[str, Any]]
ChatFn = Callable[..., Any]

_NOTHING: Any = object()


class _Returned:
    """What a plain sync function returned, carried back from its thread by the executor's
    future: publishing it on the loop then costs no wake-up of its own."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


class LoopTurns:
    """Tells whether the event loop has come round since a mark: one callback per turn of the
    loop, shared by every run, scheduled only while someone has a mark out.

    The loop runs its ready callbacks in order, so a task that suspends after :meth:`mark` is
    resumed only after the callback the mark scheduled (or found pending) has run, and a
    callback that ran between two points of a task means that task suspended in between.
    """

    __slots__ = ("_loop", "_pending", "count")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._pending = False
        #: Turns counted so far.
        self.count = 0

    def mark(self) -> int:
        """The count now; it changes once the loop has come round."""
        if not self._pending:
            self._pending = True
            self._loop.call_soon(self._turn)
        return self.count

    def _turn(self) -> None:
        self._pending = False
        self.count += 1


_turns: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, LoopTurns] = (
    weakref.WeakKeyDictionary()
)


def loop_turns(loop: asyncio.AbstractEventLoop) -> LoopTurns:
    """The :class:`LoopTurns` of ``loop`` (one per loop: tests run several, one by one)."""
    turns = _turns.get(loop)
    if turns is None:
        turns = _turns[loop] = LoopTurns(loop)
    return turns


def is_async_callable(fn: Callable[..., Any]) -> bool:
    """True when calling ``fn`` gives a coroutine or an async iterator."""
    target: Any = fn
    while isinstance(target, functools.partial):
        target = target.func
    if inspect.iscoroutinefunction(target) or inspect.isasyncgenfunction(target):
        return True
    if not (inspect.isfunction(target) or inspect.ismethod(target)):
        call = getattr(target, "__call__", None)  # noqa: B004 - a callable object's method
        return inspect.iscoroutinefunction(call) or inspect.isasyncgenfunction(call)
    return False


def _is_sync_iterator(value: Any) -> bool:
    if isinstance(value, (str, bytes, bytearray, dict, list, tuple)):
        return False
    return inspect.isgenerator(value) or isinstance(value, Iterator)


class ChatRun:
    """One call of the chat function, running in the background until done or cancelled."""

    def __init__(
        self,
        fn: ChatFn,
        args: tuple[Any, ...],
        executor: Executor,
        fn_name: str = "",
        request: RequestSource = None,
    ) -> None:
        self._fn = fn
        # ``gr.Request`` goes where the function asks for it (see ``chat/request.py``).
        self._args, self._kwargs = inject(fn, args, request)
        self._executor = executor
        self._name = fn_name or getattr(fn, "__name__", repr(fn))
        self._loop = asyncio.get_running_loop()
        self._changed = asyncio.Event()
        self._value: Any = _NOTHING
        self._finished = False
        self._error: BaseException | None = None
        self._cancel = threading.Event()
        self._task: asyncio.Task[None] | None = None
        self._alarm: asyncio.TimerHandle | None = None
        self._interrupted = False
        self._nap: asyncio.Future[None] | None = None

    @property
    def name(self) -> str:
        """The chat function's name, for the operator's log."""
        return self._name

    # -- reading --

    async def wait(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for news; True if there is some.

        One alarm per run, not one timer per wait: a reader that waits again before the alarm
        rang keeps it when it rings no later than needed (an early ring is a spurious wake-up:
        the reader finds no news and waits again, which arms the alarm for the new time).
        """
        if self._changed.is_set():
            if self._has_news():
                return True
            self._changed.clear()
            if self._interrupted:
                return False  # woken while nobody waited
            # else the alarm rang while nobody waited: stale, wait on
        deadline = self._loop.time() + timeout
        alarm = self._alarm
        if alarm is None or alarm.when() > deadline:
            if alarm is not None:
                alarm.cancel()
            self._alarm = self._loop.call_at(deadline, self._ring)
        await self._changed.wait()
        if self._has_news():
            return True
        self._changed.clear()  # the alarm rang, or wake(): no news
        return False

    def _has_news(self) -> bool:
        return self._value is not _NOTHING or self._finished or self._error is not None

    def _ring(self) -> None:
        self._alarm = None
        self._changed.set()

    def interrupts(self, nap: asyncio.Future[None]) -> None:
        """``nap`` (the reader's pause between two deltas) ends early once the reader should
        look at once: the function finished or failed, or :meth:`wake` was called."""
        if self._interrupted:
            nap.set_result(None)
        else:
            self._nap = nap

    def wake(self) -> None:
        """Ends a ``wait`` early (the server is stopping): the reader looks around."""
        self._changed.set()
        self._interrupt()

    def _interrupt(self) -> None:
        self._interrupted = True
        nap, self._nap = self._nap, None
        if nap is not None and not nap.done():
            nap.set_result(None)

    def take(self) -> tuple[Any, bool, BaseException | None]:
        """The newest snapshot (or ``NOTHING`` if none since the last take), finished, error."""
        value, self._value = self._value, _NOTHING
        if not (self._finished or self._error):
            self._changed.clear()
        return value, self._finished, self._error

    # -- running --

    def start(self) -> None:
        if is_async_callable(self._fn):
            self._task = self._loop.create_task(self._drive_async_call())
        else:
            self._task = self._loop.create_task(self._drive_in_thread())

    def cancel(self) -> None:
        """Stop the function as soon as its shape allows; idempotent."""
        self._cancel.set()
        if self._alarm is not None:
            self._alarm.cancel()
            self._alarm = None
        if self._task is not None and not self._task.done():
            self._task.cancel()

    async def _drive_async_call(self) -> None:
        try:
            await self._drive_async(self._fn(*self._args, **self._kwargs))
        except asyncio.CancelledError as error:
            if self._cancel.is_set():
                raise  # our own cancel (Stop, a disconnect)
            self._fail(error)  # the function raised it itself: a failure like any other
        except BaseException as error:  # noqa: BLE001 - any failure of the operator's fn
            self._fail(error)

    async def _drive_async(self, result: Any) -> None:
        """Drive a coroutine or async iterator on the event loop."""
        if inspect.isawaitable(result):
            result = await result
            if not (hasattr(result, "__aiter__") or _is_sync_iterator(result)):
                self._publish(result)
                self._finish()
                return
        if _is_sync_iterator(result):
            # An async function returned a sync generator: drive it in a thread after all.
            await self._run_thread(lambda: self._iterate_sync(result))
            return
        if not hasattr(result, "__aiter__"):
            self._publish(result)
            self._finish()
            return
        iterator: AsyncIterator[Any] = result.__aiter__()
        turns = loop_turns(self._loop)
        mark = turns.mark()
        try:
            async for value in iterator:
                self._publish(value)
                # Let the loop breathe (and deliver a cancellation) between yields, even when
                # the generator never awaits; one that did (a model's socket, a sleep) gave
                # the loop its turn already, and a turn of our own would cost a task step
                # per token.
                if turns.count == mark:
                    await asyncio.sleep(0)
                mark = turns.mark()
        finally:
            aclose = getattr(iterator, "aclose", None)
            if aclose is not None:
                await aclose()
        self._finish()

    async def _drive_in_thread(self) -> None:
        try:
            handover = await self._run_thread(self._call_sync)
            if isinstance(handover, _Returned):
                self._publish(handover.value)
                self._finish()
            elif handover is not _NOTHING:
                await self._drive_async(handover)
        except asyncio.CancelledError:
            raise
        except BaseException as error:  # noqa: BLE001
            self._fail(error)

    async def _run_thread(self, work: Callable[[], Any]) -> Any:
        future = self._loop.run_in_executor(self._executor, work)
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            self._cancel.set()
            raise

    def _call_sync(self) -> Any:
        """Runs in a pool thread. Returns an awaitable/async iterator to hand back, a plain
        function's value (``_Returned``, published once the loop has it), or NOTHING."""
        if self._cancel.is_set():
            return _NOTHING
        try:
            result = self._fn(*self._args, **self._kwargs)
            if inspect.isawaitable(result) or hasattr(result, "__aiter__"):
                return result
            if _is_sync_iterator(result):
                self._iterate_sync(result)
            else:
                return _Returned(result)
        except BaseException as error:  # noqa: BLE001
            self._threadsafe(self._fail, error)
        return _NOTHING

    def _iterate_sync(self, iterator: Iterator[Any]) -> None:
        """Runs in a pool thread: step the generator until done or cancelled, then close it."""
        try:
            for value in iterator:
                if self._cancel.is_set():
                    break
                self._threadsafe(self._publish, value)
            else:
                self._threadsafe(self._finish)
        except BaseException as error:  # noqa: BLE001
            self._threadsafe(self._fail, error)
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                try:
                    close()
                except Exception:  # noqa: BLE001
                    log.exception("closing the generator of %s failed", self._name)

    # -- state changes (event loop thread only) --

    def _threadsafe(self, callback: Callable[..., None], *args: Any) -> None:
        try:
            self._loop.call_soon_threadsafe(callback, *args)
        except RuntimeError:
            pass  # the loop is closed: the server is gone, nobody is listening

    def _publish(self, value: Any) -> None:
        if not (self._finished or self._error or self._cancel.is_set()):
            self._value = value
            self._changed.set()

    def _finish(self) -> None:
        if not (self._finished or self._error):
            self._finished = True
            self._changed.set()
            self._interrupt()

    def _fail(self, error: BaseException) -> None:
        if not (self._finished or self._error):
            self._error = error
            self._changed.set()
            self._interrupt()


NOTHING: Any = _NOTHING
