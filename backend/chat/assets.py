"""Images the operator declared (avatars, example icons), served by server-issued ids only."""

from __future__ import annotations

import secrets
from pathlib import Path

from ..components.chatbot import IMAGE_TYPES

ROUTE = "/api/assets/"


class Assets:
    """Maps random ids to files the operator named in Python; nothing else is reachable."""

    def __init__(self) -> None:
        self._files: dict[str, Path] = {}
        self._ids: dict[Path, str] = {}

    def url(self, source: str | Path | None, base_url: str) -> str | None:
        """A URL the widget can load: an operator's http(s) URL as is, a file by its id."""
        if source is None or isinstance(source, str):
            return source
        return base_url + ROUTE + self.add(source)

    def add(self, path: Path) -> str:
        if path not in self._ids:
            asset_id = secrets.token_urlsafe(16)
            self._ids[path] = asset_id
            self._files[asset_id] = path
        return self._ids[path]

    def get(self, asset_id: str) -> tuple[Path, str] | None:
        """The file and its content type, if ``asset_id`` was issued."""
        path = self._files.get(asset_id)
        if path is None:
            return None
        return path, IMAGE_TYPES[path.suffix.lower()]
