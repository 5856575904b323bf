"""Bytes on the wire for a 2,000-token streamed answer, over the final text length.

Starts `backend serve benchmarks/apps/tokens.py` on a free 127.0.0.1 port, reads the raw socket
(headers, chunk framing and all) and prints, per case, the total bytes and the ratio to the text.
Baselines computed in the same run from the same tokens: one event per token (no merging), and
the whole text in every event (what a full-value protocol sends).
Target: total <= 1.5 x text + 4 KB. Browsers always accept gzip, so the gzip rows are what a
visitor's connection carries; the identity rows show the envelope's own cost (a slowly paced
answer pays it once per merged delta, which compression removes).
"""

from __future__ import annotations

import json
import os
import socket
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks" / "apps"))

from tokens import tokens  # noqa: E402

from tests.servers import running_server  # noqa: E402


def fetch(base: str, accept_encoding: str) -> tuple[int, float]:
    host, port = base.removeprefix("http://").split(":")
    body = json.dumps({"message": "go"}).encode()
    request = (
        f"POST /api/chat HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n"
        f"Content-Type: application/json\r\nAccept-Encoding: {accept_encoding}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    started = time.perf_counter()
    total = 0
    with socket.create_connection((host, int(port))) as sock:
        sock.sendall(request)
        while chunk := sock.recv(65536):
            total += len(chunk)
    return total, time.perf_counter() - started


def baselines(text_tokens: list[str]) -> tuple[int, int]:
    per_token = full_value = 0
    text = ""
    for i, token in enumerate(text_tokens, 1):
        text += token
        per_token += len(f"id: {i}\ndata: {json.dumps({'append': token})}\n\n".encode())
        full_value += len(f"id: {i}\ndata: {json.dumps({'replace': text})}\n\n".encode())
    return per_token, full_value


def main() -> None:
    text_tokens = tokens()
    text_bytes = len("".join(text_tokens).encode())
    budget = 1.5 * text_bytes + 4096
    print(
        f"answer: {len(text_tokens)} tokens, {text_bytes} bytes of text; budget {budget:.0f} bytes"
    )
    per_token, full_value = baselines(text_tokens)
    for label, total in (
        ("baseline, one event per token (no merging):", per_token),
        ("baseline, whole text in every event:", full_value),
    ):
        print(f"{label:<44} {total:>9} B  {total / text_bytes:5.2f}x")
    for delay in ("0", "0.005"):
        with running_server(
            str(ROOT / "benchmarks" / "apps" / "tokens.py"),
            env={**os.environ, "TOKEN_DELAY": delay},
        ) as base:
            for encoding in ("identity", "gzip"):
                total, seconds = fetch(base, encoding)
                label = f"chatbubble, {float(delay) * 1000:.0f} ms/token, {encoding}:"
                verdict = "within budget" if total <= budget else "over budget"
                print(
                    f"{label:<44} {total:>9} B  {total / text_bytes:5.2f}x"
                    f"  ({seconds:.2f} s, {verdict})"
                )


if __name__ == "__main__":
    main()
