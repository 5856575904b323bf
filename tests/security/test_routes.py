"""D-3, D-4, D-7, G-2: every route of every app: the canary, env values and server paths never
appear; headers are set on every response; debug and config files are never served."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.security.harness import APPS as HARNESS_APPS
from tests.security.harness import (
    CANARY,
    ENV_SECRET,
    FAILING_FLAGS,
    Server,
    check,
    env_for,
    request,
)
from tests.servers import ROOT, free_port
from tests.waiting import LIVENESS, wait_until

APPS = ["echo", "multimodal", "failing", "hostile_config"]
ROUTES = [
    "/widget.js",
    "/widget/extras.js",
    "/widget/media.js",
    "/api/config",
    "/openapi.json",
    "/v1/models",
    "/healthz",
    # Gradio's client protocol: what gradio_client and @gradio/client fetch first.
    "/config",
    "/gradio_api/info",
]
PROBES: list[Any] = ["/.env", "/.git/config", "/admin", "/debug", "/metrics", "/docs",
          "/monitoring", "/app.py", "/tests/security/apps/echo.py", "/static/../app.py",
          "/backend/settings.py", "/widget/../app.py", "/widget/.env.js", "/api/assets/..%2f.env",
          "/proc/self/environ", "/%2e%2e/%2e%2e/etc/passwd"]  # fmt: skip


def server_for(servers: Any, app: str) -> Server:
    if app == "multimodal":
        return servers(app, "--max-file-size", "65536", "--max-files", "3")  # type: ignore[no-any-return]
    if app == "failing":
        return servers(app, *FAILING_FLAGS)  # type: ignore[no-any-return]
    return servers(app)  # type: ignore[no-any-return]


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("app", APPS)
def test_public_routes_hold_no_secret(app: str, route: str, servers: Any) -> None:
    """D-4: the canary (env + app variable), env values and paths never reach a client."""
    server = server_for(servers, app)
    resp = check(request(server, "GET", route, headers={"Origin": "https://evil.example"}),
                 what=route)  # fmt: skip
    assert resp.status < 500
    assert CANARY not in resp.text and ENV_SECRET not in resp.text
    assert resp.headers.get("x-content-type-options") == "nosniff"
    assert "text/html" not in resp.headers.get("content-type", "")


PROBES += ["/static/widget.js", "/static/chunks/extras.js"]


@pytest.mark.parametrize("path", PROBES)
def test_debug_and_config_paths_are_404(path: str, echo: Server) -> None:
    """D-3: nothing but the documented routes answers."""
    resp = check(request(echo, "GET", path), what=path)
    assert resp.status == 404, (path, resp.status, resp.text[:100])
    assert resp.headers.get("x-content-type-options") == "nosniff"


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/api/chat"), ("POST", "/api/feedback"), ("GET", "/api/files/x"),
     ("GET", "/nope"), ("PUT", "/api/config"), ("POST", "/api/upload")],
    ids=["chat-415", "feedback-415", "files-404", "404", "405", "upload-404"],
)  # fmt: skip
def test_d7_headers_on_errors(method: str, path: str, echo: Server) -> None:
    resp = check(request(echo, method, path, b"x", {"Content-Type": "text/plain"}), what=path)
    assert 400 <= resp.status < 500
    assert resp.headers["x-content-type-options"] == "nosniff"
    assert resp.headers["referrer-policy"] == "no-referrer"
    assert resp.headers["x-frame-options"] == "DENY"
    assert resp.headers["content-type"].startswith("application/json")


def test_d7_stream_headers(echo: Server) -> None:
    resp = check(
        request(
            echo, "POST", "/api/chat", b'{"message":"hi"}', {"Content-Type": "application/json"}
        ),
        what="chat",
    )
    assert resp.headers["content-type"].startswith("text/event-stream")
    assert "no-store" in resp.headers["cache-control"]
    assert resp.headers["x-accel-buffering"] == "no"


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=LIVENESS) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def test_sigterm_stops_cleanly(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    port = free_port()
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "backend", "serve", str(HARNESS_APPS / "echo.py"),
             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
            cwd=ROOT, env={**os.environ, **env_for(tmp_path)}, stdout=output,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            wait_until(
                lambda: answers(f"http://127.0.0.1:{port}/healthz") or process.poll() is not None,
                lambda: "the server answering /healthz: " + log.read_text(errors="replace"),
            )
            assert process.poll() is None, log.read_text(errors="replace")
            process.send_signal(signal.SIGTERM)
            code = process.wait(LIVENESS)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    text = log.read_text(errors="replace")
    assert code == 0 and "Traceback" not in text, (code, text[-400:])
