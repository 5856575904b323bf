"""An example that carries a file (multimodal), as Gradio's examples={"text", "files"}."""

from pathlib import Path

import backend as gr

PICTURE = str(Path(__file__).parent / "media" / "checker.png")


def describe(message, history):
    names = [Path(path).name for path in message["files"]]
    return f"{message['text']} ({len(names)} file(s): {', '.join(names)})"


demo = gr.ChatInterface(
    describe,
    multimodal=True,
    examples=[{"text": "What is this?", "files": [PICTURE]}, {"text": "No files", "files": []}],
)
