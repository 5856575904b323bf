"""The security suite (ATTACKS.md): real ``backend serve`` processes, each with the canary
secret in its environment and in an app-level variable; the figures printed at the end.

Servers are started once per session (``servers("echo", *flags)``) and shared by every module;
each module ends by checking that every server still lives and answers ``/healthz`` (a liveness
check: how fast it answers is no verdict on a busy machine).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.security.harness import APPS, FIGURES, Server, alive, env_for, rss
from tests.security.payloads import R_PAYLOADS
from tests.servers import running_server

Servers = Callable[..., Server]
HERE = Path(__file__).resolve().parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "security: the attack suite of ATTACKS.md (tests/security; `-m security`)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.security)


GROUP = re.compile(r"[\[-]([A-Z])-\d")
MODULE_GROUPS = {
    "test_transport.py": "T", "test_json.py": "J", "test_messages.py": "M",
    "test_history.py": "H", "test_uploads.py": "U", "test_files.py": "F", "test_cors.py": "C",
    "test_feedback.py": "V/B", "test_errors.py": "E", "test_xss.py": "R",
    "test_routes.py": "D", "test_zz_figures.py": "T",
}  # fmt: skip
#: The surfaces built after ATTACKS.md was written: counted by name, whatever their ids say.
SURFACES = {
    "test_gradio_protocol.py": "gradio-protocol", "test_identity.py": "identity",
    "test_store.py": "store", "test_console.py": "console", "test_http_urls.py": "http-urls",
}  # fmt: skip


def case_group(nodeid: str) -> str:
    """The ATTACKS.md group of a test: from its case id (``J-9-nan``), else its module; a new
    surface's module by the surface's name."""
    module = nodeid.split("::")[0].rsplit("/", 1)[-1]
    if module in SURFACES:
        return SURFACES[module]
    match = GROUP.search(nodeid.split("::", 1)[-1])
    return match.group(1) if match else MODULE_GROUPS.get(module, module)


@pytest.fixture(autouse=True)
def _current_case(request: pytest.FixtureRequest) -> Iterator[None]:
    """Tells the figures which test is running and whether it is a known (xfail) bug."""
    node = request.node
    FIGURES.current = node.nodeid
    FIGURES.current_known = node.get_closest_marker("xfail") is not None
    FIGURES.cases[case_group(node.nodeid)] = FIGURES.cases.get(case_group(node.nodeid), 0) + 1
    yield
    FIGURES.current_known = False


@pytest.fixture(scope="session", name="servers")
def _servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    """``servers("echo", "--allowed-origins", "https://allowed.example")``: one per app+flags."""
    root = tmp_path_factory.mktemp("security")
    running: dict[tuple[str, ...], Server] = {}
    payloads = json.dumps(list(R_PAYLOADS.values()))
    with ExitStack() as stack:

        def get(app: str, *flags: str) -> Server:
            key = (app, *flags)
            if key not in running:
                workdir = root / f"{app}-{len(running)}"
                workdir.mkdir()
                store = workdir / "store"
                pid: list[int] = []
                log = workdir / "server.log"
                url = stack.enter_context(
                    running_server(
                        str(APPS / f"{app}.py"),
                        "--log-level",
                        "warning",
                        "--upload-dir",
                        str(store),
                        "--flush-interval",
                        "0",
                        "--feedback-rate-limit",
                        "0",
                        *flags,
                        env=env_for(workdir, {"SECURITY_PAYLOADS": payloads}),
                        log=log,
                        pid=pid,
                    )
                )
                server = Server(
                    name="-".join(key),
                    url=url,
                    pid=pid[0],
                    workdir=workdir,
                    log=log,
                    calls=workdir / "calls",
                    flags=workdir / "flags",
                    store=store,
                    rss_start=rss(pid[0]),
                )
                running[key] = server
                FIGURES.servers.append(server)
            return running[key]

        yield get


@pytest.fixture(scope="module", autouse=True)
def _servers_survive() -> Iterator[None]:
    """G-1 after every module: each server's process lives and /healthz answers 200."""
    yield
    for server in FIGURES.servers:
        problem = alive(server)
        if problem and problem not in FIGURES.crashes:
            FIGURES.crashes.append(problem)


@pytest.fixture(name="echo")
def _echo(servers: Servers) -> Server:
    return servers("echo")


@pytest.fixture(name="files")
def _files(servers: Servers) -> Server:
    return servers("multimodal", "--max-file-size", "65536", "--max-files", "3")


@pytest.fixture(name="guarded")
def _guarded(servers: Servers) -> Server:
    """The echo behind ``allowed_origins``."""
    return servers("echo", "--allowed-origins", "https://allowed.example")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not FIGURES.cases:
        return
    from tests.security.figures import report

    terminalreporter.write_sep("=", "security suite figures")
    for line in report():
        terminalreporter.write_line(line)
