"""Additional inputs: ``Slider``, ``Number``, ``Checkbox``, ``Dropdown``, ``Radio``,
``CheckboxGroup`` (and ``Textbox``), as Gradio's, for ``ChatInterface(additional_inputs=...)``.

Each one describes itself to the widget (:meth:`InputComponent.spec`) and checks what a
visitor sends back (:meth:`InputComponent.check`): a value outside the slider's range or the
dropdown's choices is refused with 400 before the chat function runs.
"""

from __future__ import annotations

import math
from typing import Any

from ..errors import InvalidInputError
from .blocks import Renderable
from .chatbot import Textbox

MAX_TEXT = 20_000


def _number(where: str, name: str, value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise TypeError(f"{where}: {name} must be a number, not {value!r}")
    return value


def _choices(where: str, choices: Any) -> list[tuple[str, Any]]:
    """Gradio's choices: values, or ``(label, value)`` pairs."""
    if choices is None:
        return []
    if isinstance(choices, (str, bytes)) or not isinstance(choices, (list, tuple)):
        raise TypeError(f"{where}: choices must be a list")
    out = []
    for choice in choices:
        if isinstance(choice, (tuple, list)) and len(choice) == 2:
            out.append((str(choice[0]), choice[1]))
        elif isinstance(choice, (str, int, float)) and not isinstance(choice, bool):
            out.append((str(choice), choice))
        else:
            raise TypeError(f"{where}: each choice is a value or a (label, value) pair")
    return out


class InputComponent(Renderable):
    """Base of the additional inputs."""

    kind = ""

    def __init__(
        self, value: Any = None, *, label: str | None = None, info: str | None = None,
        render: bool = True, **layout: Any,
    ) -> None:  # fmt: skip
        self.value = value
        self.label = label
        self.info = info
        self.layout = layout
        super().__init__(render=render)

    def spec(self) -> dict[str, Any]:
        return {"type": self.kind, "label": self.label, "info": self.info, "value": self.value}

    def check(self, raw: Any, where: str) -> Any:
        raise NotImplementedError

    def _refuse(self, where: str, why: str) -> InvalidInputError:
        name = self.label or self.kind
        return InvalidInputError(f"{where} ({name}) {why}.")


class Slider(InputComponent):
    """A number between ``minimum`` and ``maximum`` in steps of ``step``."""

    kind = "slider"

    def __init__(
        self, minimum: float = 0, maximum: float = 100, value: float | None = None, *,
        step: float | None = None, **kwargs: Any,
    ) -> None:  # fmt: skip
        where = "Slider()"
        low, high = _number(where, "minimum", minimum), _number(where, "maximum", maximum)
        assert low is not None and high is not None
        if low > high:
            raise ValueError(f"{where}: minimum ({low}) is greater than maximum ({high})")
        if callable(value):
            raise TypeError(f"{where}: a callable value is not supported")
        start = _number(where, "value", value)
        if start is not None and not low <= start <= high:
            raise ValueError(f"{where}: value {start} is outside {low}..{high}")
        self.minimum, self.maximum = low, high
        self.step = _number(where, "step", step) or (
            1 if _whole(low, high) else (high - low) / 100
        )
        super().__init__(low if start is None else start, **kwargs)

    def spec(self) -> dict[str, Any]:
        return {**super().spec(), "minimum": self.minimum, "maximum": self.maximum,
                "step": self.step}  # fmt: skip

    def check(self, raw: Any, where: str) -> float:
        if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw):
            raise self._refuse(where, "must be a number")
        if not self.minimum <= raw <= self.maximum:
            raise self._refuse(where, f"must be between {self.minimum} and {self.maximum}")
        return raw


def _whole(*values: float) -> bool:
    return all(float(v).is_integer() for v in values)


class Number(InputComponent):
    """A number, optionally bounded; ``precision=0`` makes it an int."""

    kind = "number"

    def __init__(
        self, value: float | None = None, *, minimum: float | None = None,
        maximum: float | None = None, precision: int | None = None, step: float = 1,
        **kwargs: Any,
    ) -> None:  # fmt: skip
        where = "Number()"
        self.minimum = _number(where, "minimum", minimum)
        self.maximum = _number(where, "maximum", maximum)
        self.precision = precision
        self.step = _number(where, "step", step)
        super().__init__(_number(where, "value", value), **kwargs)

    def spec(self) -> dict[str, Any]:
        return {**super().spec(), "minimum": self.minimum, "maximum": self.maximum,
                "step": self.step, "precision": self.precision}  # fmt: skip

    def check(self, raw: Any, where: str) -> float | None:
        if raw is None:
            return None
        if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw):
            raise self._refuse(where, "must be a number")
        if self.minimum is not None and raw < self.minimum:
            raise self._refuse(where, f"must be at least {self.minimum}")
        if self.maximum is not None and raw > self.maximum:
            raise self._refuse(where, f"must be at most {self.maximum}")
        if self.precision == 0:
            return int(round(raw))
        return round(raw, self.precision) if self.precision is not None else raw


class Checkbox(InputComponent):
    """True or False."""

    kind = "checkbox"

    def __init__(self, value: bool = False, **kwargs: Any) -> None:
        if not isinstance(value, bool):
            raise TypeError(f"Checkbox(): value must be True or False, not {value!r}")
        super().__init__(value, **kwargs)

    def check(self, raw: Any, where: str) -> bool:
        if not isinstance(raw, bool):
            raise self._refuse(where, "must be true or false")
        return raw


class _Choice(InputComponent):
    multiselect = False

    def __init__(self, choices: Any = None, value: Any = None, **kwargs: Any) -> None:
        where = f"{type(self).__name__}()"
        self.choices = _choices(where, choices)
        self.allow_custom_value = bool(kwargs.pop("allow_custom_value", False))
        if "multiselect" in kwargs:
            self.multiselect = bool(kwargs.pop("multiselect"))
        kwargs.pop("type", None)  # "value"/"index": the widget always sends values
        values = [v for _, v in self.choices]
        if value is None and values and not self.multiselect and self.kind != "dropdown":
            value = None
        if self.multiselect:
            value = list(value or [])
            if values and any(v not in values for v in value):
                raise ValueError(f"{where}: value {value!r} is not among the choices")
        elif value is not None and values and value not in values and not self.allow_custom_value:
            raise ValueError(f"{where}: value {value!r} is not among the choices")
        super().__init__(value, **kwargs)

    def spec(self) -> dict[str, Any]:
        return {
            **super().spec(),
            "choices": [[label, value] for label, value in self.choices],
            "multiselect": self.multiselect,
            "allow_custom_value": self.allow_custom_value,
        }

    def _one(self, raw: Any, where: str) -> Any:
        values = [v for _, v in self.choices]
        if raw in values and not isinstance(raw, bool):
            return raw
        if (
            (self.allow_custom_value or not values)
            and isinstance(raw, str)
            and len(raw) <= MAX_TEXT
        ):
            return raw
        raise self._refuse(where, "is not one of the choices")

    def check(self, raw: Any, where: str) -> Any:
        if self.multiselect:
            if not isinstance(raw, list) or len(raw) > max(len(self.choices), 1) * 2:
                raise self._refuse(where, "must be a list of choices")
            return [self._one(item, where) for item in raw]
        if raw is None:
            return None
        return self._one(raw, where)


class Dropdown(_Choice):
    """One of ``choices`` (or several with ``multiselect=True``)."""

    kind = "dropdown"


class Radio(_Choice):
    """One of ``choices``, shown as radio buttons."""

    kind = "radio"


class CheckboxGroup(_Choice):
    """Any of ``choices``."""

    kind = "checkboxgroup"
    multiselect = True


class TextInput(InputComponent):
    """A ``Textbox`` used as an additional input (a system prompt, say)."""

    kind = "textbox"

    def __init__(self, textbox: Textbox) -> None:
        self.textbox = textbox
        self.lines = textbox.lines
        self.placeholder = textbox.placeholder
        self.max_length = textbox.max_length
        super().__init__(textbox.value or "", label=textbox.label, render=False)
        self.rendered = textbox.rendered

    def spec(self) -> dict[str, Any]:
        spec = {**super().spec(), "lines": self.lines, "placeholder": self.placeholder}
        if self.textbox.type == "password":
            spec["password"] = True
        return spec

    def check(self, raw: Any, where: str) -> str:
        limit = self.max_length or MAX_TEXT
        if not isinstance(raw, str):
            raise self._refuse(where, "must be text")
        if len(raw) > limit:
            raise self._refuse(where, f"is longer than {limit} characters")
        return raw.replace("\x00", "")


SHORTCUTS: dict[str, type[InputComponent]] = {
    "slider": Slider,
    "number": Number,
    "checkbox": Checkbox,
    "dropdown": Dropdown,
    "radio": Radio,
    "checkboxgroup": CheckboxGroup,
}


def normalize_inputs(value: Any) -> tuple[InputComponent, ...]:
    """``additional_inputs``: a component, a string shortcut, or a list of them."""
    if value is None:
        return ()
    items = value if isinstance(value, (list, tuple)) else [value]
    out: list[InputComponent] = []
    for index, item in enumerate(items):
        if isinstance(item, str):
            name = item.lower()
            if name == "textbox":
                out.append(TextInput(Textbox(render=False)))
            elif name in SHORTCUTS:
                out.append(SHORTCUTS[name](render=False))
            else:
                known = ", ".join(["textbox", *SHORTCUTS])
                raise ValueError(
                    f"additional_inputs[{index}]: unknown shortcut {item!r} ({known})"
                )
        elif isinstance(item, Textbox):
            out.append(TextInput(item))
        elif isinstance(item, InputComponent):
            out.append(item)
        else:
            raise TypeError(
                f"additional_inputs[{index}] must be a Textbox, Slider, Number, Checkbox, "
                f"Dropdown, Radio or CheckboxGroup, not {type(item).__name__}"
            )
    return tuple(out)
