"""Feedback (flags) appended to ``<flagging_dir>/log.csv``, safe with several worker processes.

Each row is encoded in full, then written with one ``write()`` to a file opened with
``O_APPEND``, under an exclusive ``flock`` that also decides who writes the header, and
``fsync``-ed before the flag is acknowledged.

A visitor's flag on an answer is stored once: sending the same flag again (a double click, a
replay, a script sending it a thousand times) writes nothing. Each (answer, visitor) has a small
marker file under ``<flagging_dir>/votes/`` holding its latest flag, read and written under the
same lock; a different flag is a new row (the last row of an answer and visitor wins).
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import io
import json
import os
import stat
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from .errors import FeedbackUnavailableError
from .replies import Content

HEADER = ("conversation", "index", "flag", "timestamp", "visitor", "conversation_id")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
    cell = cell.replace("\x00", "")
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def encode_row(cells: Sequence[str]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([neutralize(c) for c in cells])
    return out.getvalue().encode("utf-8", "replace")


class CsvFeedbackLog:
    """Appends one row per flag; every acknowledged row is on disk."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / "log.csv"
        self.votes = directory / "votes"

    def append(
        self,
        conversation: Sequence[tuple[str, Content]],
        flag: str,
        visitor: str,
        conversation_id: str,
        message_id: str,
    ) -> bool:
        """Blocking: call it from a worker thread. False when ``visitor``'s latest flag on the
        answer ``message_id`` already was ``flag`` (nothing written)."""
        body = json.dumps(
            [
                {
                    "role": role,
                    "content": content if isinstance(content, str) else {"file": content[0]},
                }
                for role, content in conversation
            ],
            ensure_ascii=False,
        )
        stamp = datetime.fromtimestamp(time.time(), UTC).isoformat(timespec="milliseconds")
        row = encode_row(
            [body, str(len(conversation) - 1), flag, stamp.replace("+00:00", "Z"), visitor,
             conversation_id]
        )  # fmt: skip
        key = hashlib.sha256(f"{message_id}\0{visitor}".encode()).hexdigest()
        marker = self.votes / key[:40]
        try:
            self.votes.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        except OSError:
            raise FeedbackUnavailableError() from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise FeedbackUnavailableError()
            if _read_marker(marker) == flag:
                return False
            data = row if os.fstat(fd).st_size else encode_row(HEADER) + row
            _write_all(fd, data)
            os.fsync(fd)
            # After the row: a crash in between stores the next identical flag twice, never
            # loses one.
            _write_marker(marker, flag)
            return True
        except FeedbackUnavailableError:
            raise
        except OSError:
            raise FeedbackUnavailableError() from None
        finally:
            os.close(fd)  # also releases the lock


def _read_marker(path: Path) -> str | None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        return None
    try:
        return os.read(fd, 1024).decode("utf-8", "replace")
    finally:
        os.close(fd)


def _write_marker(path: Path, flag: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    try:
        _write_all(fd, flag.encode("utf-8"))
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]
