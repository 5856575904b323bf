"""history_bot.py with a welcome (Chatbot's value): every conversation starts with it, and the
chat function counts it among the earlier messages, as in Gradio."""

from __future__ import annotations

import backend as gr


def answer(message: str, history: list[dict[str, object]]) -> str:
    return f"Answer to {message} ({len(history)} earlier)"


demo = gr.ChatInterface(
    answer,
    title="History bot",
    save_history=True,
    chatbot=gr.Chatbot(value=[{"role": "assistant", "content": "Hello, *saved* visitor."}]),
)
