"""The routes of Gradio's protocol (``backend.http.gradio``) in the OpenAPI document: what
``gradio_client``, ``@gradio/client`` and curl users call. Their message shapes are
Gradio's; docs/protocol.md says which parts we serve."""

from __future__ import annotations

from typing import Any

from .openapi_schemas import STRING, error_responses, json_content, path_param

EVENT_ID = {"type": "object", "properties": {"event_id": STRING}, "required": ["event_id"]}
SSE = {"text/event-stream": {"schema": STRING}}
CALL_BODY = {
    "type": "object",
    "properties": {
        "data": {"type": "array", "description": "The message, then the additional inputs."},
        "session_hash": {**STRING, "description": "Share this session's history."},
    },
    "required": ["data"],
}
JOIN_BODY = {
    "type": "object",
    "properties": {
        "data": {"type": "array", "description": "The message, null (the history), the inputs."},
        "fn_index": {"type": "integer"},
        "session_hash": STRING,
    },
    "required": ["data", "session_hash"],
}
SESSION_QUERY = {"name": "session_hash", "in": "query", "required": True, "schema": STRING}


def _get(
    summary: str,
    operation: str,
    content: dict[str, Any],
    *errors: int,
    parameters: list[Any] | None = None,
    description: str = "",
) -> dict[str, Any]:
    found: dict[str, Any] = {"summary": summary, "operationId": operation}
    if description:
        found["description"] = description
    if parameters:
        found["parameters"] = parameters
    found["responses"] = {"200": {"description": summary, "content": content},
                          **error_responses(*errors)}  # fmt: skip
    return {"get": found}


def _post(summary: str, operation: str, body: dict[str, Any], answer: dict[str, Any],
          *errors: int, parameters: list[Any] | None = None,
          description: str = "") -> dict[str, Any]:  # fmt: skip
    found: dict[str, Any] = {"summary": summary, "operationId": operation}
    if description:
        found["description"] = description
    if parameters:
        found["parameters"] = parameters
    found["requestBody"] = {"required": True, "content": body}
    found["responses"] = {"200": {"description": summary, "content": answer},
                          **error_responses(*errors)}  # fmt: skip
    return {"post": found}


def gradio_paths(api_name: str = "{name}", description: str = "") -> dict[str, Any]:
    """The paths; ``api_name`` and ``description``: the app's endpoint, when known."""
    name = [path_param("name")] if api_name == "{name}" else []
    event = [*name, path_param("event_id")]
    about = f"{description} " if description else ""
    return {
        "/config": _get("Gradio's app config (what Gradio's clients fetch first)",
                        "getGradioConfig", json_content({"type": "object"}), 403),
        "/gradio_api/info": _get("The endpoint as Gradio's view_api() prints it",
                                 "getGradioInfo", json_content({"type": "object"}), 403),
        "/gradio_api/queue/join": _post(
            "Join the queue: start one call", "joinGradioQueue", json_content(JOIN_BODY),
            json_content(EVENT_ID), 400, 403, 404, 413, 415, 422, 429,
            description=about + "Input the chat refuses ends the call with an error message."),
        "/gradio_api/queue/data": _get(
            "The session's calls as Gradio's queue messages", "readGradioQueue", SSE, 403, 422,
            parameters=[SESSION_QUERY]),
        "/gradio_api/cancel": _post(
            "Stop a call (its chat function is closed)", "cancelGradioCall",
            json_content({"type": "object"}), json_content({"type": "object"}),
            400, 403, 413, 415, 422),
        "/gradio_api/reset": _post(
            "Acknowledge a cancel (Gradio's clients send it)", "resetGradioCall",
            json_content({"type": "object"}), json_content({"type": "object"}),
            400, 403, 413, 415, 422),
        "/gradio_api/heartbeat/{session}": _get(
            "A session's heartbeat stream (data: ALIVE)", "gradioHeartbeat", SSE, 403, 422,
            parameters=[path_param("session")]),
        f"/gradio_api/call/{api_name}": _post(
            "Start a call (curl's first step)", "startGradioCall", json_content(CALL_BODY),
            json_content(EVENT_ID), 400, 403, 404, 413, 415, 422, 429, parameters=name,
            description=about + "Then read its events with GET .../{event_id}."),
        f"/gradio_api/call/v2/{api_name}": _post(
            "Start a call with named parameters", "startGradioCallNamed",
            json_content({"type": "object"}), json_content(EVENT_ID),
            400, 403, 404, 413, 415, 422, 429, parameters=name),
        f"/gradio_api/call/{api_name}/{{event_id}}": _get(
            "A call's events: generating, complete, error, heartbeat", "readGradioCall", SSE,
            403, parameters=event),
        f"/gradio_api/call/v2/{api_name}/{{event_id}}": _get(
            "The same, for a call started with named parameters", "readGradioCallNamed", SSE,
            403, parameters=event),
        "/gradio_api/upload": _post(
            "Upload files for a multimodal message (multipart, field 'files')",
            "gradioUpload",
            {"multipart/form-data": {"schema": {"type": "object", "properties": {
                "files": {"type": "array", "items": {"type": "string", "format": "binary"}}}}}},
            json_content({"type": "array", "items": STRING}),
            400, 403, 404, 408, 413, 415, 429,
            description="Gives one reference per file; a message names files only by these."),
        "/gradio_api/file={reference}": _get(
            "A file, by the reference an upload gave", "getGradioFile",
            {"application/octet-stream": {"schema": {}}}, 403, 404,
            parameters=[path_param("reference")]),
    }  # fmt: skip
