"""``gr.I18n``: a title, a description, a placeholder and examples in English and French,
given as Gradio's docs do (``demo.launch(i18n=i18n)`` under ``__main__``)."""

from __future__ import annotations

import backend as gr

i18n = gr.I18n(
    en={
        "title": "Support",
        "description": "Ask us about your order",
        "placeholder": "Type your question",
        "order": "Where is my order?",
        "refund": "How do I get a refund?",
    },
    fr={
        "title": "Assistance",
        "description": "Posez-nous vos questions sur votre commande",
        "placeholder": "Tapez votre question",
        "order": "Où est ma commande ?",
        "refund": "Comment être remboursé ?",
    },
)


def answer(message: str, history: list[dict[str, str]]) -> str:
    return f"You asked: {message}"


demo = gr.ChatInterface(
    answer,
    title=i18n("title"),
    description=i18n("description"),
    textbox=gr.Textbox(placeholder=i18n("placeholder")),
    examples=[i18n("order"), i18n("refund")],
    cache_examples=True,
)

if __name__ == "__main__":
    demo.launch(i18n=i18n)
