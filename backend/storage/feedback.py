"""Feedback (flags) appended to ``<flagging_dir>/log.csv``, safe with several worker processes.

Each row is encoded in full, then written with one ``write()`` to a file opened with
``O_APPEND``, under an exclusive ``flock`` that also decides who writes the header, and
``fsync``-ed before the flag is acknowledged.

A visitor's flag on an answer is stored once: the same visitor id sending the same flag again
(a double click, a replay) writes nothing; a different flag is a new row (the last row of an
answer and visitor wins). The latest flag of each (answer, visitor) is a row of
``<flagging_dir>/votes.sqlite3``, read and written under the same lock, after the CSV row: a
crash in between may store the next identical flag twice, never lose one. Visitor ids are the
client's own: a script that changes them writes rows, up to ``feedback_rate_limit``. The
``user`` column is the verified one: the ``launch(auth=...)`` login or the ``sub`` of the host
site's token (``identity_secret``), empty for an anonymous visitor.
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import io
import json
import logging
import os
import sqlite3
import stat
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..chat.answers import Content
from ..errors import FeedbackUnavailableError

log = logging.getLogger("backend.feedback")

HEADER = ("conversation", "index", "flag", "timestamp", "visitor", "conversation_id", "user")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
    cell = cell.replace("\x00", "")
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def encode_row(cells: Sequence[str]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([neutralize(c) for c in cells])
    return out.getvalue().encode("utf-8", "replace")


def feedback_conversation(conversation: Sequence[tuple[str, Content]]) -> list[dict[str, Any]]:
    """The messages up to the flagged one as the CSV's first column has them (and the store)."""
    return [
        {"role": role, "content": content if isinstance(content, str) else {"file": content[0]}}
        for role, content in conversation
    ]


class CsvFeedbackLog:
    """Appends one row per flag; every acknowledged row is on disk."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / "log.csv"
        self.votes = directory / "votes.sqlite3"

    def append(
        self,
        conversation: Sequence[tuple[str, Content]],
        flag: str,
        visitor: str,
        conversation_id: str,
        message_id: str,
        target: str = "assistant",
        user: str = "",
    ) -> bool:
        """Blocking: call it from a worker thread. False when ``visitor``'s latest flag on the
        answer ``message_id`` (or with ``target="user"``, on the visitor's message of that
        turn: its index is the row's) already was ``flag`` (nothing written)."""
        body = json.dumps(feedback_conversation(conversation), ensure_ascii=False)
        stamp = datetime.fromtimestamp(time.time(), UTC).isoformat(timespec="milliseconds")
        index = max(i for i, (role, _) in enumerate(conversation) if role == target)
        row = encode_row(
            [body, str(index), flag, stamp.replace("+00:00", "Z"), visitor, conversation_id, user]
        )
        mark = "" if target == "assistant" else "\0" + target
        key = hashlib.sha256(f"{message_id}\0{visitor}{mark}".encode()).hexdigest()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        except OSError:
            raise FeedbackUnavailableError() from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise FeedbackUnavailableError()
            with _Votes(self.votes) as votes:
                if votes.latest(key) == flag:
                    return False
                data = row if os.fstat(fd).st_size else encode_row(HEADER) + row
                _write_all(fd, data)
                os.fsync(fd)
                votes.remember(key, flag)
            return True
        except FeedbackUnavailableError:
            raise
        except OSError:
            raise FeedbackUnavailableError() from None
        finally:
            os.close(fd)  # also releases the lock


class _Votes:
    """The latest flag per (answer, visitor): one SQLite file, used under the log's lock."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db: sqlite3.Connection | None = None

    def __enter__(self) -> _Votes:
        try:
            # Created 0600, never through a symlink; then SQLite opens the regular file.
            os.close(os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600))
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS votes (key TEXT PRIMARY KEY, flag TEXT NOT NULL)"
            )
        except (OSError, sqlite3.Error):
            log.warning("the votes file %s cannot be used: repeated flags are stored", self.path)
            self.db = None
        return self

    def latest(self, key: str) -> str | None:
        if self.db is None:
            return None
        try:
            found = self.db.execute("SELECT flag FROM votes WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        return str(found[0]) if found else None

    def remember(self, key: str, flag: str) -> None:
        """After the row is on disk; a failure only means a repeat may be stored again."""
        if self.db is None:
            return
        try:
            self.db.execute(
                "INSERT INTO votes (key, flag) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET flag = excluded.flag",
                (key, flag),
            )
        except sqlite3.Error:
            log.warning("could not remember a flag in %s", self.path)

    def __exit__(self, *exc: object) -> None:
        if self.db is not None:
            self.db.close()


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]
