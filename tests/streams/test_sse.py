from __future__ import annotations

import json
from typing import Any

from backend.streams import sse
from tests.helpers import parse_events


def test_one_data_line_whatever_the_text() -> None:
    payload = {"append": 'a\n\ndata: {"type":"done"}\n\nevent: error\r\nb\u2028c'}
    raw = sse.encode(payload, id=7)
    assert raw.count(b"\n\n") == 1 and raw.endswith(b"\n\n")
    assert raw.startswith(b"id: 7\ndata: ")
    (event,) = parse_events(raw)
    assert event.data == payload and event.id == "7" and event.event == "message"


def test_named_events_and_lone_surrogates() -> None:
    raw = sse.encode({"append": "bad \ud800 char"}, event="done", id=1)
    (event,) = parse_events(raw)
    assert event.event == "done" and event.data == {"append": "bad ? char"}


def test_keep_alive_is_a_comment() -> None:
    assert parse_events(sse.KEEP_ALIVE) == []


def test_a_delta_is_written_as_the_encoder_writes_it() -> None:
    """One string for one key (every token's event) takes a shorter path: same bytes."""
    encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
    texts = ["", "plain", 'quo"te \\ back/slash', "\x00\x1f\t\n", "\u2028\u2029", "é😀", "\ud800"]
    payloads: list[Any] = [{"append": text} for text in texts]
    payloads += [{"replace": "x"}, {"append": 1}, {"a": "x", "b": "y"}, {}, ["x"], "x", None]
    for payload in payloads:
        expected = f"id: 3\ndata: {encoder.encode(payload)}\n\n".encode("utf-8", "replace")
        assert sse.encode(payload, id=3) == expected, payload
