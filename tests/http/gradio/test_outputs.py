"""Additional outputs through Gradio's protocol, read by the real ``gradio_client`` and by
curl's two-step API: after the response come the additional outputs, as Gradio sends them
(text for a Code block, a file for an Image; a ``gr.State`` stays on the server)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from gradio_client import Client

from tests.servers import running_server

APPS = Path(__file__).resolve().parents[2] / "apps"


@pytest.fixture(name="bubble", scope="module")
def _bubble() -> Iterator[str]:
    with running_server(str(APPS / "gradio_outputs.py")) as base:
        yield base


def connect(base: str) -> Client:
    return Client(base, verbose=False, analytics_enabled=False)


def test_view_api_lists_the_outputs(bubble: str) -> None:
    client = connect(bubble)
    returns = client.view_api(print_info=False, return_format="dict")["named_endpoints"]["/reply"][
        "returns"
    ]
    assert [(r["label"], r["component"]) for r in returns] == [
        ("Response", "Json"),
        ("Source", "Code"),
        ("value_2", "Image"),
    ]
    client.close()


def test_predict_returns_the_response_and_the_outputs(bubble: str) -> None:
    client = connect(bubble)
    answer, code, image = client.predict("hi", api_name="/reply")
    assert answer == "one two three (turn 1)"
    assert code == "# hi: done"
    # The image was downloaded by the client from the reference it was given.
    assert Path(image).read_bytes() == (APPS / "avatar.png").read_bytes()
    # The State counted this client's turns on the server.
    assert client.predict("again", api_name="/reply")[0] == "one two three (turn 2)"
    client.close()


def test_submit_streams_every_output(bubble: str) -> None:
    client = connect(bubble)
    partials = list(client.submit("go", api_name="/reply"))
    *streamed, final = partials
    assert final[:2] == ("one two three (turn 1)", "# go: done")
    assert Path(final[2]).read_bytes() == (APPS / "avatar.png").read_bytes()
    # Each partial is one yield's outputs together (the answer and its code block), never
    # the answer of one yield with the code of another.
    for answer, code, image in streamed:
        assert code == f"# go: {answer}" and image is None
    client.close()


def test_curl_reads_every_output_in_order(bubble: str) -> None:
    with httpx.Client(base_url=bubble, timeout=30) as http:
        started = http.post("/gradio_api/call/reply", json={"data": ["curl"]})
        event_id = started.json()["event_id"]
        body = http.get(f"/gradio_api/call/reply/{event_id}").text
    events = [block.split("\n") for block in body.strip().split("\n\n")]
    complete = next(json.loads(lines[1][6:]) for lines in events if lines[0] == "event: complete")
    answer, state, code, kept, image = complete
    assert (answer, state, code, kept) == ("one two three (turn 1)", None, "# curl: done", None)
    assert image["meta"] == {"_type": "gradio.FileData"}
    assert image["path"].startswith("chatbubble/") and image["orig_name"] == "avatar.png"
    with httpx.Client(timeout=30) as http:
        fetched = http.get(image["url"])
    assert fetched.content == (APPS / "avatar.png").read_bytes()
