"""Every store test runs twice: on SQLite (a file in the test's temp dir) and on the session's
real PostgreSQL (a fresh database per test)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from backend.storage.store.sql_store import SqlStore, open_store


@pytest.fixture(name="database_url", params=["sqlite", "postgresql"])
def _database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    return str(request.getfixturevalue("postgres").new_database())


@pytest.fixture(name="store")
async def _store(database_url: str, tmp_path: Path) -> AsyncIterator[SqlStore]:
    store = open_store(database_url, tmp_path)
    await store.start()
    try:
        yield store
    finally:
        await store.close()
