"""``Chatbot(editable="all")`` with feedback: answers can be edited in place."""

from __future__ import annotations

import os
from typing import Any

import backend as gr


def echo(message: str, history: list[dict[str, Any]]) -> str:
    earlier = " | ".join(str(entry["content"]) for entry in history)
    return f"echo {message} [{earlier}]"


demo = gr.ChatInterface(
    fn=echo,
    type="messages",
    flagging_mode="manual",
    flagging_dir=os.environ.get("E2E_FLAG_DIR", ".gradio/flagged"),
    chatbot=gr.Chatbot(editable="all"),
    save_history=True,
)
