"""The conversation store: conversations, their messages with timings and errors, feedback and
file metadata, in SQLite (the default, ``store.sqlite3`` in ``flagging_dir``) or PostgreSQL
(``database_url``), behind one interface (``ConversationStore``) that the routes and the
console use.

It sits in the storage layer: it may import ``chat`` and below, never ``http``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...errors import StoreError as StoreError
from .base import ConversationStore as ConversationStore
from .records import ConversationSummary as ConversationSummary
from .records import DayStats as DayStats
from .records import Feedback as Feedback
from .records import FileRecord as FileRecord
from .records import Filters as Filters
from .records import Message as Message
from .records import Timings as Timings
from .records import Transcript as Transcript
from .records import Turn as Turn

if TYPE_CHECKING:
    from pathlib import Path


def open_store(setting: str, directory: Path) -> ConversationStore:
    """The store the ``database_url`` setting names (empty: ``store.sqlite3`` in
    ``directory``); it connects on first use. SQLAlchemy is imported here, when an app first
    needs a store (about 30 MB of a server's memory that an app without one never pays)."""
    from .sql_store import open_store as open_sql_store

    return open_sql_store(setting, directory)
