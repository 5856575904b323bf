"""Uploads against a real ``backend serve``: a 200 MB body against a 10 MB limit."""

from __future__ import annotations

import http.client
import json
import socket
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import ROOT, PeakRss, running_server, tree_rss
from tests.waiting import LIVENESS, wait_until

APP = ROOT / "tests" / "apps" / "uploads.py"
MB = 1024 * 1024


def chunks(total: int, size: int = 256 * 1024) -> Iterator[bytes]:
    block = b"\0" * size
    for _ in range(total // size):
        yield block


def post_upload(base: str, body: Iterator[bytes], length: int | None) -> tuple[int, bytes]:
    host = base.removeprefix("http://")
    connection = http.client.HTTPConnection(host, timeout=60)
    headers = {"Content-Type": "application/octet-stream"}
    if length is not None:
        headers["Content-Length"] = str(length)
    try:
        connection.request(
            "POST",
            "/api/upload?name=big.bin",
            body=body,
            headers=headers,
            encode_chunked=length is None,
        )
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server answered and closed while we were still sending
    try:
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def stored(store: Path) -> list[Path]:
    return [path for path in store.rglob("*") if path.is_file()]


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
def test_200_mb_against_a_10_mb_limit(declared: bool, tmp_path: Path) -> None:
    store = tmp_path / "files"
    pid: list[int] = []
    flags = ("--max-file-size", str(10 * MB), "--upload-dir", str(store))
    with running_server(str(APP), *flags, pid=pid) as base:
        baseline = tree_rss(pid[0])
        with PeakRss(pid[0], every=0.01) as memory:
            total = 200 * MB
            status, body = post_upload(base, chunks(total), total if declared else None)
        assert status == 413, body
        assert b'"file_too_large"' in body
        grown = memory.peak - baseline
        assert grown < 30 * MB, f"RSS grew by {grown / MB:.1f} MB"
        wait_until(lambda: not stored(store), lambda: f"left behind: {stored(store)}")


def test_an_upload_cut_off_mid_body_leaves_nothing(tmp_path: Path) -> None:
    store = tmp_path / "files"
    with running_server(str(APP), "--upload-dir", str(store)) as base:
        host, port = base.removeprefix("http://").split(":")
        for _ in range(3):
            with socket.create_connection((host, int(port))) as sock:
                sock.sendall(
                    b"POST /api/upload?name=cut.bin HTTP/1.1\r\nHost: x\r\n"
                    b"Content-Type: application/octet-stream\r\nContent-Length: 1000000\r\n\r\n"
                    + b"\0"
                    * 100_000
                )
                # The server is writing the upload when the connection is cut.
                wait_until(lambda: stored(store), "the server did not start writing the upload")
            wait_until(lambda: not stored(store), lambda: f"left behind: {stored(store)}")
        assert not [path for path in store.glob("*.json")]


def test_uploads_work_across_workers(tmp_path: Path) -> None:
    """With two workers, a file uploaded through one is served and usable by the other."""
    store = tmp_path / "files"
    with running_server(str(APP), "--workers", "2", "--upload-dir", str(store)) as base:
        ids = []
        for index in range(12):  # new connections: the kernel spreads them over the workers
            status, body = post_upload(base, iter([b"x" * (index + 1)]), index + 1)
            assert status == 201
            ids.append(json.loads(body)["id"])
        for index, file_id in enumerate(ids):
            with urllib.request.urlopen(
                f"{base}/api/files/{file_id}", timeout=LIVENESS
            ) as response:
                assert response.read() == b"x" * (index + 1)
        message = {"text": "sizes", "files": ids[2:3]}  # file_count="single"
        request = urllib.request.Request(
            base + "/api/chat",
            data=json.dumps({"message": message}).encode(),
            headers={"Content-Type": "application/json", "Accept-Encoding": "identity"},
        )
        with urllib.request.urlopen(request, timeout=LIVENESS) as response:
            assert b"sizes: 1 file(s), 3 bytes" in response.read()
