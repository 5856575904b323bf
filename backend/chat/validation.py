"""``validator``: a function that looks at a message before the chat function is called, as
Gradio's ``ChatInterface(validator=...)``, and ``validate``, what it returns per input.

The validator is called with the message as the chat function receives it and then the
additional inputs, as many as its signature takes (Gradio 6.31 passes only the message, so a
Gradio validator ``def check(message)`` works here unchanged), and the request where it takes a
``gr.Request``; never the history. It may be
sync (run in the worker's thread pool) or async. It returns ``validate(...)`` for one input, a
list of them (one per input, in order), or anything else (``None``) for "all fine". When one
says ``is_valid=False``, the message is refused with its text (422 ``validation_failed``) and
the chat function is not called.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from typing import Any

from ..errors import ChatbubbleError, Error, ValidationFailedError
from .request import RequestSource, inject

log = logging.getLogger("backend.chat")

Validator = Callable[..., Any]


def validate(is_valid: bool, message: str) -> dict[str, Any]:
    """The verdict on one input, for a ``validator`` to return, as Gradio's ``gr.validate``.

    Arguments:
        is_valid: whether the input may be sent.
        message: what the visitor is told when it may not.

    Example::

        def check(message):
            return gr.validate(len(message) >= 3, "Please write at least 3 characters.")

        gr.ChatInterface(answer, validator=check)
    """
    return {"__type__": "validate", "is_valid": is_valid, "message": message}


def arity(validator: Any, inputs: int) -> int:
    """How many arguments ``validator`` is called with: the message and up to ``inputs``
    additional inputs, the most its signature takes. Raises ``TypeError`` for a validator
    that is not callable or cannot take the message."""
    if not callable(validator):
        raise TypeError(f"validator must be a function, not {validator!r}")
    try:
        signature = inspect.signature(validator)
    except (TypeError, ValueError):
        return 1 + inputs  # builtins and some callables have no signature: pass everything
    for count in range(1 + inputs, 0, -1):
        args, kwargs = inject(validator, [None] * count, None)
        try:
            signature.bind(*args, **kwargs)
        except TypeError:
            continue
        return count
    raise TypeError(
        f"validator must accept (message) or (message, *additional_inputs); {signature} does not"
    )


def verdict(result: Any) -> str | None:
    """The visitor's message when ``result`` (what the validator returned) refuses, else None."""
    found = result if isinstance(result, (list, tuple)) else [result]
    refusals = [
        item
        for item in found
        if isinstance(item, dict)
        and item.get("__type__", "validate") == "validate"
        and item.get("is_valid") is False
    ]
    if not refusals:
        return None
    texts = [str(item.get("message") or "").strip() for item in refusals]
    return "\n".join(text for text in texts if text) or ValidationFailedError.default_message


async def check(
    validator: Validator,
    count: int,
    args: Sequence[Any],
    executor: Executor,
    request: RequestSource = None,
) -> None:
    """Runs ``validator`` on the first ``count`` of ``args`` (the message, then the additional
    inputs), with ``request`` where it takes a ``gr.Request``. Raises ``ValidationFailedError``
    when it refuses (or raises ``backend.Error``), ``ChatbubbleError`` (a generic message; the
    traceback goes to the log) when it fails."""
    chosen, named = inject(validator, tuple(args[:count]), request)
    try:
        if inspect.iscoroutinefunction(validator):
            result = await validator(*chosen, **named)
        else:
            loop = asyncio.get_running_loop()
            result = await loop.run_in_executor(executor, lambda: validator(*chosen, **named))
            if inspect.isawaitable(result):
                result = await result
    except Error as error:
        raise ValidationFailedError(error.message) from None
    except Exception as error:  # noqa: BLE001 - any failure of the operator's validator
        log.error("the validator %r failed", validator, exc_info=error)
        raise ChatbubbleError() from None
    message = verdict(result)
    if message is not None:
        raise ValidationFailedError(message)
