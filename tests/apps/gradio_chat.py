"""A chat for Gradio's clients (tests/http/gradio/): streams, counts its history, takes two
additional inputs, raises ``gr.Error`` or a plain exception on request, and records how its
generator ended (one JSON line appended to $PROBE_FILE when its ``finally`` runs)."""

import json
import os
import time

import backend as gr


def record(**fields):
    path = os.environ.get("PROBE_FILE")
    if path:
        with open(path, "a") as probe:  # one write of one line: a reader takes whole lines
            probe.write(json.dumps({**fields, "at": time.time()}) + "\n")


def respond(message, history, temperature, system):
    """Echoes the message with what it was given.

    Args:
        message: what the visitor wrote
    """
    if message == "fail":
        raise gr.Error("You asked me to fail.")
    if message == "crash":
        raise RuntimeError("a secret detail")
    words = 40 if message.startswith("slow") else 4
    yielded, ended = 0, "finished"
    try:
        text = ""
        i = 0
        # "slow cancel" has no end: only a cancel closes it (its record then says GeneratorExit).
        while i < words or message == "slow cancel":
            if message.startswith("slow"):
                time.sleep(0.2)  # plays a slow model
            text += f"w{i} "
            yielded = i = i + 1
            yield f"{message} | {len(history)} | {temperature} | {system} | {text.strip()}"
    except BaseException as error:
        ended = type(error).__name__
        raise
    finally:
        # How an app written for Gradio 6 reads the history: content as typed parts.
        parts = ["".join(p["text"] for p in m["content"] if p["type"] == "text") for m in history]
        record(message=message, yielded=yielded, ended=ended, history=history, parts=parts)


demo = gr.ChatInterface(
    respond,
    additional_inputs=[
        gr.Slider(0, 1, 0.5, label="Temperature"),
        gr.Textbox("be brief", label="System"),
    ],
    api_name="chat",
)
