"""A slow sync generator of 2,400 words (2 minutes: the tests that stop it have that long, a
liveness bound); its `finally` records how many it yielded (for Stop)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import backend as gr

WORDS = 2400


def slow(message: str, history: list[dict[str, str]]) -> Iterator[str]:
    text = ""
    words = 0
    try:
        for i in range(WORDS):
            time.sleep(0.05)  # plays a slow model (the chat function of a test app)
            text += f"word{i} "
            yield text
            words += 1
    finally:
        with open(os.environ["E2E_PROBE_FILE"], "a") as probe:
            probe.write(f"{words}\n")


demo = gr.ChatInterface(fn=slow, type="messages")
