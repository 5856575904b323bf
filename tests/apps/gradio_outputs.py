"""A chat with additional outputs for Gradio's clients (tests/http/gradio/test_outputs.py): a
Code block, a per-conversation ``gr.State`` (a turn counter, never sent), and an Image. Each
yield fills them as it streams: the code grows with the answer, the image comes last."""

import time
from pathlib import Path

import backend as gr

DOT = Path(__file__).resolve().parent / "avatar.png"


def reply(message, history, turns):
    turns = (turns or 0) + 1
    text = ""
    for word in ("one", "two", "three"):
        text += word + " "
        yield text.strip(), f"# {message}: {text.strip()}", turns, None
        time.sleep(0.1)  # plays a slow model; the test holds however the partials coalesce
    yield f"{text.strip()} (turn {turns})", f"# {message}: done", turns, str(DOT)


code = gr.Code(language="python", label="Source", render=False)
counter = gr.State(0)
picture = gr.Image(render=False)
demo = gr.ChatInterface(
    reply,
    additional_inputs=[counter],
    additional_outputs=[code, counter, picture],
    api_name="reply",
)
