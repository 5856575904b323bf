"""A ``validator`` that takes the message and the "Minimum length" input: a message shorter
than that is refused with a message for the visitor. The chat function appends each message it
gets to $PROBE_FILE (one line each)."""

import os

import backend as gr


def check(message, minimum):
    return gr.validate(len(message) >= minimum, f"Please write at least {minimum} characters.")


def answer(message, history, minimum):
    with open(os.environ["PROBE_FILE"], "a") as probe:
        probe.write(message + "\n")
    return f"Accepted: {message}"


demo = gr.ChatInterface(
    answer,
    validator=check,
    additional_inputs=[gr.Number(5, label="Minimum length", precision=0)],
)
