"""The built-in demo bot: offline, no model, streams markdown that shows what the widget does."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from .chat.interface import ChatInterface
from .errors import Error

WELCOME = """\
Hi! I'm the **chatbubble demo bot**. I run offline, without a model: I stream canned
answers so you can see what the bubble does.

Ask me for:

- `table`: a GFM table
- `code`: a fenced code block
- `list`: nested and task lists
- `long`: a long answer, to try **Stop**
- `error`: what an error looks like

Anything else, I'll echo back.
"""

ANSWERS = {
    "table": """\
Here is how chatbubble compares, measured on the same machine:

| | chatbubble | Gradio page |
|---|---:|---:|
| requests per message | 1 | 10 |
| bytes on the wire per answer | ≈ the text | 44× the text |
| first download (gzip) | 15 KB (+28 KB on open) | ≈ 248 KB |
""",
    "code": """\
A chat function is all you write:

```python
import backend as gr

def slow_echo(message, history):
    for i in range(len(message)):
        yield "You typed: " + message[: i + 1]

gr.ChatInterface(fn=slow_echo, type="messages").launch()
```

Then paste `<script src=".../widget.js" async></script>` into your site.
""",
    "list": """\
Things a bubble should do:

1. Stream answers as **markdown**
   - lists, tables, `code`
   - [links](https://example.com) that open in a new tab
2. Stay out of your page's way
   - styles isolated in a Shadow DOM
   - no cookies, no third-party requests

- [x] streaming
- [x] Stop
- [ ] your bot
""",
}


def _long_answer() -> str:
    paragraphs = [
        f"**Part {n}.** This answer streams slowly on purpose, so you can press *Stop* "
        "and watch the generator close on the server. " * 2
        for n in range(1, 13)
    ]
    return "\n\n".join(paragraphs)


async def respond(message: str, history: list[dict[str, Any]]) -> AsyncIterator[str]:
    """Streams a markdown answer word by word."""
    key = message.strip().lower().strip(".!?")
    if key == "error":
        raise Error("This is how an error from the chat function looks. Try another message!")
    if key == "long":
        text, pause = _long_answer(), 0.06
    elif key in ANSWERS:
        text, pause = ANSWERS[key], 0.02
    elif key in ("hi", "hello", "hey", "help", "") or not history:
        text, pause = WELCOME, 0.02
    else:
        text, pause = (
            f"You said:\n\n> {message}\n\nTry `table`, `code`, `list` or `long`.",
            0.03,
        )
    shown = ""
    for piece in re.findall(r"\S+\s*|\s+", text):
        shown += piece
        await asyncio.sleep(pause)
        yield shown


demo = ChatInterface(
    fn=respond, type="messages", title="chatbubble demo", save_history=True, editable=True
)


def site_dir() -> Path | None:
    """``demo_site/`` of a source checkout, else the copy shipped in the wheel."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "demo_site", here / "_demo_site"):
        if (candidate / "index.html").is_file():
            return candidate
    return None
