"""The two-step REST flow as curl users drive it, over real HTTP (httpx) against a real
``backend serve``: POST ``/gradio_api/call/<name>`` gives an event id, GET
``.../<event_id>`` streams ``generating``/``complete``/``error`` events."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.servers import running_server

APPS = Path(__file__).resolve().parents[2] / "apps"


@pytest.fixture(name="bubble", scope="module")
def _bubble() -> Iterator[str]:
    with running_server(str(APPS / "gradio_chat.py")) as base:
        yield base


def events(base: str, path: str, body: Any) -> list[tuple[str, Any]]:
    started = httpx.post(base + path, json=body)
    assert started.status_code == 200, started.text
    # What the guide's `awk -F'"' '{ print $4}'` relies on: the id is the 4th quoted field.
    assert started.text.startswith('{"event_id":"')
    event_id = started.text.split('"')[3]
    out = []
    with httpx.stream("GET", f"{base}{path.rstrip('/')}/{event_id}", timeout=60) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        name = ""
        for line in response.iter_lines():
            if line.startswith("event: "):
                name = line[len("event: ") :]
            elif line.startswith("data: "):
                out.append((name, json.loads(line[len("data: ") :])))
    return out


def test_a_call_streams_whole_values_then_completes(bubble: str) -> None:
    got = events(bubble, "/gradio_api/call/chat", {"data": ["slow rest", 0.3, "s"]})
    names = [name for name, _ in got]
    assert names[-1] == "complete" and set(names[:-1]) == {"generating"}
    assert got[-1][1] == [got[-2][1][0], None]
    assert got[-1][1][0].startswith("slow rest | 0 | 0.3 | s | w0 w1")


def test_the_history_slot_form_and_named_parameters(bubble: str) -> None:
    slot = events(bubble, "/gradio_api/call/chat/", {"data": ["a", None, 0.1, "x"]})
    assert slot[-1] == ("complete", ["a | 0 | 0.1 | x | w0 w1 w2 w3", None])
    named = events(bubble, "/gradio_api/call/v2/chat", {"message": "b", "system": "y"})
    assert named[-1] == ("complete", ["b | 0 | 0.5 | y | w0 w1 w2 w3", None])


def test_a_session_hash_shares_history(bubble: str) -> None:
    body = {"data": ["one", 0.5, "s"], "session_hash": "curl-session-1"}
    events(bubble, "/gradio_api/call/chat", body)
    again = events(bubble, "/gradio_api/call/chat", {**body, "data": ["two", 0.5, "s"]})
    assert again[-1][1][0].startswith("two | 2 |")
    alone = events(bubble, "/gradio_api/call/chat", {"data": ["three", 0.5, "s"]})
    assert alone[-1][1][0].startswith("three | 0 |")


def test_errors_are_error_events(bubble: str) -> None:
    assert events(bubble, "/gradio_api/call/chat", {"data": ["fail", 0.5, "s"]})[-1] == (
        "error", {"error": "You asked me to fail.", "duration": 10, "visible": True,
                  "title": "Error"},
    )  # fmt: skip
    wrong = events(bubble, "/gradio_api/call/chat", {"data": ["x"] * 5})
    assert wrong[-1][0] == "error" and "Expected 3 input value(s)" in wrong[-1][1]["error"]
    out_of_range = events(bubble, "/gradio_api/call/chat", {"data": ["x", 7, "s"]})
    assert "between 0 and 1" in out_of_range[-1][1]["error"]


def test_bad_requests_are_4xx_envelopes(bubble: str) -> None:
    for path, body, status in [
        ("/gradio_api/call/nope", {"data": ["x"]}, 404),
        ("/gradio_api/call/chat", {"nodata": 1}, 422),
        ("/gradio_api/call/chat", [1, 2], 422),
        ("/gradio_api/queue/join", {"data": ["x", None, 0.5, "s"]}, 422),
        ("/gradio_api/queue/join", {"data": [], "fn_index": 9, "session_hash": "s"}, 404),
    ]:
        answer = httpx.post(bubble + path, json=body)
        assert answer.status_code == status, (path, answer.text)
        assert answer.json()["ok"] is False
    unknown = httpx.get(bubble + "/gradio_api/call/chat/0123abcd")
    assert unknown.status_code == 200 and "event: error" in unknown.text


@pytest.fixture(name="files_bubble", scope="module")
def _files_bubble() -> Iterator[str]:
    with running_server(str(APPS / "gradio_files.py")) as base:
        yield base


def test_uploads_give_references_only_this_server_resolves(files_bubble: str) -> None:
    uploaded = httpx.post(
        files_bubble + "/gradio_api/upload", files=[("files", ("a.txt", b"alpha", "text/plain"))]
    )
    assert uploaded.status_code == 200, uploaded.text
    [ref] = uploaded.json()
    assert ref.startswith("chatbubble/") and ref.endswith("/a.txt")
    file = {"path": ref, "meta": {"_type": "gradio.FileData"}}
    ok = events(files_bubble, "/gradio_api/call/look", {"data": [{"text": "t", "files": [file]}]})
    assert ok[-1] == ("complete", ["t | .txt=alpha | 0", None])
    assert httpx.get(files_bubble + "/gradio_api/file=" + ref).content == b"alpha"
    for forged in ("/etc/passwd", "chatbubble/" + "A" * 43 + "/a.txt", ref.replace("/a", "/../a")):
        body = {"data": [{"text": "t", "files": [{"path": forged, "meta": {}}]}]}
        refused = events(files_bubble, "/gradio_api/call/look", body)
        assert refused[-1][0] == "error", forged
        assert httpx.get(files_bubble + "/gradio_api/file=" + forged).status_code == 404
    assert httpx.post(files_bubble + "/gradio_api/upload", json={}).status_code == 415


def test_upload_is_refused_without_multimodal(bubble: str) -> None:
    refused = httpx.post(bubble + "/gradio_api/upload", files=[("files", ("a.txt", b"x"))])
    assert refused.status_code == 404


def test_a_validator_refusal_is_an_error_event_and_the_function_is_not_called(
    tmp_path: Path,
) -> None:
    probe = tmp_path / "calls.txt"
    probe.touch()
    with running_server(str(APPS / "validated.py"), env={"PROBE_FILE": str(probe)}) as base:
        refused = events(base, "/gradio_api/call/answer", {"data": ["hi", 5]})
        accepted = events(base, "/gradio_api/call/answer", {"data": ["hello there", 5]})
    assert [name for name, _ in refused] == ["error"]
    assert refused[0][1]["error"] == "Please write at least 5 characters."
    assert accepted[-1] == ("complete", ["Accepted: hello there", None])
    assert probe.read_text() == "hello there\n"
