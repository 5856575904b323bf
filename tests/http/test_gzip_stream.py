from __future__ import annotations

import zlib

import pytest

from backend.http.gzip_stream import GzipStream, accepts, accepts_gzip


def test_every_chunk_decodes_on_arrival() -> None:
    stream = GzipStream()
    reader = zlib.decompressobj(16 + zlib.MAX_WBITS)
    for piece in (b"id: 1\ndata: {}\n\n", b'id: 2\ndata: {"append":"x"}\n\n'):
        assert reader.decompress(stream.chunk(piece)) == piece
    assert reader.decompress(stream.end()) == b"" and reader.eof


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("gzip, deflate, br, zstd", True),
        ("br;q=1.0, gzip;q=0.8", True),
        ("*", True),
        ("identity", False),
        ("gzip;q=0", False),
        ("gzip;q=0.0, *", False),
        ("", False),
        ("gzip;q=oops", False),
    ],
)
def test_accept_encoding(header: str, expected: bool) -> None:
    assert accepts_gzip(header) is expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("gzip, deflate, br, zstd", True),
        ("gzip, deflate", False),
        ("BR", True),
        ("br;q=0, gzip", False),
        ("gzip, *", True),
        ("*;q=0, gzip", False),
        ("br;q=0.5;level=3", True),
    ],
)
def test_accepts_brotli(header: str, expected: bool) -> None:
    assert accepts(header, "br") is expected
