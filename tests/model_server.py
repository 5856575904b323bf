"""An OpenAI-compatible model server for tests: real HTTP on 127.0.0.1, the real wire format.

The model name picks the behaviour:

- any name: answers "You said: <last user text>", streamed word by word (or whole);
- ``missing``: 404, ``busy``: 429, and 401 for a wrong key when the server has one;
- ``cut``: the stream stops mid-answer (the socket closes inside a chunked body);
- ``unfinished``: the body ends cleanly but without a finish reason or ``[DONE]``;
- ``oops``: an error event in the middle of the stream;
- ``slow``: a token every 20 ms for a minute (the suite's liveness bound); ``disconnected`` is
  set when the client goes away;
- ``silent``: nothing (the whole answer, or after the headers when streamed) until the server
  is shut down.

Every request's JSON body and ``Authorization`` header are kept in ``requests``.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.waiting import LIVENESS


@dataclass
class ModelServer:
    url: str
    key: str | None
    requests: list[dict[str, Any]] = field(default_factory=list)
    disconnected: threading.Event = field(default_factory=threading.Event)
    #: Set when the server shuts down: ends the silences of ``silent``.
    closing: threading.Event = field(default_factory=threading.Event)


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    return " ".join(part.get("text", "") for part in content if part.get("type") == "text")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    model_server: ModelServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def _json(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, message: str, kind: str, code: str) -> None:
        self._json(status, {"error": {"message": message, "type": kind, "code": code}})

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _event(self, model: str, delta: dict[str, Any], finish: str | None = None) -> None:
        chunk = {
            "id": "chatcmpl-test",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }
        self._chunk(f"data: {json.dumps(chunk)}\n\n".encode())

    def do_GET(self) -> None:  # noqa: N802
        if self.path.rstrip("/").endswith("/models"):
            self._json(200, {"object": "list", "data": [{"id": "echo", "object": "model"}]})
        else:
            self._error(404, "no such route", "invalid_request_error", "not_found")

    def do_POST(self) -> None:  # noqa: N802
        server = self.model_server
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length))
        server.requests.append({"body": body, "authorization": self.headers["Authorization"]})
        if server.key is not None and self.headers["Authorization"] != f"Bearer {server.key}":
            self._error(401, "Incorrect API key provided", "invalid_request_error", "bad_key")
            return
        model = body["model"]
        if model == "missing":
            self._error(404, "model 'missing' not found", "invalid_request_error", "no_model")
            return
        if model == "busy":
            self._error(429, "Rate limit reached", "requests", "rate_limit_exceeded")
            return
        answer = "You said: " + _text(body["messages"][-1]["content"])
        if not body.get("stream"):
            if model == "silent":
                server.closing.wait(LIVENESS)  # the client gave up long ago: answer nothing
                self.close_connection = True
                return
            message = {"role": "assistant", "content": answer}
            self._json(
                200,
                {
                    "id": "chatcmpl-test",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": model,
                    "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
                },
            )
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.flush()
        if model == "silent":
            server.closing.wait(LIVENESS)
            self.close_connection = True
            return
        if model == "slow":
            try:
                for i in range(int(LIVENESS / 0.02)):
                    self._event(model, {"content": f"{i} "})
                    time.sleep(0.02)  # plays a slow model
            except OSError:
                server.disconnected.set()
            self.close_connection = True
            return
        self._event(model, {"role": "assistant", "content": ""})
        words = answer.split(" ")
        for index, word in enumerate(words):
            self._event(model, {"content": word if index == 0 else " " + word})
            if model == "oops" and index == 1:
                self._chunk(b'data: {"error": {"message": "out of memory", "code": 500}}\n\n')
                self._chunk(b"")
                return
            if model == "cut" and index == 1:
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                return
        if model != "unfinished":
            self._event(model, {}, "stop")
            self._chunk(b"data: [DONE]\n\n")
        self._chunk(b"")


@contextmanager
def model_server(key: str | None = None) -> Iterator[ModelServer]:
    """A model server on a free port of 127.0.0.1 (its ``url`` ends in ``/v1``)."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    state = ModelServer(f"http://127.0.0.1:{httpd.server_address[1]}/v1", key)
    handler = type("Handler", (_Handler,), {"model_server": state})
    httpd.RequestHandlerClass = handler
    # A short poll: shutdown() waits for the loop's next look (0.5 s by default, per test).
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.closing.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)
