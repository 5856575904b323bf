"""Streams "tick 0 ... tick 24", a tick every 0.2 s ("hold": 600 ticks, about 2 minutes, for
tests that stop it); logs "started" and "closed after <ticks> of <total>" to the probe file, so
tests can tell whether it ran once and whether Stop closed it before its natural end.

"go gate <name>" (or "hold gate <name>") stops after ``GATE_AT`` ticks until the test opens the
gate: until the file ``<probe file>.gate-<name>`` exists. So a test can be sure that the answer
is still running while it navigates, reloads or opens a tab, whatever the machine's speed. Words
after these are ignored (a long message to fill the page).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator

import backend as gr

PROBE = os.environ.get("E2E_PROBE_FILE", "")
TICKS = 25
HOLD_TICKS = 600
GATE_AT = 5
# A gate nobody opens (a test that failed before it could) is given up after this many seconds,
# so that the function ends and its server can stop.
GATE_GIVEN_UP_AFTER = 180.0


def log(line: str) -> None:
    if PROBE:
        with open(PROBE, "a") as out:
            out.write(line + "\n")


def gate_path(probe: str, name: str) -> str:
    return f"{probe}.gate-{name}"


def wait_for_gate(name: str) -> None:
    log(f"waiting at gate {name}")
    path = gate_path(PROBE, name)
    deadline = time.monotonic() + GATE_GIVEN_UP_AFTER
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            log(f"gate {name} given up")
            return
        # Playing a model that waits: the test creates the file (atomically) when it is ready.
        time.sleep(0.02)
    log(f"passed gate {name}")


def ticker(message: str, history: list[dict[str, str]]) -> Iterator[str]:
    log("started")
    match = re.match(r"(go|hold)(?: gate ([\w-]+))?\b", message)
    mode, gate = (match[1], match[2]) if match else ("go", None)
    total = HOLD_TICKS if mode == "hold" else TICKS
    text = ""
    ticks = 0
    try:
        for i in range(total):
            if gate and i == GATE_AT:
                wait_for_gate(gate)
            text += f"tick {i} "
            yield text
            ticks += 1
            time.sleep(0.2)
    finally:
        log(f"closed after {ticks} of {total}")


demo = gr.ChatInterface(fn=ticker, type="messages", title="Ticker")
