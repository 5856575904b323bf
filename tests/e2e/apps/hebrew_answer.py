"""Answers in Hebrew with English code in it: a paragraph, an inline `code` span and a fenced
block (the right-to-left tests: the text reads right to left, the code left to right)."""

from __future__ import annotations

from typing import Any

import backend as gr

ANSWER = (
    "שלום! כדי לספור את האיברים ברשימה, השתמשו ב-`len(items)` כך:\n\n"
    "```python\nitems = [1, 2, 3]\nprint(len(items))\n```\n\n"
    "הקוד מדפיס 3."
)


def answer(message: str, history: list[dict[str, Any]]) -> str:
    return ANSWER


demo = gr.ChatInterface(answer, title="עוזר", description="Hebrew answers")
