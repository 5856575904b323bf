"""A tool step that keeps growing after the answer under it appeared: its text travels as
``{"append": ..., "at": 0}`` deltas."""

import time

import backend as gr


def fn(message, history):
    step = gr.ChatMessage("Looking", metadata={"title": "Searching", "status": "pending"})
    answer = gr.ChatMessage("Still looking for it.")
    for _ in range(3):
        yield [step, answer]
        time.sleep(0.1)
        step.content += "."
    step.metadata["status"] = "done"
    yield [step, answer]


demo = gr.ChatInterface(fn, type="messages")
