"""The event handlers of the Blocks around a ChatInterface, as the widget sees them.

:class:`Wiring` numbers the components the layout shows and those the handlers use (the ids the
widget and ``POST /api/event`` name them by), and the handlers of this Blocks (the index the
widget calls one by: nothing the visitor sends names code). It checks the values the widget
sends for a handler's inputs, as additional inputs are checked, and shapes what a handler returns
for each output into the props the widget applies (``value``, ``visible``, ``label``,
``interactive``).
"""

from __future__ import annotations

import logging
import math
from typing import Any, Protocol

from ..components import blocks, events
from ..components.button import Button, LoginButton
from ..components.chatbot import Chatbot, Textbox
from ..components.inputs import MAX_TEXT, InputComponent, TextInput
from ..components.media import Component
from ..components.state import State
from ..errors import InvalidInputError

log = logging.getLogger("backend.chat")

#: The props an update may change in the widget (others are accepted and have no effect).
PROPS = ("value", "visible", "label", "interactive", "placeholder")
#: Components a handler may read and set in the widget.
_SHOWN = (InputComponent, Textbox, Button)


def _text_kind(item: Any) -> bool:
    return isinstance(item, Component) and item.kind in ("markdown", "html")


class Chat(Protocol):
    """What the wiring reads of its ``ChatInterface`` (which builds it: a protocol, not an
    import, keeps the two modules out of an import circle)."""

    @property
    def chatbot(self) -> Chatbot: ...

    @property
    def textbox(self) -> Textbox: ...

    @property
    def additional_inputs(self) -> tuple[InputComponent, ...]: ...


class Wiring:
    """The handlers of the Blocks that holds ``interface`` and the components they use."""

    def __init__(self, interface: Chat) -> None:
        self.interface = interface
        self.components: list[Any] = []
        self._ids: dict[int, int] = {}
        self._checks: dict[int, InputComponent] = {}
        for component in interface.additional_inputs:
            source = component.textbox if isinstance(component, TextInput) else component
            self._checks[id(source)] = component
        enclosing = blocks.enclosing(interface)
        inside = blocks.walk(enclosing) if enclosing else []
        for item in inside:
            if item is not interface.textbox and (isinstance(item, _SHOWN) or _text_kind(item)):
                self.id(item)
        #: The ids of the additional inputs, in order.
        self.inputs = [self.id(component) for component in self._sources()]
        members = {id(item) for item in inside}
        self.handlers: list[events.Handler] = []
        for handler in events.handlers:
            if enclosing is None:
                break
            if handler.owner is enclosing or (
                handler.owner is None
                and any(id(component) in members for component, _ in handler.triggers)
            ):
                self.handlers.append(handler)
        # A chain follows its first handler into this Blocks.
        index = {id(handler): i for i, handler in enumerate(self.handlers)}
        for handler in events.handlers:
            parent = handler.triggers[0][0] if handler.triggers else None
            if id(handler) not in index and isinstance(parent, events.Handler):
                if id(parent) in index:
                    index[id(handler)] = len(self.handlers)
                    self.handlers.append(handler)
        self._index = index
        for handler in self.handlers:
            for component in (*handler.inputs, *handler.outputs):
                self._check_usable(component)
                self.id(component)
        #: ``chatbot.like`` listeners update outputs too (the feedback's answer carries them).
        self.like_outputs = any(like.outputs for like in interface.chatbot.likes)
        for like in interface.chatbot.likes:
            for component in like.outputs:
                self._check_usable(component)
                self.id(component)

    def _sources(self) -> list[Any]:
        return [
            c.textbox if isinstance(c, TextInput) else c for c in self.interface.additional_inputs
        ]

    def id(self, component: Any) -> int:
        """The widget's id of ``component`` (one is given on first use)."""
        key = id(component)
        if key not in self._ids:
            self._ids[key] = len(self.components)
            self.components.append(component)
        return self._ids[key]

    def _is_chatbot(self, component: Any) -> bool:
        return component is self.interface.chatbot

    def is_chatbot(self, component: Any) -> bool:
        """Whether ``component`` is the chat's conversation (its value: the messages)."""
        return self._is_chatbot(component) or isinstance(component, Chatbot)

    def _check_usable(self, component: Any) -> None:
        if isinstance(component, (*_SHOWN, State)) or _text_kind(component):
            return
        if self._is_chatbot(component) or isinstance(component, Chatbot):
            return
        if isinstance(component, (events.Handler, blocks.Container, blocks.Hosted)):
            raise TypeError(
                f"an event's inputs and outputs are components, not {type(component).__name__}"
            )
        events.warn_once(
            f"unshown:{type(component).__name__}",
            f"gr.{type(component).__name__} in an event's inputs or outputs is not shown in "
            "the chat bubble: as an input it gives its value= to fn, as an output it is "
            "not updated",
        )

    # -- the config --

    def config(self) -> dict[str, Any] | None:
        """The handlers for the widget: what triggers each (``on``: ``[id, event]`` pairs;
        ``load``; ``after``: ``[handler, "then"|"success"|"failure"]``), its input and output
        ids, its ``show_progress``; the ids of the chatbot and of the composer (the chat's
        ``textbox``: an event reads and fills it) when events use them."""
        if not self.handlers and not self.like_outputs:
            return None
        out = []
        for handler in self.handlers:
            on: list[list[Any]] = []
            after: list[Any] | None = None
            load = False
            for trigger, name in handler.triggers:
                if isinstance(trigger, events.Handler):
                    after = [self._index[id(trigger)], name]
                elif name == "load":
                    load = True
                elif id(trigger) in self._ids:
                    on.append([self._ids[id(trigger)], name])
            out.append(
                {
                    "on": on,
                    "load": load,
                    "after": after,
                    "inputs": [self.id(c) for c in handler.inputs],
                    "outputs": [self.id(c) for c in handler.outputs],
                    "progress": handler.show_progress,
                }
            )
        chatbot = self._ids.get(id(self.interface.chatbot))
        textbox = self._ids.get(id(self.interface.textbox))
        return {"handlers": out, "chatbot": chatbot, "textbox": textbox, "inputs": self.inputs}

    def spec(self, component: Any) -> dict[str, Any] | None:
        """How the layout shows a component (None: it does not); ``"visible": false`` for one
        built hidden (an event may show it)."""
        spec = self._spec(component)
        if spec is not None and spec.get("visible", True) and _hidden(component):
            spec["visible"] = False
        return spec

    def _spec(self, component: Any) -> dict[str, Any] | None:
        if component is self.interface.textbox:
            return None
        if isinstance(component, LoginButton):
            return None
        if isinstance(component, Button):
            return {**component.spec(), "id": self.id(component)}
        if _text_kind(component):
            value = component.value if isinstance(component.value, str) else ""
            return {"type": component.kind, "value": value, "id": self.id(component)}
        if isinstance(component, Textbox):
            field = self._checks.get(id(component)) or TextInput(component)
            return {"type": "field", "spec": field.spec(), "id": self.id(component)}
        if isinstance(component, InputComponent):
            return {"type": "field", "spec": component.spec(), "id": self.id(component)}
        return None

    # -- a call --

    def handler(self, index: Any) -> events.Handler | None:
        if isinstance(index, bool) or not isinstance(index, int):
            return None
        return self.handlers[index] if 0 <= index < len(self.handlers) else None

    def check(self, component: Any, raw: Any, where: str) -> Any:
        """The value ``fn`` gets for ``component`` from what the widget sent (``raw``)."""
        if self.is_chatbot(component):
            return []  # read by the route, which resolves its files (event_calls.arguments)
        checker = self._checks.get(id(component))
        if checker is None and isinstance(component, Textbox):
            checker = self._checks.setdefault(id(component), TextInput(component))
        if checker is None and isinstance(component, InputComponent):
            checker = component
        if checker is not None:
            return checker.check(raw, where)
        if isinstance(component, Button):
            return component.value
        if _text_kind(component):
            if raw is None:
                return ""
            if not isinstance(raw, str) or len(raw) > MAX_TEXT:
                raise InvalidInputError(f"{where} must be text of at most {MAX_TEXT} characters.")
            return raw
        return getattr(component, "value", None)

    def props(self, component: Any, update: dict[str, Any]) -> dict[str, Any] | None:
        """What the widget applies to ``component`` for ``update`` (None: nothing)."""
        out: dict[str, Any] = {}
        for name in PROPS:
            if name not in update:
                continue
            value = update[name]
            if name == "value":
                shown, ok = self._value(component, value)
                if ok:
                    out["value"] = shown
            elif name in ("visible", "interactive"):
                if isinstance(value, bool):
                    out[name] = value
            elif isinstance(value, str):
                out[name] = value[:MAX_TEXT]
        return out or None

    def _value(self, component: Any, value: Any) -> tuple[Any, bool]:
        if self._is_chatbot(component) or isinstance(component, Chatbot):
            if value is None or value == []:
                return [], True
            events.warn_once(
                "chatbot-value",
                "an event function returned messages for the Chatbot: the chat bubble can "
                "only clear the conversation from an event (return [] or None)",
            )
            return None, False
        if (
            isinstance(component, (Button,))
            or _text_kind(component)
            or isinstance(component, Textbox)
        ):
            return ("" if value is None else str(value)[:MAX_TEXT]), True
        if isinstance(component, InputComponent):
            return _json(value), True
        return None, False


def _hidden(component: Any) -> bool:
    kept = {**getattr(component, "props", {}), **getattr(component, "layout", {})}
    return getattr(component, "visible", kept.get("visible", True)) is False


def _json(value: Any) -> Any:
    """A value an input control can show (plain JSON: text, numbers, booleans, lists)."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (list, tuple)):
        return [_json(item) for item in value]
    return str(value)
