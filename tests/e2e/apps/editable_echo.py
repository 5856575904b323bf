"""An echo bot whose visitors may edit their past messages (Gradio's editable=True)."""

from __future__ import annotations

from typing import Any

import backend as gr


def echo(message: str, history: list[dict[str, Any]]) -> str:
    return f"edited echo: {message} ({len(history)} earlier)"


demo = gr.ChatInterface(fn=echo, type="messages", editable=True)
