"""A tool step that keeps growing after the answer under it appeared: its text travels as
``{"append": ..., "at": 0}`` deltas.

A message that names a gate ("find it gate <name>", gating.py) waits there after the first
state (the step "Looking", the answer) until the test opens it, so the test sees that state
before the step grows, however slow the machine."""

import time

from gating import gated

import backend as gr


def fn(message, history):
    step = gr.ChatMessage("Looking", metadata={"title": "Searching", "status": "pending"})
    answer = gr.ChatMessage("Still looking for it.")
    for _ in range(3):
        yield [step, answer]
        time.sleep(0.1)  # plays a slow model (the chat function of a test app)
        step.content += "."
    step.metadata["status"] = "done"
    yield [step, answer]


demo = gr.ChatInterface(gated(fn, after=1), type="messages")
