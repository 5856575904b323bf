"""An async generator that records when its `finally` ran."""

import asyncio
import os
import time

import backend as gr


async def slow_echo(message, history):
    try:
        for i in range(len(message)):
            await asyncio.sleep(0.3)
            yield "You typed: " + message[: i + 1]
    finally:
        with open(os.environ["PROBE_FILE"], "a") as probe:
            probe.write(f"{time.time()}\n")


gr.ChatInterface(fn=slow_echo, type="messages").launch()
