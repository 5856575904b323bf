"""Errors and the one JSON error envelope.

The tree::

    ChatbubbleError                 status 500, code "internal_error"
    ├── Error                       raised by chat functions: its message reaches the visitor
    ├── RequestError                status 400-415, the client sent something we refuse
    │   ├── BadJSONError            400 "bad_json"
    │   ├── InvalidFileError        400 "invalid_file"
    │   ├── UnknownFileError        400 "unknown_file"
    │   ├── InvalidInputError       400 "invalid_input"
    │   ├── InvalidAPIKeyError      401 "invalid_api_key"
    │   ├── LoginRequiredError      401 "login_required"
    │   ├── InvalidCredentialsError 401 "invalid_credentials"
    │   ├── IdentityRequiredError   401 "identity_required"
    │   ├── VisitorKeyRequiredError 401 "visitor_key_required"
    │   ├── InvalidIdentityError    401 "identity_invalid"
    │   ├── OriginNotAllowedError   403 "origin_not_allowed"
    │   ├── UnknownMessageError     403 "unknown_message"
    │   ├── StreamForbiddenError    403 "stream_forbidden"
    │   ├── CsrfError               403 "csrf_failed"
    │   ├── NotFoundError           404 "not_found"
    │   ├── MethodNotAllowedError   405 "method_not_allowed"
    │   ├── RequestTimeoutError     408 "request_timeout"
    │   ├── BodyTooLargeError       413 "body_too_large"
    │   ├── FileTooLargeError       413 "file_too_large"
    │   ├── UnsupportedMediaTypeError 415 "unsupported_media_type"
    │   ├── FileTypeNotAllowedError 415 "file_type_not_allowed"
    │   ├── InvalidRequestError     422 "invalid_request"
    │   ├── ValidationFailedError   422 "validation_failed"
    │   ├── RateLimitedError        429 "rate_limited"
    │   └── QueueFullError          429 "busy"
    ├── FeedbackUnavailableError    503 "feedback_unavailable"
    ├── StreamTimeoutError          504 "timeout" (sent as an error event)
    ├── ServerRestartingError       503 "server_restarting" (sent as an error event)
    ├── StreamStoreError            503 "stream_store_unavailable" (sent as an error event)
    ├── StreamLostError             503 "stream_lost" (sent as an error event)
    ├── StoreError                  503 "store_unavailable" (the conversation store failed)
    └── WidgetNotBuiltError         503 "widget_not_built"

Every failure is rendered by :func:`envelope` as
``{"ok": false, "status": <int>, "code": <str>, "error": <message safe to show>}``.
"""

from __future__ import annotations

from typing import Any


class ChatbubbleError(Exception):
    """Base of every error the backend shows to a client."""

    status: int = 500
    code: str = "internal_error"
    default_message: str = "Something went wrong while answering. Please try again."

    def __init__(self, message: str | None = None) -> None:
        self.message = message if message is not None else self.default_message
        super().__init__(self.message)


class Error(ChatbubbleError):
    """Raise it in a chat function to show ``message`` to the visitor, as Gradio's ``gr.Error``.

    Arguments:
        message: the text shown in the chat bubble.
        duration: accepted for Gradio compatibility; the message stays in the chat.
        visible: accepted for Gradio compatibility.
        title: optional heading shown before the message.
        print_exception: whether the operator's log gets the traceback too.

    Example::

        def answer(message, history):
            if not message.strip():
                raise backend.Error("Please type a question.")
            return "..."
    """

    status = 500
    code = "chat_error"

    def __init__(
        self,
        message: str = "Error raised.",
        duration: float | None = 10,
        visible: bool = True,
        title: str = "Error",
        print_exception: bool = True,
    ) -> None:
        super().__init__(str(message))
        self.duration = duration
        self.visible = visible
        self.title = title
        self.print_exception = print_exception


class RequestError(ChatbubbleError):
    """The client sent something we refuse."""

    status = 400
    code = "bad_request"
    default_message = "The request could not be understood."


class BadJSONError(RequestError):
    """The body is not valid JSON."""

    status = 400
    code = "bad_json"
    default_message = "The request body is not valid JSON."


class InvalidAPIKeyError(RequestError):
    """``/v1`` was called without the bearer key the ``api_key`` setting asks for."""

    status = 401
    code = "invalid_api_key"
    default_message = "Incorrect or missing API key (send 'Authorization: Bearer <key>')."


class LoginRequiredError(RequestError):
    """The app has a login (``launch(auth=...)``) and the request carries no valid one."""

    status = 401
    code = "login_required"
    default_message = "Please log in to use this chat."


class InvalidCredentialsError(RequestError):
    """``/login`` with a wrong username or password."""

    status = 401
    code = "invalid_credentials"
    default_message = "Incorrect username or password."


class IdentityRequiredError(RequestError):
    """The app needs the host site's token for its visitor (``identity_required``) and the
    request carries none."""

    status = 401
    code = "identity_required"
    default_message = "Please sign in on this website to use the chat."


class VisitorKeyRequiredError(RequestError):
    """An anonymous visitor's request that only their ``X-Visitor-Key`` can authorize (deleting
    their stored conversations) carries none."""

    status = 401
    code = "visitor_key_required"
    default_message = "This request needs the X-Visitor-Key the widget sends."


class InvalidIdentityError(RequestError):
    """The host site's token for the visitor (``X-Chatbubble-User``) is forged, expired, for
    another audience or of a refused algorithm: nothing is answered with it."""

    status = 401
    code = "identity_invalid"
    default_message = (
        "Your sign-in for this chat could not be verified. Please reload the page or sign in "
        "again."
    )
    expired_message = "Your sign-in for this chat has expired. Please reload the page."


class OriginNotAllowedError(RequestError):
    """The page's origin is not in ``allowed_origins``."""

    status = 403
    code = "origin_not_allowed"
    default_message = "This website is not allowed to use this chat."


class NotFoundError(RequestError):
    """No such route."""

    status = 404
    code = "not_found"
    default_message = "Not found."


class MethodNotAllowedError(RequestError):
    """The route exists, the method does not."""

    status = 405
    code = "method_not_allowed"
    default_message = "This method is not allowed here."


class RequestTimeoutError(RequestError):
    """The client stopped sending the request body."""

    status = 408
    code = "request_timeout"
    default_message = "The request took too long to arrive. Please try again."


class BodyTooLargeError(RequestError):
    """The body is over ``max_body_bytes`` (checked while reading)."""

    status = 413
    code = "body_too_large"
    default_message = "The request is too large."


class UnsupportedMediaTypeError(RequestError):
    """The body is not ``application/json``."""

    status = 415
    code = "unsupported_media_type"
    default_message = "The request body must be JSON (Content-Type: application/json)."


class InvalidRequestError(RequestError):
    """Valid JSON of the wrong shape, or over a limit."""

    status = 422
    code = "invalid_request"
    default_message = "The request is not valid."


class InvalidFileError(RequestError):
    """A message or history entry names a file other than by a server-issued id (a path, a
    URL, an object): refused before the chat function is called."""

    status = 400
    code = "invalid_file"
    default_message = "Files can only be named by the ids this server gave them on upload."


class UnknownFileError(RequestError):
    """A well-formed file id that this server did not issue, or whose file expired."""

    status = 400
    code = "unknown_file"
    default_message = "A file in this conversation is no longer available. Please upload it again."


class InvalidInputError(RequestError):
    """An additional input's value the component would never produce (out of range, not a
    choice, wrong type): refused before the chat function is called."""

    status = 400
    code = "invalid_input"
    default_message = "One of the settings has a value that is not allowed."


class FileTooLargeError(RequestError):
    """An upload passed ``max_file_size`` (checked against Content-Length, then while
    streaming to disk)."""

    status = 413
    code = "file_too_large"

    def __init__(self, limit: int) -> None:
        super().__init__(f"The file is too large (the limit is {_size(limit)}).")
        self.limit = limit


class FileTypeNotAllowedError(RequestError):
    """An upload's content is not an accepted type, or not what its name says."""

    status = 415
    code = "file_type_not_allowed"
    default_message = "This kind of file is not accepted here."


def _size(count: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if count >= scale:
            return f"{count / scale:.3g} {unit}"
    return f"{count} bytes"


class UnknownMessageError(RequestError):
    """Feedback names a message (and conversation) this server did not produce."""

    status = 403
    code = "unknown_message"
    default_message = "This message cannot be flagged: this server did not produce it."


class StreamForbiddenError(RequestError):
    """A reattach or Stop for an answer without its conversation's token."""

    status = 403
    code = "stream_forbidden"
    default_message = "This answer belongs to another conversation."


class CsrfError(RequestError):
    """A change in the operator console (``/admin``) without its form's token: sent from
    another page, or after the session ended."""

    status = 403
    code = "csrf_failed"
    default_message = "This form expired or did not come from the console. Reload and try again."


class RateLimitedError(RequestError):
    """Too many requests from one client; ``retry_after`` seconds until the next may pass."""

    status = 429
    code = "rate_limited"
    default_message = "Too many requests. Please wait a moment and try again."

    def __init__(self, retry_after: float, message: str | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ValidationFailedError(RequestError):
    """The app's ``validator`` refused the message: its message says why, and the chat
    function was not called."""

    status = 422
    code = "validation_failed"
    default_message = "This message cannot be sent. Please change it and try again."


class QueueFullError(RequestError):
    """``concurrency_limit`` callers are running and ``queue(max_size=...)`` are waiting
    already: this one is not queued."""

    status = 429
    code = "busy"
    default_message = "The chat is busy right now. Please try again in a moment."


class FeedbackUnavailableError(ChatbubbleError):
    """The feedback log cannot be written (disk full, read-only, ...)."""

    status = 503
    code = "feedback_unavailable"
    default_message = "Your feedback could not be saved right now. Please try again later."


class StreamTimeoutError(ChatbubbleError):
    """The chat function went silent, or ran longer than allowed."""

    status = 504
    code = "timeout"
    default_message = "The answer took too long. Please try again."


class ServerRestartingError(ChatbubbleError):
    """The server is shutting down (SIGTERM, a deploy): answers in flight end with this."""

    status = 503
    code = "server_restarting"
    default_message = "The server is restarting. Please send your message again in a moment."


class StreamStoreError(ChatbubbleError):
    """Redis (``--redis-url``) went away while an answer was being read."""

    status = 503
    code = "stream_store_unavailable"
    default_message = (
        "The answer was interrupted (the server lost its stream store). Please try again."
    )


class StreamLostError(ChatbubbleError):
    """The process producing an answer kept in Redis died (killed, its machine gone) before
    the end: a reader on another process learns it from the producer's lapsed heartbeat."""

    status = 503
    code = "stream_lost"
    default_message = (
        "The answer was interrupted (the server answering went away). Please send your "
        "message again."
    )


class StoreError(ChatbubbleError):
    """The conversation store (SQLite or PostgreSQL) could not do what was asked: unreachable,
    locked for too long, or refused. A chat answer never fails for it (logged, answer goes on);
    the operator's console shows it. Its message never holds the database password."""

    status = 503
    code = "store_unavailable"
    default_message = "The conversation store is not available right now. Please try again."


class WidgetNotBuiltError(ChatbubbleError):
    """``/widget.js`` was asked for but the bundle was never built."""

    status = 503
    code = "widget_not_built"
    default_message = "The chat widget is not built on this server (run `make build`)."


def envelope(error: ChatbubbleError) -> dict[str, Any]:
    """The JSON body for ``error``: the one shape every failure has."""
    return {
        "ok": False,
        "status": error.status,
        "code": error.code,
        "error": error.message,
    }
