"""Reading request bodies with limits that hold while the bytes arrive.

Quart's own cap (``MAX_CONTENT_LENGTH``) counts only bytes not yet read, so a handler that
streams the body would see all of it; these helpers count every byte themselves, refuse a
declared ``Content-Length`` over the limit before reading anything, and give up on a client
that goes silent for ``BODY_IDLE_SECONDS``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import cast

from quart import request
from werkzeug.exceptions import RequestEntityTooLarge

from ..errors import (
    BodyTooLargeError,
    ChatbubbleError,
    FileTooLargeError,
    RequestTimeoutError,
    UnsupportedMediaTypeError,
)

BODY_IDLE_SECONDS = 30.0


def refuse_encoded() -> None:
    if request.headers.get("Content-Encoding", "identity").lower() != "identity":
        raise UnsupportedMediaTypeError("Compressed request bodies are not accepted.")


async def chunks(limit: int, too_large: ChatbubbleError) -> AsyncIterator[bytes]:
    """The body's chunks as they arrive, raising ``too_large`` once more than ``limit``
    bytes came (or were announced)."""
    declared = request.content_length
    if declared is not None and declared > limit:
        raise too_large
    received = 0
    body = aiter(request.body)
    while True:
        try:
            async with asyncio.timeout(BODY_IDLE_SECONDS):
                chunk = cast(bytes, await anext(body))
        except StopAsyncIteration:
            return
        except TimeoutError:
            raise RequestTimeoutError() from None
        except RequestEntityTooLarge:
            raise too_large from None
        received += len(chunk)
        if received > limit:
            raise too_large
        yield chunk


async def json_body(limit: int) -> bytes:
    """The raw body of a JSON request, refused early when it is not JSON or too large."""
    if request.mimetype != "application/json":
        raise UnsupportedMediaTypeError()
    refuse_encoded()
    too_large = BodyTooLargeError(f"The request is too large (the limit is {limit} bytes).")
    data = bytearray()
    async for chunk in chunks(limit, too_large):
        data += chunk
    return bytes(data)


def upload_chunks(limit: int) -> AsyncIterator[bytes]:
    refuse_encoded()
    return chunks(limit, FileTooLargeError(limit))
