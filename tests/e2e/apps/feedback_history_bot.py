"""Every part of the widget with words of its own at once: flagging with options (the thumbs and
the flag menu), saved history (the history panel), the copy button; no title, so the panel's
title is the widget's own."""

from __future__ import annotations

import os

import backend as gr


def answer(message: str, history: list[dict[str, str]]) -> str:
    return f"Answer {len(history) // 2 + 1} to *{message}*"


demo = gr.ChatInterface(
    fn=answer,
    type="messages",
    flagging_mode="manual",
    flagging_options=["Like", "Dislike", "Spam"],
    flagging_dir=os.environ.get("E2E_FLAG_DIR", ".gradio/flagged"),
    chatbot=gr.Chatbot(buttons=["copy"]),
    save_history=True,
)
