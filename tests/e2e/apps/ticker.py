"""Streams "tick 0 ... tick 24" over about 5 seconds; logs "started" and "closed" to the probe
file, so tests can tell whether it ran once and whether Stop closed it."""

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
    text = ""
    try:
        for i in range(25):
            text += f"tick {i} "
            yield text
            time.sleep(0.2)
    finally:
        log("closed")


demo = gr.ChatInterface(fn=ticker, type="messages", title="Ticker")
