"""Flagging on: Like, Dislike and Spam, written under the directory the test names."""

from __future__ import annotations

import os

import backend as gr


def answer(message: str, history: list[dict[str, str]]) -> str:
    return f"Answer {len(history) // 2 + 1} to *{message}*"


demo = gr.ChatInterface(
    fn=answer,
    type="messages",
    title="Feedback bot",
    flagging_mode="manual",
    flagging_options=["Like", "Dislike", "Spam"],
    flagging_dir=os.environ.get("E2E_FLAG_DIR", ".gradio/flagged"),
    chatbot=gr.Chatbot(buttons=["copy"]),
)
