"""Waiting for a condition, never for a time: the one polling loop of the suite.

A test that needs something to have happened (a file's complete content, a process gone, a
server answering) calls ``wait_until`` with a predicate. ``LIVENESS`` bounds every such wait:
it is there to catch a hang, not to measure speed, so it is generous enough for a busy 2-core
machine (``make test-stress``).
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

# Seconds a condition may take before the test fails: catches a hang, measures nothing.
LIVENESS = 60.0


def wait_until(
    condition: Callable[[], T | None],
    what: str | Callable[[], str],
    *,
    timeout: float = LIVENESS,
    interval: float = 0.02,
) -> T:
    """Returns ``condition()``'s first truthy result; fails with ``what`` (a text, or a function
    giving one, such as a log's content) after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            message = what() if callable(what) else what
            raise AssertionError(f"not within {timeout:g} s: {message}")
        time.sleep(interval)  # poll: files, processes and sockets give no event to await


def complete_lines(path: Path) -> list[str]:
    """The newline-terminated lines of ``path`` (a line still being written is left out)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return text[: text.rfind("\n") + 1].splitlines()


def write_atomically(path: Path, text: str) -> None:
    """Writes ``text`` to a temporary file beside ``path``, then renames it into place: a reader
    sees the old content or the new, never a part."""
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(text)
    os.replace(temp, path)
