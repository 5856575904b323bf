"""E-*: exceptions and misbehaviour inside the chat function, whose messages carry the canary.

Every stream still starts, ends with one terminal ``error`` (or ``done``) event, and shows the
visitor a generic envelope: never the exception's class, message, traceback or the secret.
The server (every worker) survives each case.
"""

from __future__ import annotations

import pytest

from tests.security.harness import (
    FAILING_FLAGS,
    Server,
    alive,
    answer_text,
    chat,
    check,
    post_json,
    sse_events,
)

# mode -> what the stream ends with: (event, code) ; code None for ``done``.
SYNC_MODES: dict[str, tuple[str, str | None]] = {
    "raise-before": ("error", "internal_error"),
    "raise-after": ("error", "internal_error"),
    "key-error": ("error", "internal_error"),
    "os-error": ("error", "internal_error"),
    "system-exit": ("error", "internal_error"),
    "keyboard-interrupt": ("error", "internal_error"),
    "generator-exit": ("error", "internal_error"),
    "stop-iteration": ("error", "internal_error"),
    "recursion": ("error", "internal_error"),
    "unprintable": ("error", "internal_error"),
    "surrogate": ("error", "internal_error"),
    "assert": ("error", "internal_error"),
    "yield-none": ("done", None),
    "yield-int": ("done", None),
    "yield-bytes": ("error", "internal_error"),
    "yield-dict": ("error", "internal_error"),
    "yield-list": ("error", "internal_error"),
    "yield-object": ("error", "internal_error"),
    "yield-coroutine": ("error", "internal_error"),
    "yield-path-text": ("done", None),
    "yield-path-object": ("error", "internal_error"),
    "yield-path-dict": ("error", "internal_error"),
    "file-etc-passwd": ("error", "internal_error"),
    "file-missing": ("error", "internal_error"),
    "file-traversal": ("error", "internal_error"),
    "image-bad-bytes": ("done", None),  # stored as an opaque file, served by id
    "html-script": ("done", None),
    "execute": ("error", "internal_error"),
    "hang": ("error", "timeout"),
    "yield-5MB": ("done", None),
    "gr-error": ("error", "chat_error"),
}
ASYNC_MODES: dict[str, object] = {
    "raise-before": ("error", "internal_error"),
    "raise-after": ("error", "internal_error"),
    "system-exit": ("error", "internal_error"),
    "keyboard-interrupt": ("error", "internal_error"),
    "generator-exit": ("error", "internal_error"),
    "stop-async-iteration": ("error", "internal_error"),
    "cancelled": ("error", "internal_error"),
    "timeout-error": ("error", "internal_error"),
    "yield-bytes": ("error", "internal_error"),
}


@pytest.fixture(name="failing")
def _failing(servers: object) -> Server:
    return servers("failing", *FAILING_FLAGS)  # type: ignore[operator, no-any-return]


@pytest.fixture(name="failing_async")
def _failing_async(servers: object) -> Server:
    return servers("failing_async", *FAILING_FLAGS)  # type: ignore[operator, no-any-return]


def run(server: Server, mode: str) -> list[tuple[str, object]]:
    resp = check(chat(server, {"message": mode}), client_error=False, what=f"E {mode}")
    assert resp.status == 200, resp.text[:200]
    assert resp.status < 500
    events = sse_events(resp.text)
    assert events[0][0] == "start"
    terminal = [name for name, _ in events if name in ("done", "error")]
    assert len(terminal) == 1 and events[-1][0] == terminal[0], [n for n, _ in events][-3:]
    return events


def expect(events: list[tuple[str, object]], end: str, code: str | None) -> None:
    name, data = events[-1]
    assert name == end, (name, data)
    if code is not None:
        assert isinstance(data, dict)
        assert set(data) == {"ok", "status", "code", "error"}
        assert data["code"] == code, data
        if code == "internal_error":
            assert data["error"] == "Something went wrong while answering. Please try again."


@pytest.mark.parametrize("mode", SYNC_MODES.keys(), ids=[f"E-sync-{m}" for m in SYNC_MODES])
def test_sync_generator_failures(mode: str, failing: Server) -> None:
    try:
        expect(run(failing, mode), *SYNC_MODES[mode])
    finally:
        if mode == "hang":  # the stream has ended: let the silent chat function return
            (failing.workdir / "release-hang").touch()
    assert alive(failing) is None


@pytest.mark.parametrize(
    ("mode", "outcome"),
    [
        pytest.param(mode, *value.values, marks=value.marks, id=f"E-async-{mode}")
        if isinstance(value, type(pytest.param(0)))
        else pytest.param(mode, value, id=f"E-async-{mode}")
        for mode, value in ASYNC_MODES.items()
    ],
)
def test_async_generator_failures(
    mode: str, outcome: tuple[str, str | None], failing_async: Server
) -> None:
    expect(run(failing_async, mode), *outcome)
    assert alive(failing_async) is None


def test_e_openai_route_hides_failures_too(failing: Server) -> None:
    """The /v1 route reads the same stream: its error is OpenAI-shaped and as generic."""
    for mode in ("raise-before", "raise-after", "os-error"):
        body = {"model": "m", "messages": [{"role": "user", "content": mode}]}
        resp = check(
            post_json(failing, "/v1/chat/completions", body), client_error=False, what="E v1"
        )
        assert resp.status in (200, 500), resp.text[:200]


def test_e5_a_huge_answer_is_cut_not_streamed(failing: Server) -> None:
    """E-5: a 5 MB answer reaches the visitor as at most max_answer_chars (100,000) and a note."""
    events = run(failing, "yield-5MB")
    name, data = events[-1]
    assert name == "done" and isinstance(data, dict) and data.get("truncated") is True
    text = answer_text(events)
    assert len(text) == 100_000, len(text)
    assert "Answer cut" in text
