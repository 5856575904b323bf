"""Gradio 6's Chatbot options in a Blocks app, with a ``.like`` listener that writes every
LikeData it gets to $E2E_PROBE_FILE (the whole list, atomically)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import backend as gr

PROBE = Path(os.environ["E2E_PROBE_FILE"])
likes: list[dict[str, Any]] = []


def answer(message: str, history: list[dict[str, Any]]) -> str:
    return f"First line\nsecond line <thinking>deep</thinking> about {message}"


def voted(history: list[dict[str, Any]], data: gr.LikeData) -> None:
    likes.append({"index": data.index, "value": data.value, "liked": data.liked,
                  "messages": len(history)})  # fmt: skip
    handle, temp = tempfile.mkstemp(dir=PROBE.parent, prefix=f".{PROBE.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        json.dump(likes, file)
    os.replace(temp, PROBE)


with gr.Blocks() as demo:
    chatbot = gr.Chatbot(
        buttons=["copy", "copy_all"],
        watermark="(written by a bot)",
        feedback_options=["Like", "Dislike", "Wrong answer"],
        like_user_message=True,
        layout="panel",
        editable="user",
        resizable=True,
    )
    gr.ChatInterface(
        answer,
        chatbot=chatbot,
        title="Options",
        flagging_dir=os.environ.get("E2E_FLAG_DIR", ".gradio/flagged"),
    )
    chatbot.like(voted, chatbot, None)
