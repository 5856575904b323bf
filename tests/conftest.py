from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from quart import Quart
from quart.typing import TestClientProtocol as Client

from backend import ChatInterface, Settings, create_app
from backend.chat.run import ChatFn
from tests.postgres import PostgresServer
from tests.postgres import available as postgres_available
from tests.servers import ROOT, descendants

# Fast streams in tests: no coalescing pause unless a test asks for it.
FAST = {"flush_interval": 0.0}


# What a test run may create in the system temp dir, by name: server logs, the default upload and
# app directories, a demo app's folder. A run that leaves any of them behind fails.
LEFTOVERS = ("backend-", "chatbubble", "media-bot-")
SYSTEM_TEMP = Path(tempfile.gettempdir())


def _leftovers() -> set[str]:
    return {entry.name for entry in SYSTEM_TEMP.iterdir() if entry.name.startswith(LEFTOVERS)}


# What a test run may add to the work tree: screenshots (build/), Python's and pytest's caches;
# installed tools are not looked through.
NOT_LOOKED_AT = ("build", ".pytest_cache", ".venv", "node_modules", ".mypy_cache", ".ruff_cache")


def _untracked() -> set[str]:
    """The untracked and ignored paths of the work tree (empty outside a git checkout)."""
    try:
        status = subprocess.run(
            ["git", "status", "--porcelain", "--ignored", "--untracked-files=all", "-z", "--"]
            + [f":!{name}" for name in NOT_LOOKED_AT],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout.decode()
    except (OSError, subprocess.CalledProcessError):
        return set()
    paths = {entry[3:] for entry in status.split("\0") if entry[:2] in ("??", "!!")}
    return {path for path in paths if "__pycache__/" not in path}


_BEFORE = pytest.StashKey[tuple[set[str], set[str]]]()


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_BEFORE] = (_leftovers(), _untracked())


def _running_children() -> list[str]:
    """The command lines of this process's living descendants (zombies aside)."""
    found: list[str] = []
    for child in descendants(os.getpid()):
        try:
            stat = Path(f"/proc/{child}/stat").read_text()
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:  # it ended while we looked
            continue
        if stat.rsplit(")", 1)[1].split()[0] != "Z":
            found.append(command.replace(b"\0", b" ").decode(errors="replace"))
    return found


@pytest.fixture(scope="session", autouse=True)
def _session_temp_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Everything the suite and the servers it starts put in "the temp dir" (logs, uploads, the
    apps' folders, Chromium's profiles) goes under pytest's base temp instead: removed after a
    green run, kept for a look after a red one (``tmp_path_retention_policy``)."""
    path = tmp_path_factory.mktemp("tmp")
    patch = pytest.MonkeyPatch()
    patch.setenv("TMPDIR", str(path))
    patch.setattr(tempfile, "tempdir", str(path))
    # Hypothesis (under the schemathesis fuzz run) keeps its example database there too.
    patch.setenv("HYPOTHESIS_STORAGE_DIRECTORY", str(path / "hypothesis"))
    yield path
    patch.undo()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fails the run if it left new files of ours in the system temp dir, or a process running."""
    problems = []
    temp_before, tree_before = session.config.stash.get(_BEFORE, (set(), set()))
    left = sorted(_leftovers() - temp_before)
    if left:
        problems.append(f"the test run left these in {SYSTEM_TEMP}: {', '.join(left)}")
    added = sorted(_untracked() - tree_before)
    if added:
        problems.append(f"the test run added these to the work tree: {', '.join(added)}")
    problems += [f"a process outlived the tests: {command}" for command in _running_children()]
    if problems:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_sep("=", "the test run did not clean up after itself", red=True)
            for problem in problems:
                reporter.write_line(f"ERROR: {problem}", red=True, bold=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True)
def _clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith("CHATBUBBLE_") or key in ("OPENAI_BASE_URL", "OPENAI_API_KEY"):
            monkeypatch.delenv(key)


def make_app(fn: ChatFn, *, widget: Path | None = None, **settings: Any) -> Quart:
    return create_app(
        ChatInterface(fn=fn, type="messages", title="Test bot"),
        Settings.from_mapping({**FAST, **settings}),
        widget_bundle=widget,
    )


def echo(message: str, history: list[dict[str, object]]) -> str:
    return f"echo: {message} ({len(history)} earlier)"


@pytest.fixture(name="app")
def _app() -> Quart:
    return make_app(echo)


@pytest.fixture(name="client")
async def _client(app: Quart) -> AsyncIterator[Client]:
    async with app.test_app() as test_app:
        yield test_app.test_client()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--llm",
        action="store_true",
        help="also run the tests against a real llama.cpp server (`make test-llm`)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--llm"):
        return
    skip = pytest.mark.skip(reason="needs a real model server: run `make test-llm`")
    for item in items:
        if "llm" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session", name="postgres")
def _postgres() -> Iterator[PostgresServer]:
    """One real PostgreSQL for the session (tests/postgres.py); each test makes its database."""
    if not postgres_available():
        pytest.skip(
            "PostgreSQL is not installed (Debian's postgresql package: scripts/system-packages "
            "installs it)"
        )
    server = PostgresServer()
    try:
        yield server
    finally:
        server.stop()
