"""``validator`` and ``validate``, as Gradio 6.31: what counts as a refusal and what the visitor
is told; the validator's own failures."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

import backend as gr
from backend.chat.validation import check, verdict
from backend.errors import ChatbubbleError, ValidationFailedError


def test_validate_is_gradios() -> None:
    # Gradio 6.31's gr.validate(is_valid, message) returns exactly this dict.
    assert gr.validate(False, "Too short") == {
        "__type__": "validate",
        "is_valid": False,
        "message": "Too short",
    }


def test_what_refuses() -> None:
    assert verdict(None) is None
    assert verdict(gr.validate(True, "fine")) is None
    assert verdict(gr.validate(False, "Too short")) == "Too short"
    # One per input: every refusal is said; other values count as valid, as in Gradio.
    refused = [gr.validate(False, "Too short"), None, gr.validate(False, "Pick a mode")]
    assert verdict(refused) == "Too short\nPick a mode"
    assert verdict((gr.validate(True, ""), "anything")) is None
    assert verdict({"is_valid": False, "message": "hand-made"}) == "hand-made"
    assert verdict(gr.validate(False, "")) == ValidationFailedError.default_message


async def test_check_runs_sync_and_async_validators() -> None:
    seen: list[tuple[Any, ...]] = []

    def sync(message: str, level: int) -> dict[str, Any]:
        seen.append((message, level))
        return gr.validate(len(message) >= level, f"At least {level} characters, please.")

    async def refuses(message: str) -> dict[str, Any]:
        await asyncio.sleep(0)  # an await point, as an async validator has: waits for no time
        seen.append((message,))
        return gr.validate(False, "Never.")

    with ThreadPoolExecutor(1) as pool:
        await check(sync, 2, ("long enough", 3, "ignored"), pool)
        with pytest.raises(ValidationFailedError, match="At least 20 characters"):
            await check(sync, 2, ("short", 20), pool)
        with pytest.raises(ValidationFailedError, match="Never.") as refused:
            await check(refuses, 1, ("hi", 3), pool)
    assert refused.value.status == 422 and refused.value.code == "validation_failed"
    assert seen == [("long enough", 3), ("short", 20), ("hi",)]


async def test_a_failing_validator() -> None:
    def raises_error(message: str) -> None:
        raise gr.Error("Say it differently.")

    def crashes(message: str) -> None:
        raise KeyError("secret detail")

    with ThreadPoolExecutor(1) as pool:
        with pytest.raises(ValidationFailedError, match="Say it differently."):
            await check(raises_error, 1, ("hi",), pool)
        with pytest.raises(ChatbubbleError) as failed:
            await check(crashes, 1, ("hi",), pool)
    assert failed.value.code == "internal_error" and "secret" not in failed.value.message
