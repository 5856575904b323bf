"""``gr.Request`` and ``gr.State`` through Gradio's protocol, with the real ``gradio_client``
against a real ``backend serve``: the request names the client's ``session_hash``, the State
counts turns per client session, and neither is a parameter the client sees or sends."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from gradio_client import Client

from tests.servers import running_server

APP = Path(__file__).resolve().parents[2] / "apps" / "request_state.py"


@pytest.fixture(name="bubble", scope="module")
def _bubble() -> Iterator[str]:
    with running_server(str(APP)) as base:
        yield base


def ask(client: Client, *args: Any) -> dict[str, Any]:
    seen: dict[str, Any] = json.loads(client.predict(*args, api_name="/chat"))
    return seen


def test_the_request_and_state_per_client_session(bubble: str) -> None:
    first = Client(bubble, verbose=False, analytics_enabled=False)
    second = Client(bubble, verbose=False, analytics_enabled=False)
    one = ask(first, "hello", "bold")
    assert one["turn"] == 1 and one["tone"] == "bold"
    assert one["session"] == first.session_hash
    assert one["host"] == "127.0.0.1"
    assert one["url"].startswith(bubble) and one["url"].endswith("/gradio_api/queue/join")
    assert one["agent"]  # the client's own User-Agent
    assert ask(first, "again")["turn"] == 2
    other = ask(second, "hi")
    assert other["turn"] == 1 and other["session"] == second.session_hash
    assert ask(first, "third") == {**ask_fields(one), "turn": 3, "tone": "calm", "history": 4}
    # Neither the State nor the request is a parameter: only the message and the Tone.
    endpoint = first.view_api(print_info=False, return_format="dict")["named_endpoints"]["/chat"]
    assert [p["parameter_name"] for p in endpoint["parameters"]] == ["message", "tone"]
    assert [r["component"] for r in endpoint["returns"]] == ["Json"]
    first.close()
    second.close()


def ask_fields(seen: dict[str, Any]) -> dict[str, Any]:
    return {key: seen[key] for key in ("url", "query", "host", "session", "agent")}


def test_the_rest_api_gets_its_own_url_and_query(bubble: str) -> None:
    with httpx.Client(base_url=bubble, timeout=30) as http:
        started = http.post("/gradio_api/call/chat?via=curl", json={"data": ["hi", "calm"]})
        assert started.status_code == 200
        event_id = started.json()["event_id"]
        with http.stream("GET", f"/gradio_api/call/chat/{event_id}") as stream:
            lines = [line for line in stream.iter_lines() if line.startswith("data: ")]
    seen = json.loads(json.loads(lines[-1][len("data: ") :])[0])
    assert seen["url"].endswith("/gradio_api/call/chat?via=curl")
    assert seen["query"] == {"via": "curl"}
    assert seen["session"] is None and seen["turn"] == 1
