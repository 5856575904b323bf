"""Gradio's client protocol, beside our own ``/api/chat``: what ``gradio_client``,
``@gradio/client`` and ``curl`` users of a Gradio app send and expect, served from the same
answer machinery (``http.state.AppState.start_answer``, the stream hub, ``chat.run``).

One module per concern: ``endpoint`` (the endpoint's name, inputs and outputs), ``config``
(``GET /config``), ``info`` (``GET /gradio_api/info``), ``inputs`` (a call's data checked into a
``ChatRequest``), ``calls`` (one call running, its updates), ``sessions`` (history and pending
calls per ``session_hash``), ``queue`` (join, data stream, cancel), ``rest`` (the two-step
``/gradio_api/call/<name>``), ``files`` (upload, file references), ``routes`` (the blueprint).
"""

from __future__ import annotations

from .routes import gradio_blueprint

__all__ = ["gradio_blueprint"]
