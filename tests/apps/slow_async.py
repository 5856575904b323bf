"""An async generator recording how it ended.

When its ``finally`` runs it appends one JSON line to $PROBE_FILE, in one write (a reader takes
only newline-terminated lines): how many tokens it yielded out of how many, how it ended
("finished", or the exception that closed it: "GeneratorExit" or "CancelledError") and the time.
"""

import asyncio
import json
import os
import time

import backend as gr


def record(**fields):
    path = os.environ["PROBE_FILE"]
    with open(path, "a") as probe:  # one write of one line: a reader takes only whole lines
        probe.write(json.dumps({**fields, "at": time.time()}) + "\n")


async def slow_echo(message, history):
    yielded, ended = 0, "finished"
    try:
        for i in range(len(message)):
            await asyncio.sleep(0.3)  # plays a slow model
            yielded = i + 1
            yield "You typed: " + message[: i + 1]
    except BaseException as error:
        ended = type(error).__name__
        raise
    finally:
        record(yielded=yielded, total=len(message), ended=ended)


gr.ChatInterface(fn=slow_echo, type="messages").launch()
