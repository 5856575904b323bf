"""Cached examples; every call of the chat function adds a line to the probe file."""

from __future__ import annotations

import os

import backend as gr


def counted(message: str, history: list[dict[str, str]]) -> str:
    with open(os.environ["E2E_PROBE_FILE"], "a") as probe:
        probe.write(f"{message}\n")
    return f"Counted answer to {message}"


demo = gr.ChatInterface(
    counted,
    type="messages",
    title="Counter",
    examples=["First example", "Second example"],
    example_labels=["First", "Second"],
    cache_examples=True,
)
