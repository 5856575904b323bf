"""The OpenAPI paths of a signed-in visitor's history (``history_routes.py``) and the
``comment`` of a thumbs-down, merged into ``openapi.py``'s document."""

from __future__ import annotations

from typing import Any

from .openapi_schemas import (
    INTEGER,
    STRING,
    USER_PARAM,
    VISITOR_KEY_PARAM,
    error_responses,
    json_content,
    path_param,
)

#: The caller is the token's ``sub``: it is required here.
SIGNED_IN = {
    **USER_PARAM,
    "required": True,
    "description": "The host site's JWT for its visitor: every row is selected by its `sub`.",
}
R401 = "No visitor token (`identity_required`), or an invalid one (`identity_invalid`)."
R404 = (
    "No such conversation of the caller's (another user's is the same 404), or the chat keeps "
    "no history on the server (needs `save_history` and `identity_secret` or "
    "`identity_public_key`)."
)
#: A delete without a token: an anonymous visitor's own stored turns (``store_transcripts``).
SIGNED_IN_OR_KEY = {
    **USER_PARAM,
    "description": (
        "The host site's JWT for its visitor (rows of its `sub`); without one, with "
        "`store_transcripts`, the `X-Visitor-Key` authorizes deleting that visitor's own "
        "anonymous conversations."
    ),
}
R401_DELETE = R401 + (
    " Anonymous, with `store_transcripts`: no `X-Visitor-Key` (`visitor_key_required`)."
)
IDS = {
    "type": "object",
    "properties": {
        "ids": {
            "type": "array",
            "maxItems": 500,
            "items": STRING,
            "description": "Anonymous visitor only: the conversations to delete (the "
            "widget's list); those not stored under the caller's visitor key are skipped.",
        }
    },
}
OK = {"type": "object", "properties": {"ok": {"const": True}}}
PARTS = {"type": "array", "items": {"type": "object"}, "description": "The message's parts."}


def history_paths() -> dict[str, Any]:
    errors = error_responses(401, 404, 422, 429, 503, r401=R401, r404=R404)
    deletes = error_responses(400, 401, 404, 422, 429, 503, r401=R401_DELETE, r404=R404)
    return {
        "/api/history": {
            "get": {
                "summary": "The signed-in visitor's saved conversations, the latest first",
                "operationId": "listHistory",
                "parameters": [
                    SIGNED_IN,
                    {"name": "limit", "in": "query", "schema": {**INTEGER, "maximum": 100}},
                    {"name": "offset", "in": "query", "schema": INTEGER},
                ],
                "responses": {
                    "200": {
                        "description": "`{id, title, updated, messages}` per conversation.",
                        "content": json_content(
                            {
                                "type": "object",
                                "properties": {
                                    "conversations": {"type": "array", "items": {"type": "object"}}
                                },
                            }
                        ),
                    },
                    **errors,
                },
            }
        },
        "/api/history/{cid}": {
            "get": {
                "summary": "One saved conversation, as turns to show and continue",
                "operationId": "getHistory",
                "parameters": [SIGNED_IN, path_param("cid")],
                "responses": {
                    "200": {
                        "description": "Its turns: the visitor's message, the answer, the "
                        "answer's signed `id`, its `error` and the visitor's `flag`.",
                        "content": json_content(
                            {
                                "type": "object",
                                "properties": {
                                    "id": STRING,
                                    "title": STRING,
                                    "turns": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "properties": {
                                                "message": PARTS,
                                                "answer": PARTS,
                                                "id": STRING,
                                                "error": STRING,
                                                "flag": STRING,
                                            },
                                        },
                                    },
                                },
                            }
                        ),
                    },
                    **errors,
                },
            }
        },
        "/api/history/{cid}/delete": {
            "post": {
                "summary": "Delete one saved conversation (its feedback and file records too)",
                "operationId": "deleteHistory",
                "parameters": [SIGNED_IN_OR_KEY, VISITOR_KEY_PARAM, path_param("cid")],
                "responses": {
                    "200": {"description": "Deleted.", "content": json_content(OK)},
                    **deletes,
                },
            }
        },
        "/api/history/delete": {
            "post": {
                "summary": "Delete all of the signed-in visitor's saved conversations (an "
                "anonymous visitor: those of `ids` stored under their visitor key)",
                "operationId": "deleteAllHistory",
                "parameters": [SIGNED_IN_OR_KEY, VISITOR_KEY_PARAM],
                "requestBody": {"required": False, "content": json_content(IDS)},
                "responses": {
                    "200": {
                        "description": "`deleted`: how many went.",
                        "content": json_content(
                            {
                                "type": "object",
                                "properties": {"ok": {"const": True}, "deleted": INTEGER},
                            }
                        ),
                    },
                    **deletes,
                },
            }
        },
    }
