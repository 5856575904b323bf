"""The cluster test's app (tests/test_cluster.py): "ticks <n>" answers n ticks, one every 0.3 s
(a slow model); "forever" ticks without end; any other message is echoed at once. Flags on
(Like, Spam), the log in $FLAG_DIR (each process its own, the store shared)."""

import itertools
import os
import time

import backend as gr


def ticks(message, history):
    if message != "forever" and not message.startswith("ticks "):
        yield f"echo: {message}"
        return
    text = ""
    for i in itertools.count() if message == "forever" else range(int(message.split()[1])):
        text += f"tick {i} "
        yield text
        time.sleep(0.3)  # plays a slow model (the test app's chat function), not a wait


demo = gr.ChatInterface(
    ticks,
    type="messages",
    flagging_mode="manual",
    flagging_options=["Like", "Spam"],
    flagging_dir=os.environ["FLAG_DIR"],
)
