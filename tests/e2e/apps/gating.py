"""Gates for the test apps (a module they import, not an app): a chat function held at a gate
until the test opens it, so that the test can look at an answer in progress however slow the
machine, then at its end.

A gate ``<name>`` is open once the file ``<probe file>.gate-<name>`` exists (the test writes it
atomically). The function logs "waiting at gate <name>", then "passed gate <name>" (or "gate
<name> given up") to the probe file (``E2E_PROBE_FILE``), as tests/e2e/apps/ticker.py does, so
that ``tests.e2e.helpers.Gate`` serves both.
"""

from __future__ import annotations

import functools
import os
import re
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

# A gate nobody opens (a test that failed before it could) is given up after this many seconds,
# so that the function ends and its server can stop.
GIVEN_UP_AFTER = 180.0
# "... gate <name>" in a message: the gate it asks for.
NAMED = re.compile(r"\bgate ([\w-]+)")


def log(line: str) -> None:
    probe = os.environ.get("E2E_PROBE_FILE", "")
    if probe:
        with open(probe, "a") as out:
            out.write(line + "\n")


def gate_path(probe: str, name: str) -> str:
    return f"{probe}.gate-{name}"


def wait_for_gate(name: str) -> None:
    log(f"waiting at gate {name}")
    path = gate_path(os.environ.get("E2E_PROBE_FILE", ""), name)
    deadline = time.monotonic() + GIVEN_UP_AFTER
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            log(f"gate {name} given up")
            return
        # Playing a model that waits: the test creates the file when it has seen what it checks.
        time.sleep(0.02)  # poll: a file appearing gives the app no event to await
    log(f"passed gate {name}")


def gated(
    fn: Callable[..., Iterator[Any]], after: int, unnamed: bool = False
) -> Callable[..., Iterator[Any]]:
    """``fn``, a generator function, unchanged but for a wait at a gate after its ``after``-th
    yield: the gate the message names ("... gate <name>"). With ``unnamed``, a message that
    names none (an example's) waits at a gate of its own, whose name the test reads in the
    probe file ("waiting at gate <name>"); without, it does not wait."""

    @functools.wraps(fn)  # the same name, signature and app id
    def held(message: Any, history: Any, *args: Any) -> Iterator[Any]:
        named = NAMED.search(message if isinstance(message, str) else str(message))
        gate = named[1] if named else uuid.uuid4().hex[:12] if unnamed else None
        for count, value in enumerate(fn(message, history, *args), start=1):
            yield value
            # Waits before the function goes on (and changes what it yielded, as its objects
            # are mutable): the stream sends the yielded state meanwhile.
            if gate and count == after:
                wait_for_gate(gate)

    return held
