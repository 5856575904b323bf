"""The one endpoint a ChatInterface has in Gradio's protocol, as its clients see it: its name
and visibility, its inputs (the message, a history State they fill with null, the additional
inputs) and outputs (the answer as JSON, the State, the additional outputs), with the types
``view_api()`` prints."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ...chat.request import slots
from ...components.inputs import InputComponent, Slider, _Choice
from .files import FILE_DATA
from .outputs import Output, outputs_of

if TYPE_CHECKING:
    from ...chat.interface import ChatInterface

#: The endpoint's index (``fn_index``) and its components' ids in ``/config``.
FN_INDEX = 0
MESSAGE_ID, STATE_ID, RESPONSE_ID, FIRST_INPUT_ID = 0, 1, 2, 3

MULTIMODAL_TYPE = {
    "$defs": {"FileData": FILE_DATA},
    "properties": {
        "text": {"title": "Text", "type": "string"},
        "files": {"items": {"$ref": "#/$defs/FileData"}, "title": "Files", "type": "array"},
    },
    "required": ["text"],
    "title": "MultimodalData",
    "type": "object",
}
JSON_TYPE = {"type": {}, "description": "any valid json"}


@dataclass(frozen=True)
class Parameter:
    """One input of the endpoint as ``/gradio_api/info`` lists it."""

    name: str
    label: str
    component: str
    api_type: dict[str, Any]
    python_type: str
    default: Any
    has_default: bool
    example: Any

    def info(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "parameter_name": self.name,
            "parameter_has_default": self.has_default,
            "parameter_default": self.default,
            "type": self.api_type,
            "python_type": {"type": self.python_type, "description": ""},
            "component": self.component,
            "example_input": self.example,
        }


@dataclass(frozen=True)
class Endpoint:
    name: str
    description: str
    visibility: str
    multimodal: bool
    inputs: tuple[InputComponent, ...]
    parameters: tuple[Parameter, ...]
    #: The additional outputs, after the response and the history State.
    outputs: tuple[Output, ...] = ()

    @property
    def first_output_id(self) -> int:
        return FIRST_INPUT_ID + len(self.inputs)

    @property
    def callable(self) -> bool:
        """Whether Gradio's clients may call it (``"private"``: only the widget)."""
        return self.visibility != "private"

    @property
    def listed(self) -> bool:
        return self.visibility == "public"


def endpoint(interface: ChatInterface) -> Endpoint:
    names = _parameter_names(
        interface.fn, len(interface.additional_inputs), interface.states.inputs
    )
    message = (
        Parameter(names[0], "", "Multimodaltextbox", MULTIMODAL_TYPE,
                  "dict(text: str, files: list[filepath])", {"text": "", "files": []}, True,
                  {"text": "Hello!!", "files": []})
        if interface.multimodal
        else Parameter(names[0], "", "Textbox", {"type": "string"}, "str", None, False,
                       "Hello!!")
    )  # fmt: skip
    extra = tuple(
        _parameter(component, name)
        for component, name in zip(interface.additional_inputs, names[1:], strict=True)
    )
    return Endpoint(
        interface.api_name,
        interface.api_description,
        interface.api_visibility,
        interface.multimodal,
        interface.additional_inputs,
        (message, *extra),
        outputs_of(interface.output_slots),
    )


def _parameter_names(fn: Any, count: int, states: tuple[Any, ...] = ()) -> list[str]:
    """``message`` and the additional inputs' names as the chat function calls them (its
    ``gr.Request`` and ``gr.State`` parameters are not the client's to send)."""
    fallback = ["message", *(f"param_{i + 2}" for i in range(count))]
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return fallback
    every = len(states) or count
    skipped = set(slots(fn, 2 + every).positions)
    positional = [
        p.name for index, p in enumerate(params)
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and index not in skipped
    ]  # fmt: skip
    if len(positional) < 2 + every:
        return fallback
    extra = positional[2 : 2 + every]
    if states:
        extra = [name for name, state in zip(extra, states, strict=True) if state is None]
    return [positional[0], *extra]


def _parameter(component: InputComponent, name: str) -> Parameter:
    api_type, python_type, example = component_type(component)
    return Parameter(
        name,
        component.label or name,
        component.kind.capitalize(),
        api_type,
        python_type,
        component.value,
        True,
        example,
    )


def component_type(component: InputComponent) -> tuple[dict[str, Any], str, Any]:
    """The JSON type, the Python type and an example value of an additional input."""
    if isinstance(component, Slider):
        return (
            {"type": "number",
             "description": f"numeric value between {component.minimum} and {component.maximum}"},
            "float", component.minimum,
        )  # fmt: skip
    if isinstance(component, _Choice):
        values = [value for _, value in component.choices]
        literal = "Literal[" + ", ".join(repr(v) for v in values) + "]" if values else "str"
        one: dict[str, Any] = {"enum": values, "type": "string"} if values else {"type": "string"}
        if component.multiselect:
            return ({"items": one, "type": "array"}, f"list[{literal}]", values[:1])
        return one, literal, values[0] if values else "Hello!!"
    kind = component.kind
    if kind == "number":
        return {"type": "number"}, "float", 3
    if kind == "checkbox":
        return {"type": "boolean"}, "bool", True
    return {"type": "string"}, "str", "Hello!!"
