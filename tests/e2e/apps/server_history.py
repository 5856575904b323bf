"""Signed-in visitors' history on the server (tests/e2e/test_server_history.py): keeps history
(``save_history``), thumbs on every answer, written under the directory the test names, where
the conversation store's SQLite file goes too. Served with ``--identity-secret`` (and
``--feedback-comments``)."""

from __future__ import annotations

import os

import backend as gr


def answer(message: str, history: list[dict[str, str]]) -> str:
    return f"Answer to {message} ({len(history)} earlier)"


demo = gr.ChatInterface(
    answer,
    type="messages",
    title="Members",
    save_history=True,
    flagging_mode="manual",
    flagging_options=["Like", "Dislike"],
    flagging_dir=os.environ.get("E2E_FLAG_DIR", ".gradio/flagged"),
)
