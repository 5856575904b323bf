"""Gradio's own clients log in to a real ``backend serve`` app with ``launch(auth=...)``
exactly as they do to Gradio: ``Client(url, auth=(username, password))`` and
``Client.connect(url, {auth: [username, password]})``; the chat function sees the username."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from gradio_client import Client
from gradio_client.exceptions import AuthenticationError

from tests.servers import ROOT, running_server
from tests.waiting import LIVENESS

HERE = Path(__file__).resolve().parent
JS_CLIENT = ROOT / "node_modules" / "@gradio" / "client"


@pytest.fixture(name="bubble", scope="module")
def _bubble() -> Iterator[str]:
    # A secret of its own: no .secret file is written into the work tree.
    env = {"CHATBUBBLE_SECRET": "login test secret"}
    with running_server(str(ROOT / "tests" / "apps" / "login.py"), env=env) as base:
        yield base


def test_gradio_client_logs_in(bubble: str) -> None:
    with pytest.raises(AuthenticationError, match="Invalid credentials"):
        Client(bubble + "/", auth=("ann", "not it"), verbose=False)
    with pytest.raises(AuthenticationError, match="credentials were not provided"):
        Client(bubble + "/", verbose=False)
    client = Client(bubble + "/", auth=("bob", "second:password"), verbose=False)
    assert client.predict({"text": "hello", "files": []}, api_name="/chat") == "bob said hello"
    job = client.submit({"text": "again", "files": []}, api_name="/chat")
    assert job.result(timeout=LIVENESS) == "bob said again"


@pytest.mark.skipif(
    shutil.which("node") is None or not JS_CLIENT.is_dir(),
    reason="needs node and the dev dependencies (npm ci)",
)
def test_the_js_client_logs_in(bubble: str) -> None:
    done = subprocess.run(
        ["node", str(HERE / "js_login.mjs"), bubble + "/"],
        capture_output=True,
        text=True,
        timeout=2 * LIVENESS,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["anonymous"] == "Ask **Ann** for an account."  # auth_message, as from Gradio
    assert seen["wrong"].startswith("Invalid credentials")
    assert seen["predicted"] == ["ann said hi js"]
