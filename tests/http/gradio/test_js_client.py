"""The real ``@gradio/client`` (Node, a dev dependency) against a real ``backend serve``:
``Client.connect``, ``view_api``, ``predict``, ``submit`` iterating partials in order and a
``gr.Error`` message."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import ROOT, running_server
from tests.waiting import LIVENESS

HERE = Path(__file__).resolve().parent
CLIENT = ROOT / "node_modules" / "@gradio" / "client"

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or not CLIENT.is_dir(),
    reason="needs node and the dev dependencies (npm ci)",
)


@pytest.fixture(name="bubble", scope="module")
def _bubble() -> Iterator[str]:
    with running_server(str(ROOT / "tests" / "apps" / "gradio_chat.py")) as base:
        yield base


def test_the_js_client_connects_predicts_and_streams(bubble: str) -> None:
    done = subprocess.run(
        ["node", str(HERE / "js_client.mjs"), bubble + "/"],
        capture_output=True,
        text=True,
        timeout=3 * LIVENESS,  # a liveness bound for its three calls (one streams for 8 s)
        check=False,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["endpoints"] == ["/chat"]
    assert seen["parameters"] == ["message", "temperature", "system"]
    assert seen["predicted"] == ["hi js | 0 | 0.1 | s | w0 w1 w2 w3"]
    partials = seen["partials"]
    assert len(partials) > 3
    counts = [len(partial.split("|")[-1].split()) for partial in partials]
    assert counts == sorted(counts) and counts[-1] == 40
    # The same client (one session) keeps its history: predict's turn came first.
    assert partials[-1].startswith("slow js | 2 | 0.5 | be brief |")
    assert "You asked me to fail." in seen["failure"]
