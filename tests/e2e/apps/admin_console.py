"""An echo bot whose operator console the browser tests open: its flagging_dir (and so its
default SQLite store) is the test's E2E_FLAG_DIR, where the test seeds conversations."""

from __future__ import annotations

import os

import backend as gr


def echo(message: str, history: list[dict[str, str]]) -> str:
    return f"You said: {message}"


demo = gr.ChatInterface(
    fn=echo,
    type="messages",
    title="Console bot",
    flagging_mode="manual",
    flagging_options=["Spam", "Wrong"],
    flagging_dir=os.environ.get("E2E_FLAG_DIR", ".gradio/flagged"),
)
