"""The building blocks of the OpenAPI document (``openapi.py``): the schemas of every body,
what each error status means, the ``X-Visitor-Key`` header, the chat stream's events and the
bearer key of ``/v1``."""

from __future__ import annotations

from typing import Any

from ..files.store import VISITOR_KEY_HEADER

Schema = dict[str, Any]


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def path_param(name: str) -> Schema:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def json_content(schema: Schema) -> Schema:
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


def error_responses(*statuses: int, shape: str = "Error", **reasons: str) -> dict[str, Any]:
    """Error responses; ``reasons`` (``r404="..."``) say what a status means on this route."""
    return {
        str(status): {
            "description": reasons.get(f"r{status}", REASONS[status]),
            "content": json_content(ref(shape)),
        }
        for status in statuses
    }


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
#: A flag's ``page_url``: the page the widget is on, kept with the stored flag.
PAGE_URL = {
    "type": "string",
    "maxLength": 2048,
    "description": "The page the widget is on (http(s) URL), for the console's page URL filter.",
}

SCHEMAS: dict[str, Schema] = {
    "Error": {
        "type": "object",
        "description": "Every error of the `/api` routes (and the data of an `error` event).",
        "required": ["ok", "status", "code", "error"],
        "properties": {
            "ok": {"const": False},
            "status": {**INTEGER, "description": "The HTTP status."},
            "code": {**STRING, "description": "Stable, for programs (`invalid_request`, ...)."},
            "error": {**STRING, "description": "For people: safe to show as is."},
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
                    "message": STRING,
                    "type": {"enum": ["invalid_request_error", "server_error"]},
                    "param": {"type": "null"},
                    "code": {**STRING, "description": "The same codes as `Error.code`."},
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
                "oneOf": [STRING, ref("MultimodalMessage")],
            },
            "history": {
                "type": "array",
                "description": "The earlier turns, oldest first (default: none).",
                "items": ref("HistoryMessage"),
            },
            "example": {
                **INTEGER,
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
            "page": {
                "oneOf": [
                    {"type": "string", "maxLength": 2048, "format": "uri"},
                    ref("PageContext"),
                ],
                "description": "The page the visitor is on: its http(s) URL (its fragment is "
                "dropped; `gr.Request.url` and `query_params`), or an object describing it "
                "(`gr.Request.page`).",
            },
            "session": {
                "type": "string",
                "pattern": "^[A-Za-z0-9_-]{8,64}$",
                "description": "The conversation's id: `gr.Request.session_hash`, and the "
                "conversation whose `gr.State` values the function gets.",
            },
        },
    },
    "StreamRequest": {
        "type": "object",
        "required": ["token"],
        "properties": {
            "token": {**STRING, "description": "The `start` event's `token`."},
            "after": {
                **INTEGER,
                "description": "The id of the last event read, or -1 for the whole answer.",
            },
        },
    },
    "MultimodalMessage": {
        "type": "object",
        "required": ["text"],
        "additionalProperties": False,
        "properties": {
            "text": STRING,
            "files": {
                "type": "array",
                "description": "Ids that `POST /api/upload` returned.",
                "items": STRING,
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
                    STRING,
                    {
                        "type": "object",
                        "required": ["file"],
                        "additionalProperties": False,
                        "properties": {"file": STRING},
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
            "id": {**STRING, "description": "Name the file by this id in chat messages."},
            "name": STRING,
            "size": INTEGER,
            "mime": {**STRING, "description": "Decided by the server from the content."},
            "kind": {"enum": ["image", "audio", "video", "text", "file"]},
            "url": {**STRING, "description": "Where `GET /api/files/{file_id}` serves it."},
        },
    },
    "EventRequest": {
        "type": "object",
        "required": ["handler", "values"],
        "properties": {
            "handler": {**INTEGER, "description": "The index in `events.handlers`."},
            "values": {"type": "array", "description": "The inputs' values, in order."},
            "session": {**STRING, "description": "The conversation (its `gr.State` values)."},
            "page": {
                "oneOf": [STRING, ref("PageContext")],
                "description": "The page's URL or an object describing it, for `gr.Request`.",
            },
        },
    },
    "PageContext": {
        "type": "object",
        "additionalProperties": False,
        "description": "The page the widget is on, as its browser describes it "
        "(`gr.Request.page`; all of it unverified).",
        "properties": {
            "url": {"type": "string", "maxLength": 2048, "description": "http(s) URL or empty."},
            "title": {"type": "string", "maxLength": 300},
            "lang": {"type": "string", "pattern": "^[A-Za-z0-9_-]{0,35}$"},
            "referrer": {
                "type": "string",
                "maxLength": 2048,
                "description": "http(s) URL or empty.",
            },
            "context": {
                "type": "object",
                "description": "The page's own values (`data-context`, `chatbubble('context', "
                "{...})`): JSON, at most 4096 bytes, 8 levels deep.",
            },
        },
    },
    "FeedbackRequest": {
        "oneOf": [ref("FeedbackOnAnswer"), ref("FeedbackOnWelcome")],
        "description": "A flag on an answer the server signed, or on an answer of the welcome.",
    },
    "FeedbackOnWelcome": {
        "type": "object",
        "required": ["welcome", "flag", "visitor", "conversation_id"],
        "additionalProperties": False,
        "properties": {
            "welcome": {
                "type": "integer",
                "minimum": 0,
                "description": "The index in `Chatbot(value=...)` of the answer's first message.",
            },
            "flag": {**STRING, "description": 'One of the app\'s options, or `""` to undo.'},
            "visitor": STRING,
            "conversation_id": STRING,
            "page_url": PAGE_URL,
        },
    },
    "FeedbackOnAnswer": {
        "type": "object",
        "required": ["id", "conversation", "flag"],
        "properties": {
            "id": {**STRING, "description": "The `done` event's `id` of the answer."},
            "conversation": {"type": "array", "items": ref("HistoryMessage")},
            "flag": {**STRING, "description": 'One of the app\'s options, or `""` to undo.'},
            "visitor": STRING,
            "conversation_id": STRING,
            "target": {
                "type": "string",
                "enum": ["assistant", "user"],
                "description": "Whose message of the turn: the answer (default) or, with "
                "`Chatbot(like_user_message=True)`, the visitor's.",
            },
            "comment": {
                "type": "string",
                "maxLength": 1000,
                "description": 'With `feedback_comments` and `"flag": "Dislike"`: the '
                "visitor's words on the answer, kept as plain text on the stored thumbs-down "
                "(not in the CSV).",
            },
            "page_url": PAGE_URL,
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
            "model": {**STRING, "description": "Any name: echoed back."},
            "messages": {"type": "array", "minItems": 1, "items": ref("ChatCompletionMessage")},
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
                    STRING,
                    {"type": "null"},
                    {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["type", "text"],
                            "properties": {"type": {"const": "text"}, "text": STRING},
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
            "id": STRING,
            "object": {"const": "chat.completion"},
            "created": INTEGER,
            "model": STRING,
            "choices": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "index": INTEGER,
                        "message": {
                            "type": "object",
                            "properties": {"role": {"const": "assistant"}, "content": STRING},
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
            "id": STRING,
            "object": {"const": "chat.completion.chunk"},
            "created": INTEGER,
            "model": STRING,
            "choices": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "index": INTEGER,
                        "delta": {
                            "type": "object",
                            "properties": {"role": STRING, "content": STRING},
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
                        "id": {**STRING, "description": "The app's title (or function name)."},
                        "object": {"const": "model"},
                        "created": INTEGER,
                        "owned_by": STRING,
                    },
                },
            },
        },
    },
}

VISITOR_KEY_PARAM: dict[str, Any] = {
    "name": VISITOR_KEY_HEADER,
    "in": "header",
    "required": False,
    "description": "A random key the client keeps (the widget: per browser). A file uploaded "
    "with a key can only be sent, in a message or the history, with the same key; without one "
    "the file id alone is enough. A malformed key is `400 bad_request`.",
    "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{22,128}$"},
}

USER_PARAM: dict[str, Any] = {
    "name": "X-Chatbubble-User",
    "in": "header",
    "required": False,
    "description": "The host site's JWT for its logged-in visitor (with `identity_secret` or "
    "`identity_public_key`): the chat function's `request.username` is its `sub`. A forged, "
    "expired, other-audience or refused-algorithm token is `401 identity_invalid`; none with "
    "`identity_required` is `401 identity_required`. Ignored without those settings.",
    "schema": STRING,
}

#: What a 401 means on the routes that take ``X-Chatbubble-User``.
IDENTITY_401 = (
    "The host site's visitor token is invalid or expired (`identity_invalid`), missing with "
    "`identity_required` (`identity_required`), or the app's login is missing (`login_required`)."
)

CHAT_EVENTS = (
    "Server-sent events, each with an `id:` (its sequence number). `event: start` first; "
    'with `concurrency_limit`, `event: queue` while the answer waits for its turn (`{"position": '
    'n}`: n callers ahead; `{"position": null}` once the chat function starts); '
    'then events without a name, deltas to the answer text (`{"append": "..."}` adds to the '
    'end, `{"replace": "..."}` replaces it); `event: parts` with the whole answer when it is '
    "more than text; `event: outputs` for additional outputs; `: keep-alive` comments; and "
    'last `event: done` (`{}`, `{"id"}` with feedback on, `"truncated": true` when the answer '
    "was cut at `max_answer_chars`), `event: error` (an `Error`) "
    "or `event: stopped` (a resumable answer stopped from elsewhere)."
    " Closing the connection stops the chat function."
)
#: The ``security`` of the ``/v1`` routes: the bearer key, or none when ``api_key`` is unset.
BEARER: list[dict[str, list[str]]] = [{"bearer": []}, {}]
SECURITY_SCHEMES: dict[str, Any] = {
    "bearer": {
        "type": "http",
        "scheme": "bearer",
        "description": "Only for `/v1`, and only when `api_key` is set.",
    }
}
