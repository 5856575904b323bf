"""Where the widget shows what surrounds the chat: a ``gr.Blocks`` layout flattened to what
goes above the conversation and what goes below it, and the additional inputs that no layout
placed (they go in the "Additional Inputs" section)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..components import blocks
from ..components.inputs import TextInput

if TYPE_CHECKING:
    from .interface import ChatInterface


def _source(component: Any) -> Any:
    return component.textbox if isinstance(component, TextInput) else component


def layout(interface: ChatInterface) -> dict[str, Any]:
    """``{"above": [...], "below": [...], "accordion": [input indexes]}``; items are
    ``{"type": "input", "index", "id"}``, ``{"type": "output", "index"}``, or a component
    the events can use (``chat/wiring.py``): ``{"type": "markdown"|"html", "value", "id"}``,
    ``{"type": "field", "spec", "id"}`` (an input that is not an additional input) or
    ``{"type": "button", "value", "variant", "id", ...}``."""
    wiring = interface.wiring
    inputs = [_source(component) for component in interface.additional_inputs]
    outputs = list(interface.additional_outputs)
    placed: set[int] = set()
    above: list[dict[str, Any]] = []
    below: list[dict[str, Any]] = []
    side = above
    enclosing = blocks.enclosing(interface)
    for item in blocks.walk(enclosing) if enclosing else []:
        if item is interface:
            side = below
            continue
        index = next((i for i, source in enumerate(inputs) if source is item), None)
        if index is not None:
            side.append({"type": "input", "index": index, "id": wiring.id(item)})
            placed.add(index)
            continue
        index = next((i for i, output in enumerate(outputs) if output is item), None)
        if index is not None:
            side.append({"type": "output", "index": index})
            continue
        spec = wiring.spec(item)
        if spec is not None:
            side.append(spec)
    accordion = [i for i in range(len(inputs)) if i not in placed]
    # Outputs no layout placed are still shown, below the chat.
    shown = {entry["index"] for entry in above + below if entry["type"] == "output"}
    below.extend({"type": "output", "index": i} for i in range(len(outputs)) if i not in shown)
    return {"above": above, "below": below, "accordion": accordion}
