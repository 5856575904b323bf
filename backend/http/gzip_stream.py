"""Streaming gzip: every chunk is flushed, so a reader can decode each event as it arrives."""

from __future__ import annotations

import zlib


class GzipStream:
    """A gzip member written piece by piece, each piece decodable on its own arrival."""

    def __init__(self, level: int = 6) -> None:
        self._compressor = zlib.compressobj(level, zlib.DEFLATED, 16 + zlib.MAX_WBITS)

    def chunk(self, data: bytes) -> bytes:
        return self._compressor.compress(data) + self._compressor.flush(zlib.Z_SYNC_FLUSH)

    def end(self) -> bytes:
        return self._compressor.flush(zlib.Z_FINISH)


def accepts(accept_encoding: str, coding: str) -> bool:
    """Whether an ``Accept-Encoding`` header allows ``coding`` (``gzip``, ``br``): named, else
    allowed by ``*``; ``q=0`` refuses it."""
    wildcard: bool | None = None
    for part in accept_encoding.split(","):
        name, _, params = part.strip().partition(";")
        name = name.strip().lower()
        if name not in (coding, "*"):
            continue
        allowed = _quality(params) > 0
        if name == coding:
            return allowed
        wildcard = allowed
    return bool(wildcard)


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an ``Accept-Encoding`` header allows gzip (honouring ``q=0``)."""
    return accepts(accept_encoding, "gzip")


def _quality(params: str) -> float:
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.strip().lower() == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0
