"""The transcripts list's filters, read from the query string (``?q=&since=&until=&rating=
&flag=&user=&page_url=&page=``) and written back into links (the next page, the export).

Dates are UTC days (``YYYY-MM-DD``), ``until`` included. A value that cannot be read is a 400
with a message naming it, never a 500.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import get_args
from urllib.parse import urlencode

from ...errors import InvalidRequestError
from ...storage.store import Filters
from ...storage.store.records import Rating

DAY = 86_400.0
#: Conversations per page of the list.
PAGE_SIZE = 25
MAX_FIELD = 500
RATINGS: tuple[str, ...] = get_args(Rating)
_RATING_OF: dict[str, Rating] = {"up": "up", "down": "down", "flag": "flag", "none": "none"}


@dataclass(frozen=True)
class Query:
    """What the operator typed, as text (to fill the form again), and its ``Filters``."""

    q: str = ""
    since: str = ""
    until: str = ""
    rating: str = ""
    flag: str = ""
    user: str = ""
    page_url: str = ""
    page: int = 1

    @classmethod
    def read(cls, args: Mapping[str, str]) -> Query:
        values = {f.name: args.get(f.name, "").strip() for f in fields(cls) if f.name != "page"}
        for name, value in values.items():
            if len(value) > MAX_FIELD:
                raise InvalidRequestError(f"The filter {name} is too long.")
            if "\x00" in value:  # SQLite's LIKE ends a pattern there: it would match all
                raise InvalidRequestError(f"The filter {name} holds a NUL character.")
        if values["rating"] and values["rating"] not in RATINGS:
            raise InvalidRequestError(f"rating must be one of {', '.join(RATINGS)}.")
        page = args.get("page", "1").strip() or "1"
        if not page.isdigit() or not 1 <= int(page) <= 100_000:
            raise InvalidRequestError("page must be a number from 1.")
        query = cls(**values, page=int(page))
        query.filters()  # the dates are checked here
        return query

    def filters(self) -> Filters:
        rating = _RATING_OF.get(self.rating)
        return Filters(
            since=_day(self.since, "since") if self.since else None,
            until=_day(self.until, "until") + DAY if self.until else None,
            rating=rating,
            flag=self.flag or None,
            user=self.user or None,
            page_url=self.page_url or None,
            text=self.q or None,
        )

    @property
    def offset(self) -> int:
        return (self.page - 1) * PAGE_SIZE

    def link(self, **changes: str | int) -> str:
        """This query as a query string (``?...``), with ``changes`` (page 1 is left out)."""
        values: dict[str, str | int] = {
            f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)
        }
        values.update(changes)
        if values.get("page") == 1:
            values.pop("page")
        kept = {name: value for name, value in values.items() if value != ""}
        return "?" + urlencode(kept) if kept else ""


def _day(text: str, name: str) -> float:
    try:
        return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC).timestamp()
    except ValueError:
        raise InvalidRequestError(f"{name} must be a date like 2026-01-31.") from None
