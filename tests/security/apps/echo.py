"""A streaming echo for the security suite: hostile text goes out as it came in.

- ``!history``: answers with the JSON of exactly what the function received;
- ``!split:<k>:<payload>``: streams ``<payload>`` in growing snapshots, ``k`` characters more
  each time (so the payload reaches the widget cut at every k-th offset);
- anything else: streams the message back, 7 characters at a time.

Every call appends a line to $SECURITY_CALLS_FILE, so tests can tell whether fn was reached.
"""

import json
import os
import time

import backend as gr

# An app-level secret: it must never reach a client.
SECRET_KEY = os.environ["SECURITY_CANARY"]
CALLS = os.environ["SECURITY_CALLS_FILE"]


def echo(message, history):
    with open(CALLS, "a") as calls:
        calls.write("call\n")
    if message == "!history":
        yield json.dumps({"message": message, "history": history}, ensure_ascii=True)
        return
    step, text = 7, message
    if message.startswith("!split:"):
        _, size, text = message.split(":", 2)
        step = max(1, int(size))
    step = max(step, len(text) // 80)
    for end in range(step, len(text) + step, step):
        yield text[:end]
        time.sleep(0.001)  # a model's pace between tokens (no test depends on it)


demo = gr.ChatInterface(
    echo,
    type="messages",
    title="Security echo",
    save_history=True,
    flagging_mode="manual",
    flagging_options=["Like", "Dislike", "Spam"],
    flagging_dir=os.environ["SECURITY_FLAG_DIR"],
)
