"""A multimodal chat for Gradio's clients: an async function that says what it got (the text,
each file's name and content) and how many history messages it was given."""

from pathlib import Path

import backend as gr


async def look(message, history):
    files = [f"{Path(path).suffix}={Path(path).read_text()}" for path in message["files"]]
    return f"{message['text']} | {', '.join(files)} | {len(history)}"


demo = gr.ChatInterface(look, multimodal=True)
