"""A streaming echo that says how many earlier messages it got, for API clients."""

import time

import backend as gr


def answer(message, history):
    text = f"You said: {message} ({len(history)} earlier)"
    for end in range(1, len(text), 8):
        yield text[:end]
        time.sleep(0.05)  # plays a slow model
    yield text


demo = gr.ChatInterface(answer, title="History echo")
