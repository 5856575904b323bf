"""Connecting: the database URL (``database_url``, else SQLite in ``flagging_dir``), the
engine with its per-connection settings, and database errors turned into ``StoreError``.

SQLite is opened in WAL mode with a 30 s busy timeout and ``synchronous=FULL`` (a committed
row survives a killed process and a power cut); writes start with ``BEGIN IMMEDIATE``, so
several worker processes queue for the write lock instead of failing a deadlocked upgrade.
PostgreSQL goes through asyncpg.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from ...errors import StoreError

log = logging.getLogger("backend.store")

#: The SQLite file when no ``database_url`` is set, in the app's ``flagging_dir`` (beside the
#: feedback log it completes, and wherever an operator or a test moved that).
DEFAULT_SQLITE = "store.sqlite3"
BUSY_TIMEOUT_MS = 30_000
#: Marks a connection whose transaction writes (SQLite: ``BEGIN IMMEDIATE``).
WRITES = {"chatbubble_writes": True}


def database_url(setting: str, directory: Path) -> URL:
    """The SQLAlchemy URL for the ``database_url`` setting (its driver chosen here); empty:
    SQLite in ``directory``."""
    if not setting:
        return make_url(f"sqlite+aiosqlite:///{directory / DEFAULT_SQLITE}")
    url = make_url(setting)
    if url.drivername in ("postgresql", "postgres", "postgresql+asyncpg"):
        return url.set(drivername="postgresql+asyncpg")
    if url.drivername in ("sqlite", "sqlite+aiosqlite"):
        return url.set(drivername="sqlite+aiosqlite")
    raise StoreError(f"database_url: {url.drivername!r} is not postgresql:// or sqlite:///")


def redacted(url: URL) -> str:
    """The URL as it may be printed: never the password."""
    return url.render_as_string(hide_password=True)


def create_engine(url: URL) -> AsyncEngine:
    # hide_parameters: a failing statement's values (visitors' messages) stay out of logs.
    if url.get_backend_name() == "sqlite":
        path = Path(url.database or "")
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, hide_parameters=True, connect_args={"timeout": 30})
        _sqlite_settings(engine)
        return engine
    return create_async_engine(
        url, hide_parameters=True, pool_size=5, max_overflow=5, pool_pre_ping=True
    )


def _sqlite_settings(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # We begin transactions ourselves (below), as SQLAlchemy's SQLite docs advise.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        # A deleted row's bytes are overwritten, not left in free space (retention, deletes).
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def on_begin(connection: Any) -> None:
        writes = connection.get_execution_options().get("chatbubble_writes", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


@contextlib.asynccontextmanager
async def transaction(engine: AsyncEngine, *, writes: bool) -> AsyncIterator[AsyncConnection]:
    """One transaction, committed when the block ends; any database failure is a
    ``StoreError`` whose message names the engine and the failure, never the password."""
    try:
        async with engine.connect() as connection:
            if writes:
                connection = await connection.execution_options(**WRITES)
            async with connection.begin():
                yield connection
    except StoreError:
        raise
    except (SQLAlchemyError, OSError) as error:
        raise StoreError(describe(error, engine.url)) from error


async def forget_deleted(engine: AsyncEngine) -> None:
    """After a delete, on SQLite: the write-ahead log copied into the database file and
    emptied, so no older copy of the deleted rows stays in either file (``secure_delete`` has
    zeroed them in the new pages). Nothing to do on PostgreSQL (its VACUUM reclaims)."""
    if engine.url.get_backend_name() != "sqlite":
        return
    try:
        async with engine.connect() as connection:
            connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    except (SQLAlchemyError, OSError) as error:
        raise StoreError(describe(error, engine.url)) from error


def describe(error: BaseException, url: URL) -> str:
    reason = getattr(error, "orig", None) or error
    text = f"{type(reason).__name__}: {reason}".splitlines()[0][:300]
    if url.password:
        text = text.replace(str(url.password), "***")
    return f"the conversation store ({url.get_backend_name()}) failed: {text}"
