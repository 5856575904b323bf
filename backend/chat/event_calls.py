"""One call of an event handler (``button.click(fn, inputs, outputs)`` and the like): ``fn``'s
arguments from the values the widget sent, ``fn`` run in any of its four shapes (``chat/run.py``),
and what it returns or yields as the outputs' new props.

As in Gradio: ``fn`` gets one argument per input (a dict keyed by component when ``inputs`` is a
set; ``inputs_kwargs`` as keyword arguments), ``gr.Request`` where it asks for one. It returns one
value per output (a tuple or list; a single value for one output), or a dict keyed by output
component that updates only those. A value is the output's new value, ``gr.update(...)`` or a
component (``gr.Textbox(visible=False)``) whose given arguments are the new props.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import Executor
from typing import Any, Protocol

from ..components.blocks import Renderable
from ..components.events import Handler
from ..components.state import State
from ..errors import ChatbubbleError, InvalidInputError
from .request import Request
from .run import NOTHING, ChatRun
from .wiring import Wiring

#: Where a State's value comes from and goes to (the conversation's, see ``chat/states.py``).
StateGet = Callable[[State], Any]
StateSet = Callable[[State, Any], None]

#: Between two looks at a running fn (it wakes the reader as soon as it has news).
_WAIT = 30.0


def arguments(
    wiring: Wiring,
    handler: Handler,
    raw: Any,
    state: StateGet,
    conversation: Callable[[Any, str], Any] | None = None,
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """``fn``'s arguments, each value checked by its component (400 when one is refused); the
    chatbot's (the conversation the widget sent, as a chat request's history) read by
    ``conversation`` into the messages Gradio gives (an empty list without it)."""
    inputs = handler.inputs
    if not isinstance(raw, list) or len(raw) != len(inputs):
        raise InvalidInputError(f"'values' must be a list of {len(inputs)} input values.")
    values = []
    for index, (component, sent) in enumerate(zip(inputs, raw, strict=True)):
        if isinstance(component, State):
            values.append(state(component))
        elif conversation is not None and wiring.is_chatbot(component):
            values.append(conversation(sent, f"values[{index}]"))
        else:
            values.append(wiring.check(component, sent, f"values[{index}]"))
    named = len(handler.names)
    positional, keywords = values[: len(values) - named], values[len(values) - named :]
    kwargs = dict(zip(handler.names, keywords, strict=True))
    if handler.inputs_as == "set":
        return (dict(zip(inputs, values, strict=True)),), {}
    return tuple(positional), kwargs


def _props(value: Any) -> dict[str, Any]:
    """An output's new props from one returned value."""
    if isinstance(value, dict) and value.get("__type__") == "update":
        return {k: v for k, v in value.items() if k != "__type__"}
    if isinstance(value, Renderable):
        # Arguments a component keeps as attributes, or among its display props.
        kept = {**getattr(value, "props", {}), **getattr(value, "layout", {})}
        return {
            name: getattr(value, name) if hasattr(value, name) else kept[name]
            for name in value.given
            if hasattr(value, name) or name in kept
        }
    return {"value": value}


class Outputs(Protocol):
    """What names the outputs of a call: a ``Handler``, or a ``chatbot.like`` listener."""

    @property
    def outputs(self) -> Sequence[Any]: ...


class Listener(Outputs, Protocol):
    """What a call runs: a ``Handler``'s or a ``chatbot.like`` listener's ``fn``."""

    @property
    def fn(self) -> Callable[..., Any] | None: ...


def outputs(wiring: Wiring, handler: Outputs, result: Any, keep: StateSet) -> list[list[Any]]:
    """``[[id, props], ...]`` for what ``fn`` returned (a dict updates only its keys)."""
    targets: Sequence[Any] = handler.outputs
    if not targets:
        return []
    pairs: list[tuple[Any, Any]]
    by_component = (
        isinstance(result, dict)
        and result.get("__type__") != "update"
        and all(any(key is t for t in targets) for key in result)
        and bool(result)
    )
    if by_component:
        pairs = list(result.items())
    elif len(targets) == 1:
        pairs = [(targets[0], result)]
    elif isinstance(result, (list, tuple)) and len(result) == len(targets):
        pairs = list(zip(targets, result, strict=True))
    else:
        got = len(result) if isinstance(result, (list, tuple)) else 1
        raise ChatbubbleError(
            f"An event function returned {got} values for {len(targets)} outputs."
        )
    out: list[list[Any]] = []
    for component, value in pairs:
        if isinstance(component, State):
            keep(component, value)
            continue
        props = wiring.props(component, _props(value))
        if props is not None:
            out.append([wiring.id(component), props])
    return out


async def call(
    wiring: Wiring,
    handler: Listener,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    executor: Executor,
    request: Request,
    keep: StateSet,
) -> AsyncIterator[list[list[Any]]]:
    """Runs ``fn`` and yields the outputs' props after each value it returns or yields (the
    newest only, when it yields faster than they are read). Its exception is raised."""
    fn = handler.fn
    if fn is None:
        return
    target = functools.partial(fn, **kwargs) if kwargs else fn
    run = ChatRun(target, args, executor, getattr(fn, "__name__", ""), request)
    run.start()
    try:
        while True:
            await run.wait(_WAIT)
            value, finished, error = run.take()
            if value is not NOTHING:
                yield outputs(wiring, handler, value, keep)
            if error is not None:
                raise error
            if finished:
                return
    finally:
        run.cancel()
