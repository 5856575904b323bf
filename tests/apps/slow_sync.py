"""The guide's streaming example, recording when its generator's `finally` ran."""

import os
import time

import backend as gr


def slow_echo(message, history):
    try:
        for i in range(len(message)):
            time.sleep(0.3)
            yield "You typed: " + message[: i + 1]
    finally:
        with open(os.environ["PROBE_FILE"], "a") as probe:
            probe.write(f"{time.time()}\n")


demo = gr.ChatInterface(fn=slow_echo, type="messages")

if __name__ == "__main__":
    demo.launch()
