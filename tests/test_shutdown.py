"""SIGTERM (a deploy, a restart): answers in flight end with a final event, the generator is
closed, and the server exits within its graceful timeout."""

from __future__ import annotations

import http.client
import json
import os
import signal
from pathlib import Path

from tests.helpers import parse_events
from tests.servers import ROOT, running_server
from tests.waiting import LIVENESS, complete_lines, wait_until

APP = ROOT / "tests" / "apps" / "ticks.py"


def test_sigterm_ends_streams_cleanly(tmp_path: Path) -> None:
    probe = tmp_path / "probe"
    probe.touch()
    pid: list[int] = []
    with running_server(str(APP), env={"PROBE_FILE": str(probe)}, pid=pid) as base:
        connection = http.client.HTTPConnection(base.removeprefix("http://"), timeout=LIVENESS)
        connection.request(
            "POST",
            "/api/chat",
            body=json.dumps({"message": "forever"}),  # ticks without end
            headers={"Content-Type": "application/json", "Accept-Encoding": "identity"},
        )
        response = connection.getresponse()
        assert response.status == 200
        data = b""
        while b"tick 1" not in data:
            data += response.read1(65536)
        os.kill(pid[0], signal.SIGTERM)
        while chunk := response.read1(65536):
            data += chunk
        connection.close()
    events = parse_events(data)
    assert events[-1].event == "error"
    assert events[-1].data["code"] == "server_restarting"
    assert "restarting" in events[-1].data["error"]
    # The stream ended at the SIGTERM, not at the function's end: it was closed before that.
    wait_until(
        lambda: any(line.startswith("closed") for line in complete_lines(probe)),
        "the generator was not closed",
    )
    assert "finished" not in complete_lines(probe)
