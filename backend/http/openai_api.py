"""Every chat as an OpenAI-compatible server: ``POST /v1/chat/completions``, ``GET /v1/models``.

OpenAI messages map onto the chat function's arguments: the last message (a user's) is
``message``, the user and assistant messages before it are ``history``; system and developer
messages are left out (the chat function is the bot, with its own instructions). The answer is
produced by the very stream ``POST /api/chat`` sends
(``backend.streams.events.answer_events``), read back here: timeouts,
Stop on disconnect and error handling are the same.
"""

from __future__ import annotations

import hmac
import re
import secrets
import time
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from quart import Blueprint, Response, request

from ..chat.answers import NOT_CONTENT, Answer
from ..errors import ChatbubbleError, InvalidAPIKeyError, InvalidRequestError
from ..streams import sse
from .bodies import json_body
from .chat_request import (
    ChatRequest,
    Message,
    check_history_count,
    message_limit,
    parse_inputs,
    parse_json,
    text_field,
)
from .chat_routes import event_stream
from .state import AppState

if TYPE_CHECKING:
    from ..chat.interface import ChatInterface

PREFIX = "/v1/"
#: Roles whose messages are left out of ``history``.
IGNORED_ROLES = ("system", "developer")
DONE = b"data: [DONE]\n\n"
#: Token counts are not known here (the function returns text, not tokens).
NO_USAGE = {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}


def openai_blueprint(state: AppState) -> Blueprint:
    bp = Blueprint("chatbubble_openai", __name__)

    @bp.before_request
    async def check_key() -> None:
        key = state.settings.api_key
        if not key:
            return
        sent = request.headers.get("Authorization", "")
        scheme, _, token = sent.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            token.strip().encode(), key.encode()
        ):
            raise InvalidAPIKeyError()

    @bp.get("/v1/models")
    async def models() -> dict[str, Any]:
        return {"object": "list", "data": [_model(state.interface)]}

    @bp.get("/v1/models/<path:model>")
    async def model(model: str) -> dict[str, Any]:
        return {**_model(state.interface), "id": model}

    @bp.post("/v1/chat/completions")
    async def completions() -> Response | dict[str, Any]:
        body = parse_json(await json_body(state.settings.max_body_bytes))
        completion = parse_completion(body, state)
        # The same per-client limits and the same way to run the function as /api/chat.
        await state.limit(state.limits.messages)
        stream_id = secrets.token_urlsafe(16)
        live = await state.start_answer(completion.chat, stream_id)
        events = state.hub.follow(live)
        if not completion.stream:
            return await _whole(events, completion)
        return event_stream(state, _chunks(events, completion), stream_id)

    return bp


def openai_error(error: ChatbubbleError) -> dict[str, Any]:
    """OpenAI's error body for ``error`` (the shape its SDKs read), with our stable code."""
    return {
        "error": {
            "message": error.message,
            "type": "invalid_request_error" if error.status < 500 else "server_error",
            "param": None,
            "code": error.code,
        }
    }


def model_id(interface: ChatInterface) -> str:
    """The name ``/v1/models`` gives this chat: its title, else its function's name."""
    name = interface.title or getattr(interface.fn, "__name__", "") or "chatbubble"
    return re.sub(r"[^a-z0-9._:()-]+", "-", name.lower()).strip("-") or "chatbubble"


def _model(interface: ChatInterface) -> dict[str, Any]:
    return {"id": model_id(interface), "object": "model", "created": 0, "owned_by": "chatbubble"}


# --- the request ---------------------------------------------------------------------------


class Completion:
    """A checked ``/v1/chat/completions`` request."""

    def __init__(self, chat: ChatRequest, model: str, stream: bool, usage: bool) -> None:
        self.chat = chat
        self.model = model
        self.stream = stream
        self.usage = usage
        self.id = "chatcmpl-" + secrets.token_urlsafe(18)
        self.created = int(time.time())

    def envelope(self, obj: str, choice: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": obj,
            "created": self.created,
            "model": self.model,
            "choices": [choice],
        }


def parse_completion(body: Any, state: AppState) -> Completion:
    """The request, checked against the same limits as ``POST /api/chat``. Sampling options
    (``temperature``, ``max_tokens``, ...) are accepted and left to the chat function's
    judgement, that is, ignored."""
    settings, interface = state.settings, state.interface
    if not isinstance(body, dict):
        raise InvalidRequestError("The request body must be a JSON object.")
    model = body.get("model", "")
    if not isinstance(model, str):
        raise InvalidRequestError("'model' must be a string.")
    stream = body.get("stream", False)
    if not isinstance(stream, bool) and stream is not None:
        raise InvalidRequestError("'stream' must be true or false.")
    if body.get("n", 1) not in (1, None):
        raise InvalidRequestError("Only one choice per request is supported ('n': 1).")
    options = body.get("stream_options")
    usage = isinstance(options, dict) and options.get("include_usage") is True
    raw = body.get("messages")
    if not isinstance(raw, list) or not raw:
        raise InvalidRequestError("'messages' must be a non-empty list of messages.")
    turns: list[Message] = []
    for index, entry in enumerate(raw):
        where = f"messages[{index}]"
        if not isinstance(entry, dict):
            raise InvalidRequestError(f"{where} must be an object with 'role' and 'content'.")
        role = entry.get("role")
        if role in IGNORED_ROLES:
            continue
        if role not in ("user", "assistant"):
            raise InvalidRequestError(
                f"{where}.role must be 'system', 'developer', 'user' or 'assistant'."
            )
        text = _text(entry.get("content"), f"{where}.content")
        limit = settings.max_history_entry_chars
        turns.append((role, text_field(text, f"{where}.content", limit)))
    if not turns or turns[-1][0] != "user":
        raise InvalidRequestError("The last message must be the user's.")
    limit = message_limit(settings, interface.textbox.max_length)
    message = text_field(turns[-1][1], "The last message", limit)
    if not message.strip():
        raise InvalidRequestError("The last message is empty.")
    history = tuple(turns[:-1])
    check_history_count(len(history), settings, "The conversation before the last message")
    chat = ChatRequest(
        message,
        history,
        multimodal=interface.multimodal_options is not None,
        inputs=parse_inputs(None, interface.additional_inputs),
    )
    return Completion(chat, model or model_id(interface), bool(stream), usage)


def _text(content: Any, where: str) -> str:
    """A message's text: a string, ``null`` (an assistant's tool call) or text parts."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = []
        for part in content:
            if not isinstance(part, dict) or part.get("type") != "text":
                raise InvalidRequestError(
                    f"{where}: only text parts are supported here (send files with "
                    "POST /api/upload and POST /api/chat)."
                )
            texts.append(part.get("text"))
        if all(isinstance(text, str) for text in texts):
            return "\n".join(str(text) for text in texts)
    raise InvalidRequestError(f"{where} must be a string or a list of text parts.")


# --- the answer ----------------------------------------------------------------------------


def _failure(data: dict[str, Any]) -> ChatbubbleError:
    """The error an ``error`` event carries, rebuilt from its envelope."""
    error = ChatbubbleError(str(data.get("error") or ""))
    error.status = int(data.get("status", 500))
    error.code = str(data.get("code", "internal_error"))
    return error


def _finish_reason(done: Any) -> str:
    """OpenAI's word for how the answer ended: "length" when it was cut (max_answer_chars)."""
    return "length" if isinstance(done, dict) and done.get("truncated") else "stop"


async def _whole(events: AsyncIterator[bytes], completion: Completion) -> dict[str, Any]:
    answer = Answer()
    finish = "stop"
    try:
        async for raw in events:
            event = sse.decode(raw)
            if event is None or event[0] in NOT_CONTENT:
                continue
            name, data = event
            if name == "error":
                raise _failure(data)
            if name == "done":
                finish = _finish_reason(data)
                break
            answer.apply(name, data)
    finally:
        await events.aclose()  # type: ignore[attr-defined]
    body = completion.envelope(
        "chat.completion",
        {
            "index": 0,
            "message": {"role": "assistant", "content": answer.text},
            "finish_reason": finish,
            "logprobs": None,
        },
    )
    body["usage"] = dict(NO_USAGE)
    return body


async def _chunks(events: AsyncIterator[bytes], completion: Completion) -> AsyncIterator[bytes]:
    """``chat.completion.chunk`` events with the text as it grows, then ``[DONE]``. Text that
    a yield rewrites (rather than extends) cannot be taken back from an OpenAI client: the
    stream goes on once the answer extends what was sent again."""

    def chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
        choice = {"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}
        return sse.encode(completion.envelope("chat.completion.chunk", choice))

    answer = Answer()
    sent = ""
    finish = "stop"
    try:
        yield chunk({"role": "assistant", "content": ""})
        async for raw in events:
            event = sse.decode(raw)
            if event is None:
                yield sse.KEEP_ALIVE
                continue
            name, data = event
            if name in NOT_CONTENT:
                continue
            if name == "error":
                yield sse.encode(openai_error(_failure(data)))
                return
            if name == "done":
                finish = _finish_reason(data)
                break
            answer.apply(name, data)
            text = answer.text
            if len(text) > len(sent) and text.startswith(sent):
                yield chunk({"content": text[len(sent) :]})
                sent = text
        yield chunk({}, finish)
        if completion.usage:
            usage = completion.envelope("chat.completion.chunk", {})
            usage["choices"] = []
            usage["usage"] = dict(NO_USAGE)
            yield sse.encode(usage)
        yield DONE
    finally:
        await events.aclose()  # type: ignore[attr-defined]
