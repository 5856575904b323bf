"""The HTTP API for programs as an OpenAPI 3.1 document, served at ``GET /openapi.json`` and
rendered to ``docs/api.md`` by ``backend.http.api_docs``: its paths here, the schemas and other
building blocks in ``openapi_schemas.py``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from quart import Blueprint, Response, jsonify

from ..version import __version__
from .openapi_gradio import gradio_paths
from .openapi_history import history_paths
from .openapi_schemas import (
    BEARER,
    CHAT_EVENTS,
    IDENTITY_401,
    SCHEMAS,
    SECURITY_SCHEMES,
    STRING,
    USER_PARAM,
    VISITOR_KEY_PARAM,
    error_responses,
    json_content,
    path_param,
    ref,
)

if TYPE_CHECKING:
    from .state import AppState


def event_stream(description: str) -> dict[str, Any]:
    """A ``200`` answered as server-sent events."""
    return {"description": description, "content": {"text/event-stream": {"schema": STRING}}}


def openapi_document(
    server: str | None = None, gradio_endpoint: tuple[str, str] | None = None
) -> dict[str, Any]:
    """The document; ``server`` is the base URL to list under ``servers``;
    ``gradio_endpoint`` the app's endpoint name and description in Gradio's protocol (else
    its routes are listed with a ``{name}`` parameter)."""
    paths: dict[str, Any] = {
        "/api/config": {
            "get": {
                "summary": "What the widget needs to show this chat",
                "operationId": "getConfig",
                "responses": {
                    "200": {
                        "description": "The app's configuration.",
                        "content": json_content(ref("Config")),
                    },
                    **error_responses(403),
                },
            }
        },
        "/api/chat": {
            "post": {
                "summary": "Answer one message, streamed",
                "description": 'A bare `{"message": "..."}` is enough. ' + CHAT_EVENTS,
                "operationId": "chat",
                "parameters": [VISITOR_KEY_PARAM, USER_PARAM],
                "requestBody": {"required": True, "content": json_content(ref("ChatRequest"))},
                "responses": {
                    "200": event_stream("The answer as server-sent events (above)."),
                    **error_responses(
                        400,
                        401,
                        403,
                        408,
                        413,
                        415,
                        422,
                        429,
                        r400="Bad JSON, a file not named by a server-issued id (`invalid_file`), "
                        "an unknown or expired file id (`unknown_file`), or an additional "
                        "input's value out of range (`invalid_input`).",
                        r422="Valid JSON of the wrong shape, or over a limit "
                        "(`invalid_request`); or the app's `validator` refused the message "
                        "(`validation_failed`, its message in `error`; the chat function "
                        "was not called).",
                        r429="Too many messages (`rate_limited`, see `Retry-After`), or the "
                        "line of visitors waiting for `concurrency_limit` is full (`busy`).",
                        r401=IDENTITY_401,
                    ),  # fmt: skip
                },
            }
        },
        "/api/streams/{stream_id}": {
            "post": {
                "summary": "Read a resumable answer again, from an event on",
                "description": "The same events as `POST /api/chat`, from the one after "
                "`after`, live until the answer ends. The chat function is not called again.",
                "operationId": "reattachStream",
                "parameters": [path_param("stream_id")],
                "requestBody": {"required": True, "content": json_content(ref("StreamRequest"))},
                "responses": {
                    "200": event_stream("The answer as server-sent events."),
                    **error_responses(
                        403,
                        404,
                        422,
                        r403="A refused origin, or not the answer's token (`stream_forbidden`).",
                        r404="No such answer, or it expired.",
                    ),  # fmt: skip
                },
            }
        },
        "/api/streams/{stream_id}/stop": {
            "post": {
                "summary": "Stop a resumable answer from anywhere",
                "description": "The chat function is closed; every reader gets `event: stopped`.",
                "operationId": "stopStream",
                "parameters": [path_param("stream_id")],
                "requestBody": {"required": True, "content": json_content(ref("StreamRequest"))},
                "responses": {
                    "200": {
                        "description": "Stopped.",
                        "content": json_content(
                            {"type": "object", "properties": {"ok": {"const": True}}}
                        ),
                    },
                    **error_responses(
                        403,
                        404,
                        422,
                        r403="A refused origin, or not the answer's token (`stream_forbidden`).",
                        r404="No such answer, or it expired.",
                    ),  # fmt: skip
                },
            }
        },
        "/api/upload": {
            "post": {
                "summary": "Upload one file for a multimodal chat",
                "description": "The file's bytes are the body (not multipart). Its type is "
                "decided by its content.",
                "operationId": "upload",
                "parameters": [
                    {
                        "name": "name",
                        "in": "query",
                        "description": "The file's name.",
                        "schema": STRING,
                    },
                    VISITOR_KEY_PARAM,
                ],
                "requestBody": {
                    "required": True,
                    "content": {"application/octet-stream": {"schema": {}}},
                },
                "responses": {
                    "201": {"description": "Stored.", "content": json_content(ref("Upload"))},
                    **error_responses(
                        400,
                        403,
                        404,
                        408,
                        413,
                        415,
                        r400="No body, or a bad name.",
                        r404="This chat takes no files.",
                        r413="The file is over `max_file_size`.",
                        r415="A form, JSON or compressed body, or a file of a type this chat "
                        "does not accept (decided by content).",
                    ),  # fmt: skip
                },
            }
        },
        "/api/files/{file_id}": {
            "get": {
                "summary": "A file of a message or an answer, by id",
                "operationId": "getFile",
                "parameters": [
                    {"name": "file_id", "in": "path", "required": True, "schema": STRING}
                ],
                "responses": {
                    "200": {
                        "description": "The file (single byte ranges honoured).",
                        "content": {"*/*": {"schema": {}}},
                    },
                    "206": {"description": "The requested byte range."},
                    **error_responses(404, r404="No live file has this id."),
                },
            }
        },
        "/api/event": {
            "post": {
                "summary": "Run an event handler of the Blocks around the chat",
                "description": "A button's `click`, a textbox's `submit`, `demo.load`, ...: "
                "the handler is named by its index in the config's `events.handlers`, its "
                "inputs' values are checked as additional inputs are. Events: `outputs` "
                '(`{"outputs": [[component id, props], ...]}`, after each value the function '
                "returns or yields), then `done`, or `error` with the error envelope.",
                "operationId": "event",
                "parameters": [VISITOR_KEY_PARAM, USER_PARAM],
                "requestBody": {"required": True, "content": json_content(ref("EventRequest"))},
                "responses": {
                    "200": event_stream("The outputs' new props as server-sent events."),
                    **error_responses(
                        400,
                        401,
                        403,
                        404,
                        413,
                        415,
                        422,
                        429,
                        r400="Bad JSON, or an input's value refused (`invalid_input`).",
                        r404="The app has no handler with this index.",
                        r401=IDENTITY_401,
                    ),  # fmt: skip
                },
            }
        },
        "/api/feedback": {
            "post": {
                "summary": 'Flag an answer (with `flagging_mode="manual"`)',
                "operationId": "feedback",
                "parameters": [USER_PARAM],
                "requestBody": {"required": True, "content": json_content(ref("FeedbackRequest"))},
                "responses": {
                    "200": {
                        "description": "Written to the log; `outputs`: what `chatbot.like` "
                        "functions returned for their outputs, as `/api/event`'s.",
                        "content": json_content(
                            {
                                "type": "object",
                                "properties": {
                                    "ok": {"const": True},
                                    "outputs": {"type": "array", "items": {"type": "array"}},
                                },
                            }
                        ),
                    },
                    **error_responses(
                        401,
                        403,
                        404,
                        413,
                        415,
                        422,
                        429,
                        503,
                        r403="A refused origin, or an answer this server did not produce.",
                        r404="Feedback is off for this chat.",
                        r503="The feedback log cannot be written.",
                        r401=IDENTITY_401,
                    ),  # fmt: skip
                },
            }
        },
        "/v1/chat/completions": {
            "post": {
                "summary": "The chat as an OpenAI-compatible chat completion",
                "description": 'With `"stream": true`, `text/event-stream` of '
                "`ChatCompletionChunk` data ending with `data: [DONE]`; an error after the "
                "stream started is an `OpenAIError` event.",
                "operationId": "createChatCompletion",
                "security": BEARER,
                "requestBody": {
                    "required": True,
                    "content": json_content(ref("ChatCompletionRequest")),
                },
                "responses": {
                    "200": {
                        "description": "The answer, whole or streamed.",
                        "content": {
                            **json_content(ref("ChatCompletion")),
                            "text/event-stream": {"schema": STRING},
                        },
                    },
                    **error_responses(
                        400,
                        401,
                        403,
                        404,
                        413,
                        415,
                        422,
                        500,
                        504,
                        shape="OpenAIError",
                        r404="The OpenAI-compatible API is off (`--no-openai-api`).",
                    ),  # fmt: skip
                },
            }
        },
        "/v1/models": {
            "get": {
                "summary": "The one model: this chat",
                "operationId": "listModels",
                "security": BEARER,
                "responses": {
                    "200": {"description": "The list.", "content": json_content(ref("ModelList"))},
                    **error_responses(401, shape="OpenAIError"),
                },
            }
        },
        "/v1/models/{model}": {
            "get": {
                "summary": "One model: this chat, under the name asked for",
                "operationId": "retrieveModel",
                "security": BEARER,
                "parameters": [
                    {"name": "model", "in": "path", "required": True, "schema": STRING}
                ],
                "responses": {
                    "200": {
                        "description": "The model.",
                        "content": json_content({"type": "object"}),
                    },
                    **error_responses(401, shape="OpenAIError"),
                },
            }
        },
        "/openapi.json": {
            "get": {
                "summary": "This document",
                "operationId": "getOpenAPI",
                "responses": {
                    "200": {
                        "description": "OpenAPI 3.1.",
                        "content": json_content({"type": "object"}),
                    }
                },
            }
        },
    }
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "chatbubble",
            "version": __version__,
            "description": "The HTTP API of a chatbubble server: the widget's routes, usable "
            "by any program, and an OpenAI-compatible API (`/v1`, turned off by "
            "`--no-openai-api`).",
        },
        "paths": paths,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": SECURITY_SCHEMES,
        },
    }
    document["paths"].update(history_paths())
    document["paths"].update(gradio_paths(*(gradio_endpoint or ())))
    if server:
        document["servers"] = [{"url": server}]
    return document


def openapi_blueprint(state: AppState) -> Blueprint:
    bp = Blueprint("chatbubble_openapi", __name__)

    @bp.get("/openapi.json")
    async def openapi() -> Response:
        interface = state.interface
        endpoint = (
            (interface.api_name, interface.api_description)
            if interface.api_visibility == "public"
            else None
        )
        document = openapi_document(state.base_url(), endpoint)
        if not state.settings.openai_api:
            paths = document["paths"].items()
            document["paths"] = {path: item for path, item in paths if not path.startswith("/v1")}
        return jsonify(document)

    return bp
