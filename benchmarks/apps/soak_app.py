"""The app `make soak` serves (benchmarks/soak.py): uploads, feedback, saved history, and an
async generator that streams a known answer slowly enough for a Stop or a page change to land
in the middle of it.

The answer is ``answer_text(message, sizes)``: the message, each uploaded file's size (read
from the path the chat function gets, so a file that did not arrive fails the check), then
``TOKENS`` words ``DELAY`` seconds apart. The soak computes the same text and compares.

With ``SOAK_TASKS_FILE`` set, a daemon thread of this process writes the number of asyncio tasks
of the server's event loop to that file every ``TASKS_EVERY`` seconds (``{"tasks": n, "at":
unix time}``, replaced atomically), and how many full collections the garbage collector made
(a ``gc.callbacks`` entry: ``"full_collections": [count, objects freed]``); with
``SOAK_CENSUS`` too, also the objects the garbage
collector tracks after a full collection, by type (``"objects"``, ``"types"``): that forced
collection changes how the server's memory behaves, so it is a diagnosis, not the default.
It counts them inside the loop (``asyncio.all_tasks()`` in a coroutine
handed over with ``run_coroutine_threadsafe``, itself left out), so the figure is the loop's
own; the loop is the one the chat function first runs on. Nothing in ``backend`` is changed
for it: the count is this app's code looking at its own process.

With ``SOAK_TRACE_DIR`` set too (and ``PYTHONTRACEMALLOC`` for the server), the same thread
dumps a tracemalloc snapshot there every ``SOAK_TRACE_EVERY`` seconds (``<unix time>.tm``), which
``soak.py --trace`` compares to say where memory grew.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import threading
import time
import tracemalloc
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import backend as gr

TOKENS = 24
DELAY = 0.025
WORDS = "steady answers stream through the soak while files feedback and stops come and go".split()
TASKS_EVERY = 2.0


def answer_text(message: str, sizes: list[int]) -> str:
    """The whole answer to ``message`` with files of ``sizes`` bytes (the soak's check)."""
    files = "".join(f"[file of {size} bytes] " for size in sizes)
    words = "".join(WORDS[i % len(WORDS)] + " " for i in range(TOKENS))
    return f"{message}: {files}{words}".rstrip()


_loop: list[asyncio.AbstractEventLoop] = []


async def chat(message: dict[str, Any], history: list[dict[str, Any]]) -> AsyncIterator[str]:
    if not _loop:
        _loop.append(asyncio.get_running_loop())
    sizes = [Path(path).stat().st_size for path in message["files"]]
    full = answer_text(message["text"], sizes)
    head, *words = full.split(" ")
    text = head
    yield text
    for word in words:
        await asyncio.sleep(DELAY)
        text += " " + word
        yield text


#: Full (oldest generation) collections so far, and the objects they freed.
_full_collections = [0, 0]


def _on_collection(phase: str, info: dict[str, int]) -> None:
    if phase == "stop" and info["generation"] == 2:
        _full_collections[0] += 1
        _full_collections[1] += info["collected"]


async def _count_tasks() -> dict[str, Any]:
    counts: dict[str, Any] = {
        "tasks": len(asyncio.all_tasks()) - 1,  # not this coroutine's own
        "full_collections": list(_full_collections),
    }
    if os.environ.get("SOAK_CENSUS"):
        gc.collect()  # live objects only, not the garbage the next collection takes
        types = Counter(type(item).__qualname__ for item in gc.get_objects())
        counts.update(objects=sum(types.values()), types=dict(types.most_common(400)))
    return counts


def _write_task_counts(path: Path) -> None:
    trace = os.environ.get("SOAK_TRACE_DIR", "")
    trace_every = float(os.environ.get("SOAK_TRACE_EVERY", "15"))
    traced = time.monotonic()
    while True:
        time.sleep(TASKS_EVERY)
        if trace and tracemalloc.is_tracing() and time.monotonic() - traced >= trace_every:
            traced = time.monotonic()
            tracemalloc.take_snapshot().dump(str(Path(trace) / f"{time.time():.0f}.tm"))
        if not _loop:
            continue
        try:
            counts = asyncio.run_coroutine_threadsafe(_count_tasks(), _loop[0]).result(30)
        except Exception:  # noqa: BLE001 - the loop closed (shutdown) or stalled: stop counting
            return
        partial = path.with_suffix(".partial")
        partial.write_text(json.dumps({**counts, "at": time.time()}))
        os.replace(partial, path)


if os.environ.get("SOAK_TASKS_FILE"):
    gc.callbacks.append(_on_collection)
    threading.Thread(
        target=_write_task_counts,
        args=(Path(os.environ["SOAK_TASKS_FILE"]),),
        name="soak-task-count",
        daemon=True,
    ).start()


demo = gr.ChatInterface(
    chat,
    multimodal=True,
    textbox=gr.MultimodalTextbox(),
    flagging_mode="manual",
    flagging_options=["Like", "Dislike"],
    flagging_dir=os.environ.get("SOAK_FLAG_DIR", ".gradio/flagged"),
    save_history=True,
    title="Soak",
)
