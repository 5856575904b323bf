"""Feedback (flags) appended to ``<flagging_dir>/log.csv``, safe with several worker processes.

Each row is encoded in full, then written with one ``write()`` to a file opened with
``O_APPEND``, under an exclusive ``flock`` that also decides who writes the header, and
``fsync``-ed before the flag is acknowledged.
"""

from __future__ import annotations

import csv
import fcntl
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

    def append(
        self,
        conversation: Sequence[tuple[str, Content]],
        flag: str,
        visitor: str,
        conversation_id: str,
    ) -> None:
        """Blocking: call it from a worker thread."""
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
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        except OSError:
            raise FeedbackUnavailableError() from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise FeedbackUnavailableError()
            data = row if os.fstat(fd).st_size else encode_row(HEADER) + row
            _write_all(fd, data)
            os.fsync(fd)
        except FeedbackUnavailableError:
            raise
        except OSError:
            raise FeedbackUnavailableError() from None
        finally:
            os.close(fd)  # also releases the lock


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]
