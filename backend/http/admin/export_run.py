"""``backend export``: the console's export (``export.py``) written to a file or stdout, for the
store that ``database_url`` names (empty: the SQLite file beside the feedback log in
``flagging_dir``, as the server uses)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from ...storage.store import open_store
from .export import Format, export_lines
from .filters import Query


async def run_export(
    database_url: str, flagging_dir: Path, query: Query, fmt: Format, out: Path | None
) -> int:
    """Writes the export; returns how many conversations it holds."""
    store = open_store(database_url, flagging_dir.resolve())
    target: TextIO = out.open("w", encoding="utf-8", newline="") if out is not None else sys.stdout
    conversations = 0
    try:
        async for chunk in export_lines(store, query.filters(), fmt):
            target.write(chunk)
            conversations += 1
    finally:
        if out is not None:
            target.close()
        await store.close()
    return conversations - (1 if fmt == "csv" else 0)
