"""The HTTP API for programs as an OpenAPI 3.1 document, served at ``GET /openapi.json`` and
rendered to ``docs/api.md`` by ``backend.http.api_docs``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from quart import Blueprint, Response, jsonify

from ..files.store import VISITOR_KEY_HEADER
from ..version import __version__

if TYPE_CHECKING:
    from .api import AppState

Schema = dict[str, Any]


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _path(name: str) -> Schema:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def _json(schema: Schema) -> Schema:
    return {"application/json": {"schema": schema}}


REASONS = {
    400: "The body is not valid JSON.",
    401: "The `Authorization: Bearer` key is missing or wrong (`api_key` is set).",
    403: "The page's origin is not in `allowed_origins`.",
    404: "Not found.",
    408: "The request body stopped arriving.",
    413: "The body is over the limit.",
    415: "The body is not of the accepted type.",
    422: "Valid JSON of the wrong shape, or over a limit.",
    429: "Too many requests; see `Retry-After`.",
    500: "The chat function failed (`chat_error` carries its message for people).",
    503: "The service cannot do this right now.",
    504: "The answer went silent or ran too long.",
}


def _errors(*statuses: int, shape: str = "Error", **reasons: str) -> dict[str, Any]:
    """Error responses; ``reasons`` (``r404="..."``) say what a status means on this route."""
    return {
        str(status): {
            "description": reasons.get(f"r{status}", REASONS[status]),
            "content": _json(_ref(shape)),
        }
        for status in statuses
    }


_STRING = {"type": "string"}
_INTEGER = {"type": "integer"}

SCHEMAS: dict[str, Schema] = {
    "Error": {
        "type": "object",
        "description": "Every error of the `/api` routes (and the data of an `error` event).",
        "required": ["ok", "status", "code", "error"],
        "properties": {
            "ok": {"const": False},
            "status": {**_INTEGER, "description": "The HTTP status."},
            "code": {**_STRING, "description": "Stable, for programs (`invalid_request`, ...)."},
            "error": {**_STRING, "description": "For people: safe to show as is."},
        },
    },
    "OpenAIError": {
        "type": "object",
        "description": "Every error of the `/v1` routes, in the shape OpenAI's SDKs read.",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["message", "type", "code"],
                "properties": {
                    "message": _STRING,
                    "type": {"enum": ["invalid_request_error", "server_error"]},
                    "param": {"type": "null"},
                    "code": {**_STRING, "description": "The same codes as `Error.code`."},
                },
            }
        },
    },
    "ChatRequest": {
        "type": "object",
        "description": "One visitor message and the conversation before it.",
        "required": ["message"],
        "additionalProperties": False,
        "properties": {
            "message": {
                "description": "The text, or (multimodal apps) text with uploaded files.",
                "oneOf": [_STRING, _ref("MultimodalMessage")],
            },
            "history": {
                "type": "array",
                "description": "The earlier turns, oldest first (default: none).",
                "items": _ref("HistoryMessage"),
            },
            "example": {
                **_INTEGER,
                "description": "The index of the example whose text `message` is.",
            },
            "inputs": {
                "type": "array",
                "description": "The additional inputs' values, in order (default: theirs).",
            },
            "resumable": {
                "type": "boolean",
                "description": "Keep the answer running through a disconnect for a while; "
                "the `start` event then carries a `token` for `/api/streams/{stream_id}`.",
            },
        },
    },
    "StreamRequest": {
        "type": "object",
        "required": ["token"],
        "properties": {
            "token": {**_STRING, "description": "The `start` event's `token`."},
            "after": {
                **_INTEGER,
                "description": "The id of the last event read, or -1 for the whole answer.",
            },
        },
    },
    "MultimodalMessage": {
        "type": "object",
        "required": ["text"],
        "additionalProperties": False,
        "properties": {
            "text": _STRING,
            "files": {
                "type": "array",
                "description": "Ids that `POST /api/upload` returned.",
                "items": _STRING,
            },
        },
    },
    "HistoryMessage": {
        "type": "object",
        "required": ["role", "content"],
        "additionalProperties": False,
        "properties": {
            "role": {"enum": ["user", "assistant"]},
            "content": {
                "description": "Text, or a file by id.",
                "oneOf": [
                    _STRING,
                    {
                        "type": "object",
                        "required": ["file"],
                        "additionalProperties": False,
                        "properties": {"file": _STRING},
                    },
                ],
            },
        },
    },
    "Config": {
        "type": "object",
        "description": "What the widget needs to show this chat (see ARCHITECTURE.md).",
        "required": ["protocol", "title", "examples", "multimodal", "limits"],
        "properties": {
            "protocol": {"const": 1},
            "title": {"type": ["string", "null"]},
            "description": {"type": ["string", "null"]},
            "examples": {"type": "array", "items": {"type": "object"}},
            "multimodal": {
                "type": ["object", "null"],
                "description": "Set when messages may carry files: `file_types`, "
                "`max_file_size`, `max_files`, ...",
            },
            "limits": {
                "type": "object",
                "description": "`max_message_chars`, `max_history_messages`, "
                "`max_history_entry_chars`, `max_body_bytes`.",
            },
        },
    },
    "Upload": {
        "type": "object",
        "required": ["id", "name", "size", "mime", "kind", "url"],
        "properties": {
            "id": {**_STRING, "description": "Name the file by this id in chat messages."},
            "name": _STRING,
            "size": _INTEGER,
            "mime": {**_STRING, "description": "Decided by the server from the content."},
            "kind": {"enum": ["image", "audio", "video", "text", "file"]},
            "url": {**_STRING, "description": "Where `GET /api/files/{file_id}` serves it."},
        },
    },
    "FeedbackRequest": {
        "type": "object",
        "required": ["id", "conversation", "flag"],
        "properties": {
            "id": {**_STRING, "description": "The `done` event's `id` of the answer."},
            "conversation": {"type": "array", "items": _ref("HistoryMessage")},
            "flag": {**_STRING, "description": 'One of the app\'s options, or `""` to undo.'},
            "visitor": _STRING,
            "conversation_id": _STRING,
        },
    },
    "ChatCompletionRequest": {
        "type": "object",
        "description": "OpenAI's request. The last message (the user's) is the chat "
        "function's `message`, the user and assistant messages before it its `history`; "
        "system and developer messages are left out. Other fields (`temperature`, "
        "`max_tokens`, ...) are accepted and ignored.",
        "required": ["messages"],
        "properties": {
            "model": {**_STRING, "description": "Any name: echoed back."},
            "messages": {"type": "array", "minItems": 1, "items": _ref("ChatCompletionMessage")},
            "stream": {"type": "boolean", "default": False},
            "stream_options": {
                "type": "object",
                "properties": {"include_usage": {"type": "boolean"}},
            },
        },
    },
    "ChatCompletionMessage": {
        "type": "object",
        "required": ["role"],
        "properties": {
            "role": {"enum": ["system", "developer", "user", "assistant"]},
            "content": {
                "description": "Text, or a list of text parts.",
                "oneOf": [
                    _STRING,
                    {"type": "null"},
                    {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["type", "text"],
                            "properties": {"type": {"const": "text"}, "text": _STRING},
                        },
                    },
                ],
            },
        },
    },
    "ChatCompletion": {
        "type": "object",
        "required": ["id", "object", "created", "model", "choices"],
        "properties": {
            "id": _STRING,
            "object": {"const": "chat.completion"},
            "created": _INTEGER,
            "model": _STRING,
            "choices": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "index": _INTEGER,
                        "message": {
                            "type": "object",
                            "properties": {"role": {"const": "assistant"}, "content": _STRING},
                        },
                        "finish_reason": {"enum": ["stop", "length"]},
                    },
                },
            },
            "usage": {"type": "object", "description": "Token counts: always zeros."},
        },
    },
    "ChatCompletionChunk": {
        "type": "object",
        "description": "The data of each event of a streamed completion, which ends with "
        "`data: [DONE]`.",
        "required": ["id", "object", "created", "model", "choices"],
        "properties": {
            "id": _STRING,
            "object": {"const": "chat.completion.chunk"},
            "created": _INTEGER,
            "model": _STRING,
            "choices": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "index": _INTEGER,
                        "delta": {
                            "type": "object",
                            "properties": {"role": _STRING, "content": _STRING},
                        },
                        "finish_reason": {"type": ["string", "null"]},
                    },
                },
            },
        },
    },
    "ModelList": {
        "type": "object",
        "required": ["object", "data"],
        "properties": {
            "object": {"const": "list"},
            "data": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "object"],
                    "properties": {
                        "id": {**_STRING, "description": "The app's title (or function name)."},
                        "object": {"const": "model"},
                        "created": _INTEGER,
                        "owned_by": _STRING,
                    },
                },
            },
        },
    },
}

_VISITOR_KEY: dict[str, Any] = {
    "name": VISITOR_KEY_HEADER,
    "in": "header",
    "required": False,
    "description": "A random key the client keeps (the widget: per browser). A file uploaded "
    "with a key can only be sent, in a message or the history, with the same key; without one "
    "the file id alone is enough. A malformed key is `400 bad_request`.",
    "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{22,128}$"},
}

CHAT_EVENTS = (
    "Server-sent events, each with an `id:` (its sequence number). `event: start` first; "
    'then events without a name, deltas to the answer text (`{"append": "..."}` adds to the '
    'end, `{"replace": "..."}` replaces it); `event: parts` with the whole answer when it is '
    "more than text; `event: outputs` for additional outputs; `: keep-alive` comments; and "
    'last `event: done` (`{}`, `{"id"}` with feedback on, `"truncated": true` when the answer '
    "was cut at `max_answer_chars`), `event: error` (an `Error`) "
    "or `event: stopped` (a resumable answer stopped from elsewhere)."
    " Closing the connection stops the chat function."
)
_BEARER: list[dict[str, list[str]]] = [{"bearer": []}, {}]


def openapi_document(server: str | None = None) -> dict[str, Any]:
    """The document; ``server`` is the base URL to list under ``servers``."""
    paths: dict[str, Any] = {
        "/api/config": {
            "get": {
                "summary": "What the widget needs to show this chat",
                "operationId": "getConfig",
                "responses": {
                    "200": {
                        "description": "The app's configuration.",
                        "content": _json(_ref("Config")),
                    },
                    **_errors(403),
                },
            }
        },
        "/api/chat": {
            "post": {
                "summary": "Answer one message, streamed",
                "description": 'A bare `{"message": "..."}` is enough. ' + CHAT_EVENTS,
                "operationId": "chat",
                "parameters": [_VISITOR_KEY],
                "requestBody": {"required": True, "content": _json(_ref("ChatRequest"))},
                "responses": {
                    "200": {
                        "description": "The answer as server-sent events (above).",
                        "content": {"text/event-stream": {"schema": _STRING}},
                    },
                    **_errors(
                        400,
                        403,
                        408,
                        413,
                        415,
                        422,
                        r400="Bad JSON, a file not named by a server-issued id (`invalid_file`), "
                        "an unknown or expired file id (`unknown_file`), or an additional "
                        "input's value out of range (`invalid_input`).",
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
                "parameters": [_path("stream_id")],
                "requestBody": {"required": True, "content": _json(_ref("StreamRequest"))},
                "responses": {
                    "200": {
                        "description": "The answer as server-sent events.",
                        "content": {"text/event-stream": {"schema": _STRING}},
                    },
                    **_errors(
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
                "parameters": [_path("stream_id")],
                "requestBody": {"required": True, "content": _json(_ref("StreamRequest"))},
                "responses": {
                    "200": {
                        "description": "Stopped.",
                        "content": _json(
                            {"type": "object", "properties": {"ok": {"const": True}}}
                        ),
                    },
                    **_errors(
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
                        "schema": _STRING,
                    },
                    _VISITOR_KEY,
                ],
                "requestBody": {
                    "required": True,
                    "content": {"application/octet-stream": {"schema": {}}},
                },
                "responses": {
                    "201": {"description": "Stored.", "content": _json(_ref("Upload"))},
                    **_errors(
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
                    {"name": "file_id", "in": "path", "required": True, "schema": _STRING}
                ],
                "responses": {
                    "200": {
                        "description": "The file (single byte ranges honoured).",
                        "content": {"*/*": {"schema": {}}},
                    },
                    "206": {"description": "The requested byte range."},
                    **_errors(404, r404="No live file has this id."),
                },
            }
        },
        "/api/feedback": {
            "post": {
                "summary": 'Flag an answer (with `flagging_mode="manual"`)',
                "operationId": "feedback",
                "requestBody": {"required": True, "content": _json(_ref("FeedbackRequest"))},
                "responses": {
                    "200": {
                        "description": "Written to the log.",
                        "content": _json(
                            {"type": "object", "properties": {"ok": {"const": True}}}
                        ),
                    },
                    **_errors(
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
                "security": _BEARER,
                "requestBody": {
                    "required": True,
                    "content": _json(_ref("ChatCompletionRequest")),
                },
                "responses": {
                    "200": {
                        "description": "The answer, whole or streamed.",
                        "content": {
                            **_json(_ref("ChatCompletion")),
                            "text/event-stream": {"schema": _STRING},
                        },
                    },
                    **_errors(
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
                "security": _BEARER,
                "responses": {
                    "200": {"description": "The list.", "content": _json(_ref("ModelList"))},
                    **_errors(401, shape="OpenAIError"),
                },
            }
        },
        "/v1/models/{model}": {
            "get": {
                "summary": "One model: this chat, under the name asked for",
                "operationId": "retrieveModel",
                "security": _BEARER,
                "parameters": [
                    {"name": "model", "in": "path", "required": True, "schema": _STRING}
                ],
                "responses": {
                    "200": {"description": "The model.", "content": _json({"type": "object"})},
                    **_errors(401, shape="OpenAIError"),
                },
            }
        },
        "/openapi.json": {
            "get": {
                "summary": "This document",
                "operationId": "getOpenAPI",
                "responses": {
                    "200": {"description": "OpenAPI 3.1.", "content": _json({"type": "object"})}
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
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "Only for `/v1`, and only when `api_key` is set.",
                }
            },
        },
    }
    if server:
        document["servers"] = [{"url": server}]
    return document


def openapi_blueprint(state: AppState) -> Blueprint:
    bp = Blueprint("chatbubble_openapi", __name__)

    @bp.get("/openapi.json")
    async def openapi() -> Response:
        document = openapi_document(state.base_url())
        if not state.settings.openai_api:
            paths = document["paths"].items()
            document["paths"] = {path: item for path, item in paths if not path.startswith("/v1")}
        return jsonify(document)

    return bp
