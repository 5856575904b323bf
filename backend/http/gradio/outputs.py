"""The chat function's additional outputs as Gradio's clients see them: after the response and
the history State, one output per ``additional_outputs`` entry (a ``gr.State`` one stays
``null``, as Gradio never sends a State's value), typed for ``view_api()``, and each value as
Gradio sends it: text for Code, Markdown and HTML, the value for JSON, a FileData (an opaque
reference and its URL) for an Image."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ...components.media import Component
from ...components.state import State
from .files import FILE_DATA, PREFIX

STRING = {"type": "string"}
JSON_TYPE = {"type": {}, "description": "any valid json"}
FILE_TYPE = {**FILE_DATA, "title": "ImageData"}
#: Per output kind: the component's name in ``/config`` and ``view_api()``, its JSON type and
#: its Python type.
KINDS: dict[str, tuple[str, dict[str, Any], str]] = {
    "code": ("Code", STRING, "str"),
    "markdown": ("Markdown", STRING, "str"),
    "html": ("Html", STRING, "str"),
    "json": ("Json", JSON_TYPE, "str | float | bool | list | dict"),
    "image": ("Image", FILE_TYPE, "filepath"),
}


@dataclass(frozen=True)
class Output:
    """One additional output (``component`` None: a ``gr.State``)."""

    component: Component | None
    label: str

    @property
    def kind(self) -> str:
        return self.component.kind if self.component is not None else "state"

    def info(self) -> dict[str, Any]:
        """Its entry in ``/gradio_api/info``'s ``returns``."""
        name, api_type, python_type = KINDS[self.kind]
        return {
            "label": self.label,
            "type": api_type,
            "python_type": {"type": python_type, "description": ""},
            "component": name,
        }


def outputs_of(slots: Sequence[Component | State]) -> tuple[Output, ...]:
    """Every additional output in the function's order; labels as ``view_api()`` prints
    them (the component's label, else ``value_<n>`` counting the outputs clients get)."""
    out = []
    shown = 0
    for slot in slots:
        if isinstance(slot, State):
            out.append(Output(None, ""))
            continue
        shown += 1
        label = slot.label if isinstance(slot.label, str) and slot.label else f"value_{shown}"
        out.append(Output(slot, label))
    return tuple(out)


def values(outputs: Sequence[Output], shown: Sequence[Any], now: list[Any]) -> list[Any]:
    """``now`` (one value per output) with an ``outputs`` event applied: ``shown`` holds one
    part per non-State output, ``None`` where it did not change."""
    changes = iter(shown)
    fresh = list(now)
    for index, output in enumerate(outputs):
        if output.component is None:
            continue
        part = next(changes, None)
        if part is not None:
            fresh[index] = value_of(part)
    return fresh


def value_of(part: dict[str, Any]) -> Any:
    """An output part (``replies.PartMaker._output``) as Gradio sends that output's value."""
    kind = part.get("type")
    if kind == "html":
        return part.get("html")
    if kind == "file":
        return {
            "path": f"{PREFIX}{part['id']}/{str(part.get('name') or 'file').replace('/', '_')}",
            "url": part.get("url"),
            "size": part.get("size"),
            "orig_name": part.get("name"),
            "mime_type": part.get("mime"),
            "is_stream": False,
            "meta": {"_type": "gradio.FileData"},
        }
    return part.get("value")
