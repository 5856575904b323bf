"""The built widget bundle, loaded once (and again when the file changes): ETag, gzip, and the
brotli copy the build wrote beside it (``widget.js.br``: brotli at its best level, too slow to
run per request)."""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import WidgetNotBuiltError

BUNDLE = Path(__file__).parent.parent / "static" / "widget.js"
CHUNKS = Path(__file__).parent.parent / "static" / "chunks"  # loaded by the widget on first use


@dataclass(frozen=True)
class Asset:
    body: bytes
    gzipped: bytes
    brotli: bytes | None
    etag: str
    mtime_ns: int


class WidgetAsset:
    """Serves ``backend/static/widget.js`` as built by ``make build``."""

    def __init__(self, path: Path = BUNDLE) -> None:
        self._path = path
        self._asset: Asset | None = None

    def get(self) -> Asset:
        try:
            mtime_ns = self._path.stat().st_mtime_ns
        except OSError:
            raise WidgetNotBuiltError() from None
        if self._asset is None or self._asset.mtime_ns != mtime_ns:
            body = self._path.read_bytes()
            digest = hashlib.sha256(body).hexdigest()[:20]
            gzipped = gzip.compress(body, 9, mtime=0)
            self._asset = Asset(body, gzipped, self._brotli(mtime_ns), f'"{digest}"', mtime_ns)
        return self._asset

    def _brotli(self, mtime_ns: int) -> bytes | None:
        """The build's brotli copy, when it is at least as new as the script (an older one
        belongs to an earlier build)."""
        path = self._path.with_name(self._path.name + ".br")
        try:
            if path.stat().st_mtime_ns < mtime_ns:
                return None
            return path.read_bytes()
        except OSError:
            return None

    @property
    def built(self) -> bool:
        return self._path.is_file()
