"""Streams "tick 0 ... tick 24" over about 5 seconds ("hold": 600 ticks, about 2 minutes, for
tests that stop it); logs "started" and "closed after <ticks> of <total>" to the probe file, so
tests can tell whether it ran once and whether Stop closed it before its natural end."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import backend as gr

PROBE = os.environ.get("E2E_PROBE_FILE", "")


def log(line: str) -> None:
    if PROBE:
        with open(PROBE, "a") as out:
            out.write(line + "\n")


def ticker(message: str, history: list[dict[str, str]]) -> Iterator[str]:
    log("started")
    total = 600 if message == "hold" else 25
    text = ""
    ticks = 0
    try:
        for i in range(total):
            text += f"tick {i} "
            yield text
            ticks += 1
            time.sleep(0.2)
    finally:
        log(f"closed after {ticks} of {total}")


demo = gr.ChatInterface(fn=ticker, type="messages", title="Ticker")
