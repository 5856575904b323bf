"""A bot that always refuses, with a message for the visitor."""

import backend as gr


def refuse(message, history):
    raise gr.Error(f"No answer for {message!r}.")


demo = gr.ChatInterface(refuse)
