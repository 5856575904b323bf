"""Event listeners of a Blocks app, as Gradio's: ``button.click(fn, inputs, outputs)``,
``.submit``, ``.change``, ``.input``, ``demo.load``, ``gr.on`` and the ``.then`` /
``.success`` / ``.failure`` chains.

A listener only records a :class:`Handler`. The chat layer numbers the handlers of the Blocks it
serves (``chat/wiring.py``); the widget calls one by that number (``POST /api/event``) with the
current values of its inputs, and ``chat/event_calls.py`` runs its ``fn`` on the server.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

#: What components' listeners are called (Gradio 6.31's names). The Chatbot's own (``like``,
#: ``retry``, ``undo``, ``edit``) are not here.
TRIGGERS = frozenset(
    {
        "click", "change", "submit", "input", "select", "upload", "clear", "blur", "focus",
        "release", "stream", "key_up", "play", "pause", "stop", "copy", "delete", "download",
        "start_recording", "pause_recording", "stop_recording",
    }
)  # fmt: skip

#: The listener arguments of Gradio 6.31 besides fn, inputs and outputs: accepted, and only
#: ``api_name``, ``show_progress`` and ``js`` mean something here.
OPTIONS = frozenset(
    {
        "api_name", "api_description", "scroll_to_output", "show_progress", "show_progress_on",
        "queue", "batch", "max_batch_size", "preprocess", "postprocess", "cancels",
        "trigger_mode", "js", "concurrency_limit", "concurrency_id", "api_visibility",
        "time_limit", "stream_every", "key", "validator", "every",
    }
)  # fmt: skip

PROGRESS = ("full", "minimal", "hidden")

#: Every handler made, in order (chat/wiring.py picks those of the Blocks it serves).
handlers: list[Handler] = []
_warned: set[str] = set()


def warn_once(key: str, message: str, stacklevel: int = 4) -> None:
    """One warning per ``key`` and process, pointing at the app's line (``stacklevel`` frames
    up from the caller of this function, counted as ``warnings.warn`` does)."""
    if key not in _warned:
        _warned.add(key)
        warnings.warn(message, UserWarning, stacklevel=stacklevel)


def _components(value: Any, where: str) -> tuple[tuple[Any, ...], str]:
    """``inputs``/``outputs``: the components and how the function sees them ("one": a single
    component, "list", "set": a dict keyed by component)."""
    if value is None:
        return (), "list"
    if isinstance(value, (list, tuple)):
        return tuple(value), "list"
    if isinstance(value, (set, frozenset)):
        return tuple(value), "set"
    if isinstance(value, dict):
        raise TypeError(f"{where} must be a component or a list of components, not a dict")
    return (value,), "one"


class Handler:
    """One listener: its ``fn``, its ``inputs`` and ``outputs``, what triggers it (a component's
    event, the page's load, or the end of another handler). Gradio calls it a Dependency."""

    def __init__(
        self,
        owner: Any,
        triggers: tuple[tuple[Any, str], ...],
        fn: Callable[..., Any] | None,
        inputs: Any = None,
        outputs: Any = None,
        *,
        inputs_kwargs: dict[str, Any] | None = None,
        **options: Any,
    ) -> None:
        where = f"{triggers[0][1]}()" if triggers else "on()"
        unknown = sorted(set(options) - OPTIONS)
        if unknown:
            raise TypeError(f"{where} got an unexpected keyword argument {unknown[0]!r}")
        if fn is not None and not callable(fn):
            raise TypeError(f"{where}: fn must be a function or None, not {fn!r}")
        self.owner = owner
        self.triggers = triggers
        self.fn = fn
        self.inputs, self.inputs_as = _components(inputs, f"{where}: inputs")
        self.names: tuple[str, ...] = ()
        if inputs_kwargs:
            if not isinstance(inputs_kwargs, dict) or not all(
                isinstance(name, str) for name in inputs_kwargs
            ):
                raise TypeError(f"{where}: inputs_kwargs must map parameter names to components")
            self.names = tuple(inputs_kwargs)
            self.inputs += tuple(inputs_kwargs.values())
        self.outputs, self.outputs_as = _components(outputs, f"{where}: outputs")
        progress = options.get("show_progress", "full")
        if progress not in PROGRESS:
            raise ValueError(f"{where}: show_progress must be one of {PROGRESS}, not {progress!r}")
        self.show_progress: str = progress
        api_name = options.get("api_name")
        if api_name is not None and api_name is not False and not isinstance(api_name, str):
            raise TypeError(f"{where}: api_name must be a string, False or None")
        self.api_name = api_name if isinstance(api_name, str) else None
        if options.get("js"):
            warn_once(
                "js",
                f"{where}: js= has no effect: the chat bubble runs no code of the app in the "
                "visitor's browser (fn runs on the server)",
                stacklevel=5,  # warn_once, here, listen, the listener: the app's line
            )
        handlers.append(self)

    def _chain(self, kind: str, fn: Any, inputs: Any, outputs: Any, options: Any) -> Any:
        return listen(self.owner, ((self, kind),), fn, inputs, outputs, options)

    def then(
        self, fn: Any = "decorator", inputs: Any = None, outputs: Any = None, **o: Any
    ) -> Any:
        """Runs after this handler ends, however it ended."""
        return self._chain("then", fn, inputs, outputs, o)

    def success(
        self, fn: Any = "decorator", inputs: Any = None, outputs: Any = None, **o: Any
    ) -> Any:
        """Runs after this handler ends without an error."""
        return self._chain("success", fn, inputs, outputs, o)

    def failure(
        self, fn: Any = "decorator", inputs: Any = None, outputs: Any = None, **o: Any
    ) -> Any:
        """Runs after this handler raised an error."""
        return self._chain("failure", fn, inputs, outputs, o)

    def __repr__(self) -> str:
        name = getattr(self.fn, "__name__", None)
        return f"<Handler {self.triggers[0][1] if self.triggers else 'on'} fn={name}>"


def listen(
    owner: Any,
    triggers: tuple[tuple[Any, str], ...],
    fn: Any,
    inputs: Any,
    outputs: Any,
    options: dict[str, Any],
) -> Any:
    """A new :class:`Handler`; with ``fn="decorator"`` (``@button.click(inputs=...)``) a
    decorator that makes it and gives the function back."""
    if isinstance(fn, str) and fn == "decorator":

        def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
            Handler(owner, triggers, function, inputs, outputs, **options)
            return function

        return decorate
    return Handler(owner, triggers, fn, inputs, outputs, **options)


def update(**props: Any) -> dict[str, Any]:
    """Gradio's ``gr.update(...)``: new props for an output (``value``, ``visible``, ``label``,
    ``interactive``, ...) that leave the others as they are.

    Example::

        def hide(): return gr.update(visible=False)
    """
    return {"__type__": "update", **props}
