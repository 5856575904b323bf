"""The MCP tool a ChatInterface is, as Gradio 6.31 describes it: named after the chat
function (characters outside ``[A-Za-z0-9]`` become ``_``), described by its docstring's
summary, with the message and the additional inputs (by the function's parameter names) as
its input schema; the docstring's ``Args:`` lines describe them. Never the history.

The schema has no ``$ref``: a multimodal message's files are spelled out in place (Gradio's
points at a ``$defs`` its tool schema does not carry, so clients that resolve it fail)."""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from typing import Any

from ..gradio.endpoint import Endpoint

#: A file in a multimodal message: what ``POST /gradio_api/upload`` returned, bare or as
#: Gradio's FileData object.
FILE = {
    "anyOf": [
        {"type": "string"},
        {
            "type": "object",
            "properties": {
                "path": {"type": "string"},
                "meta": {"type": "object", "properties": {"_type": {"type": "string"}}},
            },
            "required": ["path"],
        },
    ],
    "description": "a reference returned by POST /gradio_api/upload",
}
MULTIMODAL = {
    "type": "object",
    "properties": {
        "text": {"type": "string"},
        "files": {"type": "array", "items": FILE},
    },
    "required": ["text"],
}


@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    input_schema: dict[str, Any]


def tool_name(fn: Any) -> str:
    return re.sub(r"[^A-Za-z0-9]", "_", getattr(fn, "__name__", "") or "chat")


def arg_descriptions(fn: Any) -> dict[str, str]:
    """``name: description`` lines of a Google-style ``Args:`` section (a description may go
    on over more indented lines)."""
    doc = inspect.getdoc(fn) or ""
    found: dict[str, str] = {}
    inside, current, indent = False, "", 0
    for line in doc.splitlines():
        stripped = line.strip()
        if re.fullmatch(r"(Args|Arguments|Parameters):", stripped):
            inside, current = True, ""
            continue
        if not inside:
            continue
        if not stripped or (not line.startswith(" ") and stripped.endswith(":")):
            inside = False
            continue
        depth = len(line) - len(line.lstrip())
        match = re.match(r"(\w+)\s*(?:\([^)]*\))?\s*:\s*(.*)", stripped)
        if match and (not current or depth <= indent):
            current, indent = match[1], depth
            found[current] = match[2]
        elif current:
            found[current] = f"{found[current]} {stripped}".strip()
    return found


def tool_of(endpoint: Endpoint, fn: Any) -> Tool:
    described = arg_descriptions(fn)
    properties: dict[str, Any] = {}
    required = []
    for i, parameter in enumerate(endpoint.parameters):
        schema = dict(MULTIMODAL if i == 0 and endpoint.multimodal else parameter.api_type)
        schema.pop("$defs", None)
        if not schema.get("type"):
            schema.pop("type", None)
        schema["description"] = described.get(parameter.name, schema.get("description", ""))
        if parameter.has_default and i > 0:
            schema["default"] = parameter.default
        else:
            required.append(parameter.name)
        properties[parameter.name] = schema
    return Tool(
        tool_name(fn),
        endpoint.description,
        {"type": "object", "properties": properties, "required": required},
    )
