"""A writer process for the concurrency tests: ``python -m tests.storage.feedback_writer URL
FLAGS WORKER COUNT ACKS`` stores COUNT flags as the feedback route does (the CSV row, then the
store's row) and appends ``WORKER-i`` to ACKS after each is committed in both."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

from backend.storage.feedback import CsvFeedbackLog, feedback_conversation
from backend.storage.store import Feedback, open_store


def message(worker: str, i: int) -> str:
    # Long enough that a torn write would show: a row is far bigger than one pipe buffer.
    return f"{worker}-{i} " + 'lorem ipsum, "quoted" and\nnewlines ' * 40


async def write(url: str, flags: Path, worker: str, count: int, acks: Path) -> None:
    log = CsvFeedbackLog(flags)
    store = open_store(url, flags)
    await store.start()
    fd = os.open(acks, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        for i in range(count):
            key = f"{worker}-{i}"
            conversation = (("user", message(worker, i)), ("assistant", "answer " + key))
            visitor = f"visitor-{worker}"
            new = await asyncio.to_thread(
                log.append, conversation, "Like", visitor, f"conv-{worker}", key
            )
            assert new, key
            await store.record_feedback(
                Feedback(
                    conversation_id=f"conv-{worker}",
                    message_id=key,
                    flag="Like",
                    conversation=feedback_conversation(conversation),
                    index=1,
                    at=time.time(),
                    visitor=visitor,
                )  # fmt: skip
            )
            os.write(fd, f"{key}\n".encode())
    finally:
        os.close(fd)
        await store.close()


if __name__ == "__main__":
    url, flags, worker, count, acks = sys.argv[1:]
    asyncio.run(write(url, Path(flags), worker, int(count), Path(acks)))
