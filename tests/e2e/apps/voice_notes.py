"""A multimodal app that takes any file, recordings included (sources: upload and microphone),
and says what it received. Flagging is on, written under the directory the test names."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import backend as gr


def describe(message: dict[str, Any], history: list[dict[str, Any]]) -> str:
    files = [Path(path).suffix or "?" for path in message["files"]]
    return f"Got {len(files)} file(s) {' '.join(files)} and text {message['text']!r}"


demo = gr.ChatInterface(
    fn=describe,
    type="messages",
    multimodal=True,
    textbox=gr.MultimodalTextbox(file_count="multiple", sources=["upload", "microphone"]),
    flagging_mode="manual",
    flagging_dir=os.environ.get("E2E_FLAG_DIR", ".gradio/flagged"),
)
