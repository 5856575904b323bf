"""``load_chat()``: a ChatInterface answered by any OpenAI-compatible model server."""

from __future__ import annotations

import asyncio
import base64
import logging
import weakref
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ..chat.interface import ChatInterface
from ..chat.page import PageTemplate
from ..chat.request import Request
from ..components.chatbot import MultimodalTextbox
from ..errors import Error
from ..files.sniff import HEAD_BYTES, sniff

if TYPE_CHECKING:
    import openai
else:

    class _Lazy:
        """The ``openai`` package, imported on first use: apps that never call load_chat
        don't pay its import time and memory (pydantic, httpx)."""

        def __getattr__(self, name: str) -> Any:
            import openai as module

            return getattr(module, name)

    openai = _Lazy()

log = logging.getLogger("backend.load_chat")

FILE_TYPES = ("text_encoded", "image")
#: Images a vision model takes as data URLs (SVG is not among them).
IMAGE_MIMES = ("image/png", "image/jpeg", "image/gif", "image/webp")
#: What each of Gradio's ``file_types`` lets visitors attach.
ACCEPTS = {"text_encoded": "text", "image": "image"}

OpenAIMessage = dict[str, Any]


def load_chat(
    base_url: str,
    model: str,
    token: str | None = None,
    *,
    file_types: str | Sequence[str] | None = FILE_TYPES,
    system_message: str | None = None,
    system_template: str | None = None,
    streaming: bool = True,
    timeout: float = 300.0,
    **chat_interface_kwargs: Any,
) -> ChatInterface:
    """A ChatInterface that answers with ``model`` on an OpenAI-compatible server (Ollama,
    llama.cpp, vLLM, OpenAI, another chatbubble's ``/v1``), as Gradio's ``gr.load_chat``.

    Arguments:
        base_url: the server's API root, e.g. ``"http://localhost:11434/v1/"``.
        model: the model name the server knows.
        token: the server's API key, if it needs one.
        file_types: what visitors may attach: ``"text_encoded"`` (text files, sent as text)
            and/or ``"image"`` (sent as data URLs to vision models); ``None`` or ``[]``:
            text only (then the chat is not multimodal).
        system_message: sent first in every request.
        system_template: instead of ``system_message``, a system message with the page the
            visitor is on (chatbubble's addition): ``{page.url}``, ``{page.title}``,
            ``{page.lang}``, ``{page.referrer}``, ``{page.context}`` and
            ``{page.context[key]}`` are filled in for each message (``""`` when the page sent
            none; nothing else may be named, see ``chat/page.py``). The page's values are
            unverified: the visitor can put anything into them.
        streaming: stream the answer token by token (else it arrives whole).
        timeout: seconds to wait for the server to connect or send the next bytes
            (chatbubble's addition).
        **chat_interface_kwargs: passed on to ``ChatInterface`` (title, examples, ...).

    Example::

        import backend as gr

        gr.load_chat("http://localhost:11434/v1/", model="llama3.2", token="ollama").launch()
    """
    kinds = _file_types(file_types)
    if not isinstance(model, str) or not model:
        raise ValueError("load_chat() needs the model's name")
    if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
        raise ValueError("load_chat(): base_url must be an http:// or https:// URL")
    if system_message is not None and system_template is not None:
        raise ValueError("load_chat(): give system_message or system_template, not both")
    template = PageTemplate(system_template) if system_template is not None else None
    upstream = Upstream(base_url, model, token, timeout)

    def preamble(request: Request | None) -> list[OpenAIMessage]:
        text = template.render(request.page if request else None) if template else system_message
        return [{"role": "system", "content": text}] if text else []

    async def messages(
        message: Any, history: list[dict[str, Any]], request: Request | None
    ) -> list[OpenAIMessage]:
        # In a thread: the conversation's files are read from disk (each up to max_file_size).
        return preamble(request) + await asyncio.to_thread(to_openai, history, message, kinds)

    async def stream_answer(
        message: Any, history: list[dict[str, Any]], request: Request
    ) -> AsyncIterator[str]:
        async for text in upstream.stream(await messages(message, history, request)):
            yield text

    async def whole_answer(message: Any, history: list[dict[str, Any]], request: Request) -> str:
        return await upstream.complete(await messages(message, history, request))

    fn = stream_answer if streaming else whole_answer
    # Its name shows in logs and the banner, and sets the app id (browser storage keys).
    fn.__name__ = fn.__qualname__ = f"load_chat({model})"
    if kinds and chat_interface_kwargs.get("multimodal", True):
        chat_interface_kwargs["multimodal"] = True
        chat_interface_kwargs.setdefault(
            "textbox",
            MultimodalTextbox(file_types=[ACCEPTS[kind] for kind in kinds], file_count="multiple"),
        )
    return ChatInterface(fn, **chat_interface_kwargs)


def _file_types(value: Any) -> tuple[str, ...]:
    items = [] if value is None else [value] if isinstance(value, str) else list(value)
    for item in items:
        if item not in ACCEPTS:
            raise ValueError(
                f"load_chat(): file_types may hold 'text_encoded' and 'image', not {item!r}"
            )
    return tuple(dict.fromkeys(items))


# --- conversation -> OpenAI messages -------------------------------------------------------


def to_openai(
    history: Sequence[dict[str, Any]], message: Any, kinds: Sequence[str]
) -> list[OpenAIMessage]:
    """The history and the new message as OpenAI chat messages. A file (``(path,)`` content,
    or a path in ``message["files"]``) becomes an image part or a text part when ``kinds``
    allows it, and is left out otherwise."""
    out: list[OpenAIMessage] = []
    for entry in history:
        role = entry.get("role")
        if role not in ("user", "assistant"):
            continue
        content = entry.get("content")
        if isinstance(content, tuple):
            part = _file_part(str(content[0]), kinds) if content and role == "user" else None
            if part is not None:
                out.append({"role": "user", "content": [part]})
        elif isinstance(content, str):
            out.append({"role": role, "content": str(content)})
    if isinstance(message, dict):
        text = str(message.get("text") or "")
        parts = [_file_part(str(path), kinds) for path in message.get("files") or ()]
        files = [part for part in parts if part is not None]
        if files:
            texts = [{"type": "text", "text": text}] if text else []
            out.append({"role": "user", "content": texts + files})
        else:
            out.append({"role": "user", "content": text})
    else:
        out.append({"role": "user", "content": str(message)})
    return out


def _file_part(path: str, kinds: Sequence[str]) -> dict[str, Any] | None:
    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError:
        log.warning("load_chat: cannot read the file %s; left out", path)
        return None
    found = sniff(data[:HEAD_BYTES], complete=len(data) <= HEAD_BYTES)
    if "image" in kinds and found.mime in IMAGE_MIMES:
        encoded = base64.b64encode(data).decode("ascii")
        return {"type": "image_url", "image_url": {"url": f"data:{found.mime};base64,{encoded}"}}
    if "text_encoded" in kinds and found.kind == "text":
        text = data.decode("utf-8", "replace")
        return {"type": "text", "text": f"{file.name}:\n\n{text}"}
    return None


# --- the model server ----------------------------------------------------------------------


class Upstream:
    """One model on one server, through the ``openai`` package's async client (one client per
    event loop: a pooled connection must never cross loops)."""

    def __init__(self, base_url: str, model: str, token: str | None, timeout: float) -> None:
        self.base_url = base_url
        self.model = model
        self._token = token or "EMPTY"
        self._timeout = timeout
        self._clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, openai.AsyncOpenAI]
        self._clients = weakref.WeakKeyDictionary()

    def client(self) -> openai.AsyncOpenAI:
        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None:
            client = openai.AsyncOpenAI(
                base_url=self.base_url,
                api_key=self._token,
                timeout=self._timeout,
                # A visitor is waiting: say so at once rather than retry behind their back.
                max_retries=0,
            )
            self._clients[loop] = client
        return client

    async def stream(self, messages: list[OpenAIMessage]) -> AsyncIterator[str]:
        """The growing answer. Closing this generator (Stop) closes the HTTP response, so the
        model server sees the connection end and stops generating."""
        try:
            stream = await self.client().chat.completions.create(
                model=self.model, messages=cast(Any, messages), stream=True
            )
        except (openai.OpenAIError, ValueError) as error:
            raise self._failure(error) from None
        text = ""
        finished = False
        try:
            async for chunk in stream:
                if not chunk.choices:
                    continue
                choice = chunk.choices[0]
                if choice.delta is not None and choice.delta.content:
                    text += choice.delta.content
                    yield text
                if choice.finish_reason:
                    finished = True
        except (openai.OpenAIError, ValueError) as error:
            raise self._failure(error, streaming=True) from None
        finally:
            await stream.close()
        if not finished:
            log.warning(
                "load_chat(%s): the stream from %s ended without a finish reason (cut off)",
                self.model,
                self.base_url,
            )
            raise Error(CUT_OFF, print_exception=False)

    async def complete(self, messages: list[OpenAIMessage]) -> str:
        try:
            response = await self.client().chat.completions.create(
                model=self.model, messages=cast(Any, messages)
            )
        except (openai.OpenAIError, ValueError) as error:
            raise self._failure(error) from None
        if not response.choices:
            return ""
        return response.choices[0].message.content or ""

    def _failure(self, error: Exception, *, streaming: bool = False) -> Error:
        """The visitor's message for an upstream failure (no URL, no key); the operator's log
        gets what happened. A connection lost while the answer streams cut it off."""
        message = visitor_message(error)
        if streaming and type(error) is openai.APIConnectionError:
            message = CUT_OFF
        status = getattr(error, "status_code", None)
        cause = error.__cause__
        log.warning(
            "load_chat(%s): the model server at %s failed: %s%s: %s%s",
            self.model,
            self.base_url,
            type(error).__name__,
            f" (HTTP {status})" if status else "",
            getattr(error, "message", None) or error,
            f" ({type(cause).__name__}: {cause})" if cause else "",
        )
        return Error(message, print_exception=False)


CUT_OFF = "The model's answer was cut off. Please try again."


def visitor_message(error: Exception) -> str:
    if isinstance(error, openai.APITimeoutError):
        return "The model server took too long to answer. Please try again."
    if isinstance(error, openai.APIConnectionError):
        return "The model server cannot be reached right now. Please try again later."
    if isinstance(error, (openai.AuthenticationError, openai.PermissionDeniedError)):
        return "The model server refused this chat's key. Please tell the site's owner."
    if isinstance(error, openai.NotFoundError):
        return "The model this chat uses is not available. Please tell the site's owner."
    if isinstance(error, openai.RateLimitError):
        return "The model server is busy. Please wait a moment and try again."
    if isinstance(error, openai.APIStatusError):
        return f"The model server failed to answer (HTTP {error.status_code}). Please try again."
    if isinstance(error, openai.APIError):  # an error event in the middle of the stream
        return "The model server failed while answering. Please try again."
    return "The model server sent an answer that could not be read. Please try again."
