"""A multimodal echo: says how many files came and what they hold."""

from pathlib import Path

import backend as gr


def describe(message, history):
    sizes = [Path(path).stat().st_size for path in message["files"]]
    return f"{message['text']}: {len(sizes)} file(s), {sum(sizes)} bytes"


demo = gr.ChatInterface(describe, multimodal=True, textbox=gr.MultimodalTextbox())
