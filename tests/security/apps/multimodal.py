"""A multimodal echo: tells what it got and sends the files back as file parts."""

import os
from pathlib import Path

import backend as gr

SECRET_KEY = os.environ["SECURITY_CANARY"]


def describe(message, history):
    paths = message["files"]
    sizes = [Path(path).stat().st_size for path in paths]
    text = f"{message['text']}: {len(paths)} file(s), {sum(sizes)} bytes, {len(history)} earlier"
    return [text, *[gr.File(path) for path in paths]]


demo = gr.ChatInterface(
    describe,
    multimodal=True,
    textbox=gr.MultimodalTextbox(file_count="multiple"),
    title="Security files",
    # The console (--admin-password) keeps its key and store here: the run's dir, not the tree.
    flagging_dir=os.environ["SECURITY_FLAG_DIR"],
)
