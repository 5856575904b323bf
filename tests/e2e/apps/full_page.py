"""An app whose full page at ``/`` has a title, a ``head`` of its own and a ``js`` function that
marks the page (``document.body.dataset.js``) and the time it ran after the chat's element."""

from __future__ import annotations

import time
from collections.abc import Iterator

import backend as gr


def stream(message: str, history: list[dict[str, str]]) -> Iterator[str]:
    answer = f"Full page heard: {message}"
    for end in range(0, len(answer), 4):
        time.sleep(0.01)  # plays a slow model (the chat function of a test app)
        yield answer[: end + 4]


demo = gr.ChatInterface(
    fn=stream,
    title="Full page bot",
    head='<meta name="e2e-head" content="kept"><style>html{scrollbar-gutter:stable}</style>',
    js="() => { document.body.dataset.js = document.getElementById('chat') ? 'ran' : 'early'; }",
)
