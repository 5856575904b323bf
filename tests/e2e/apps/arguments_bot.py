"""ChatInterface's own arguments in the browser: a text Send button ("Ask"), no Stop button, no
autoscroll, no focus on open, the seconds shown while waiting, one answer at a time
(``concurrency_limit=1``) and a validator.

Answers "line 0" ... "line 24", a paragraph each (a long answer); "go gate <name>" waits at
that gate after five lines until the test opens it (tests/e2e/apps/gating.py). Logs "started
<message>" to the probe file for every call. The validator refuses messages starting "bad".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import backend as gr

if __package__:
    from .gating import log, wait_for_gate
else:  # served: `backend serve` puts the app's folder on the path
    from gating import log, wait_for_gate

LINES = 25


def lines(message: str, history: list[dict[str, str]]) -> Iterator[str]:
    log(f"started {message[:40]}")
    match = re.match(r"go gate ([\w-]+)", message)
    text = ""
    for i in range(LINES):
        if match and i == 5:
            wait_for_gate(match[1])
        text += f"line {i}\n\n"
        yield text


def check(message: str) -> dict[str, object]:
    return gr.validate(not message.startswith("bad"), "Please don't start with 'bad'.")


demo = gr.ChatInterface(
    lines,
    title="Arguments",
    submit_btn="Ask",
    stop_btn=False,
    autoscroll=False,
    autofocus=False,
    show_progress="full",
    concurrency_limit=1,
    validator=check,
)
