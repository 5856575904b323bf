"""The schema brought up to date on start, by whichever process gets there first.

Our own numbered steps and a one-row version table, not Alembic: the app ships one schema for
two engines, and what a migration tool adds (revision files, an ini, an env.py in the wheel) is
not needed for a few ``CREATE``s. Every start runs ``migrate`` inside one transaction holding a
lock (SQLite: the write lock of ``BEGIN IMMEDIATE``; PostgreSQL: an advisory lock), so workers
and machines that start together apply each step once. A database from a newer version is
refused rather than written wrongly.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from ...errors import StoreError
from .engine import transaction
from .schema import metadata, schema_version

#: Any 64-bit number of our own: the advisory lock taken while migrating on PostgreSQL.
PG_LOCK = 0x63686174627562


def _v1(connection: Connection) -> None:
    metadata.create_all(connection)


#: Step ``n`` brings the schema from version ``n`` to ``n + 1``.
STEPS: tuple[Callable[[Connection], None], ...] = (_v1,)
VERSION = len(STEPS)


async def migrate(engine: AsyncEngine) -> int:
    """Applies the missing steps; returns the schema version."""
    async with transaction(engine, writes=True) as connection:
        if engine.dialect.name == "postgresql":
            await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK})
        await connection.run_sync(schema_version.create, checkfirst=True)
        found = (await connection.execute(select(schema_version.c.version))).scalar()
        current = int(found or 0)
        if current > VERSION:
            raise StoreError(
                f"the conversation store's schema is version {current}, newer than this "
                f"chatbubble's {VERSION}: upgrade chatbubble"
            )
        for step in STEPS[current:]:
            await connection.run_sync(step)
        if current != VERSION:
            await connection.execute(schema_version.delete())
            await connection.execute(schema_version.insert().values(version=VERSION))
        return VERSION
