"""``Client``: a chatbubble server from Python, as Gradio's client is for ``/chat``. Only the
standard library: usable from any program, sync, no event loop."""

from __future__ import annotations

import json
import mimetypes
import secrets
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Generator, Iterator, Sequence
from http.client import HTTPResponse
from pathlib import Path
from typing import Any

from ..chat.answers import Answer, Part, contents
from ..files.store import VISITOR_KEY_HEADER


class ClientError(Exception):
    """A request to a chatbubble server failed.

    Attributes:
        status: the HTTP status (``0`` when the server could not be reached or the answer
            stream was cut).
        code: the stable code of the server's error envelope (``invalid_request``,
            ``chat_error``, ``timeout``, ...), ``connection_error`` or ``incomplete``.
        message: the server's message, safe to show to a person.
    """

    def __init__(self, message: str, status: int = 0, code: str = "connection_error") -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code

    def __repr__(self) -> str:
        return f"ClientError({self.message!r}, status={self.status}, code={self.code!r})"


class Client:
    """A conversation with the chat at ``src``; each answer is added to :attr:`history`.

    Arguments:
        src: the server's base URL, e.g. ``"http://127.0.0.1:8000"``.
        timeout: seconds to wait for the server to connect or send the next bytes (it sends
            a keep-alive every 15 s while the chat function thinks).

    Example::

        from backend import Client

        client = Client("http://127.0.0.1:8000")
        print(client.chat("What is the capital of France?"))
        print(client.chat("And its largest city?"))  # the first turn goes along
    """

    def __init__(self, src: str, *, timeout: float = 300.0) -> None:
        self.src = src.rstrip("/")
        self.timeout = timeout
        #: The conversation so far, as ``POST /api/chat`` takes it.
        self.history: list[dict[str, Any]] = []
        #: Sent with every request, as the widget does: the files this client uploads can
        #: only be sent by it.
        self.visitor_key = secrets.token_urlsafe(32)

    def chat(self, message: str, files: Sequence[str | Path] = ()) -> str:
        """Send ``message`` (with ``files``, for multimodal chats) and return the answer."""
        answer = ""
        for partial in self.stream(message, files):
            answer = partial
        return answer

    def stream(self, message: str, files: Sequence[str | Path] = ()) -> Generator[str, None, None]:
        """Send ``message`` and yield the answer as it grows (each value is the whole answer
        so far). Stopping the iteration early stops the chat function on the server."""
        ids = [self.upload(path)["id"] for path in files]
        sent: Any = {"text": message, "files": ids} if ids else message
        body = {"message": sent, "history": self.history}
        response = self._open("/api/chat", json.dumps(body).encode(), "application/json")
        answer = Answer()
        outcome = "stopped"  # until the stream says otherwise: the caller stopped reading
        try:
            for name, data in _events(response):
                if name == "error":
                    outcome = "failed"
                    raise ClientError(
                        str(data.get("error")), int(data.get("status", 500)), str(data["code"])
                    )
                if name == "done":
                    outcome = "done"
                    break
                if name in (None, "parts"):
                    answer.apply(name, data)
                    yield answer.text
            if outcome != "done":
                outcome = "failed"
                raise ClientError("The answer was cut off.", 0, "incomplete")
        except (OSError, ValueError) as error:
            outcome = "failed"
            raise ClientError(f"The answer was cut off: {error}", 0, "incomplete") from None
        finally:
            response.close()
            # As in the widget, a stopped answer stays in the conversation as far as it got.
            if outcome == "done" or (outcome == "stopped" and answer.parts):
                self._remember(ids, message, answer.parts)

    def upload(self, path: str | Path) -> dict[str, Any]:
        """Upload one file (multimodal chats); returns what the server says about it (``id``,
        ``name``, ``size``, ``mime``, ``kind``, ``url``)."""
        file = Path(path)
        mime = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        query = urllib.parse.urlencode({"name": file.name})
        with self._open(f"/api/upload?{query}", file.read_bytes(), mime) as response:
            result: dict[str, Any] = json.loads(response.read())
        return result

    def config(self) -> dict[str, Any]:
        """The chat's configuration (``GET /api/config``): title, examples, limits, ..."""
        with self._open("/api/config") as response:
            result: dict[str, Any] = json.loads(response.read())
        return result

    def reset(self) -> None:
        """Start a new conversation."""
        self.history = []

    def _remember(self, ids: list[str], message: str, parts: list[Part]) -> None:
        turn: list[dict[str, Any]] = [{"role": "user", "content": {"file": i}} for i in ids]
        if message or not ids:
            turn.append({"role": "user", "content": message})
        for content in contents(parts):  # as the widget sends answers back
            wire = content if isinstance(content, str) else {"file": content[0]}
            turn.append({"role": "assistant", "content": wire})
        self.history.extend(turn)

    def _open(
        self, path: str, data: bytes | None = None, content_type: str | None = None
    ) -> HTTPResponse:
        headers = {
            "Accept": "application/json, text/event-stream",
            VISITOR_KEY_HEADER: self.visitor_key,
        }
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(self.src + path, data=data, headers=headers)
        try:
            response: HTTPResponse = urllib.request.urlopen(request, timeout=self.timeout)
        except urllib.error.HTTPError as error:
            with error:
                raise _from_envelope(error.code, error.read()) from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise ClientError(f"Cannot reach {self.src}: {reason}") from None
        return response


def _from_envelope(status: int, body: bytes) -> ClientError:
    try:
        data = json.loads(body)
        return ClientError(str(data["error"]), int(data.get("status", status)), str(data["code"]))
    except (ValueError, KeyError, TypeError):
        return ClientError(f"The server answered HTTP {status}.", status, "http_error")


def _events(response: HTTPResponse) -> Iterator[tuple[str | None, dict[str, Any]]]:
    """The server-sent events of ``response``: their name and JSON data."""
    name: str | None = None
    data: list[str] = []
    for raw in response:
        line = raw.decode("utf-8").rstrip("\r\n")
        if not line:
            if data:
                yield name, json.loads("\n".join(data))
            name, data = None, []
        elif line.startswith(":"):
            continue
        elif line.startswith("event:"):
            name = line[len("event:") :].strip()
        elif line.startswith("data:"):
            data.append(line[len("data:") :].removeprefix(" "))
