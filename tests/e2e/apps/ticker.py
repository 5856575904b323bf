"""Streams "tick 0 ... tick 24", a tick every 0.2 s ("hold": 600 ticks, about 2 minutes, for
tests that stop it); logs "started" and "closed after <ticks> of <total>" to the probe file, so
tests can tell whether it ran once and whether Stop closed it before its natural end.

"go gate <name>" (or "hold gate <name>") stops after ``GATE_AT`` ticks until the test opens the
gate (tests/e2e/apps/gating.py: until the file ``<probe file>.gate-<name>`` exists). So a test
can be sure that the answer is still running while it navigates, reloads or opens a tab,
whatever the machine's speed. Words after these are ignored (a long message to fill the page).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import backend as gr

if __package__:  # imported by the tests, for the constants below
    from .gating import log, wait_for_gate
else:  # served: `backend serve` puts the app's folder on the path
    from gating import log, wait_for_gate

TICKS = 25
HOLD_TICKS = 600
GATE_AT = 5


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
            time.sleep(0.2)  # plays a slow model (the chat function of a test app)
    finally:
        log(f"closed after {ticks} of {total}")


demo = gr.ChatInterface(fn=ticker, type="messages", title="Ticker")
