"""``GET /gradio_api/info``: the endpoints as ``view_api()`` prints them. Only a public
endpoint is listed (``api_visibility="undocumented"`` or ``"private"`` hides it, as Gradio)."""

from __future__ import annotations

from typing import Any

from .endpoint import Endpoint

RETURNS = [
    {
        "label": "Response",
        "type": {"type": {}, "description": "any valid json"},
        "python_type": {
            "type": "str | float | bool | list | dict",
            "description": "any valid json",
        },
        "component": "Json",
    }
]


def info_document(endpoint: Endpoint) -> dict[str, Any]:
    named = {}
    if endpoint.listed:
        named["/" + endpoint.name] = {
            "parameters": [parameter.info() for parameter in endpoint.parameters],
            "returns": [
                *RETURNS,
                *(output.info() for output in endpoint.outputs if output.component is not None),
            ],
            "api_visibility": endpoint.visibility,
            "description": endpoint.description,
        }
    return {"named_endpoints": named, "unnamed_endpoints": {}}
