"""Yields a numbered tick every 0.3 s (20 ticks; without end when the message is "forever").

With $PROBE_FILE it appends a line there as it goes, each in one write: "started", "tick <i>"
before yielding tick i, "finished" at its natural end and, last, "closed <time.monotonic()>"
whenever its generator ends (a reader takes only newline-terminated lines).
"""

import itertools
import os
import time

import backend as gr


def record(line):
    probe = os.environ.get("PROBE_FILE")
    if probe:
        with open(probe, "a") as out:
            out.write(line + "\n")


def ticks(message, history):
    record("started")
    text = ""
    try:
        for i in itertools.count() if message == "forever" else range(20):
            text += f"tick {i} "
            record(f"tick {i}")
            yield text
            time.sleep(0.3)  # plays a slow model
        record("finished")
    finally:
        record(f"closed {time.monotonic()}")


demo = gr.ChatInterface(ticks)
