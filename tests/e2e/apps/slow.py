"""A slow sync generator that records when its `finally` ran (for Stop)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import backend as gr


def slow(message: str, history: list[dict[str, str]]) -> Iterator[str]:
    text = ""
    try:
        for i in range(400):
            time.sleep(0.05)
            text += f"word{i} "
            yield text
    finally:
        with open(os.environ["E2E_PROBE_FILE"], "a") as probe:
            probe.write(f"{time.time()}\n")


demo = gr.ChatInterface(fn=slow, type="messages")
