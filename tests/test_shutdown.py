"""SIGTERM (a deploy, a restart): answers in flight end with a final event, the generator is
closed, and the server exits within its graceful timeout."""

from __future__ import annotations

import http.client
import json
import os
import signal
import time
from pathlib import Path

from tests.helpers import parse_events
from tests.servers import ROOT, running_server

APP = ROOT / "tests" / "apps" / "ticks.py"


def test_sigterm_ends_streams_cleanly(tmp_path: Path) -> None:
    probe = tmp_path / "probe"
    probe.touch()
    pid: list[int] = []
    with running_server(str(APP), env={"PROBE_FILE": str(probe)}, pid=pid) as base:
        connection = http.client.HTTPConnection(base.removeprefix("http://"), timeout=10)
        connection.request(
            "POST",
            "/api/chat",
            body=json.dumps({"message": "go"}),
            headers={"Content-Type": "application/json", "Accept-Encoding": "identity"},
        )
        response = connection.getresponse()
        assert response.status == 200
        data = b""
        while b"tick 1" not in data:
            data += response.read1(65536)
        os.kill(pid[0], signal.SIGTERM)
        stopped = time.monotonic()
        while chunk := response.read1(65536):
            data += chunk
        ended = time.monotonic() - stopped
        connection.close()
    events = parse_events(data)
    assert events[-1].event == "error"
    assert events[-1].data["code"] == "server_restarting"
    assert "restarting" in events[-1].data["error"]
    assert ended < 3
    deadline = time.monotonic() + 3
    while "closed" not in probe.read_text():
        assert time.monotonic() < deadline, "the generator was not closed"
        time.sleep(0.05)
