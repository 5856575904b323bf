"""A bot with feedback on, its log in $FLAG_DIR."""

import os

import backend as gr


def echo(message, history):
    return f"=cmd|' /C calc'!A0 {message}"


demo = gr.ChatInterface(
    echo,
    type="messages",
    flagging_mode="manual",
    flagging_options=["Like", "Dislike", "Spam"],
    flagging_dir=os.environ["FLAG_DIR"],
)
