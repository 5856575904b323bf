"""Chatbot(value=..., reasoning_tags=...) and its default latex_delimiters: a welcome with math,
math in answers (and in code, where it stays text), and a model that thinks aloud in <think>
tags, held at a gate (gating.py) while its thought is still open ("... gate <name>")."""

from gating import gated

import backend as gr


def said(message: dict) -> str:
    content = message["content"]
    if isinstance(content, str):
        return content
    return " ".join(part.get("text", "") for part in content if isinstance(part, dict))


def respond(message, history):
    if message.startswith("math"):
        yield "The integral $$\\int x\\,dx = \\frac{x^2}{2}$$ and in code: `$$x$$`"
        return
    if message.startswith("history"):
        yield "history: " + " | ".join(f"{m['role']}={said(m)}" for m in history)
        return
    text = ""
    for token in ["<think>", "Counting ", "the apples", "</think>", "There are ", "4 apples."]:
        text += token
        yield text


demo = gr.ChatInterface(
    gated(respond, after=3),
    chatbot=gr.Chatbot(
        value=[{"role": "assistant", "content": "**Welcome!** Ask me about $$e^{i\\pi}$$."}],
        reasoning_tags=[("<think>", "</think>")],
    ),
)
