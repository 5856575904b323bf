"""A plain ChatInterface with everything Gradio shows on its page: a title, a markdown
description, examples, a theme (emerald primary) and ``css`` of its own (an accent bar on the
answers). Its full page at ``/`` must show and apply all of it."""

from __future__ import annotations

import backend as gr


def echo(message: str, history: list[dict[str, str]]) -> str:
    return f"Dressed heard: {message}"


demo = gr.ChatInterface(
    fn=echo,
    title="Dressed bot",
    description="Answers about **orders** and returns.",
    examples=["Where is my order?", "How do I return it?"],
    theme=gr.themes.Soft(primary_hue=gr.themes.colors.emerald),
    css=".msg.bot { border-inline-start: 3px solid #047857; }",
)
