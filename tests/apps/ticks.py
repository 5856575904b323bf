"""Yields a numbered tick every 0.3 s; writes "closed" to $PROBE_FILE when it is stopped."""

import os
import time

import backend as gr


def ticks(message, history):
    probe = os.environ.get("PROBE_FILE")
    if probe:
        with open(probe, "a") as out:
            out.write("started\n")
    text = ""
    try:
        for i in range(20):
            text += f"tick {i} "
            yield text
            time.sleep(0.3)
        if probe:
            with open(probe, "a") as out:
                out.write("finished\n")
    finally:
        if probe:
            with open(probe, "a") as out:
                out.write("closed\n")


demo = gr.ChatInterface(ticks)
