"""The guide's gr.Audio example, playing a local file instead of a download (tests stay on
127.0.0.1)."""

from pathlib import Path

import backend as gr

SAMPLE = str(Path(__file__).parent / "media" / "tone.wav")


def music(message, history):
    if message.strip():
        return gr.Audio(SAMPLE)
    else:
        return "Please provide the name of an artist"


gr.ChatInterface(
    music,
    type="messages",
    textbox=gr.Textbox(placeholder="Which artist's music do you want to listen to?", scale=7),
).launch()
