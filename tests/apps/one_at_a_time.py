"""``concurrency_limit=1``: each call appends "start <message>" to $PROBE_FILE when it begins
and "end <message>" when it ends (one write of one line each: a reader takes whole lines), and
in between waits until the file ``$PROBE_FILE.go-<message>`` exists, so the test decides when
each call ends."""

import os
import time

import backend as gr


def record(line):
    with open(os.environ["PROBE_FILE"], "a") as probe:
        probe.write(line + "\n")


def answer(message, history):
    record(f"start {message}")
    release = f"{os.environ['PROBE_FILE']}.go-{message}"
    deadline = time.monotonic() + 120  # a test that failed first: end, so the server can stop
    while not os.path.exists(release) and time.monotonic() < deadline:
        time.sleep(0.02)  # poll: a file appearing gives the app no event to await
    record(f"end {message}")
    return f"Answered {message}"


demo = gr.ChatInterface(answer, concurrency_limit=1)
