"""Browser tests: real `backend serve` subprocesses, host pages on another origin, Chromium.

- ``backends(app, *flags)`` starts ``python -m backend serve tests/e2e/apps/<app>.py`` once per
  session on a free 127.0.0.1 port, waits until it answers and fails with its output if it dies.
- ``host`` serves per-test HTML pages from ``http://localhost:<port>``, a different origin.
- ``fake_backend`` is a scripted stand-in for the few failures a real backend never produces
  (a cut stream, a proxy's HTML 502, a server that goes away).
- ``page`` is a fresh Chromium page whose ``alert``/``confirm``/``prompt``/``print`` are traps.
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    expect,
    sync_playwright,
)

from tests.servers import free_port, running_server
from tests.waiting import LIVENESS

# Every wait of a browser test (an expect, a click, a wait_for_function) may take up to the
# suite's liveness bound: a streamed answer on a busy 2-core machine can take far longer than
# Playwright's 5 s default. The bound catches a hang; it measures nothing.
expect.set_options(timeout=LIVENESS * 1000)

ROOT = Path(__file__).resolve().parents[2]
APPS = Path(__file__).resolve().parent / "apps"
BUNDLE = ROOT / "backend" / "static" / "widget.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Runs in every page before its own scripts: dialogs become traps, CSP reports are collected.
TRAPS = """
window.__xss = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (...args) => { window.__xss.push(name + ":" + String(args[0])); };
}
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@dataclass
class Backend:
    """A running ``backend serve``; ``probe`` is the file its chat function may write to.

    ``flags`` is the directory an app may use as its ``flagging_dir`` (``E2E_FLAG_DIR``).
    """

    url: str
    probe: Path
    log: Path
    flags: Path


def start_backend(
    stack: ExitStack, workdir: Path, apps: Path, app: str, flags: tuple[str, ...]
) -> Backend:
    name = f"{app}-{len(list(workdir.iterdir()))}"
    probe = workdir / f"{name}.probe"
    log = workdir / f"{name}.log"
    flag_dir = workdir / f"{name}.flags"
    probe.touch()
    url = stack.enter_context(
        running_server(
            str(apps / f"{app}.py"),
            "--log-level",
            "warning",
            *flags,
            env={
                "E2E_PROBE_FILE": str(probe),
                "E2E_FLAG_DIR": str(flag_dir),
            },
            log=log,
        )
    )
    return Backend(url=url, probe=probe, log=log, flags=flag_dir)


@pytest.fixture(scope="session", name="backends")
def _backends(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[..., Backend]]:
    """``backends("echo", "--flush-interval", "0")``: one server per app and flags."""
    if not BUNDLE.is_file():
        pytest.fail(f"{BUNDLE} is missing: run `make build` first")
    workdir = tmp_path_factory.mktemp("backends")
    # The servers run copies of the apps: what an app writes beside itself (cached examples in
    # .chatbubble/) stays in the test run's temp dir, not in the work tree.
    apps = tmp_path_factory.mktemp("apps") / "apps"
    shutil.copytree(APPS, apps, ignore=shutil.ignore_patterns("__pycache__", ".chatbubble"))
    running: dict[tuple[str, ...], Backend] = {}
    with ExitStack() as stack:

        def get(app: str, *flags: str) -> Backend:
            key = (app, *flags)
            if key not in running:
                running[key] = start_backend(stack, workdir, apps, app, flags)
            return running[key]

        yield get


class _Quiet(http.server.BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def reply(self, status: int, body: bytes, content_type: str, headers: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


@dataclass
class HostPage:
    html: str
    headers: dict[str, str]


@dataclass
class HostServer:
    """Serves the pages that embed the widget, from a different origin than the backend."""

    port: int
    pages: dict[str, HostPage] = field(default_factory=dict)

    def add(
        self,
        backend: str,
        head: str = "",
        body: str = "<h1>A website</h1><p>Some content.</p>",
        headers: dict[str, str] | None = None,
        attrs: str = "",
    ) -> str:
        """Registers a page embedding ``backend``'s widget; returns its URL.

        ``attrs`` goes into the script tag as is (``data-*`` settings).
        """
        path = f"/page{len(self.pages)}.html"
        self.pages[path] = HostPage(
            html=(
                '<!doctype html><html lang="en"><head><meta charset="utf-8">'
                '<meta name="viewport" content="width=device-width, initial-scale=1">'
                f"<title>Host page</title>{head}"
                f'<script src="{backend}/widget.js" async {attrs}></script>'
                f"</head><body>{body}</body></html>"
            ),
            headers=headers or {},
        )
        return f"http://localhost:{self.port}{path}"


@pytest.fixture(scope="session", name="host")
def _host() -> Iterator[HostServer]:
    server_state = HostServer(port=0)

    class Handler(_Quiet):
        def do_GET(self) -> None:  # noqa: N802
            page = server_state.pages.get(self.path.split("?", 1)[0])  # a query is the page's
            if page is None:
                self.reply(404, b"not found", "text/plain", {})
                return
            self.reply(200, page.html.encode(), "text/html; charset=utf-8", page.headers)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server_state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server_state
    server.shutdown()
    server.server_close()
    thread.join()


class FakeBackend:
    """Serves the real bundle and a scripted API. Messages pick the behaviour:

    - ``cut``: the stream starts, sends one delta and closes without ``done``;
    - ``proxy``: an HTML 502, as a broken reverse proxy answers;
    - anything else: ``fake: <message[:20]> (<n> earlier: <first letter of each user turn>)``.

    Its limits are small so that tests can reach them: 700 characters per message, 4 history
    entries, 3,000 bytes per body. ``config`` entries are added to its ``/api/config``
    (``fake_backend.config["editable"] = True``).
    """

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.bundle = BUNDLE.read_bytes()
        self.config: dict[str, Any] = {}
        self._server: http.server.ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        fake = self

        class Handler(_Quiet):
            protocol_version = "HTTP/1.0"
            cors = {
                "Access-Control-Allow-Origin": "*",
                "Access-Control-Allow-Headers": "Content-Type, X-Visitor-Key",
                "Access-Control-Allow-Methods": "GET, POST",
            }

            def do_OPTIONS(self) -> None:  # noqa: N802
                self.reply(204, b"", "text/plain", self.cors)

            def do_GET(self) -> None:  # noqa: N802
                if self.path == "/widget.js":
                    self.reply(200, fake.bundle, "application/javascript", self.cors)
                elif self.path in ("/widget/extras.js", "/widget/panel.js"):
                    chunk = (BUNDLE.parent / "chunks" / self.path[8:]).read_bytes()
                    self.reply(200, chunk, "application/javascript", self.cors)
                elif self.path == "/api/config":
                    config = {
                        "protocol": 1,
                        "title": "Fake bot",
                        "limits": {
                            "max_message_chars": 700,
                            "max_history_messages": 4,
                            "max_body_bytes": 3000,
                        },
                        **fake.config,
                    }
                    self.reply(200, json.dumps(config).encode(), "application/json", self.cors)
                else:
                    self.reply(404, b"{}", "application/json", self.cors)

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length", "0"))
                request = json.loads(self.rfile.read(length))
                message = str(request["message"])
                history = request["history"]
                users = ",".join(e["content"][:1] for e in history if e["role"] == "user")
                if message == "proxy":
                    self.reply(502, b"<h1>Bad Gateway</h1>", "text/html", self.cors)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                for name, value in self.cors.items():
                    self.send_header(name, value)
                self.end_headers()
                start = 'event: start\nid: 0\ndata: {"protocol": 1, "stream": "x"}\n\n'
                text = f"fake: {message[:20]} ({len(history)} earlier: {users or 'none'})"
                delta = {"append": text}
                self.wfile.write(f"{start}id: 1\ndata: {json.dumps(delta)}\n\n".encode())
                if message != "cut":
                    self.wfile.write(b"event: done\nid: 2\ndata: {}\n\n")
                self.wfile.flush()

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._server and self._thread:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join()
        self._server = None
        self._thread = None


@pytest.fixture(name="fake_backend")
def _fake_backend() -> Iterator[FakeBackend]:
    fake = FakeBackend()
    fake.start()
    yield fake
    fake.stop()


# Module scope, not session: while the sync Playwright API is open its event loop counts as
# running, and the async tests of other modules could not start their own.
@pytest.fixture(scope="module", name="browser")
def _browser() -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make system)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(name="new_page")
def _new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """``new_page(**context_options)``: a fresh page with the traps installed.

    Fails the test if any uncaught script error reached a page it made, or the widget reported
    one it caught.
    """
    contexts: list[BrowserContext] = []
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.text.startswith("chatbubble:"):  # the widget reports what it caught
            errors.append(message.text)

    def make(**options: Any) -> Page:
        options.setdefault("viewport", {"width": 1280, "height": 800})
        context = browser.new_context(**options)
        context.set_default_timeout(LIVENESS * 1000)
        contexts.append(context)
        context.add_init_script(TRAPS)
        page = context.new_page()
        # The newest page is the active one, as a visitor's tab is: without this a page made
        # while another one still has focus never gets it on a busy machine, and tests of
        # where focus goes see none at all.
        page.bring_to_front()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", on_console)
        return page

    yield make
    for context in contexts:
        context.close()
    assert not errors, f"uncaught errors in the page: {errors}"


@pytest.fixture(name="page")
def _page(new_page: Callable[..., Page]) -> Page:
    """A fresh 1280×800 page."""
    return new_page()
