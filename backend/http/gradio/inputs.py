"""A call's ``data`` as Gradio's clients send it, checked into a ``ChatRequest`` with the
same limits as ``POST /api/chat``: ``[message, *additional_inputs]``, or with the history
State's slot after the message (``[message, null, ...]``, what ``gradio_client`` sends; its
value is ignored: the history is the session's)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...errors import InvalidFileError, InvalidInputError, InvalidRequestError
from ..chat_request import ChatRequest, Message, message_limit, parse_inputs, text_field
from .files import file_of, file_path

if TYPE_CHECKING:
    from ..state import AppState
    from .endpoint import Endpoint


def positional(data: Any, endpoint: Endpoint) -> tuple[Any, list[Any]]:
    """The message and the additional inputs' values of a ``data`` list."""
    count = len(endpoint.inputs)
    if not isinstance(data, list):
        raise InvalidRequestError(
            "'data' must be a list: the message, then the additional inputs."
        )
    if len(data) == count + 2:
        data = [data[0], *data[2:]]
    if len(data) != count + 1:
        raise InvalidInputError(
            f"Expected {count + 1} input value(s) (the message and {count} additional "
            f"input(s)), got {len(data)}."
        )
    return data[0], data[1:]


def named(body: Any, endpoint: Endpoint) -> tuple[Any, list[Any]]:
    """The same from ``/call/v2/<name>``'s object of named parameters (defaults fill gaps)."""
    if not isinstance(body, dict):
        raise InvalidRequestError("The body must be an object of the endpoint's parameters.")
    names = [parameter.name for parameter in endpoint.parameters]
    for key in body:
        if key not in names and key != "session_hash":
            raise InvalidRequestError(f"Unknown parameter {str(key)[:40]!r}.")
    if names[0] not in body:
        raise InvalidRequestError(f"The parameter {names[0]!r} is missing.")
    values = [body.get(p.name, p.default) for p in endpoint.parameters[1:]]
    return body[names[0]], values


def chat_request(
    message: Any, values: list[Any], history: list[Message], state: AppState
) -> ChatRequest:
    interface, settings = state.interface, state.settings
    limit = message_limit(settings, interface.textbox.max_length)
    attached = []
    options = interface.multimodal_options
    if options is not None:
        if isinstance(message, str):
            message = {"text": message, "files": []}
        if not isinstance(message, dict) or set(message) - {"text", "files"}:
            raise InvalidRequestError('The message must be {"text": ..., "files": [...]}.')
        text = text_field(message.get("text") or "", "The message", limit)
        raw_files = message.get("files") or []
        if not isinstance(raw_files, list):
            raise InvalidFileError("'files' must be a list of files.")
        most = 1 if options.file_count == "single" else settings.max_files
        if len(raw_files) > most:
            raise InvalidRequestError(f"A message may carry at most {most} file(s).")
        attached = [
            file_of(file_path(value, f"message.files[{i}]"), state.files)
            for i, value in enumerate(raw_files)
        ]
        if not text.strip() and not attached:
            raise InvalidRequestError("The message is empty.")
    else:
        if not isinstance(message, str):
            raise InvalidRequestError("The message must be a string.")
        text = text_field(message, "The message", limit)
        if not text.strip():
            raise InvalidRequestError("The message is empty.")
    defaults = [
        c.value if v is None else v
        for c, v in zip(interface.additional_inputs, values, strict=True)
    ]
    return ChatRequest(
        text,
        tuple(history),
        files=tuple(attached),
        multimodal=options is not None,
        inputs=parse_inputs(defaults, interface.additional_inputs),
    )
